"""hls/fx_global_acc_pool.hpp: g++ C-simulation over a GlobalAccPool grid (rtl/ has no
GlobalAccPool, so the grid is defined here with the breadth of the RTL grids): PE 1 /
divisor / C, odd channel counts, 1/2/4/8-bit inputs signed and unsigned, one pixel up to
7x7, bit-exact against finn_xdsl.sim.dataflow_kernels.global_acc_pool. Each case's output
width is the exact width of PIXELS times the input range (as dataflow.global_acc_pool's
verifier requires), and two frames per case are all-minimum and all-maximum, so the sums
reach both ends of that range. Several frames per call (the accumulators must restart per
frame); one g++ build runs the whole grid."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import global_acc_pool
from finn_xdsl.verify.csim import compile_and_run

IMAGES = 8

# (C, PE, H, W, IN_BITS, IN_SIGNED)
GRID = [
    (1, 1, 1, 1, 1, 0),  # one pixel, one channel, 1 bit: the output is the input
    (6, 1, 3, 3, 4, 1),  # PE=1, INT4
    (6, 2, 2, 5, 8, 0),  # UINT8, non-square
    (9, 3, 4, 4, 2, 1),  # odd C, PE=C/3
    (7, 7, 7, 7, 8, 1),  # PE=C=7, INT8 over 49 pixels
    (5, 5, 1, 3, 1, 1),  # 1-bit signed {-1, 0}
    (16, 4, 5, 5, 4, 0),  # UINT4
    (3, 1, 2, 2, 8, 1),  # INT8, odd C, PE=1
    (10, 5, 3, 1, 2, 0),  # UINT2, a column
    (4, 4, 6, 6, 1, 0),  # binary inputs: a popcount per channel
]


def case_id(p) -> str:
    c, pe, h, w, bits, signed = p
    return f"C{c}-PE{pe}-{h}x{w}-{'s' if signed else 'u'}{bits}"


def in_range(bits: int, signed: int) -> tuple[int, int]:
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def out_bits(p) -> int:
    """The exact width of PIXELS times the input range: signed exactly when the input is."""
    _c, _pe, h, w, bits, signed = p
    lo, hi = (h * w * v for v in in_range(bits, signed))
    if not signed:
        return max(hi.bit_length(), 1)
    b = 1
    while not (-(1 << (b - 1)) <= lo and hi < (1 << (b - 1))):
        b += 1
    return b


def make_frames(p) -> np.ndarray:
    """IMAGES frames (IMAGES, H, W, C): all minimum, all maximum, then random."""
    c, _pe, h, w, bits, signed = p
    lo, hi = in_range(bits, signed)
    rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
    x = rng.integers(lo, hi + 1, size=(IMAGES, h, w, c))
    x[0], x[1] = lo, hi
    return x


def main_cpp(cases) -> str:
    """One main running every case i on streams in<i> -> out<i>, one frame then the rest."""
    body = []
    for i, p in enumerate(cases):
        c, pe, h, w, bits, signed = p
        args = f"{c}, {pe}, {h * w}, {bits}, {'true' if signed else 'false'}, {out_bits(p)}"
        body.append(f"""    {{
        hls::stream<ap_uint<{pe * bits}>> in;
        hls::stream<ap_uint<{pe * out_bits(p)}>> out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_global_acc_pool<{args}>(in, out, 1);
        fx_global_acc_pool<{args}>(in, out, {IMAGES - 1});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return '#include "fx_global_acc_pool.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + (
        "\n".join(body) + "\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (got beats, expected beats)}."""
    inputs, want = {}, {}
    for i, p in enumerate(GRID):
        x = make_frames(p)
        inputs[f"in{i}"] = pack_beats(x, p[4], p[1])
        want[case_id(p)] = pack_beats(global_acc_pool(x), out_bits(p), p[1])
    got = compile_and_run(main_cpp(GRID), tmp_path_factory.mktemp("global_acc_pool_csim"), inputs)
    return {case_id(p): (got[f"out{i}"], want[case_id(p)]) for i, p in enumerate(GRID)}


@pytest.mark.parametrize("case", [case_id(p) for p in GRID])
def test_global_acc_pool_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_breadth():
    """PE 1 / divisor / C, odd C, 1/2/4/8-bit signed and unsigned; every case's sums reach
    both ends of the exact output range, so the wrapping accumulators are tested at their
    worst case."""
    assert {1 if pe == 1 else "C" if pe == c else "d" for c, pe, *_ in GRID} == {1, "C", "d"}
    assert any(c % 2 for c, *_ in GRID)
    assert {(p[4], p[5]) for p in GRID} == {(b, s) for b in (1, 2, 4, 8) for s in (0, 1)}
    for p in GRID:
        _c, _pe, h, w, bits, signed = p
        y = global_acc_pool(make_frames(p))
        lo, hi = in_range(bits, signed)
        assert (int(y.min()), int(y.max())) == (h * w * lo, h * w * hi), case_id(p)


def test_bad_fold_is_a_one_line_error(tmp_path):
    """A PE that does not divide C stops the C++ build with the template's message."""
    with pytest.raises(FinnError, match="PE must divide C") as info:
        compile_and_run(main_cpp([(6, 4, 2, 2, 4, 0)]), tmp_path, {"in0": []})
    assert "\n" not in str(info.value)
