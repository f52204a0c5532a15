"""cocotb test of fx_fmpadding: random frames through random TVALID gaps and TREADY
back-pressure, compared bit-exactly with the numpy fmpadding kernel; the cycles of one
frame at full throughput are written to $CYCLES_FILE."""

from __future__ import annotations

import cocotb
import numpy as np
from axis import run_phases

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import fmpadding


def frames(p: dict, rng: np.random.Generator, n: int):
    bits, signed = p["BITS"], p["PAD_VALUE"] < 0
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    ins, outs = [], []
    for _ in range(n):
        x = rng.integers(lo, hi, size=(1, p["IH"], p["IW"], p["C"]))
        y = fmpadding(x, (p["PT"], p["PL"], p["PB"], p["PR"]), p["PAD_VALUE"])
        ins += pack_beats(x, bits, p["SIMD"])
        outs += pack_beats(y, bits, p["SIMD"])
    return ins, outs


@cocotb.test()
async def pads_like_numpy(dut):
    await run_phases(dut, frames, "fx_fmpadding")
