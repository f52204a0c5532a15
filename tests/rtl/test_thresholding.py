"""fx_thresholding: lint and cocotb + Verilator simulation over a grid at least as wide as
FINN's own thresholding tests (PE 1 / 2 / C; 1, 2, 4, 8 and 16-bit inputs, signed and
unsigned; 1..8-bit outputs, signed (negative bias), unsigned and bipolar; odd channel counts;
N = 1, 2 and 2^k - 1 thresholds), one Verilator build per parameter set. Cases with
RUNTIME_WRITE build fx_thresholding_axi and also rewrite the thresholds over AXI-lite."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from finn_xdsl.kernels import library_of
from finn_xdsl.kernels.packing import encode
from finn_xdsl.kernels.thresholding import threshold_search_layout
from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent
# fx_thresholding.sv and the library files it instantiates (the search core, the queue)
SOURCES = [rtl_dir() / f"{m}.sv" for m in library_of("fx_thresholding")]

# (C, PE, N, IN_BITS, IN_SIGNED, OUT_BITS, BIAS, OUT_BIPOLAR, RUNTIME_WRITE)
GRID = [
    (1, 1, 1, 1, 0, 1, 0, 1, 0),  # 1-bit input, bipolar output coded 0/1
    (4, 1, 3, 4, 1, 2, 0, 0, 0),  # PE=1, signed input
    (4, 2, 7, 8, 1, 4, -4, 0, 0),  # negative bias, signed 8-bit
    (4, 4, 3, 3, 0, 3, 1, 0, 0),  # PE=C, unsigned
    (6, 2, 7, 5, 0, 3, 0, 0, 0),  # C=6 fold 3
    (6, 6, 1, 8, 1, 1, 0, 1, 0),  # PE=C=6, bipolar output from signed 8-bit input
    (6, 1, 3, 2, 1, 3, -2, 0, 0),  # 2-bit signed, fold 6
    (1, 1, 7, 6, 1, 4, -3, 0, 0),  # C=1, thresholds wider than the input range
    # FINN's grid: C 6/16, PE 1 / C/2 / C, INT8/UINT8 -> INT4/UINT4/BIPOLAR, runtime-writeable
    (6, 1, 15, 8, 1, 4, -8, 0, 1),  # INT8 -> INT4, PE=1, AXI-lite
    (6, 3, 15, 8, 0, 4, 0, 0, 0),  # UINT8 -> UINT4, PE=C/2
    (16, 16, 1, 8, 1, 1, 0, 1, 1),  # INT8 -> BIPOLAR, PE=C=16, AXI-lite
    (6, 2, 255, 8, 1, 8, -128, 0, 1),  # INT8 -> INT8 (255 thresholds), AXI-lite
    (3, 3, 255, 8, 0, 8, 0, 0, 0),  # UINT8 -> UINT8, odd C, PE=C
    (2, 2, 7, 16, 1, 3, -4, 0, 1),  # INT16 input (T_BITS 18), AXI-lite
    # odd channel counts, N not of the form 2^k - 1, 1- and 2-bit inputs
    (5, 5, 3, 2, 0, 2, 0, 0, 1),  # UINT2 -> UINT2, AXI-lite
    (7, 1, 2, 4, 1, 2, -1, 0, 0),  # N=2, signed 2-bit output
    (9, 3, 1, 1, 0, 1, 0, 0, 1),  # 1-bit in and out, PE=3 of 9, AXI-lite
]


def _ids(p):
    c, pe, n, bits, signed, ob, bias, bip, rw = p
    out = "bip" if bip else f"b{bias}"
    return f"C{c}-PE{pe}-N{n}-{'s' if signed else 'u'}{bits}-o{ob}{out}{'-axilite' if rw else ''}"


def _thresholds(rng, c, n, in_bits, signed):
    """Random sorted thresholds per channel, spanning a little beyond the input range
    (with repeats possible); returns (T of shape (C, N), T_BITS)."""
    lo, hi = (-(1 << (in_bits - 1)), 1 << (in_bits - 1)) if signed else (0, 1 << in_bits)
    t = np.sort(rng.integers(lo - 2, hi + 2, size=(c, n)), axis=1)
    t_bits = max(int(max(abs(int(t.min())), abs(int(t.max()) + 1))).bit_length() + 1, 2)
    return t, t_bits


@pytest.mark.parametrize("p", GRID, ids=_ids)
def test_thresholding(p, tmp_path):
    _run(p, tmp_path, layout=0)


# ROM cases with the file in fx_threshold_search's search order (what -t sv writes): one
# fold / several, PE = C, N = 1, 2, 7, 15, 255, signed / unsigned / bipolar
SEARCH_GRID = [
    (1, 1, 1, 1, 0, 1, 0, 1, 0),
    (4, 2, 7, 8, 1, 4, -4, 0, 0),
    (6, 2, 7, 5, 0, 3, 0, 0, 0),
    (6, 6, 1, 8, 1, 1, 0, 1, 0),
    (7, 1, 2, 4, 1, 2, -1, 0, 0),
    (6, 3, 15, 8, 0, 4, 0, 0, 0),
    (3, 3, 255, 8, 0, 8, 0, 0, 0),
]


@pytest.mark.parametrize("p", SEARCH_GRID, ids=_ids)
def test_thresholding_search_layout(p, tmp_path):
    _run(p, tmp_path, layout=1)


@pytest.mark.parametrize("layout", [0, 1])
def test_thresholding_never_reached_mask(layout, tmp_path):
    """N = 5 of 7 search slots and 3-bit thresholds under 8-bit inputs: an input can reach
    the padding value (3), so the search must mask the two padded slots."""
    t = np.sort(np.random.default_rng(5).integers(-4, 4, size=(4, 5)), axis=1)
    _run((4, 2, 5, 8, 1, 3, 0, 0, 0), tmp_path, layout, (t, 3))


def _run(p, tmp_path, layout: int, thresholds=None):
    """One Verilator build and run; the model always reads the channel-major file."""
    c, pe, n, in_bits, signed, out_bits, bias, bipolar, runtime_write = p
    seed = sum(v * 31**i for i, v in enumerate(p)) % 100003
    rng = np.random.default_rng(seed)
    t, t_bits = thresholds if thresholds is not None else _thresholds(rng, c, n, in_bits, signed)
    digits = (t_bits + 3) // 4
    thr_file = tmp_path / "thresholds.dat"
    thr_file.write_text("".join(f"{int(v):0{digits}x}\n" for v in encode(t.reshape(-1), t_bits)))
    rtl_file = thr_file
    if layout:
        rtl_file = tmp_path / "thresholds_search.dat"
        words = threshold_search_layout(t, pe, t_bits)
        rtl_file.write_text("".join(f"{int(v):0{digits}x}\n" for v in encode(words, t_bits)))

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
        "THRESHOLDS_FILE": f'"{rtl_file}"',
    }
    if layout:
        params["THRESHOLDS_LAYOUT"] = layout
    # RUNTIME_WRITE needs the module with the s_axilite ports; the other runs the ROM shell
    top = "fx_thresholding_axi" if runtime_write else "fx_thresholding"
    if runtime_write:
        params["RUNTIME_WRITE"] = 1
    src = SOURCES
    lint(src, top, params)
    cfg = {k: v for k, v in params.items() if k != "THRESHOLDS_FILE"}
    tests = ["bit_exact_and_full_throughput"] + (["runtime_thresholds"] if runtime_write else [])
    ran = simulate(
        src,
        top,
        "thresholding_cocotb",
        HERE,
        tmp_path / "build",
        params,
        extra_env={"THR_CONFIG": json.dumps(cfg), "THR_FILE": str(thr_file), "SEED": seed},
        testcase=tests,
    )
    assert ran == len(tests)


_LINT_BASE = {"C": 6, "PE": 2, "N": 7, "IN_BITS": 8, "IN_SIGNED": 1, "OUT_BITS": 3}


@pytest.mark.parametrize("t_bits", [2, 10, 32])
@pytest.mark.parametrize("top,runtime_write", [("fx_thresholding", None), ("fx_thresholding_axi", 0),
                                               ("fx_thresholding_axi", 1)])
def test_thresholding_lint_modes(top, runtime_write, t_bits):
    """Both modules lint clean with and without the AXI-lite slave, up to 32-bit thresholds."""
    params = dict(_LINT_BASE, T_BITS=t_bits)
    if runtime_write is not None:
        params["RUNTIME_WRITE"] = runtime_write
    lint(SOURCES, top, params)


def test_thresholding_axilite_rejects_wide_thresholds():
    """The AXI-lite words are 32 bits: wider thresholds stop elaboration with a message."""
    with pytest.raises(AssertionError, match="RUNTIME_WRITE needs T_BITS <= 32"):
        lint(SOURCES, "fx_thresholding_axi",
             dict(_LINT_BASE, T_BITS=33, RUNTIME_WRITE=1))
