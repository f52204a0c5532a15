"""hls/fx_thresholding.hpp: g++ C-simulation over the grid of tests/rtl/test_thresholding.py
(PE 1 / 2 / C; 1, 2, 4, 5, 6, 8 and 16-bit inputs, signed and unsigned; 1..8-bit outputs,
signed (negative bias), unsigned and bipolar; odd channel counts; N = 1, 2, 2^k - 1 and 255),
bit-exact against finn_xdsl.sim.dataflow_kernels.multithreshold, the reference of the RTL
tests. One g++ build per parameter set; each run streams many frames of random length."""

from __future__ import annotations

import numpy as np
import pytest

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import multithreshold
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 12

# (C, PE, N, IN_BITS, IN_SIGNED, OUT_BITS, BIAS, OUT_BIPOLAR), as the RTL grid
GRID = [
    (1, 1, 1, 1, 0, 1, 0, 1),  # 1-bit input, bipolar output coded 0/1
    (4, 1, 3, 4, 1, 2, 0, 0),  # PE=1, signed input
    (4, 2, 7, 8, 1, 4, -4, 0),  # negative bias, signed 8-bit
    (4, 4, 3, 3, 0, 3, 1, 0),  # PE=C, unsigned
    (6, 2, 7, 5, 0, 3, 0, 0),  # C=6 fold 3
    (6, 6, 1, 8, 1, 1, 0, 1),  # PE=C=6, bipolar output from signed 8-bit input
    (6, 1, 3, 2, 1, 3, -2, 0),  # 2-bit signed, fold 6
    (1, 1, 7, 6, 1, 4, -3, 0),  # C=1, thresholds wider than the input range
    (6, 1, 15, 8, 1, 4, -8, 0),  # INT8 -> INT4, PE=1
    (6, 3, 15, 8, 0, 4, 0, 0),  # UINT8 -> UINT4, PE=C/2
    (16, 16, 1, 8, 1, 1, 0, 1),  # INT8 -> BIPOLAR, PE=C=16
    (6, 2, 255, 8, 1, 8, -128, 0),  # INT8 -> INT8 (255 thresholds)
    (3, 3, 255, 8, 0, 8, 0, 0),  # UINT8 -> UINT8, odd C, PE=C
    (2, 2, 7, 16, 1, 3, -4, 0),  # INT16 input
    (5, 5, 3, 2, 0, 2, 0, 0),  # UINT2 -> UINT2
    (7, 1, 2, 4, 1, 2, -1, 0),  # N=2, signed 2-bit output
    (9, 3, 1, 1, 0, 1, 0, 0),  # 1-bit in and out, PE=3 of 9
]


def _ids(p):
    c, pe, n, bits, signed, ob, bias, bip = p
    return f"C{c}-PE{pe}-N{n}-{'s' if signed else 'u'}{bits}-o{ob}{'bip' if bip else f'b{bias}'}"


def _thresholds(rng, c, n, in_bits, signed):
    """Random sorted thresholds per channel spanning a little beyond the input range (repeats
    possible); returns (T of shape (C, N), T_BITS)."""
    lo, hi = (-(1 << (in_bits - 1)), 1 << (in_bits - 1)) if signed else (0, 1 << in_bits)
    t = np.sort(rng.integers(lo - 2, hi + 2, size=(c, n)), axis=1)
    t_bits = max(int(max(abs(int(t.min())), abs(int(t.max()) + 1))).bit_length() + 1, 2)
    return t, t_bits


def c_array(values: np.ndarray, ctype: str) -> str:
    """A numpy array as a nested C initializer of `ctype` elements."""
    if values.ndim == 1:
        return "{" + ", ".join(f"{ctype}({int(v)})" for v in values) + "}"
    return "{" + ",\n ".join(c_array(row, ctype) for row in values) + "}"


def main_cpp(p, t: np.ndarray, t_bits: int) -> str:
    c, pe, n, in_bits, signed, out_bits, bias, bipolar = p
    tmpl = f"{c}, {pe}, {n}, {in_bits}, {str(bool(signed)).lower()}, {t_bits}, {out_bits}, {bias}, " + str(
        bool(bipolar)
    ).lower()
    return f"""#include "fx_thresholding.hpp"
#include "fx_csim.hpp"

static const ap_int<{t_bits}> T[{c}][{n}] = {c_array(t, f"ap_int<{t_bits}>")};

int main(int, char** argv) {{
    hls::stream<ap_uint<{pe * in_bits}>> in0;
    hls::stream<ap_uint<{pe * out_bits}>> out0;
    hls::stream<ap_uint<32>> frames;
    fx_csim::load(argv[1], "in0", in0);
    fx_csim::load(argv[1], "frames", frames);
    while (!frames.empty()) {{
        fx_thresholding<{tmpl}>(in0, out0, T, frames.read().to_uint());
    }}
    fx_csim::expect_consumed(in0, "in0");
    fx_csim::store(argv[1], "out0", out0);
    return 0;
}}
"""


@pytest.mark.parametrize("p", GRID, ids=_ids)
def test_thresholding_csim(p, tmp_path):
    c, pe, n, in_bits, signed, out_bits, bias, bipolar = p
    rng = np.random.default_rng(sum(v * 31**i for i, v in enumerate(p)) % 100003)
    t, t_bits = _thresholds(rng, c, n, in_bits, signed)
    lo, hi = (-(1 << (in_bits - 1)), 1 << (in_bits - 1)) if signed else (0, 1 << in_bits)
    frames = [rng.integers(lo, hi, size=(int(rng.integers(1, 17)), c)) for _ in range(FRAMES)]
    x = np.concatenate(frames)
    want = pack_beats(multithreshold(x, t, bias, bool(bipolar)), out_bits, pe, bipolar=bool(bipolar))
    got = compile_and_run(
        main_cpp(p, t, t_bits),
        tmp_path,
        {"in0": pack_beats(x, in_bits, pe), "frames": [len(f) for f in frames]},
    )
    assert got["out0"] == want


def test_grid_covers_rtl_grid():
    """PE 1 / 2 / C, every input width 1..8 and 16 both signed and unsigned somewhere,
    bipolar and negative-bias outputs, N = 1, 2, 3, 7, 15, 255."""
    folds = {1 if pe == 1 else "C" if pe == c else pe for c, pe, *_ in GRID}
    assert {1, 2, "C"} <= folds
    assert {p[3] for p in GRID} >= {1, 2, 4, 8, 16} and {p[4] for p in GRID} == {0, 1}
    assert any(p[7] for p in GRID) and any(p[6] < 0 for p in GRID)
    assert {p[2] for p in GRID} >= {1, 2, 3, 7, 15, 255}


def test_bad_fold_is_a_one_line_error(tmp_path):
    """A PE that does not divide C stops the C++ build with the template's message."""
    p = (6, 4, 1, 4, 0, 1, 0, 0)
    with pytest.raises(FinnError, match="PE must divide C") as info:
        compile_and_run(main_cpp(p, np.zeros((6, 1), dtype=np.int64), 4), tmp_path, {"in0": [], "frames": []})
    assert "\n" not in str(info.value)
