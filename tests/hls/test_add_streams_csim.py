"""hls/fx_add_streams.hpp: g++ C-simulation over the AddStreams grid of
tests/rtl/test_streams.py (PE 1 / partial / full, 1/2/4/8-bit, signed and unsigned, odd
channel counts, an output wider than IN_BITS + 1 that must be sign-extended), bit-exact
against numpy a + b in OUT_BITS two's complement. Both inputs' extremes always appear;
one g++ build runs the whole grid."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.verify.csim import compile_and_run

VECTORS = 24


ADD_STREAMS = rtl_test_module("test_streams").ADD_STREAMS


def case_id(p: dict) -> str:
    return f"C{p['C']}-PE{p['PE']}-{'s' if p['IN_SIGNED'] else 'u'}{p['IN_BITS']}-o{p['OUT_BITS']}"


def main_cpp(cases: list[dict]) -> str:
    """One main running every case i on streams a<i> + b<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases):
        args = f"{p['C']}, {p['PE']}, {p['IN_BITS']}, {'true' if p['IN_SIGNED'] else 'false'}, {p['OUT_BITS']}"
        body.append(f"""    {{
        hls::stream<ap_uint<{p["PE"] * p["IN_BITS"]}>> a, b;
        hls::stream<ap_uint<{p["PE"] * p["OUT_BITS"]}>> out;
        fx_csim::load(argv[1], "a{i}", a);
        fx_csim::load(argv[1], "b{i}", b);
        fx_add_streams<{args}>(a, b, out, 3);
        fx_add_streams<{args}>(a, b, out, {VECTORS - 3});
        fx_csim::expect_consumed(a, "a{i}");
        fx_csim::expect_consumed(b, "b{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_add_streams.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + "\n".join(
        body) + "\n    return 0;\n}\n"


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (got beats, expected beats)}."""
    inputs, want = {}, {}
    for i, p in enumerate(ADD_STREAMS):
        rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
        ib = p["IN_BITS"]
        lo, hi = (-(1 << (ib - 1)), 1 << (ib - 1)) if p["IN_SIGNED"] else (0, 1 << ib)
        a = rng.integers(lo, hi, size=(VECTORS, p["C"]))
        b = rng.integers(lo, hi, size=(VECTORS, p["C"]))
        a[0, 0], b[0, 0], a[-1, -1], b[-1, -1] = lo, lo, hi - 1, hi - 1
        inputs[f"a{i}"], inputs[f"b{i}"] = pack_beats(a, ib, p["PE"]), pack_beats(b, ib, p["PE"])
        want[case_id(p)] = pack_beats(a + b, p["OUT_BITS"], p["PE"])
    got = compile_and_run(main_cpp(ADD_STREAMS), tmp_path_factory.mktemp("add_streams_csim"), inputs)
    return {case_id(p): (got[f"out{i}"], want[case_id(p)]) for i, p in enumerate(ADD_STREAMS)}


@pytest.mark.parametrize("case", [case_id(p) for p in ADD_STREAMS])
def test_add_streams_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want
