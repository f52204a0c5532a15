"""hls/fx_dwc.hpp: g++ C-simulation over the DWC grid of tests/rtl/test_streams.py (integer
ratios down and up, to/from a single lane and the whole frame, and the general LCM case
both ways with odd word widths), bit-exact: re-beating keeps the element order, so the
expected output is the same elements packed with OUT_LANES lanes. One g++ build runs the
whole grid; each case streams FRAMES random frames (one all-ones, one with alternating
zeros) through two calls."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 8


DWC = rtl_test_module("test_streams").DWC


def case_id(p: dict) -> str:
    return f"{p['IN_LANES']}to{p['OUT_LANES']}-{p['BITS']}b-T{p['TOTAL']}"


def main_cpp(cases: list[dict]) -> str:
    """One main running every case i on streams in<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases):
        args = f"{p['IN_LANES']}, {p['OUT_LANES']}, {p['BITS']}, {p['TOTAL']}"
        body.append(f"""    {{
        hls::stream<ap_uint<{p["IN_LANES"] * p["BITS"]}>> in;
        hls::stream<ap_uint<{p["OUT_LANES"] * p["BITS"]}>> out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_dwc<{args}>(in, out, 1);
        fx_dwc<{args}>(in, out, {FRAMES - 1});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_dwc.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + "\n".join(
        body) + "\n    return 0;\n}\n"


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (got beats, expected beats)}."""
    inputs, want = {}, {}
    for i, p in enumerate(DWC):
        rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
        bits = p["BITS"]
        x = rng.integers(0, 1 << bits, size=(FRAMES, p["TOTAL"]))
        x[0, :], x[-1, ::2] = (1 << bits) - 1, 0  # all-ones lanes and alternating zeros
        inputs[f"in{i}"] = pack_beats(x, bits, p["IN_LANES"])
        want[case_id(p)] = pack_beats(x, bits, p["OUT_LANES"])
    got = compile_and_run(main_cpp(DWC), tmp_path_factory.mktemp("dwc_csim"), inputs)
    return {case_id(p): (got[f"out{i}"], want[case_id(p)]) for i, p in enumerate(DWC)}


@pytest.mark.parametrize("case", [case_id(p) for p in DWC])
def test_dwc_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_covers_ratios():
    """Integer ratios down and up and non-integer ratios (the LCM case) both ways."""
    kinds = set()
    for p in DWC:
        i, o = p["IN_LANES"], p["OUT_LANES"]
        kinds.add(("down" if i > o else "up") + ("" if max(i, o) % min(i, o) == 0 else "-lcm"))
    assert kinds == {"down", "up", "down-lcm", "up-lcm"}


def test_bad_total_is_a_one_line_error(tmp_path):
    """A frame that is not a whole number of words on both sides stops the C++ build."""
    with pytest.raises(FinnError, match="TOTAL must be a multiple") as info:
        compile_and_run(main_cpp([{"IN_LANES": 3, "OUT_LANES": 2, "BITS": 5, "TOTAL": 10}]), tmp_path, {"in0": []})
    assert "\n" not in str(info.value)
