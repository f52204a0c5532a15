"""cocotb test of fx_thresholding: random frames through random TVALID gaps and TREADY
back-pressure, bit-exact against numpy (finn_xdsl.sim.dataflow_kernels.multithreshold),
and the cycle count at full throughput against Π(vectors)·C/PE."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cocotb
import numpy as np
from axis import collect, drive, reset

from finn_xdsl.sim.dataflow_kernels import multithreshold
from finn_xdsl.sim.packing import pack_beats, unpack_beats


def _config():
    cfg = json.loads(os.environ["THR_CONFIG"])
    t_bits = cfg["T_BITS"]
    codes = [int(line, 16) for line in Path(os.environ["THR_FILE"]).read_text().split()]
    t = np.array(
        [c - (1 << t_bits) if c >= 1 << (t_bits - 1) else c for c in codes], dtype=np.int64
    )
    return cfg, t.reshape(cfg["C"], cfg["N"])


def _frames(rng, cfg, count):
    """`count` random frames of shape (V, C), V in 1..16, with values over the input range."""
    bits, signed = cfg["IN_BITS"], cfg["IN_SIGNED"]
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    return [rng.integers(lo, hi, size=(int(rng.integers(1, 17)), cfg["C"])) for _ in range(count)]


def _expected_beats(cfg, thresholds, frames):
    bipolar = bool(cfg["OUT_BIPOLAR"])
    beats = []
    for x in frames:
        y = multithreshold(x, thresholds, cfg["BIAS"], bipolar)
        beats += pack_beats(y, cfg["OUT_BITS"], cfg["PE"], bipolar=bipolar)
    return beats


def _input_beats(cfg, frames):
    return [b for x in frames for b in pack_beats(x, cfg["IN_BITS"], cfg["PE"])]


def _check(cfg, got, want):
    if got != want:
        lanes, bits = cfg["PE"], cfg["OUT_BITS"]
        g = unpack_beats(got, bits, lanes, signed=False)
        w = unpack_beats(want, bits, lanes, signed=False)
        bad = np.nonzero(g != w)[0] if len(g) == len(w) else []
        raise AssertionError(
            f"{len(got)} vs {len(want)} beats; first mismatching elements {bad[:8]}: "
            f"got {g[bad[:8]]} want {w[bad[:8]]}"
        )


def _budget(ideal: int) -> int:
    return ideal + max(20, ideal // 20)


@cocotb.test()
async def bit_exact_and_full_throughput(dut):
    cfg, thresholds = _config()
    rng = np.random.default_rng(int(os.environ.get("SEED", "0")))
    cf = cfg["C"] // cfg["PE"]
    await reset(dut)

    # one frame alone at full throughput: cycles within 5 % or 20 of Π(vectors)·C/PE
    frames = _frames(rng, cfg, 1)
    ideal = frames[0].shape[0] * cf
    cocotb.start_soon(drive(dut, "in0_V", _input_beats(cfg, frames)))
    got, cycles = await collect(dut, "out0_V", ideal)
    _check(cfg, got, _expected_beats(cfg, thresholds, frames))
    assert cycles <= _budget(ideal), (cycles, ideal)
    dut._log.info("single frame: %d cycles, ideal %d", cycles, ideal)

    # many frames back to back at full throughput
    frames = _frames(rng, cfg, 12)
    ideal = sum(x.shape[0] for x in frames) * cf
    cocotb.start_soon(drive(dut, "in0_V", _input_beats(cfg, frames)))
    got, cycles = await collect(dut, "out0_V", ideal)
    _check(cfg, got, _expected_beats(cfg, thresholds, frames))
    assert cycles <= _budget(ideal), (cycles, ideal)
    dut._log.info("12 frames: %d cycles, ideal %d", cycles, ideal)

    # random TVALID gaps and TREADY back-pressure
    for valid_prob, ready_prob in ((0.5, 0.7), (0.9, 0.2), (0.3, 1.0), (1.0, 0.5)):
        frames = _frames(rng, cfg, 6)
        want = _expected_beats(cfg, thresholds, frames)
        cocotb.start_soon(
            drive(dut, "in0_V", _input_beats(cfg, frames), valid_prob, seed=float(rng.random()))
        )
        got, _ = await collect(dut, "out0_V", len(want), ready_prob, seed=float(rng.random()))
        _check(cfg, got, want)
