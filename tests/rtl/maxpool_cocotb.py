"""cocotb test of fx_streaming_maxpool: random frames through random TVALID gaps and TREADY
back-pressure, compared bit-exactly with the numpy maxpool kernel; the cycles of one
frame at full throughput are written to $CYCLES_FILE."""

from __future__ import annotations

import json
import os
import random

import cocotb
import numpy as np
from axis import collect, drive, reset
from cocotb.triggers import RisingEdge

from finn_xdsl.sim.dataflow_kernels import maxpool
from finn_xdsl.sim.packing import pack_beats


def frames(p: dict, rng: np.random.Generator, n: int):
    bits, signed = p["BITS"], bool(p["SIGNED"])
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    ins, outs = [], []
    for _ in range(n):
        x = rng.integers(lo, hi, size=(1, p["IH"], p["IW"], p["C"]))
        y = maxpool(x, (p["KH"], p["KW"]))
        ins += pack_beats(x, bits, p["PE"])
        outs += pack_beats(y, bits, p["PE"])
    return ins, outs


@cocotb.test()
async def pools_like_numpy(dut):
    p = json.loads(os.environ["PARAMS"])
    seed = int(os.environ.get("SEED", "0"))
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    await reset(dut)
    measured = {}
    for name, n, valid_prob, ready_prob in (
        ("full_1", 1, 1.0, 1.0), ("full_3", 3, 1.0, 1.0),
        ("gaps", 2, 0.5, 0.7), ("backpressure", 2, 0.9, 0.25), ("starved", 2, 0.3, 1.0),
    ):
        ins, outs = frames(p, rng, n)
        cocotb.start_soon(drive(dut, "in0_V", ins, valid_prob, seed=prng.random()))
        got, cycles = await collect(dut, "out0_V", len(outs), ready_prob, seed=prng.random())
        assert got == outs, f"{name}: first mismatch at beat {next(i for i, (a, b) in enumerate(zip(got, outs)) if a != b)}"
        measured[name] = cycles
        for _ in range(5):
            await RisingEdge(dut.ap_clk)
    dut._log.info("fx_streaming_maxpool %s cycles %s", p, measured)
    if "CYCLES_FILE" in os.environ:
        with open(os.environ["CYCLES_FILE"], "w") as fh:
            json.dump(measured, fh)
