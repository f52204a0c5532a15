"""cocotb test of fx_duplicate_streams: every live output receives the whole input stream,
each output with its own random TREADY back-pressure, input with random TVALID gaps; full
rate Π(vectors)·C/PE cycles when all are ready; outputs >= N_OUT never assert TVALID.
Parameters as JSON in $PARAMS."""

from __future__ import annotations

import json
import os

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.kernels.packing import pack_beats

PHASES = ((1.0, 1.0), (0.5, 0.7), (0.9, 0.3), (0.3, 0.95))


async def watch_dead(dut, n_out: int, flags: list[str]) -> None:
    from cocotb.triggers import ReadOnly, RisingEdge

    while True:
        await ReadOnly()
        for i in range(n_out, 4):
            if int(getattr(dut, f"out{i}_V_TVALID").value):
                flags.append(f"out{i}_V")
        await RisingEdge(dut.ap_clk)


@cocotb.test()
async def copies_to_all_outputs(dut):
    p = json.loads(os.environ["PARAMS"])
    c, pe, bits, n_out, vectors = (p[k] for k in ("C", "PE", "BITS", "N_OUT", "VECTORS"))
    rng = np.random.default_rng(p["SEED"])
    for i in range(n_out, 4):
        getattr(dut, f"out{i}_V_TREADY").value = 1
    await reset(dut)
    dead: list[str] = []
    cocotb.start_soon(watch_dead(dut, n_out, dead))
    for valid_prob, ready_prob in PHASES:
        x = rng.integers(0, 1 << bits, size=(vectors, c))
        beats = pack_beats(x, bits, pe)
        cocotb.start_soon(drive(dut, "in0_V", beats, valid_prob, seed=int(rng.integers(1 << 30))))
        # each output gets its own back-pressure pattern (and, off full rate, its own rate)
        tasks = [
            cocotb.start_soon(collect(dut, f"out{i}_V", len(beats),
                                      1.0 if ready_prob == 1.0 else min(1.0, ready_prob + 0.1 * i),
                                      seed=int(rng.integers(1 << 30))))
            for i in range(n_out)
        ]
        results = [await t for t in tasks]
        for i, (got, cycles) in enumerate(results):
            assert got == beats, f"out{i}_V differs ({valid_prob}, {ready_prob})"
            if valid_prob == ready_prob == 1.0:
                ideal = vectors * c // pe
                assert ideal <= cycles <= ideal + max(20, ideal // 20), (i, cycles, ideal)
    assert not dead, f"dead outputs asserted TVALID: {sorted(set(dead))}"
