"""fx_thresholding: lint and cocotb + Verilator simulation over a grid of PE, C, N, input
widths/signedness, bias and bipolar output (one Verilator build per parameter set)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.packing import encode
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent

# (C, PE, N, IN_BITS, IN_SIGNED, OUT_BITS, BIAS, OUT_BIPOLAR)
GRID = [
    (1, 1, 1, 1, 0, 1, 0, 1),  # 1-bit input, bipolar output coded 0/1
    (4, 1, 3, 4, 1, 2, 0, 0),  # PE=1, signed input
    (4, 2, 7, 8, 1, 4, -4, 0),  # negative bias, signed 8-bit
    (4, 4, 3, 3, 0, 3, 1, 0),  # PE=C, unsigned
    (6, 2, 7, 5, 0, 3, 0, 0),  # C=6 fold 3
    (6, 6, 1, 8, 1, 1, 0, 1),  # PE=C=6, bipolar output from signed 8-bit input
    (6, 1, 3, 2, 1, 3, -2, 0),  # 2-bit signed, fold 6
    (1, 1, 7, 6, 1, 4, -3, 0),  # C=1, thresholds wider than the input range
]


def _ids(p):
    c, pe, n, bits, signed, ob, bias, bip = p
    return f"C{c}-PE{pe}-N{n}-{'s' if signed else 'u'}{bits}-o{ob}{'bip' if bip else f'b{bias}'}"


def _thresholds(rng, c, n, in_bits, signed):
    """Random sorted thresholds per channel, spanning a little beyond the input range
    (with repeats possible); returns (T of shape (C, N), T_BITS)."""
    lo, hi = (-(1 << (in_bits - 1)), 1 << (in_bits - 1)) if signed else (0, 1 << in_bits)
    t = np.sort(rng.integers(lo - 2, hi + 2, size=(c, n)), axis=1)
    t_bits = max(int(max(abs(int(t.min())), abs(int(t.max()) + 1))).bit_length() + 1, 2)
    return t, t_bits


@pytest.mark.parametrize("p", GRID, ids=_ids)
def test_thresholding(p, tmp_path):
    c, pe, n, in_bits, signed, out_bits, bias, bipolar = p
    seed = sum(v * 31**i for i, v in enumerate(p)) % 100003
    rng = np.random.default_rng(seed)
    t, t_bits = _thresholds(rng, c, n, in_bits, signed)
    digits = (t_bits + 3) // 4
    thr_file = tmp_path / "thresholds.dat"
    thr_file.write_text("".join(f"{int(v):0{digits}x}\n" for v in encode(t.reshape(-1), t_bits)))

    params = {
        "C": c,
        "PE": pe,
        "N": n,
        "IN_BITS": in_bits,
        "IN_SIGNED": signed,
        "T_BITS": t_bits,
        "OUT_BITS": out_bits,
        "BIAS": bias,
        "OUT_BIPOLAR": bipolar,
        "THRESHOLDS_FILE": f'"{thr_file}"',
    }
    src = [rtl_dir() / "fx_thresholding.sv"]
    lint(src, "fx_thresholding", params)
    cfg = {k: v for k, v in params.items() if k != "THRESHOLDS_FILE"}
    simulate(
        src,
        "fx_thresholding",
        "thresholding_cocotb",
        HERE,
        tmp_path / "build",
        params,
        extra_env={"THR_CONFIG": json.dumps(cfg), "THR_FILE": str(thr_file), "SEED": seed},
    )
