"""
Verifier failures of the qonnx dialect, part 1: constants, quantizers, MultiThreshold,
MatMul, Gemm and Conv. Every case is one change away from a valid op and names the
message it must produce, so a test fails when its check goes missing.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, f16, f32, i64

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import bipolar, ternary

from qonnx_helpers import DYN, build, build_constant, fa, fails, fails_one_line, place, si, t, ui


def dense(elem, values, shape=None):
    array = np.asarray(values)
    return DenseIntOrFPElementsAttr(t(*(shape or array.shape), elem=elem), BytesAttr(array.tobytes()))


def quant(x=None, scale=None, zeropt=None, bits=None, result=None, **props):
    return build(
        q.QuantOp,
        [x or t(1, 4), fa(1) if scale is None else scale, fa(0) if zeropt is None else zeropt,
         fa(2) if bits is None else bits],
        [result or t(1, 4, elem=si(2))], **props,
    )


def bipolar_quant(x=None, scale=None, result=None):
    return build(q.BipolarQuantOp, [x or t(2, 3), fa(1) if scale is None else scale],
                 [result or t(2, 3, elem=bipolar)])


def trunc(scale=None, in_bits=None, out_scale=None, out_bits=None, result=None, **props):
    return build(
        q.TruncOp,
        [t(1, 8), fa(0.5) if scale is None else scale, fa(0), fa(8) if in_bits is None else in_bits,
         out_scale, fa(4) if out_bits is None else out_bits],
        [result or t(1, 8)], **props,
    )


def mt(x=None, thresholds=None, result=None, **props):
    props.setdefault("out_dtype", ui(2))
    return build(q.MultiThresholdOp,
                 [x or t(1, 4), np.zeros((4, 3), np.float32) if thresholds is None else thresholds],
                 [result or t(1, 4, elem=ui(2))], **props)


def gemm(a=None, b=None, c=None, result=None, **props):
    return build(q.GemmOp, [a or t(2, 3), b or t(3, 4), c], [result or t(2, 4)], **props)


def conv(x=None, w=None, b=None, result=None, **props):
    props.setdefault("group", 2)
    return build(q.ConvOp, [x or t(1, 4, 5, 5), w or t(6, 2, 3, 3), b], [result or t(1, 6, 3, 3)], **props)


def test_helpers_build_valid_ops():
    """The defaults above are valid; each case below changes one thing."""
    for op in (quant(), bipolar_quant(), trunc(), mt(), gemm(), conv(),
               build_constant(fa(1, -1), si(2)), trunc(out_scale=fa(2))):
        op.verify()


CASES = [
    # --- qonnx.constant
    pytest.param(lambda: place(q.ConstantOp(dense(f32, fa(1, 2)), t(3))),
                 r"value shape \[2\] differs from result shape \[3\]", id="constant-shape"),
    pytest.param(lambda: build_constant(np.array([1, 2], np.int64), si(4)),
                 "result element type si4 can only refine f32 storage to a quantized type, not i64",
                 id="constant-refine-i64"),
    pytest.param(lambda: place(q.ConstantOp(dense(f32, fa(1, 2)), t(2, elem=f16))),
                 "result element type f16 can only refine f32 storage", id="constant-refine-float"),
    pytest.param(lambda: build_constant(fa(2, 0), si(2)), "values are out of range of INT2", id="constant-range"),
    pytest.param(lambda: build_constant(fa(-1), ui(4)), "values are out of range of UINT4", id="constant-negative"),
    pytest.param(lambda: build_constant(fa(0.5), si(4)), "values are out of range of INT4", id="constant-fraction"),
    pytest.param(lambda: build_constant(fa(1, 0), bipolar), "values are out of range of BIPOLAR",
                 id="constant-bipolar"),
    pytest.param(lambda: build_constant(fa(-1, 2), ternary), "values are out of range of TERNARY",
                 id="constant-ternary"),
    pytest.param(lambda: place(q.ConstantOp(dense(si(2), np.array([1, -1], np.int8)))),
                 "value element type si2 is not a storage type", id="constant-storage"),
    pytest.param(lambda: place(q.ConstantOp(dense(f32, fa(1, 2)), t(DYN))),
                 r"result 0 has a dynamic shape tensor<\?xf32>", id="constant-dynamic"),
    # --- qonnx.quant
    pytest.param(lambda: quant(rounding_mode="NEAREST"),
                 "rounding_mode 'NEAREST' is not one of ROUND, HALF_EVEN, CEIL, FLOOR", id="quant-rounding"),
    pytest.param(lambda: quant(result=t(1, 5, elem=si(2))),
                 r"result shape \[1, 5\] does not match the inferred shape \[1, 4\]", id="quant-shape"),
    pytest.param(lambda: quant(scale=fa(1, 1, 1)),
                 r"scale of shape \[3\] does not broadcast to the input shape \[1, 4\]", id="quant-scale-shape"),
    pytest.param(lambda: quant(zeropt=np.zeros((2, 1, 4), np.float32)),
                 r"zeropt of shape \[2, 1, 4\] does not broadcast", id="quant-zeropt-shape"),
    pytest.param(lambda: quant(bits=fa(2, 2)), r"bitwidth must be a scalar, got shape \[2\]", id="quant-bits-shape"),
    pytest.param(lambda: quant(bits=fa(2.5)), r"bitwidth must be an integer in \[1, 64\], got 2.5",
                 id="quant-bits-fraction"),
    pytest.param(lambda: quant(bits=fa(0), result=t(1, 4)), r"bitwidth must be an integer in \[1, 64\], got 0",
                 id="quant-bits-zero"),
    pytest.param(lambda: quant(bits=fa(65), result=t(1, 4)), "got 65", id="quant-bits-65"),
    pytest.param(lambda: quant(bits=fa(np.nan), result=t(1, 4)), "got nan", id="quant-bits-nan"),
    pytest.param(lambda: quant(bits=fa(np.inf), result=t(1, 4)), "got inf", id="quant-bits-inf"),
    pytest.param(lambda: quant(result=t(1, 4, elem=si(4))),
                 r"result element type si4 does not match a 2-bit signed quantizer \(expected si2\)",
                 id="quant-result-width"),
    pytest.param(lambda: quant(signed=False),
                 r"si2 does not match a 2-bit unsigned quantizer \(expected ui2\)", id="quant-result-sign"),
    pytest.param(lambda: quant(bits=fa(1), result=t(1, 4, elem=ui(1))),
                 r"expected !qonnx.bipolar", id="quant-1bit-signed"),
    pytest.param(lambda: quant(result=t(1, 4, elem=ternary)), "ternary does not match", id="quant-ternary"),
    pytest.param(lambda: quant(scale=fa(0.5)), "integer result type si2 needs scale == 1; use f32",
                 id="quant-int-scaled"),
    pytest.param(lambda: quant(zeropt=fa(1)), "integer result type si2 needs zeropt == 0", id="quant-int-zeropt"),
    pytest.param(lambda: quant(bits=fa(1), scale=fa(2), result=t(1, 4, elem=bipolar)),
                 "integer result type !qonnx.bipolar needs scale == 1", id="quant-bipolar-scaled"),
    pytest.param(lambda: quant(scale=fa(0), result=t(1, 4)), "scale must be finite and non-zero",
                 id="quant-scale-zero"),
    # --- qonnx.bipolar_quant
    pytest.param(lambda: bipolar_quant(result=t(3, 2, elem=bipolar)),
                 r"result shape \[3, 2\] does not match the inferred shape \[2, 3\]", id="bipolar-shape"),
    pytest.param(lambda: bipolar_quant(scale=fa(1, 1)),
                 r"scale of shape \[2\] does not broadcast to the input shape \[2, 3\]", id="bipolar-scale-shape"),
    pytest.param(lambda: bipolar_quant(result=t(2, 3, elem=si(2))),
                 "result element type must be !qonnx.bipolar or a float, got si2", id="bipolar-int-result"),
    pytest.param(lambda: bipolar_quant(scale=fa(0.5)), "a !qonnx.bipolar result needs scale == 1",
                 id="bipolar-scaled"),
    # --- qonnx.trunc
    pytest.param(lambda: trunc(rounding_mode="TRUNC"), "rounding_mode 'TRUNC' is not one of", id="trunc-rounding"),
    pytest.param(lambda: trunc(result=t(8)), r"result shape \[8\] does not match the inferred shape \[1, 8\]",
                 id="trunc-shape"),
    pytest.param(lambda: trunc(out_scale=fa(1, 1, 1)), r"out_scale of shape \[3\] does not broadcast",
                 id="trunc-out-scale-shape"),
    pytest.param(lambda: trunc(in_bits=fa(8, 8)), r"in_bitwidth must be a scalar, got shape \[2\]",
                 id="trunc-in-bits-shape"),
    pytest.param(lambda: trunc(out_bits=fa(0)), r"out_bitwidth must be an integer in \[1, 64\], got 0",
                 id="trunc-out-bits"),
    pytest.param(lambda: trunc(in_bits=fa(8.5)), r"in_bitwidth must be an integer in \[1, 64\], got 8.5",
                 id="trunc-in-bits"),
    pytest.param(lambda: trunc(scale=fa(0)), "scale must be finite and non-zero", id="trunc-scale-zero"),
    pytest.param(lambda: trunc(out_scale=fa(0)), "out_scale must be finite and non-zero", id="trunc-out-scale-zero"),
    # --- qonnx.multithreshold
    pytest.param(lambda: mt(result=t(1, 5, elem=ui(2))), r"result shape \[1, 5\] does not match", id="mt-shape"),
    pytest.param(lambda: mt(thresholds=fa(0, 1, 2)), r"thresholds must have rank 2 \(channels, steps\), got \[3\]",
                 id="mt-thresholds-rank"),
    pytest.param(lambda: mt(thresholds=np.zeros((3, 3), np.float32)), "thresholds have 3 channels, input has 4",
                 id="mt-channels"),
    pytest.param(lambda: mt(x=t(1, 4, 2, 2), thresholds=np.zeros((4, 1), np.float32),
                            result=t(1, 4, 2, 2, elem=ui(2)), data_layout="NHWC"),
                 "thresholds have 4 channels, input has 2", id="mt-channels-nhwc"),
    pytest.param(lambda: mt(data_layout="NCHW"), "data_layout 'NCHW' does not fit an input of rank 2",
                 id="mt-layout-rank"),
    pytest.param(lambda: mt(x=t(1, 4, 4), result=t(1, 4, 4, elem=ui(2)), data_layout="NHW"),
                 "data_layout 'NHW' does not fit an input of rank 3", id="mt-layout-no-c"),
    pytest.param(lambda: mt(x=t(4), result=t(4, elem=ui(2)), thresholds=np.zeros((1, 3), np.float32)),
                 "input must have a batch and a channel dimension", id="mt-rank-1"),
    pytest.param(lambda: mt(thresholds=np.zeros((4, 4), np.float32), result=t(1, 4)),
                 "4 thresholds give 5 levels, more than UINT2 holds", id="mt-too-many"),
    pytest.param(lambda: mt(thresholds=np.zeros((4, 2), np.float32), out_dtype=bipolar, result=t(1, 4)),
                 "2 thresholds give 3 levels, more than BIPOLAR holds", id="mt-too-many-bipolar"),
    pytest.param(lambda: mt(out_dtype=f32, result=t(1, 4)),
                 "out_dtype must be an integer, bipolar or ternary type, got f32", id="mt-float-dtype"),
    pytest.param(lambda: mt(out_bias=1.0), r"outputs 1 \+ 1 \* \(0..3\) do not fit result type ui2",
                 id="mt-result-range"),
    pytest.param(lambda: mt(thresholds=np.zeros((4, 2), np.float32), out_scale=0.5),
                 r"outputs 0 \+ 0.5 \* \(0..2\) do not fit result type ui2", id="mt-result-fraction"),
    pytest.param(lambda: mt(thresholds=np.zeros((4, 1), np.float32), out_dtype=bipolar,
                            result=t(1, 4, elem=bipolar)),
                 r"outputs 0 \+ 1 \* \(0..1\) do not fit result type !qonnx.bipolar", id="mt-result-bipolar"),
    # --- qonnx.matmul
    pytest.param(lambda: build(q.MatMulOp, [t(1, 4), t(3, 2)], [t(1, 2)]),
                 r"inner dimensions differ: \(1, 4\) @ \(3, 2\)", id="matmul-inner"),
    pytest.param(lambda: build(q.MatMulOp, [t(1, 4), t(4, 2)], [t(1, 3)]),
                 r"result shape \[1, 3\] does not match the inferred shape \[1, 2\]", id="matmul-shape"),
    pytest.param(lambda: build(q.MatMulOp, [t(2, 3, 4), t(3, 4, 5)], [t(2, 3, 5)]),
                 "do not broadcast", id="matmul-batch"),
    pytest.param(lambda: build(q.MatMulOp, [t(4), t(4)], [t(1)]),
                 r"result shape \[1\] does not match the inferred shape \[\]", id="matmul-vectors"),
    # --- qonnx.gemm
    pytest.param(lambda: gemm(a=t(1, 2, 3)), "Gemm operands A and B must be 2-D", id="gemm-rank"),
    pytest.param(lambda: gemm(b=t(4, 3)), r"inner dimensions differ: \[2, 3\] x \[4, 3\]", id="gemm-inner"),
    pytest.param(lambda: gemm(trans_a=True), r"inner dimensions differ: \[3, 2\] x \[3, 4\]", id="gemm-trans-a"),
    pytest.param(lambda: gemm(c=fa(1, 2, 3)), r"c of shape \[3\] does not broadcast to the output shape \[2, 4\]",
                 id="gemm-c"),
    pytest.param(lambda: gemm(result=t(4, 2)), r"result shape \[4, 2\] does not match the inferred shape \[2, 4\]",
                 id="gemm-shape"),
    # --- qonnx.conv
    pytest.param(lambda: conv(group=3), "group 3 must divide input channels 4 and output channels 6",
                 id="conv-group"),
    pytest.param(lambda: conv(group=0), "group 0 must divide", id="conv-group-zero"),
    pytest.param(lambda: conv(w=t(6, 1, 3, 3)), "weights expect 2 input channels, input has 4",
                 id="conv-weight-channels"),
    pytest.param(lambda: conv(w=t(6, 2, 3)), "weights of rank 3 do not fit an input of rank 4", id="conv-weight-rank"),
    pytest.param(lambda: conv(kernel_shape=(2, 2)), r"kernel_shape \[2, 2\] differs from weight shape \[6, 2, 3, 3\]",
                 id="conv-kernel-shape"),
    pytest.param(lambda: conv(b=fa(1, 2, 3)), r"bias must have shape \[6\], got \[3\]", id="conv-bias"),
    pytest.param(lambda: conv(result=t(1, 6, 2, 2)),
                 r"result shape \[1, 6, 2, 2\] does not match the inferred shape \[1, 6, 3, 3\]", id="conv-shape"),
    pytest.param(lambda: conv(pads=(1, 1), result=t(1, 6, 5, 5)), "pads must have 4 entries, got 2", id="conv-pads"),
    pytest.param(lambda: conv(pads=(0, 0, -1, 0)), r"pads must be non-negative, got \[0, 0, -1, 0\]",
                 id="conv-pads-negative"),
    pytest.param(lambda: conv(strides=(0, 0)), r"strides must be positive, got \[0, 0\]", id="conv-strides-zero"),
    pytest.param(lambda: conv(auto_pad="SAME_UPPER", strides=(0, 0)), r"strides must be positive",
                 id="conv-same-strides-zero"),
    pytest.param(lambda: conv(auto_pad="SAME_LOWER", strides=(1,)), "strides must have 2 entries, got 1",
                 id="conv-same-strides-length"),
    pytest.param(lambda: conv(dilations=(1,)), "dilations must have 2 entries, got 1", id="conv-dilations"),
    pytest.param(lambda: conv(auto_pad="SAME"), "unknown auto_pad 'SAME'", id="conv-auto-pad"),
    pytest.param(lambda: conv(x=t(1, 4, 2, 2)), "window 3 is larger than padded input 2", id="conv-window"),
    pytest.param(lambda: conv(x=t(1, 4), w=t(6, 2)), r"input must be \(N, C, spatial...\)", id="conv-rank-2"),
    pytest.param(lambda: conv(x=t(4), w=t(6)), r"input must be \(N, C, spatial...\)", id="conv-rank-1"),
    pytest.param(lambda: conv(x=t(DYN, 4, 5, 5)), r"operand 0 has a dynamic shape tensor<\?x4x5x5xf32>",
                 id="conv-dynamic"),
]


@pytest.mark.parametrize(("make", "match"), CASES)
def test_verifier_rejects(make, match):
    fails(make(), match)


@pytest.mark.parametrize(("make", "match"), CASES)
def test_one_line_diagnostic(make, match):
    fails_one_line(make(), match)


def test_cases_cover_their_ops():
    assert {type(p.values[0]()) for p in CASES} == set(q.OPS[:8])


def test_quant_1bit_unsigned_is_binary():
    quant(bits=fa(1), signed=False, result=t(1, 4, elem=ui(1))).verify()


def test_quant_without_constant_bitwidth_is_not_checked_further():
    """A computed bit width cannot be checked; the result type is then trusted."""
    build(q.QuantOp, [t(1, 4), fa(1), fa(0), t(1)], [t(1, 4, elem=si(7))]).verify()


def test_quant_rounding_mode_is_case_insensitive():
    """qonnx upper-cases the mode before it looks it up; so do we."""
    quant(rounding_mode="floor").verify()


def test_quant_float_result_may_be_scaled():
    quant(scale=fa(0.5), zeropt=fa(1), result=t(1, 4)).verify()


def test_multithreshold_levels_fit_wider_result():
    mt(result=t(1, 4, elem=si(8)), out_bias=-1.0).verify()
    mt(thresholds=np.zeros((1, 3), np.float32)).verify()


def test_conv_bias_is_optional_but_shaped():
    conv(b=fa(*range(6))).verify()
    conv(b=None).verify()


def test_constant_i64_needs_no_refinement():
    op = place(q.ConstantOp(dense(i64, np.array([1, -1], np.int64))))
    op.verify()
