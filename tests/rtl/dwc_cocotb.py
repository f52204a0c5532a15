"""cocotb test of fx_dwc: frames of random elements re-beated IN_LANES -> OUT_LANES,
bit-exact, at full rate (cycle count checked) and under random TVALID gaps / TREADY
back-pressure. Parameters come as JSON in $PARAMS (see test_streams.py)."""

from __future__ import annotations

import json
import os

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.kernels.packing import pack_beats

PHASES = ((1.0, 1.0), (0.5, 0.7), (0.9, 0.3), (0.3, 0.95))


def within(cycles: int, ideal: int) -> bool:
    return ideal <= cycles <= ideal + max(20, ideal // 20)


@cocotb.test()
async def rebeats_frames(dut):
    p = json.loads(os.environ["PARAMS"])
    inl, outl, bits, total, frames = p["IN_LANES"], p["OUT_LANES"], p["BITS"], p["TOTAL"], p["FRAMES"]
    rng = np.random.default_rng(p["SEED"])
    await reset(dut)
    for valid_prob, ready_prob in PHASES:
        x = rng.integers(0, 1 << bits, size=(frames, total))
        x[0, :], x[-1, ::2] = (1 << bits) - 1, 0  # all-ones lanes and alternating zeros
        beats_in = pack_beats(x, bits, inl)
        expected = pack_beats(x, bits, outl)
        cocotb.start_soon(drive(dut, "in0_V", beats_in, valid_prob, seed=int(rng.integers(1 << 30))))
        got, cycles = await collect(dut, "out0_V", len(expected), ready_prob,
                                    seed=int(rng.integers(1 << 30)))
        assert got == expected, (valid_prob, ready_prob)
        if valid_prob == ready_prob == 1.0:
            ideal = frames * max(total // inl, total // outl)
            assert within(cycles, ideal), (cycles, ideal)
            dut._log.info("full rate: %d cycles for %d frames (ideal %d)", cycles, frames, ideal)
