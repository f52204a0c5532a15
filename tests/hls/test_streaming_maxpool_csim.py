"""hls/fx_streaming_maxpool.hpp: g++ C-simulation over the grid of tests/rtl/test_maxpool.py
(1-D rows and columns and 2-D, square and non-square images and kernels 2-5, PE 1 / a
divisor / C, 1/2/4/8-bit, signed and unsigned, ceil_mode with partial windows at the right
and bottom edges, floor mode dropping the remainder), bit-exact against
finn_xdsl.sim.dataflow_kernels.maxpool, the reference of the RTL tests. One g++ build runs
the whole grid (every case in one main); each case streams FRAMES random images through
two calls."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import maxpool
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 5


_RTL = rtl_test_module("test_maxpool")
CASES, NAMES = _RTL.CASES, _RTL.NAMES
# floor mode with a remainder in both directions, which the RTL grid does not have
EXTRA = {"floor_7x9_k2x4_pe2_4b_signed": (7, 9, 4, 2, 4, 2, 4, 1, 0)}
ALL = {**CASES, **EXTRA}


def template_args(p: dict) -> str:
    return ", ".join(str(p[n]) for n in NAMES[:-2]) + "".join(
        ", true" if p[n] else ", false" for n in ("SIGNED", "CEIL_MODE"))


def main_cpp(cases: dict[str, dict]) -> str:
    """One main running every case i on streams in<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases.values()):
        body.append(f"""    {{
        hls::stream<ap_uint<{p["PE"] * p["BITS"]}>> in, out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_streaming_maxpool<{template_args(p)}>(in, out, 2);
        fx_streaming_maxpool<{template_args(p)}>(in, out, {FRAMES - 2});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_streaming_maxpool.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + (
        "\n".join(body) + "\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case: (got beats, expected beats)}."""
    cases = {name: dict(zip(NAMES, values)) for name, values in ALL.items()}
    inputs, want = {}, {}
    for i, (name, p) in enumerate(cases.items()):
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        bits = p["BITS"]
        lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if p["SIGNED"] else (0, 1 << bits)
        x = rng.integers(lo, hi, size=(FRAMES, p["IH"], p["IW"], p["C"]))
        y = maxpool(x, (p["KH"], p["KW"]), ceil_mode=bool(p["CEIL_MODE"]))
        inputs[f"in{i}"] = pack_beats(x, bits, p["PE"])
        want[name] = pack_beats(y, bits, p["PE"])
    got = compile_and_run(main_cpp(cases), tmp_path_factory.mktemp("maxpool_csim"), inputs)
    return {name: (got[f"out{i}"], want[name]) for i, name in enumerate(cases)}


@pytest.mark.parametrize("case", list(ALL))
def test_streaming_maxpool_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_covers_rtl_axes():
    """ceil and floor modes (floor with a remainder), 1-D rows and columns, signed and unsigned."""
    ps = [dict(zip(NAMES, v)) for v in ALL.values()]
    assert {p["CEIL_MODE"] for p in ps} == {0, 1} and {p["SIGNED"] for p in ps} == {0, 1}
    assert any(not p["CEIL_MODE"] and p["IH"] % p["KH"] and p["IW"] % p["KW"] for p in ps)
    assert any(p["IH"] == 1 for p in ps) and any(p["IW"] == 1 for p in ps)
