"""cocotb test of fx_swg: random frames through random TVALID gaps and TREADY
back-pressure, compared bit-exactly with the numpy im2col kernel (in the depthwise stream
order for DEPTHWISE); the cycles of one frame at full throughput are measured and written
to $CYCLES_FILE."""

from __future__ import annotations

import cocotb
import numpy as np
from axis import run_phases

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import im2col, swg_depthwise_order


def frames(p: dict, rng: np.random.Generator, n: int):
    """n random input frames -> (input beats, expected output beats)."""
    ins, outs = [], []
    kernel = (p["KH"], p["KW"])
    for _ in range(n):
        x = rng.integers(0, 1 << p["BITS"], size=(1, p["IH"], p["IW"], p["C"]))
        y = im2col(x, kernel, (p["SH"], p["SW"]), (p["DH"], p["DW"]))
        if p.get("DEPTHWISE"):
            y = swg_depthwise_order(y, kernel, p["SIMD"])
        ins += pack_beats(x, p["BITS"], p["SIMD"])
        outs += pack_beats(y, p["BITS"], p["SIMD"])
    return ins, outs


@cocotb.test()
async def windows_match_im2col(dut):
    await run_phases(dut, frames, "fx_swg")
