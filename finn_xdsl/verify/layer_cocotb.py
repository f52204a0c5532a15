"""
Generic cocotb test bench for one `-t sv` layer wrapper, and the package's AXI-Stream drivers.

It ships in the package because per-layer verification (`finn_xdsl.verify.layer_rtlsim`, used
by `finn-build --verify` on mixed HLS/RTL designs) runs it outside the test suite.
LAYER_CASE (env) names a JSON file

    {"inputs": {"in0_V": [beat, ...], ...}, "outputs": {"out0_V": [beat, ...], ...},
     "seed": 0, "valid_prob": 0.7, "ready_prob": 0.6, "timeout_cycles": N}

(beats as integers, TDATA including its zero padding; only inputs and outputs are required),
and LAYER_RESULT (env, optional) the JSON file the verdict goes to, so the caller can name
the first differing beat without parsing logs.

Every input is driven at once with random TVALID gaps and every output collected with random
TREADY back-pressure; the received beats must equal the expected ones exactly, and every input
beat must be taken (inputs left unread would misalign the next frame in a real design). Output
beats beyond the expected ones are not an error: a layer may legitimately start the next
frame's output without input (FMPadding's top padding rows).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge


async def reset(dut, idle: Iterable = (), cycles: int = 3) -> None:
    """Start a 100 MHz ap_clk, drive the `idle` handshake signals (TVALIDs of inputs, TREADYs
    of outputs) low and hold ap_rst_n low for `cycles` cycles."""
    cocotb.start_soon(Clock(dut.ap_clk, 10, unit="ns").start())
    for signal in idle:
        signal.value = 0
    dut.ap_rst_n.value = 0
    for _ in range(cycles):
        await RisingEdge(dut.ap_clk)
    dut.ap_rst_n.value = 1
    await RisingEdge(dut.ap_clk)


async def drive(dut, port: str, beats: list[int], valid_prob: float = 1.0, seed: float = 0,
                timeout_cycles: int | None = None) -> int:
    """Send `beats` on `<port>_TDATA/_TVALID/_TREADY`, offering a beat with valid_prob each
    cycle. Each cycle sets TVALID/TDATA, waits for ReadOnly (everything combinational has
    settled), decides whether the transfer happens at the coming edge, then waits for it.
    Returns the cycles taken; raises TimeoutError after `timeout_cycles`."""
    rng = random.Random(seed)
    data, valid, ready = (getattr(dut, f"{port}_{s}") for s in ("TDATA", "TVALID", "TREADY"))
    i = cycles = 0
    while i < len(beats):
        offer = rng.random() < valid_prob
        valid.value = int(offer)
        if offer:
            data.value = beats[i]
        await ReadOnly()
        fire = offer and int(ready.value) == 1
        await RisingEdge(dut.ap_clk)
        cycles += 1
        if fire:
            i += 1
        if timeout_cycles is not None and cycles > timeout_cycles:
            valid.value = 0
            raise TimeoutError(f"{port}: {len(beats) - i} of {len(beats)} input beats left unread after {cycles} cycles")
    valid.value = 0
    return cycles


async def collect(dut, port: str, count: int, ready_prob: float = 1.0, seed: float = 1,
                  timeout_cycles: int = 2_000_000) -> tuple[list[int], int]:
    """Receive `count` beats, TREADY high with ready_prob; returns (beats, cycles taken
    from the first cycle to the last beat's edge)."""
    rng = random.Random(seed)
    data, valid, ready = (getattr(dut, f"{port}_{s}") for s in ("TDATA", "TVALID", "TREADY"))
    beats: list[int] = []
    cycles = 0
    while len(beats) < count:
        take = rng.random() < ready_prob
        ready.value = int(take)
        await ReadOnly()
        if take and int(valid.value) == 1:
            beats.append(int(data.value))
        await RisingEdge(dut.ap_clk)
        cycles += 1
        if cycles > timeout_cycles:
            raise TimeoutError(f"{port}: {len(beats)} of {count} beats after {cycles} cycles")
    ready.value = 0
    return beats, cycles


def _first_mismatch(outputs: dict[str, list[int]], got: dict[str, list[int]]) -> dict | None:
    for port, expected in sorted(outputs.items()):
        for k, (g, e) in enumerate(zip(got[port], expected)):
            if g != e:
                bad = sum(a != b for a, b in zip(got[port], expected))
                return {"port": port, "beat": k, "got": hex(g), "expected": hex(e), "count": bad}
    return None


@cocotb.test()
async def layer_matches_interpreter(dut):
    case = json.loads(Path(os.environ["LAYER_CASE"]).read_text())
    inputs: dict[str, list[int]] = case["inputs"]
    outputs: dict[str, list[int]] = case["outputs"]
    seed = int(case.get("seed", 0))
    valid_prob, ready_prob = float(case.get("valid_prob", 0.7)), float(case.get("ready_prob", 0.6))
    total = sum(map(len, inputs.values())) + sum(map(len, outputs.values()))
    timeout = int(case.get("timeout_cycles", 2_000_000 + 100 * total))
    await reset(dut, [getattr(dut, f"{p}_TVALID") for p in inputs] + [getattr(dut, f"{p}_TREADY") for p in outputs])
    drivers = [cocotb.start_soon(drive(dut, name, beats, valid_prob, seed + i, timeout))
               for i, (name, beats) in enumerate(sorted(inputs.items()))]
    collectors = {name: cocotb.start_soon(collect(dut, name, len(beats), ready_prob, seed + 100 + i, timeout))
                  for i, (name, beats) in enumerate(sorted(outputs.items()))}
    verdict: dict = {"mismatch": None, "error": None}
    try:
        got = {name: (await task)[0] for name, task in collectors.items()}
        verdict["mismatch"] = _first_mismatch(outputs, got)
        # every input beat must be taken soon after the last output: twice the time the
        # TVALID gaps need for all input beats bounds any layer that still has rows to skip
        drain = 100 + 2 * sum(map(len, inputs.values()))
        for _ in range(drain):
            if all(task.done() for task in drivers):
                break
            await RisingEdge(dut.ap_clk)
        left = [name for name, task in zip(sorted(inputs), drivers, strict=True) if not task.done()]
        if left:
            verdict["error"] = f"{', '.join(left)}: input beats left unread {drain} cycles after the last output beat"
        for task in drivers:
            if task.done():
                task.result()  # re-raises a driver's TimeoutError
    except TimeoutError as e:
        verdict["error"] = str(e)
    if "LAYER_RESULT" in os.environ:
        Path(os.environ["LAYER_RESULT"]).write_text(json.dumps(verdict))
    bad = verdict["mismatch"]
    assert bad is None, (f"{bad['port']}: {bad['count']} of {len(outputs[bad['port']])} beats differ, first at "
                         f"beat {bad['beat']}: got {bad['got']}, expected {bad['expected']}")
    assert verdict["error"] is None, verdict["error"]
