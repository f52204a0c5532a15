"""fx_swg: lint and cocotb + Verilator simulation over FINN's ConvolutionInputGenerator
grid (square and non-square images and kernels 1-5, strides 1-3 incl. stride > kernel,
dilations 2-3, SIMD 1 / a divisor / C, 1/2/4/8-bit, 1-D rows and columns, the standard and
the depthwise order); outputs bit-exact vs numpy im2col (reordered by
swg_depthwise_order for DEPTHWISE); full-throughput cycles checked.

Every build runs 10 frames through full throughput, TVALID gaps and TREADY back-pressure
(tests/rtl/axis.py PHASES). One frame (first input offered -> last output beat) at full
throughput is asserted within 5 % (or 20 cycles) of the RTL's model: the reader emits the
first patch while the line buffer fills, so the first patch ends with the fill, BUF_MIN =
((KH-1)·DH·IW + (KW-1)·DW + 1)·CF beats, and every later patch takes KH·KW·CF cycles:
BUF_MIN + (OH·OW - 1)·KH·KW·CF + 2, or IH·IW·CF + 2 when the input is slower (1x1 stride
2, stride > kernel). The depthwise order needs the last kernel position of the first
channel fold early and re-reads the window for the other folds: (CF-1)·(KH·KW-1) more.
Measured (full_1): 3x3 s1 6x6x2 302, 5x5 8x7x3 926, dw 3x3 6x6x4 SIMD2 310, 1x1 s2 100.
SWGOp.cycles() for impl "rtl" (FINN's formula, which does not overlap the first patch
with the fill) is KH·KW·CF - 2 above the standard order (e.g. 999 vs 926 for 5x5 CF 3);
each case prints both.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow_layers import SWGOp
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.sim.dataflow_kernels import im2col, swg_depthwise_order
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, KH, KW, SH, SW, DH, DW, SIMD, BITS, DEPTHWISE
CASES = {
    "k3s1_c2_simd1_8b": (6, 6, 2, 3, 3, 1, 1, 1, 1, 1, 8, 0),
    "k5x2_s2x3_d2_simdC_2b": (13, 11, 4, 5, 2, 2, 3, 2, 2, 4, 2, 0),
    "k4x3_s3x1_dw3_simd2_1b": (11, 10, 4, 4, 3, 3, 1, 1, 3, 2, 1, 0),
    "k1_s2_input_bound_8b": (7, 7, 2, 1, 1, 2, 2, 1, 1, 1, 8, 0),
    "1d_k3_s2_d2_simdC_8b": (1, 19, 3, 1, 3, 1, 2, 1, 2, 3, 8, 0),
    "7x10_k2x3_s1x2_simd3_4b": (7, 10, 6, 2, 3, 1, 2, 1, 1, 3, 4, 0),
    "k2_s3_stride_gt_kernel_8b": (11, 9, 2, 2, 2, 3, 3, 1, 1, 1, 8, 0),
    "k3_d3_simd2_1b": (9, 10, 4, 3, 3, 1, 1, 3, 3, 2, 1, 0),
    "k5_s1_simd1_4b": (8, 7, 3, 5, 5, 1, 1, 1, 1, 1, 4, 0),
    "1d_column_k3_s2_simd2_2b": (12, 1, 4, 3, 1, 2, 1, 1, 1, 2, 2, 0),
    "1d_k5_s1_simd1_8b": (1, 16, 2, 1, 5, 1, 1, 1, 1, 1, 8, 0),
    "dw_k3_s1_simd2_4b": (6, 6, 4, 3, 3, 1, 1, 1, 1, 2, 4, 1),
    "dw_7x8_k3_s2_simd1_8b": (7, 8, 3, 3, 3, 2, 2, 1, 1, 1, 8, 1),
    "dw_k2x3_d2_simdC_1b": (7, 9, 4, 2, 3, 1, 1, 2, 2, 4, 1, 1),
    "dw_1d_k3_s1_simd2_2b": (1, 12, 6, 1, 3, 1, 1, 1, 1, 2, 2, 1),
    "dw_1d_k4_s2_d2_simd1_4b": (1, 15, 3, 1, 4, 1, 2, 1, 2, 1, 4, 1),
    "dw_1d_column_k5_s3_simd2_2b": (14, 1, 4, 5, 1, 3, 1, 1, 1, 2, 2, 1),
}
NAMES = ("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "SIMD", "BITS", "DEPTHWISE")


def expected_cycles(p: dict) -> int:
    """BUF_MIN + (OH·OW - 1)·KH·KW·CF (+ the depthwise first-patch term), or the input time
    IH·IW·CF if larger, + 2 cycles of latency (see the module docstring)."""
    cf, kk = p["C"] // p["SIMD"], p["KH"] * p["KW"]
    oh = (p["IH"] - p["DH"] * (p["KH"] - 1) - 1) // p["SH"] + 1
    ow = (p["IW"] - p["DW"] * (p["KW"] - 1) - 1) // p["SW"] + 1
    buf_min = ((p["KH"] - 1) * p["DH"] * p["IW"] + (p["KW"] - 1) * p["DW"] + 1) * cf
    est = buf_min + (oh * ow - 1) * kk * cf + (p["DEPTHWISE"] and (cf - 1) * (kk - 1))
    return max(est, p["IH"] * p["IW"] * cf) + 2


def op_cycles(p: dict) -> int:
    """SWGOp.cycles() of the layer with impl "rtl" (FINN's formula for its RTL SWG)."""
    elem = IntegerType(p["BITS"], Signedness.UNSIGNED)
    x = Block(arg_types=[StreamType.of((1, p["IH"], p["IW"], p["C"]), elem, p["SIMD"])]).args[0]
    op = SWGOp(x, (p["KH"], p["KW"]), node_name="ConvolutionInputGenerator_rtl_0",
               stride=(p["SH"], p["SW"]), dilation=(p["DH"], p["DW"]), simd=p["SIMD"],
               depthwise=bool(p["DEPTHWISE"]), impl="rtl")
    op.verify()
    return op.cycles()


@pytest.mark.parametrize("case", list(CASES))
def test_swg(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_swg.sv"]
    lint(src, "fx_swg", p)
    cycles_file = tmp_path / "cycles.json"
    simulate(src, "fx_swg", "swg_cocotb", HERE, tmp_path / "build", p,
             extra_env={"PARAMS": json.dumps(p), "SEED": len(case), "CYCLES_FILE": cycles_file})
    measured = json.loads(cycles_file.read_text())
    exp = expected_cycles(p)
    record_property("cycles", measured["full_1"])
    record_property("expected_cycles", exp)
    record_property("op_cycles", op_cycles(p))
    print(f"{case}: measured {measured}, expected {exp}, SWGOp.cycles {op_cycles(p)}")
    assert abs(measured["full_1"] - exp) <= max(0.05 * exp, 20), (measured, exp)


@pytest.mark.parametrize(("shape", "kernel", "stride", "dilation", "simd"), [
    ((1, 5, 6, 4), (3, 2), (1, 2), (1, 2), 2),
    ((1, 1, 9, 6), (1, 3), (1, 1), (1, 1), 3),
    ((1, 4, 4, 3), (2, 2), (2, 2), (1, 1), 1),
    ((1, 4, 4, 4), (3, 3), (1, 1), (1, 1), 4),
])
def test_swg_depthwise_order(shape, kernel, stride, dilation, simd):
    """The depthwise order, written out beat by beat: per output pixel, channel fold
    outermost, then kernel row and column, SIMD channels per beat ([cf][kh][kw][simd])."""
    rng = np.random.default_rng(0)
    x = rng.integers(-8, 8, size=shape)
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    y = im2col(x, kernel, stride, dilation)
    got = swg_depthwise_order(y, kernel, simd)
    _, oh, ow, _ = y.shape
    c = shape[3]
    want = [x[0, oy * sh + ky * dh, ox * sw + kx * dw, f * simd + s]
            for oy in range(oh) for ox in range(ow)
            for f in range(c // simd) for ky in range(kh) for kx in range(kw) for s in range(simd)]
    assert got.shape == y.shape
    assert got.reshape(-1).tolist() == want
    # SIMD == C with a single channel fold, or a 1x1 kernel, keeps im2col's order
    assert (swg_depthwise_order(y, kernel, c) == y).all()


def test_sv_legalize_passes_depthwise():
    """The -t sv wrapper of a depthwise SWG sets fx_swg's DEPTHWISE; parallel_window goes to fx_swg_parallel."""
    from finn_xdsl.kernels import rtl_plan as legalize

    x = Block(arg_types=[StreamType.of((1, 6, 6, 4), IntegerType(4, Signedness.SIGNED), 2)]).args[0]
    for depthwise in (False, True):
        plan = legalize(SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_rtl_0", depthwise=depthwise,
                              impl="rtl"))
        assert plan.module == "fx_swg"
        assert plan.params["DEPTHWISE"] == int(depthwise)
        assert (plan.params["SIMD"], plan.params["C"], plan.params["BITS"]) == (2, 4, 4)
    y = Block(arg_types=[StreamType.of((1, 6, 6, 4), IntegerType(4, Signedness.SIGNED), 4)]).args[0]
    plan = legalize(SWGOp(y, (3, 3), node_name="ConvolutionInputGenerator_rtl_1", parallel_window=True))
    assert plan.module == "fx_swg_parallel"  # a whole window per beat: the other module


@pytest.mark.parametrize("style", ["auto", "distributed", "block", "ultra"])
def test_swg_ram_style_lints(style):
    """Every RAM_STYLE elaborates lint-clean (only the memory's attribute differs)."""
    p = dict(zip(NAMES, CASES["k3s1_c2_simd1_8b"])) | {"RAM_STYLE": f'"{style}"'}
    lint([rtl_dir() / "fx_swg.sv"], "fx_swg", p)


def test_swg_rejects_bad_ram_style():
    p = dict(zip(NAMES, CASES["k3s1_c2_simd1_8b"])) | {"RAM_STYLE": '"lutram"'}
    with pytest.raises(AssertionError, match="RAM_STYLE must be"):
        lint([rtl_dir() / "fx_swg.sv"], "fx_swg", p)


def test_sv_legalize_passes_ram_style():
    """The layer's ram_style (default "distributed", as FINN's) becomes fx_swg's RAM_STYLE."""
    from finn_xdsl.kernels import rtl_plan as legalize

    x = Block(arg_types=[StreamType.of((1, 6, 6, 4), IntegerType(4, Signedness.SIGNED), 2)]).args[0]
    assert legalize(SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_rtl_0", impl="rtl")
                    ).params["RAM_STYLE"] == "distributed"
    plan = legalize(SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_rtl_1", impl="rtl", ram_style="block"))
    assert plan.params["RAM_STYLE"] == "block"
