"""cocotb test of fx_fifo: which storage style was built, that exactly DEPTH beats fit while
the reader stalls (and that a full FIFO does not let out0_V_TREADY through to
in0_V_TREADY in the same cycle), full throughput, and random data through random TVALID
gaps and TREADY back-pressure, bit-exact and in order. Settings come from the environment:
WIDTH, DEPTH, STYLE (the style the build must have resolved to), SEED. `follows_count_model`
checks every style cycle by cycle against the token model's rule (TREADY iff fill < DEPTH,
TVALID iff fill > 0), which block RAM's read latency must not change."""

from __future__ import annotations

import os
import random

import cocotb
from axis import collect, drive, reset
from cocotb.triggers import ReadOnly, RisingEdge

BEATS = 300
# (TVALID probability, TREADY probability): gaps, back-pressure heavy enough to fill the
# FIFO, a starved reader, and a fast reader behind a slow writer (the FIFO runs empty)
RANDOM_PHASES = ((0.5, 0.7), (0.9, 0.2), (0.95, 0.6), (0.3, 0.95))


def settings() -> tuple[int, int, str, random.Random]:
    env = os.environ
    return int(env["WIDTH"]), int(env["DEPTH"]), env["STYLE"], random.Random(int(env.get("SEED", "0")))


async def fill_and_drain(dut, width: int, depth: int, rng: random.Random) -> None:
    """With out0_V_TREADY low, offer beats for DEPTH + 8 cycles: exactly DEPTH are taken.
    Then raise out0_V_TREADY: in0_V_TREADY must stay low in that cycle (registered) and the
    DEPTH beats come out in order, one per cycle."""
    beats = [rng.getrandbits(width) for _ in range(depth + 8)]
    dut.out0_V_TREADY.value = 0
    taken = 0
    for _ in range(depth + 8):
        dut.in0_V_TVALID.value = 1
        dut.in0_V_TDATA.value = beats[taken]
        await ReadOnly()
        fire = int(dut.in0_V_TREADY.value) == 1
        await RisingEdge(dut.ap_clk)
        taken += fire
    dut.in0_V_TVALID.value = 0
    assert taken == depth, f"accepted {taken} beats with the reader stalled, DEPTH is {depth}"
    dut.out0_V_TREADY.value = 1
    await ReadOnly()
    assert int(dut.in0_V_TREADY.value) == 0, "out0_V_TREADY reached in0_V_TREADY combinationally"
    assert int(dut.out0_V_TVALID.value) == 1
    head = int(dut.out0_V_TDATA.value)
    await RisingEdge(dut.ap_clk)
    got, cycles = await collect(dut, "out0_V", depth - 1)
    assert [head, *got] == beats[:depth], "beats out of order after a stall"
    assert cycles == depth - 1, (cycles, depth)
    await ReadOnly()
    assert int(dut.out0_V_TVALID.value) == 0, "FIFO still valid after DEPTH beats out"
    await RisingEdge(dut.ap_clk)


@cocotb.test()
async def built_style(dut):
    """The generate block of the expected style exists (and the other does not)."""
    _, _, style, _ = settings()
    assert hasattr(dut, f"g_{style}"), f"no g_{style} block"
    for other in {"srl", "ram", "bram"} - {style}:
        assert not hasattr(dut, f"g_{other}"), f"g_{other} block built"


@cocotb.test()
async def follows_count_model(dut):
    """Random TVALID and TREADY every cycle (phases from trickle to flood, so the FIFO runs
    empty, full and in between): each cycle TREADY and TVALID must be exactly the count
    model's, and the beats leave bit-exact in order."""
    width, depth, _, rng = settings()
    await reset(dut)
    sent: list[int] = []
    got: list[int] = []
    fill = 0
    for valid_prob, ready_prob in ((0.3, 0.9), (0.9, 0.3), (0.7, 0.7), (1.0, 0.95), (0.5, 0.5)):
        for _ in range(4 * depth + 40):
            valid = rng.random() < valid_prob
            beat = rng.getrandbits(width)
            dut.in0_V_TVALID.value = int(valid)
            dut.in0_V_TDATA.value = beat
            dut.out0_V_TREADY.value = int(rng.random() < ready_prob)
            await ReadOnly()
            in_ready = int(dut.in0_V_TREADY.value) == 1
            out_valid = int(dut.out0_V_TVALID.value) == 1
            assert in_ready == (fill < depth), f"TREADY {in_ready} at fill {fill}"
            assert out_valid == (fill > 0), f"TVALID {out_valid} at fill {fill}"
            push = valid and in_ready
            pop = out_valid and int(dut.out0_V_TREADY.value) == 1
            if pop:
                got.append(int(dut.out0_V_TDATA.value))
            if push:
                sent.append(beat)
            fill += push - pop
            await RisingEdge(dut.ap_clk)
    dut.in0_V_TVALID.value = 0
    dut.out0_V_TREADY.value = 0
    assert got == sent[: len(got)], "beats out of order or corrupted"


@cocotb.test()
async def holds_depth_beats(dut):
    width, depth, _, rng = settings()
    await reset(dut)
    for _ in range(3):  # several times, so the pointers/positions wrap around
        await fill_and_drain(dut, width, depth, rng)


@cocotb.test()
async def passes_everything_in_order(dut):
    """Full rate first: BEATS beats in BEATS + 1 cycles (first-word fall-through adds one),
    twice that for DEPTH = 1; then the random phases, bit-exact."""
    width, depth, _, rng = settings()
    await reset(dut)
    ideal = BEATS * (2 if depth == 1 else 1) + 1
    for valid_prob, ready_prob in ((1.0, 1.0), *RANDOM_PHASES):
        beats = [rng.getrandbits(width) for _ in range(BEATS)]
        beats[:2] = [0, (1 << width) - 1]  # all-zero and all-one words
        cocotb.start_soon(drive(dut, "in0_V", beats, valid_prob, seed=rng.random()))
        got, cycles = await collect(dut, "out0_V", len(beats), ready_prob, seed=rng.random())
        first = next((i for i, (a, b) in enumerate(zip(got, beats)) if a != b), None)
        assert got == beats, f"({valid_prob}, {ready_prob}): first mismatch at beat {first}"
        if valid_prob == ready_prob == 1.0:
            assert ideal - 1 <= cycles <= ideal, (cycles, ideal)
            dut._log.info("full rate: %d beats in %d cycles", BEATS, cycles)
        for _ in range(3):
            await RisingEdge(dut.ap_clk)
