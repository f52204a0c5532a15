"""hls/fx_channelwise.hpp: g++ C-simulation over a ChannelwiseOp grid (rtl/ has no
ChannelwiseOp, so the grid is defined here with the breadth of the RTL grids): PE 1 /
divisor / C, odd channel counts, 1/2/4/8-bit inputs signed and unsigned, every func,
one-parameter broadcast, negative parameters and parameters beyond the input range, bit-exact
against finn_xdsl.sim.dataflow_kernels.channelwise. Each case's output width is the exact
width of its result range (as dataflow.channelwise's verifier computes it), and every channel
sees both input extremes, so the outputs reach both ends of that range. Checked by mutating
the template: a lane extended the wrong way, a parameter truncated to the input's width
before comparing, or the wrong parameter index for a lane each fail cases. One g++ build
runs the whole grid."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import channelwise
from finn_xdsl.verify.csim import compile_and_run

VECTORS = 24
FUNCS = {"cmp_le": "FX_CMP_LE", "cmp_ge": "FX_CMP_GE", "add": "FX_ADD", "mul": "FX_MUL"}

# (C, PE, NP, IN_BITS, IN_SIGNED, func, parameter low, parameter high); NP = 1 broadcasts
GRID = [
    (1, 1, 1, 1, 0, "cmp_le", 0, 0),  # smallest: 1 channel, 1 bit
    (6, 1, 6, 4, 1, "cmp_ge", -20, 19),  # parameters wider than the input on both sides
    (6, 2, 6, 8, 0, "cmp_le", -3, 260),
    (8, 8, 1, 4, 0, "cmp_ge", 5, 5),  # broadcast compare, PE=C
    (9, 3, 1, 2, 1, "add", -5, -5),  # broadcast negative addend, odd C
    (7, 7, 7, 8, 1, "add", -128, 127),  # PE=C=7, INT8 + INT8
    (12, 4, 12, 2, 0, "add", 0, 3),  # unsigned result
    (5, 1, 5, 1, 1, "add", -1, 1),  # 1-bit signed input {-1, 0}
    (4, 4, 4, 1, 0, "mul", -3, 3),
    (10, 2, 10, 4, 1, "mul", -8, 7),  # INT4 · INT4, PE=C/5
    (5, 5, 1, 8, 0, "mul", -1, -1),  # broadcast -1: an all-negative result from unsigned
    (3, 1, 3, 8, 1, "mul", -128, 127),  # INT8 · INT8: the -128 · -128 corner
    (15, 5, 15, 2, 1, "mul", 0, 5),
]


def case_id(p) -> str:
    c, pe, np_, bits, signed, func, plo, phi = p
    return f"C{c}-PE{pe}-NP{np_}-{'s' if signed else 'u'}{bits}-{func}-p{plo}..{phi}"


def signed_bits(lo: int, hi: int) -> int:
    """Fewest two's complement bits holding lo..hi."""
    b = 1
    while not (-(1 << (b - 1)) <= lo and hi < (1 << (b - 1))):
        b += 1
    return b


def out_range(func: str, lo: int, hi: int, params: np.ndarray) -> tuple[int, int]:
    """The result range over the whole input range, as dataflow.channelwise's verifier has it."""
    if func in ("cmp_le", "cmp_ge"):
        return 0, 1
    outs = np.concatenate([lo + params, hi + params]) if func == "add" else np.concatenate([lo * params, hi * params])
    return int(outs.min()), int(outs.max())


def out_bits(lo: int, hi: int) -> int:
    """The exact width of an output type for lo..hi: unsigned when nothing is negative."""
    return signed_bits(lo, hi) if lo < 0 else max(int(hi).bit_length(), 1)


def make_case(p):
    """Random parameters and inputs (both extremes on every channel) of one grid case:
    (params, P_BITS, x, OUT_BITS)."""
    c, _pe, np_, bits, signed, func, plo, phi = p
    rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
    params = rng.integers(plo, phi + 1, size=np_)
    params[0], params[-1] = plo, phi
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    x = rng.integers(lo, hi + 1, size=(VECTORS, c))
    x[0], x[-1] = lo, hi
    return params, signed_bits(plo, phi), x, out_bits(*out_range(func, lo, hi, params))


