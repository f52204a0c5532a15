"""cocotb helpers for our AXI-Stream ports: random TVALID gaps in, random TREADY out.

The drivers (reset, drive, collect) are the package's (finn_xdsl.verify.layer_cocotb), which
the per-layer and whole-design benches use too; this adds the phased single-stream check
of the RTL library tests.
"""

from __future__ import annotations

import random

import cocotb
from cocotb.triggers import RisingEdge

from finn_xdsl.verify.layer_cocotb import collect, drive, reset

__all__ = ["PHASES", "collect", "drive", "reset", "run_phases"]


PHASES = (
    ("full_1", 1, 1.0, 1.0),
    ("full_3", 3, 1.0, 1.0),
    ("gaps", 2, 0.5, 0.7),
    ("backpressure", 2, 0.9, 0.25),
    ("starved", 2, 0.3, 1.0),
)


async def run_phases(dut, frames, label: str) -> dict[str, int]:
    """The standard single-stream check: for each of PHASES, send `frames(params, rng, n)`'s
    input beats and compare the output beats bit-exactly, under that phase's TVALID/TREADY
    probabilities. Parameters come from $PARAMS (JSON), the seed from $SEED; the cycles per
    phase are logged and written to $CYCLES_FILE if set."""
    import json
    import os

    import numpy as np

    p = json.loads(os.environ["PARAMS"])
    seed = int(os.environ.get("SEED", "0"))
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    await reset(dut)
    measured = {}
    for name, n, valid_prob, ready_prob in PHASES:
        ins, outs = frames(p, rng, n)
        driver = cocotb.start_soon(drive(dut, "in0_V", ins, valid_prob, seed=prng.random()))
        got, cycles = await collect(dut, "out0_V", len(outs), ready_prob, seed=prng.random())
        first = next((i for i, (a, b) in enumerate(zip(got, outs)) if a != b), None)
        assert got == outs, f"{name}: first mismatch at beat {first}"
        measured[name] = cycles
        # inputs that complete no output (e.g. rows a stride skips) may still be in flight:
        # the next phase starts only once this one's driver has sent everything
        await driver
        for _ in range(5):
            await RisingEdge(dut.ap_clk)
    dut._log.info("%s %s cycles %s", label, p, measured)
    if "CYCLES_FILE" in os.environ:
        with open(os.environ["CYCLES_FILE"], "w") as fh:
            json.dump(measured, fh)
    return measured
