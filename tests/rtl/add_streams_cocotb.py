"""cocotb test of fx_add_streams: two random streams summed lane by lane, bit-exact vs
numpy, at full rate (Π(vectors)·C/PE cycles) and with independent random TVALID gaps on
both inputs and TREADY back-pressure. Parameters as JSON in $PARAMS."""

from __future__ import annotations

import json
import os

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.kernels.packing import pack_beats, unpack_beats

PHASES = ((1.0, 1.0, 1.0), (0.5, 0.8, 0.7), (0.9, 0.4, 0.3), (0.7, 0.7, 0.95))


@cocotb.test()
async def adds_streams(dut):
    p = json.loads(os.environ["PARAMS"])
    c, pe, ib, signed, ob, vectors = (p[k] for k in ("C", "PE", "IN_BITS", "IN_SIGNED", "OUT_BITS", "VECTORS"))
    rng = np.random.default_rng(p["SEED"])
    lo, hi = (-(1 << (ib - 1)), 1 << (ib - 1)) if signed else (0, 1 << ib)
    await reset(dut)
    for v0, v1, ready_prob in PHASES:
        a = rng.integers(lo, hi, size=(vectors, c))
        b = rng.integers(lo, hi, size=(vectors, c))
        # extremes always appear
        a[0, 0], b[0, 0], a[-1, -1], b[-1, -1] = lo, lo, hi - 1, hi - 1
        expected = (a + b).reshape(-1)
        cocotb.start_soon(drive(dut, "in0_V", pack_beats(a, ib, pe), v0, seed=int(rng.integers(1 << 30))))
        cocotb.start_soon(drive(dut, "in1_V", pack_beats(b, ib, pe), v1, seed=int(rng.integers(1 << 30))))
        got, cycles = await collect(dut, "out0_V", vectors * c // pe, ready_prob,
                                    seed=int(rng.integers(1 << 30)))
        values = unpack_beats(got, ob, pe, signed=bool(signed))
        np.testing.assert_array_equal(values, expected)
        if v0 == v1 == ready_prob == 1.0:
            ideal = vectors * c // pe
            assert ideal <= cycles <= ideal + max(20, ideal // 20), (cycles, ideal)
            dut._log.info("full rate: %d cycles (ideal %d)", cycles, ideal)
