"""Generic cocotb test of one `-t sv` layer wrapper: stream recorded beats, compare bit-exact.

LAYER_CASE (env) names a JSON file {"inputs": {"in0_V": [beats]}, "outputs": {"out0_V":
[beats]}, "seed": n}: beats as integers, TDATA including its zero padding. All inputs are
driven at once with random TVALID gaps and every output is collected with random TREADY
back-pressure; the received beats must equal the expected ones exactly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import cocotb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "rtl"))
from axis import collect, drive, reset  # tests/rtl/axis.py, the shared drivers


@cocotb.test()
async def layer_matches_interpreter(dut):
    case = json.loads(Path(os.environ["LAYER_CASE"]).read_text())
    seed = int(case.get("seed", 0))
    for name in case["inputs"]:
        getattr(dut, f"{name}_TVALID").value = 0
    for name in case["outputs"]:
        getattr(dut, f"{name}_TREADY").value = 0
    await reset(dut)
    for i, (name, beats) in enumerate(sorted(case["inputs"].items())):
        cocotb.start_soon(drive(dut, name, beats, valid_prob=0.7, seed=seed + i))
    collectors = [
        (name, beats, cocotb.start_soon(collect(dut, name, len(beats), ready_prob=0.6, seed=seed + 100 + i)))
        for i, (name, beats) in enumerate(sorted(case["outputs"].items()))
    ]
    for name, expected, task in collectors:
        got, _ = await task
        bad = [k for k, (g, e) in enumerate(zip(got, expected)) if g != e]
        assert not bad, (
            f"{name}: {len(bad)} of {len(expected)} beats differ, first at beat {bad[0]}: "
            f"got {got[bad[0]]:#x}, expected {expected[bad[0]]:#x}"
        )
