"""hls/fx_fmpadding.hpp: g++ C-simulation over the grid of tests/rtl/test_fmpadding.py
(square and non-square images, 1-D rows and columns, symmetric, asymmetric, one-sided,
large and zero padding, SIMD 1 / a divisor / C, 1/2/4/8-bit, zero, positive and negative
pad values), bit-exact against finn_xdsl.sim.dataflow_kernels.fmpadding, the reference of
the RTL tests. One g++ build runs the whole grid (every case in one main); each case
streams FRAMES random images through two calls."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import fmpadding
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 5


_RTL = rtl_test_module("test_fmpadding")
CASES, NAMES = _RTL.CASES, _RTL.NAMES


def main_cpp(cases: dict[str, dict]) -> str:
    """One main running every case i on streams in<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases.values()):
        args = ", ".join(str(p[n]) for n in NAMES)
        body.append(f"""    {{
        hls::stream<ap_uint<{p["SIMD"] * p["BITS"]}>> in, out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_fmpadding<{args}>(in, out, 2);
        fx_fmpadding<{args}>(in, out, {FRAMES - 2});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_fmpadding.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + "\n".join(
        body) + "\n    return 0;\n}\n"


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case: (got beats, expected beats)}."""
    cases = {name: dict(zip(NAMES, values)) for name, values in CASES.items()}
    inputs, want = {}, {}
    for i, (name, p) in enumerate(cases.items()):
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        bits, signed = p["BITS"], p["PAD_VALUE"] < 0
        lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
        x = rng.integers(lo, hi, size=(FRAMES, p["IH"], p["IW"], p["C"]))
        y = fmpadding(x, (p["PT"], p["PL"], p["PB"], p["PR"]), p["PAD_VALUE"])
        inputs[f"in{i}"] = pack_beats(x, bits, p["SIMD"])
        want[name] = pack_beats(y, bits, p["SIMD"])
    got = compile_and_run(main_cpp(cases), tmp_path_factory.mktemp("fmpadding_csim"), inputs)
    return {name: (got[f"out{i}"], want[name]) for i, name in enumerate(cases)}


@pytest.mark.parametrize("case", list(CASES))
def test_fmpadding_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_covers_rtl_axes():
    """Negative, zero and positive pad values, no padding, one-sided padding, 1-D rows and columns."""
    ps = [dict(zip(NAMES, v)) for v in CASES.values()]
    assert {(p["PAD_VALUE"] > 0) - (p["PAD_VALUE"] < 0) for p in ps} == {-1, 0, 1}
    assert any(p["PT"] + p["PL"] + p["PB"] + p["PR"] == 0 for p in ps)
    assert any(p["IH"] == 1 for p in ps) and any(p["IW"] == 1 for p in ps)
