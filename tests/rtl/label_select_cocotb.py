"""cocotb test of fx_label_select: frames of LABELS values (drawn from a small range so
ties are frequent, plus all-equal frames), K indices per frame, bit-exact vs the reference
kernel (numpy stable argsort: largest first, ties lower index first). At full rate the
cycles for F frames are F·max(LABELS/PE, K) + min(LABELS/PE, K) (pipeline fill/drain)
within 5 % or 20 cycles. Parameters as JSON in $PARAMS."""

from __future__ import annotations

import json
import os

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import label_select

PHASES = ((1.0, 1.0), (0.5, 0.7), (0.9, 0.3), (0.3, 0.95))


@cocotb.test()
async def selects_top_k(dut):
    p = json.loads(os.environ["PARAMS"])
    labels, pe, k, ib, signed, frames = (p[n] for n in ("LABELS", "PE", "K", "IN_BITS", "IN_SIGNED", "FRAMES"))
    rng = np.random.default_rng(p["SEED"])
    lo, hi = (-(1 << (ib - 1)), 1 << (ib - 1)) if signed else (0, 1 << ib)
    await reset(dut)
    for n, (valid_prob, ready_prob) in enumerate(PHASES):
        if n % 2:  # few distinct values: many ties
            x = rng.integers(lo, min(hi, lo + 3), size=(frames, labels))
        else:
            x = rng.integers(lo, hi, size=(frames, labels))
        x[0, :] = hi - 1 if n < 2 else lo  # an all-equal frame at both extremes
        expected = [int(i) for i in label_select(x, k).reshape(-1)]
        cocotb.start_soon(drive(dut, "in0_V", pack_beats(x, ib, pe), valid_prob,
                                seed=int(rng.integers(1 << 30))))
        got, cycles = await collect(dut, "out0_V", len(expected), ready_prob,
                                    seed=int(rng.integers(1 << 30)))
        assert got == expected, (valid_prob, ready_prob, x.tolist(), got, expected)
        if valid_prob == ready_prob == 1.0:
            nb = labels // pe
            ideal = frames * max(nb, k) + min(nb, k)
            assert frames * max(nb, k) <= cycles <= ideal + max(20, ideal // 20), (cycles, ideal)
            dut._log.info("full rate: %d cycles for %d frames (ideal %d)", cycles, frames, ideal)
