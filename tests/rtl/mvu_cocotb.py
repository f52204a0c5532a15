"""cocotb test of fx_mvu: expected outputs from numpy, random TVALID/TREADY, throughput.

The case comes from test_mvu.py in the .npz named by $NPZ: per phase the input vectors, the
exact accumulators x·W (popcounts for XNOR) and the weight words; thresholds; configuration.
With WEIGHT_STREAM = 1 the bench also drives in1_V with each vector's WMEM weight words,
with its own random TVALID gaps.
"""

from __future__ import annotations

import os
import random

import cocotb
import numpy as np
from axis import collect, drive, reset
from cocotb.triggers import RisingEdge

from finn_xdsl.kernels.packing import pack_beats, unpack_beats

# (input TVALID, weight TVALID, output TREADY) probabilities; the first is the full-rate phase
PHASES = ((1.0, 1.0, 1.0), (0.6, 0.8, 0.7), (0.9, 0.5, 0.25), (0.3, 1.0, 1.0), (1.0, 0.3, 0.9))
LATENCY = 24  # fx_mvu: a fold's last tile issue -> its output's TVALID


def expected(acc: np.ndarray, thr: np.ndarray, cfg: list[int]) -> tuple[np.ndarray, int, bool]:
    """(values of shape (vectors, MH), output bits, signed) as the hardware must produce."""
    _, _, _, _, _, _, acc_bits, out_bits, bias, bipolar_out, use_thr, _, _ = cfg
    if not use_thr:
        return acc, acc_bits, True
    c = (acc[:, :, None] >= thr[None, :, :]).sum(axis=2)
    if bipolar_out:
        return c, out_bits, False  # 2c-1 in {-1, +1}, coded 0/1 = c
    return c + bias, out_bits, bias < 0


@cocotb.test()
async def matches_numpy_under_backpressure(dut):
    case = np.load(os.environ["NPZ"], allow_pickle=True)
    cfg = case["cfg"].tolist()
    mw, mh, pe, simd, ib, bipolar_in, _, _, _, _, _, vectors, stream = cfg
    rng = random.Random(int(os.environ.get("SEED", "0")))
    n_out = vectors * mh // pe
    if not stream:
        dut.in1_V_TVALID.value = 0
        dut.in1_V_TDATA.value = 0
    await reset(dut)
    for phase, (valid_prob, wvalid_prob, ready_prob) in enumerate(PHASES):
        want, out_bits, signed = expected(case["acc"][phase], case["thr"], cfg)
        beats_in = pack_beats(case["x"][phase], ib, simd, bipolar=bool(bipolar_in))
        cocotb.start_soon(drive(dut, "in0_V", beats_in, valid_prob, seed=rng.random()))
        if stream:
            words = [int(w) for w in case["words"][phase]] * vectors
            cocotb.start_soon(drive(dut, "in1_V", words, wvalid_prob, seed=rng.random()))
        got, cycles = await collect(dut, "out0_V", n_out, ready_prob, seed=rng.random())
        vals = unpack_beats(got, out_bits, pe, signed).reshape(vectors, mh)
        assert np.array_equal(vals, want), f"phase {phase}:\n{vals}\n!=\n{want}"
        if phase == 0:
            ideal = (mh // pe) * (mw // simd) * vectors
            # plus the fill: fx_mvu's fixed LATENCY (24) and the weight stream's start
            assert cycles <= max(ideal * 1.05, ideal + LATENCY + 10), (cycles, ideal)
            dut._log.info("cycles %d, ideal %d", cycles, ideal)
        # let the drivers finish before the next phase
        for _ in range(5):
            await RisingEdge(dut.ap_clk)
    if not stream:
        assert int(dut.in1_V_TREADY.value) == 0, "in1_V_TREADY must stay low with the ROM"
