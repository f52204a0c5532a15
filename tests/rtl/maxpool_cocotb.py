"""cocotb test of fx_streaming_maxpool: random frames through random TVALID gaps and TREADY
back-pressure, compared bit-exactly with the numpy maxpool kernel (partial windows with
CEIL_MODE); the cycles of one frame at full throughput are written to $CYCLES_FILE."""

from __future__ import annotations

import cocotb
import numpy as np
from axis import run_phases

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import maxpool


def frames(p: dict, rng: np.random.Generator, n: int):
    bits, signed = p["BITS"], bool(p["SIGNED"])
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    ins, outs = [], []
    for _ in range(n):
        x = rng.integers(lo, hi, size=(1, p["IH"], p["IW"], p["C"]))
        y = maxpool(x, (p["KH"], p["KW"]), ceil_mode=bool(p.get("CEIL_MODE")))
        ins += pack_beats(x, bits, p["PE"])
        outs += pack_beats(y, bits, p["PE"])
    return ins, outs


@cocotb.test()
async def pools_like_numpy(dut):
    await run_phases(dut, frames, "fx_streaming_maxpool")
