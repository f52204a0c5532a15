"""hls/fx_label_select.hpp: g++ C-simulation over the LabelSelect grid of
tests/rtl/test_streams.py (10 and 100 labels, PE 1 / 2 / 4 / all, K from 1 to all labels,
1-8-bit signed and unsigned inputs), bit-exact against
finn_xdsl.sim.dataflow_kernels.label_select (largest first, ties to the lower index). Every
case streams random frames, frames from a 3-value range (ties everywhere) and all-equal
frames at both extremes; one g++ build runs the whole grid."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import label_select
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 12  # per kind of frame: random, tie-heavy


LABEL_SELECT = rtl_test_module("test_streams").LABEL_SELECT


def case_id(p: dict) -> str:
    return f"L{p['LABELS']}-PE{p['PE']}-K{p['K']}-{'s' if p['IN_SIGNED'] else 'u'}{p['IN_BITS']}-o{p['OUT_BITS']}"


def template_args(p: dict) -> str:
    return (f"{p['LABELS']}, {p['PE']}, {p['K']}, {p['IN_BITS']}, "
            f"{'true' if p['IN_SIGNED'] else 'false'}, {p['OUT_BITS']}")


def main_cpp(cases: list[dict]) -> str:
    """One main running every case i on streams in<i> -> out<i>."""
    body = []
    for i, p in enumerate(cases):
        body.append(f"""    {{
        hls::stream<ap_uint<{p["PE"] * p["IN_BITS"]}>> in;
        hls::stream<ap_uint<{p["OUT_BITS"]}>> out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_label_select<{template_args(p)}>(in, out, 1);
        fx_label_select<{template_args(p)}>(in, out, {2 * FRAMES + 2 - 1});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_label_select.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + (
        "\n".join(body) + "\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (got beats, expected beats)}."""
    inputs, want = {}, {}
    for i, p in enumerate(LABEL_SELECT):
        rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
        ib, labels = p["IN_BITS"], p["LABELS"]
        lo, hi = (-(1 << (ib - 1)), 1 << (ib - 1)) if p["IN_SIGNED"] else (0, 1 << ib)
        x = np.concatenate([
            np.full((1, labels), hi - 1),
            rng.integers(lo, hi, size=(FRAMES, labels)),
            rng.integers(lo, min(hi, lo + 3), size=(FRAMES, labels)),
            np.full((1, labels), lo),
        ])
        inputs[f"in{i}"] = pack_beats(x, ib, p["PE"])
        want[case_id(p)] = [int(v) for v in label_select(x, p["K"]).reshape(-1)]
    got = compile_and_run(main_cpp(LABEL_SELECT), tmp_path_factory.mktemp("label_select_csim"), inputs)
    return {case_id(p): (got[f"out{i}"], want[case_id(p)]) for i, p in enumerate(LABEL_SELECT)}


@pytest.mark.parametrize("case", [case_id(p) for p in LABEL_SELECT])
def test_label_select_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_too_narrow_index_is_a_one_line_error(tmp_path):
    """OUT_BITS that cannot hold LABELS - 1 stops the C++ build with the template's message."""
    p = {"LABELS": 10, "PE": 1, "K": 1, "IN_BITS": 4, "IN_SIGNED": 0, "OUT_BITS": 3}
    with pytest.raises(FinnError, match="OUT_BITS must hold every label index") as info:
        compile_and_run(main_cpp([p]), tmp_path, {"in0": []})
    assert "\n" not in str(info.value)
