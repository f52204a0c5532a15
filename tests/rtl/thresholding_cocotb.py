"""cocotb tests of fx_thresholding(_axi): random frames through random TVALID gaps and TREADY
back-pressure, bit-exact against numpy (finn_xdsl.sim.dataflow_kernels.multithreshold),
and the cycle count at full throughput against Π(vectors)·C/PE; with RUNTIME_WRITE, a new
threshold set written and read back over AXI-lite between frames (runtime_thresholds)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cocotb
import numpy as np
from axilite import OKAY, SLVERR, AxiLiteMaster
from axis import collect, drive, reset
from cocotb.triggers import RisingEdge

from finn_xdsl.kernels.packing import pack_beats, unpack_beats
from finn_xdsl.sim.dataflow_kernels import multithreshold


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


def _sext(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _merge(old: int, data: int, strb: int, t_bits: int) -> int:
    """What the slave stores for a write: the WSTRB bytes of data over the sign-extended
    old value, truncated to T_BITS (see the address map in fx_thresholding.sv)."""
    word = old & 0xFFFFFFFF
    for b in range(4):
        if strb >> b & 1:
            word = (word & ~(0xFF << 8 * b)) | (data & (0xFF << 8 * b))
    return _sext(word, t_bits)


async def _stream(dut, rng, cfg, thresholds, count, valid_prob, ready_prob) -> tuple[int, int]:
    """Send `count` random frames and check the outputs; returns (cycles, ideal cycles)."""
    frames = _frames(rng, cfg, count)
    want = _expected_beats(cfg, thresholds, frames)
    cocotb.start_soon(
        drive(dut, "in0_V", _input_beats(cfg, frames), valid_prob, seed=float(rng.random()))
    )
    got, cycles = await collect(dut, "out0_V", len(want), ready_prob, seed=float(rng.random()))
    _check(cfg, got, want)
    for _ in range(4):  # the stream is idle before the next AXI-lite phase
        await RisingEdge(dut.ap_clk)
    return cycles, sum(x.shape[0] for x in frames) * cfg["C"] // cfg["PE"]


@cocotb.test()
async def runtime_thresholds(dut):
    """(a) frames with the file's thresholds, (b) a new random set written over AXI-lite
    (AW/W in random order, random BREADY; plus partial-WSTRB and unmapped writes), (c) a
    read-back of a sample, (d) frames again, bit-exact with the new set."""
    cfg, file_thresholds = _config()
    c, n, t_bits = cfg["C"], cfg["N"], cfg["T_BITS"]
    n_pad = 1 << (n - 1).bit_length()
    rng = np.random.default_rng(int(os.environ.get("SEED", "0")) + 1)
    axi = AxiLiteMaster(dut, seed=int(rng.integers(1 << 30)))
    await reset(dut)

    def addr(ch: int, i: int) -> int:
        return 4 * (ch * n_pad + i)

    # (a) the file's thresholds, also as read back (sign-extended to 32 bits)
    await _stream(dut, rng, cfg, file_thresholds, 3, 0.6, 0.7)
    for ch, i in [(0, 0), (c - 1, n - 1), (int(rng.integers(c)), int(rng.integers(n)))]:
        data, resp = await axi.read(addr(ch, i))
        assert (resp, data) == (OKAY, file_thresholds[ch, i] & 0xFFFFFFFF), (ch, i, resp, data)

    # (b) a new set over the input range (sorted per channel, as FINN's are), in random order
    bits, signed = cfg["IN_BITS"], cfg["IN_SIGNED"]
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    tmin, tmax = -(1 << (t_bits - 1)), (1 << (t_bits - 1)) - 1
    new = np.sort(rng.integers(max(lo - 1, tmin), min(hi + 1, tmax) + 1, size=(c, n)), axis=1)
    for k in rng.permutation(c * n):
        ch, i = divmod(int(k), n)
        resp = await axi.write(addr(ch, i), int(new[ch, i]))
        assert resp == OKAY, (ch, i, resp)
    # partial strobes: only the enabled bytes change, over the sign-extended old value
    for _ in range(8):
        ch, i = int(rng.integers(c)), int(rng.integers(n))
        data, strb = int(rng.integers(1 << 32)), int(rng.integers(16))
        assert await axi.write(addr(ch, i), data, strb) == OKAY
        new[ch, i] = _merge(int(new[ch, i]), data, strb, t_bits)
    # unmapped words (i >= N inside a channel's N_PAD slots, or beyond channel C-1) answer
    # SLVERR and change nothing
    addr_bits = 2 + (c - 1).bit_length() + (n - 1).bit_length()  # the default ADDR_BITS
    unmapped = [addr(c, 0)] if addr(c, 0) < 1 << addr_bits else []
    unmapped += [addr(int(rng.integers(c)), n)] if n < n_pad else []
    for a in unmapped:
        assert await axi.write(a, int(rng.integers(1 << 32))) == SLVERR, a
        assert await axi.read(a) == (0, SLVERR), a

    # (c) read back a sample (everything when small)
    sample = range(c * n) if c * n <= 48 else rng.choice(c * n, 48, replace=False)
    for k in sample:
        ch, i = divmod(int(k), n)
        data, resp = await axi.read(addr(ch, i))
        assert (resp, data) == (OKAY, int(new[ch, i]) & 0xFFFFFFFF), (ch, i, resp, data, new[ch, i])

    # (d) frames with the new thresholds: full throughput, then gaps and back-pressure
    cycles, ideal = await _stream(dut, rng, cfg, new, 4, 1.0, 1.0)
    assert cycles <= _budget(ideal), (cycles, ideal)
    dut._log.info("after runtime write: %d cycles, ideal %d", cycles, ideal)
    await _stream(dut, rng, cfg, new, 4, 0.5, 0.6)
