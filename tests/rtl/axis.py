"""cocotb helpers for our AXI-Stream ports: random TVALID gaps in, random TREADY out.

Each cycle a driver sets its outputs, waits for ReadOnly (everything combinational has
settled), decides whether a transfer happens at the coming edge, then waits for the edge.
"""

from __future__ import annotations

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge


async def reset(dut, cycles: int = 3) -> None:
    """Start a 100 MHz ap_clk and hold ap_rst_n low for a few cycles."""
    cocotb.start_soon(Clock(dut.ap_clk, 10, unit="ns").start())
    dut.ap_rst_n.value = 0
    for _ in range(cycles):
        await RisingEdge(dut.ap_clk)
    dut.ap_rst_n.value = 1
    await RisingEdge(dut.ap_clk)


async def drive(dut, port: str, beats: list[int], valid_prob: float = 1.0, seed: int = 0) -> None:
    """Send `beats` on `<port>_TDATA/_TVALID/_TREADY`, offering a beat with valid_prob."""
    rng = random.Random(seed)
    data, valid, ready = (getattr(dut, f"{port}_{s}") for s in ("TDATA", "TVALID", "TREADY"))
    i = 0
    while i < len(beats):
        offer = rng.random() < valid_prob
        valid.value = int(offer)
        if offer:
            data.value = beats[i]
        await ReadOnly()
        fire = offer and int(ready.value) == 1
        await RisingEdge(dut.ap_clk)
        if fire:
            i += 1
    valid.value = 0


async def collect(dut, port: str, count: int, ready_prob: float = 1.0, seed: int = 1,
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
