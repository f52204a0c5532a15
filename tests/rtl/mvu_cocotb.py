"""cocotb test of fx_mvu: expected outputs from numpy, random TVALID/TREADY, throughput.

The case (weights, inputs, thresholds, configuration) comes from test_mvu.py in the .npz
named by $NPZ.
"""

from __future__ import annotations

import os
import random

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.sim.packing import pack_beats, unpack_beats


def expected(case) -> tuple[np.ndarray, int, bool]:
    """(values of shape (vectors, MH), output bits, signed) as the hardware must produce."""
    w, x, thr = case["w"], case["x"], case["thr"]
    mw, _, _, _, _, _, xnor, acc_bits, out_bits, bias, bipolar_out, use_thr, _ = case["cfg"].tolist()
    acc = x @ w
    if xnor:
        acc = (acc + mw) // 2  # popcount #(x_j == w_j) on the 0/1 codes
    if not use_thr:
        return acc, acc_bits, True
    c = (acc[:, :, None] >= thr[None, :, :]).sum(axis=2)
    if bipolar_out:
        return c, out_bits, False  # 2c-1 in {-1, +1}, coded 0/1 = c
    return c + bias, out_bits, bias < 0


@cocotb.test()
async def matches_numpy_under_backpressure(dut):
    case = np.load(os.environ["NPZ"])
    mw, mh, pe, simd, ib, _, xnor, _, _, _, _, _, vectors = case["cfg"].tolist()
    rng = random.Random(int(os.environ.get("SEED", "0")))
    want, out_bits, signed = expected(case)
    beats_in = pack_beats(case["x"], ib, simd, bipolar=bool(xnor))
    n_out = vectors * mh // pe
    await reset(dut)
    for valid_prob, ready_prob in ((1.0, 1.0), (0.6, 0.7), (0.9, 0.25), (0.3, 1.0)):
        cocotb.start_soon(drive(dut, "in0_V", beats_in, valid_prob, seed=rng.random()))
        got, cycles = await collect(dut, "out0_V", n_out, ready_prob, seed=rng.random())
        vals = unpack_beats(got, out_bits, pe, signed).reshape(vectors, mh)
        assert np.array_equal(vals, want), f"valid {valid_prob} ready {ready_prob}:\n{vals}\n!=\n{want}"
        if valid_prob == ready_prob == 1.0:
            ideal = (mh // pe) * (mw // simd) * vectors
            assert cycles <= max(ideal * 1.05, ideal + 20), (cycles, ideal)
            dut._log.info("cycles %d, ideal %d", cycles, ideal)
        # let the input driver finish before the next round
        for _ in range(5):
            await cocotb.triggers.RisingEdge(dut.ap_clk)
