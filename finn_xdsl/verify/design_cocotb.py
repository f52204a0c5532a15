"""
cocotb test bench for a stitched finn-xdsl design (the `finn_design` top of `-t sv`).

It ships in the package because every build folder's `sim/` runs it. DESIGN_CASE (env)
names a JSON file written by `finn_xdsl.verify.design_sim`:

    {"in_port": "s_axis_0", "out_port": "m_axis_0",
     "inputs": [[beat, ...] per frame], "outputs": [[beat, ...] per frame],
     "valid_prob": 1.0, "ready_prob": 1.0, "seed": 0, "timeout_cycles": N}

and DESIGN_RESULT (env) the JSON file the measurements go to.

All frames go in back to back; with valid_prob = ready_prob = 1 TVALID is high whenever
input remains and TREADY is always high, so the measured cycles are the design's own.
One coroutine does both ends, one clock edge per loop iteration (half the simulator
round trips of separate driver / monitor tasks, which matters over 10^5..10^6 cycles).
Received beats must equal the expected ones exactly; the cycle of every accepted input
beat that starts a frame and of every output beat is written to DESIGN_RESULT, from
which design_sim derives latency and steady-state cycles per frame. Clock and reset come
from layer_cocotb, the package's AXI-Stream drivers.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge

from finn_xdsl.verify.layer_cocotb import reset


@cocotb.test()
async def design_matches_reference(dut):
    case = json.loads(Path(os.environ["DESIGN_CASE"]).read_text())
    frames_in: list[list[int]] = case["inputs"]
    frames_out: list[list[int]] = case["outputs"]
    valid_prob, ready_prob = float(case["valid_prob"]), float(case["ready_prob"])
    rng = random.Random(case["seed"])
    ins = [getattr(dut, f"{case['in_port']}_{s}") for s in ("tdata", "tvalid", "tready")]
    outs = [getattr(dut, f"{case['out_port']}_{s}") for s in ("tdata", "tvalid", "tready")]
    await reset(dut, (ins[1], outs[2]), cycles=4)

    beats_in = [b for f in frames_in for b in f]
    per_in = len(frames_in[0])
    expected = [b for f in frames_out for b in f]
    per_out = len(frames_out[0])
    in_tdata, in_tvalid, in_tready = ins
    out_tdata, out_tvalid, out_tready = outs
    frame_start: list[int] = []  # cycle of each frame's first accepted input beat
    out_cycles: list[int] = []  # cycle of each output beat
    got: list[int] = []
    i = cycle = 0
    timeout = int(case["timeout_cycles"])
    offered = False
    while len(got) < len(expected):
        offer = i < len(beats_in) and (valid_prob >= 1.0 or rng.random() < valid_prob)
        if offer != offered:
            in_tvalid.value = int(offer)
            offered = offer
        if offer:
            in_tdata.value = beats_in[i]
        take = ready_prob >= 1.0 or rng.random() < ready_prob
        out_tready.value = int(take)
        await ReadOnly()
        if offer and int(in_tready.value):
            if i % per_in == 0:
                frame_start.append(cycle)
            i += 1
        if take and int(out_tvalid.value):
            got.append(int(out_tdata.value))
            out_cycles.append(cycle)
        await RisingEdge(dut.ap_clk)
        cycle += 1
        if cycle > timeout:
            raise TimeoutError(
                f"{case['out_port']}: {len(got)} of {len(expected)} output beats and {i} of "
                f"{len(beats_in)} input beats after {cycle} cycles"
            )
    in_tvalid.value = 0
    bad = [k for k, (g, e) in enumerate(zip(got, expected)) if g != e]
    Path(os.environ["DESIGN_RESULT"]).write_text(json.dumps({
        "frame_start": frame_start, "out_cycles": out_cycles,
        "mismatches": len(bad),
        "first_mismatch": None if not bad else {
            "frame": bad[0] // per_out, "beat": bad[0] % per_out,
            "got": hex(got[bad[0]]), "expected": hex(expected[bad[0]]),
        },
    }))
    assert not bad, (
        f"{len(bad)} of {len(expected)} output beats differ, first in frame {bad[0] // per_out} "
        f"beat {bad[0] % per_out}: got {got[bad[0]]:#x}, expected {expected[bad[0]]:#x}"
    )