def template_args(p, p_bits: int, ob: int) -> str:
    c, pe, np_, bits, signed, func, *_ = p
    return f"{c}, {pe}, {np_}, {bits}, {'true' if signed else 'false'}, {p_bits}, {ob}, {FUNCS[func]}"


def main_cpp(cases) -> str:
    """One main running every case i (p, params, P_BITS, OUT_BITS) on streams in<i> -> out<i>."""
    tables, body = [], []
    for i, (p, params, p_bits, ob) in enumerate(cases):
        _c, pe, np_, bits, *_ = p
        tables.append(f"static const ap_int<{p_bits}> P{i}[{np_}] = "
                      "{" + ", ".join(f"ap_int<{p_bits}>({int(v)})" for v in params) + "};")
        args = template_args(p, p_bits, ob)
        body.append(f"""    {{
        hls::stream<ap_uint<{pe * bits}>> in;
        hls::stream<ap_uint<{pe * ob}>> out;
        fx_csim::load(argv[1], "in{i}", in);
        fx_channelwise<{args}>(in, out, P{i}, 3);
        fx_channelwise<{args}>(in, out, P{i}, {VECTORS - 3});
        fx_csim::expect_consumed(in, "in{i}");
        fx_csim::store(argv[1], "out{i}", out);
    }}""")
    return ('#include "fx_channelwise.hpp"\n#include "fx_csim.hpp"\n\n' + "\n".join(tables)
            + "\n\nint main(int, char** argv) {\n" + "\n".join(body) + "\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (got beats, expected beats)}."""
    cases, inputs, want = [], {}, {}
    for i, p in enumerate(GRID):
        params, p_bits, x, ob = make_case(p)
        cases.append((p, params, p_bits, ob))
        inputs[f"in{i}"] = pack_beats(x, p[3], p[1])
        want[case_id(p)] = pack_beats(channelwise(x, params, p[5]), ob, p[1])
    got = compile_and_run(main_cpp(cases), tmp_path_factory.mktemp("channelwise_csim"), inputs)
    return {case_id(p): (got[f"out{i}"], want[case_id(p)]) for i, p in enumerate(GRID)}


@pytest.mark.parametrize("case", [case_id(p) for p in GRID])
def test_channelwise_csim(case, grid_run):
    got, want = grid_run[case]
    assert len(got) == len(want)
    assert got == want


def test_grid_breadth():
    """PE 1 / divisor / C, odd C, 1/2/4/8-bit signed and unsigned, every func, broadcast,
    negative parameters; and every case's outputs reach both ends of its exact range, so
    the OUT_BITS wrap is never what makes a case pass."""
    assert {1 if pe == 1 else "C" if pe == c else "d" for c, pe, *_ in GRID} == {1, "C", "d"}
    assert any(c % 2 for c, *_ in GRID) and {p[3] for p in GRID} == {1, 2, 4, 8}
    assert {(p[3], p[4]) for p in GRID} >= {(b, s) for b in (1, 2, 4, 8) for s in (0, 1)}
    assert {p[5] for p in GRID} == set(FUNCS) and any(p[2] == 1 and p[0] > 1 for p in GRID)
    assert all(any(p[5] == f and p[6] < 0 for p in GRID) for f in FUNCS)
    for p in GRID:
        params, _, x, ob = make_case(p)
        y = channelwise(x, params, p[5])
        lo, hi = out_range(p[5], int(x.min()), int(x.max()), params)
        assert (int(y.min()), int(y.max())) == (lo, hi), case_id(p)
        assert out_bits(lo, hi) == ob, case_id(p)


def test_bad_params_are_one_line_errors(tmp_path):
    """A PE that does not divide C, and a parameter count that is neither 1 nor C, stop the
    C++ build with the template's messages (one build holding both)."""
    cases = [((6, 4, 6, 4, 0, "add", 0, 1), np.zeros(6, dtype=np.int64), 2, 5),
             ((6, 2, 3, 4, 0, "add", 0, 1), np.zeros(3, dtype=np.int64), 2, 5)]
    with pytest.raises(FinnError, match="PE must divide C.*NP = C or 1") as info:
        compile_and_run(main_cpp(cases), tmp_path, {"in0": [], "in1": []})
    assert "\n" not in str(info.value)
