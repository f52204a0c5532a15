"""cocotb test of fx_memstream: the words of $INIT (hex file) come out in cyclic order, one
per cycle at full TREADY, and hold (TVALID high, TDATA stable) while back-pressured; TVALID
rises on the second edge after reset and never falls (the timing fx_mvu's token model
assumes); the memory of the style $STYLE ("block" or "dist") was built."""

from __future__ import annotations

import os
import random
from pathlib import Path

import cocotb
from axis import reset
from cocotb.triggers import ReadOnly, RisingEdge


async def take(dut, count: int, ready_prob: float, rng: random.Random) -> tuple[list[int], int]:
    """Receive `count` words with TREADY high at ready_prob; checks that an offered word
    is held until taken. Returns (words, cycles)."""
    words: list[int] = []
    cycles = 0
    held = None  # the word offered but not taken last cycle
    while len(words) < count:
        ready = rng.random() < ready_prob
        dut.out0_V_TREADY.value = int(ready)
        await ReadOnly()
        valid = int(dut.out0_V_TVALID.value) == 1
        data = int(dut.out0_V_TDATA.value) if valid else None
        if held is not None:
            assert valid and data == held, f"word {held:#x} withdrawn or changed under back-pressure"
        if valid and ready:
            words.append(data)
        held = data if valid and not ready else None
        await RisingEdge(dut.ap_clk)
        cycles += 1
        assert cycles < 100 * count + 100, f"{len(words)} of {count} words after {cycles} cycles"
    dut.out0_V_TREADY.value = 0
    return words, cycles


def rom_words(path: str) -> list[int]:
    return [int(line, 16) for line in Path(path).read_text().split()]


@cocotb.test()
async def built_style(dut):
    style = os.environ["STYLE"]
    other = {"block": "dist", "dist": "block"}[style]
    assert hasattr(dut, f"g_{style}"), f"no g_{style} block"
    assert not hasattr(dut, f"g_{other}"), f"g_{other} block built"


@cocotb.test()
async def valid_timing(dut):
    """TVALID is low in the cycle after the edge that releases reset, then high for good,
    whatever TREADY does."""
    rng = random.Random(int(os.environ.get("SEED", "0")))
    dut.out0_V_TREADY.value = 0
    await reset(dut)
    await ReadOnly()
    assert int(dut.out0_V_TVALID.value) == 0, "TVALID one edge after reset"
    await RisingEdge(dut.ap_clk)
    for cycle in range(50):
        dut.out0_V_TREADY.value = int(rng.random() < 0.5)
        await ReadOnly()
        assert int(dut.out0_V_TVALID.value) == 1, f"TVALID low {cycle + 2} edges after reset"
        await RisingEdge(dut.ap_clk)


@cocotb.test()
async def streams_cyclically_under_backpressure(dut):
    rom = rom_words(os.environ["INIT"])
    depth = len(rom)
    rng = random.Random(int(os.environ.get("SEED", "0")))
    dut.out0_V_TREADY.value = 0
    await reset(dut)
    pos = 0
    for ready_prob, n in ((1.0, 3 * depth + 5), (0.5, 2 * depth + 3), (0.2, depth + 7), (0.9, 2 * depth), (1.0, 40)):
        words, cycles = await take(dut, n, ready_prob, rng)
        want = [rom[(pos + i) % depth] for i in range(n)]
        assert words == want, f"ready {ready_prob}: {words} != {want}"
        pos = (pos + n) % depth
        if ready_prob == 1.0:
            # one word per cycle (the first phase also pays the 2-cycle read latency)
            assert cycles <= n + 2, (cycles, n)
        dut._log.info("ready %.1f: %d words in %d cycles", ready_prob, n, cycles)
