"""cocotb test of fx_fifo: random data through random TVALID gaps and TREADY back-pressure."""

from __future__ import annotations

import os
import random

import cocotb
from axis import collect, drive, reset


@cocotb.test()
async def passes_everything_in_order(dut):
    width = int(os.environ["WIDTH"])
    rng = random.Random(int(os.environ.get("SEED", "0")))
    await reset(dut)
    for valid_prob, ready_prob in ((1.0, 1.0), (0.5, 0.7), (0.9, 0.2)):
        beats = [rng.getrandbits(width) for _ in range(200)]
        cocotb.start_soon(drive(dut, "in0_V", beats, valid_prob, seed=rng.random()))
        got, cycles = await collect(dut, "out0_V", len(beats), ready_prob, seed=rng.random())
        assert got == beats
        if valid_prob == ready_prob == 1.0:
            # full throughput: one beat per cycle after the first
            assert cycles <= len(beats) + 2, cycles
