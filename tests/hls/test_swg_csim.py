"""hls/fx_swg.hpp: g++ C-simulation over the grid of tests/rtl/test_swg.py (square and
non-square images and kernels 1-5, strides 1-3 incl. stride > kernel, dilations 2-3, SIMD
1 / a divisor / C, 1/2/4/8-bit, 1-D rows and columns, the standard and the depthwise
order), bit-exact against finn_xdsl.sim.dataflow_kernels.im2col (reordered by
swg_depthwise_order for DEPTHWISE), the reference of the RTL tests.

All cases are instantiated in one C++ main, so the whole grid costs a single g++ build;
each case streams FRAMES random images through two calls (2 images, then the rest), which
also checks that a call leaves no state behind for the next."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import im2col, swg_depthwise_order
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 5


_RTL = rtl_test_module("test_swg")
CASES, NAMES = _RTL.CASES, _RTL.NAMES


def expected(p: dict, x: np.ndarray) -> np.ndarray:
    kernel = (p["KH"], p["KW"])
    y = im2col(x, kernel, (p["SH"], p["SW"]), (p["DH"], p["DW"]))
    return swg_depthwise_order(y, kernel, p["SIMD"]) if p["DEPTHWISE"] else y


def template_args(p: dict) -> str:
    return ", ".join(str(p[n]) for n in NAMES[:-1]) + (", true" if p["DEPTHWISE"] else ", false")


def main_cpp(cases: dict[str, dict]) -> str:
    """One main running every case i on streams in<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases.values()):
        w = p["SIMD"] * p["BITS"]
        body.append(f"""    {{
        hls::stream<ap_uint<{w}>> in, out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_swg<{template_args(p)}>(in, out, 2);
        fx_swg<{template_args(p)}>(in, out, {FRAMES - 2});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_swg.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + "\n".join(
        body) + "\n    return 0;\n}\n"


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case: (got beats, expected beats)}."""
    cases = {name: dict(zip(NAMES, values)) for name, values in CASES.items()}
    inputs, want = {}, {}
    for i, (name, p) in enumerate(cases.items()):
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        x = rng.integers(0, 1 << p["BITS"], size=(FRAMES, p["IH"], p["IW"], p["C"]))
        inputs[f"in{i}"] = pack_beats(x, p["BITS"], p["SIMD"])
        want[name] = pack_beats(expected(p, x), p["BITS"], p["SIMD"])
    got = compile_and_run(main_cpp(cases), tmp_path_factory.mktemp("swg_csim"), inputs)
    return {name: (got[f"out{i}"], want[name]) for i, name in enumerate(cases)}


@pytest.mark.parametrize("case", list(CASES))
def test_swg_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_covers_rtl_axes():
    """Both orders, 1-D rows and columns, stride > kernel, dilation, SIMD 1 / partial / C."""
    ps = [dict(zip(NAMES, v)) for v in CASES.values()]
    assert {p["DEPTHWISE"] for p in ps} == {0, 1}
    assert any(p["IH"] == 1 for p in ps) and any(p["IW"] == 1 for p in ps)
    assert any(p["SH"] > p["KH"] for p in ps) and any(p["DH"] > 1 or p["DW"] > 1 for p in ps)
    assert {"1", "part", "C"} <= {"1" if p["SIMD"] == 1 else "C" if p["SIMD"] == p["C"] else "part" for p in ps}


def test_bad_simd_is_a_one_line_error(tmp_path):
    """A SIMD that does not divide C stops the C++ build with the template's message."""
    p = dict(zip(NAMES, (6, 6, 3, 3, 3, 1, 1, 1, 1, 2, 4, 0)))
    with pytest.raises(FinnError, match="SIMD must divide C") as info:
        compile_and_run(main_cpp({"bad": p}), tmp_path, {"in0": []})
    assert "\n" not in str(info.value)
