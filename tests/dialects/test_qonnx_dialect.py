"""
The qonnx dialect: every op built with Python builders, verified, printed and parsed back
(custom and generic form), plus what the dialect promises beyond its verifiers (constants
from numpy, ONNX op table, channel axis of MultiThreshold, one-line diagnostics).
Verifier failures are in test_quant_verify*.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, StringAttr, f32, i64
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import BipolarType, TernaryType, bipolar, ternary
from finn_xdsl.errors import FinnError
from finn_xdsl.utils.diagnostics import verify_module

from qonnx_helpers import DYN, Quantized, build, build_constant, fa, ia, module_of, parse, si, t, to_text, ui

W2 = np.array([[1, -1, 0], [0, 1, -1], [-1, 0, 1], [1, 1, -1]], dtype=np.float32)
THRESHOLDS = np.array([[-1, 0, 1]] * 4, dtype=np.float32)

# One or more valid instances of every op in q.OPS, built the way the frontend builds them.
CASES = {
    "constant_f32": lambda: build_constant(fa(0.5, -1.25, 3.0)),
    "constant_refined": lambda: build_constant(W2, si(2), "Quant_0_param0"),
    "constant_bipolar": lambda: build_constant(fa(1, -1, -1, 1).reshape(2, 2), bipolar),
    "constant_i64": lambda: build_constant(ia(1, -1), node_name="Reshape_0_param0"),
    "constant_u8": lambda: build_constant(np.arange(6, dtype=np.uint8).reshape(2, 3)),
    "constant_scalar": lambda: build_constant(np.array(0.25, dtype=np.float32)),
    "quant": lambda: build(
        q.QuantOp, [t(1, 4), fa(1), fa(0), fa(2)], [t(1, 4, elem=si(2))],
        narrow=True, node_name="Quant_4",
    ),
    "quant_scaled": lambda: build(
        q.QuantOp, [t(1, 4), fa(0.5, 0.25, 0.5, 1), fa(0), fa(4)], [t(1, 4)],
        signed=False, rounding_mode="HALF_EVEN",
    ),
    "quant_unsigned": lambda: build(q.QuantOp, [t(2, 3), fa(1), fa(0), fa(3)], [t(2, 3, elem=ui(3))], signed=False),
    "quant_1bit": lambda: build(q.QuantOp, [t(2, 3), fa(1), fa(0), fa(1)], [t(2, 3, elem=bipolar)]),
    "bipolar_quant": lambda: build(
        q.BipolarQuantOp, [t(1, 64, 3, 3), fa(1)], [t(1, 64, 3, 3, elem=bipolar)], node_name="BipolarQuant_9",
    ),
    "bipolar_quant_scaled": lambda: build(q.BipolarQuantOp, [t(4, 2), fa(0.5, 2)], [t(4, 2)]),
    "trunc_v1": lambda: build(
        q.TruncOp, [t(1, 8, 2, 2), fa(0.5), fa(0), fa(8), None, fa(4)], [t(1, 8, 2, 2)], node_name="Trunc_0",
    ),
    "trunc_v2": lambda: build(
        q.TruncOp, [t(1, 8), fa(0.5), fa(0), fa(8), fa(2.0), fa(4)], [t(1, 8)],
        rounding_mode="ROUND", signed=False, narrow=True,
    ),
    "multithreshold": lambda: build(
        q.MultiThresholdOp, [t(1, 4, elem=si(32)), THRESHOLDS], [t(1, 4, elem=ui(2))],
        out_dtype=ui(2), node_name="MultiThreshold_0",
    ),
    "multithreshold_bipolar_nhwc": lambda: build(
        q.MultiThresholdOp, [t(1, 2, 2, 4), np.zeros((4, 1), np.float32)], [t(1, 2, 2, 4, elem=bipolar)],
        out_dtype=bipolar, out_scale=2.0, out_bias=-1.0, data_layout="NHWC",
    ),
    "multithreshold_scaled": lambda: build(
        q.MultiThresholdOp, [t(1, 3, 2, 2), np.zeros((1, 15), np.float32)], [t(1, 3, 2, 2)],
        out_dtype=si(4), out_scale=0.125, out_bias=-1.0,
    ),
    "matmul": lambda: build(
        q.MatMulOp, [t(1, 4, elem=si(2)), Quantized(W2, si(2))], [t(1, 3, elem=si(32))], node_name="MatMul_0",
    ),
    "matmul_batched": lambda: build(q.MatMulOp, [t(2, 1, 3, 4), t(5, 4, 6)], [t(2, 5, 3, 6)]),
    "gemm": lambda: build(
        q.GemmOp, [t(2, 3), t(4, 3), fa(1, 2, 3, 4)], [t(2, 4)], alpha=0.5, beta=2.0, trans_b=True,
    ),
    "gemm_no_c": lambda: build(q.GemmOp, [t(3, 2), t(3, 4), None], [t(2, 4)], trans_a=True),
    "conv": lambda: build(
        q.ConvOp, [t(1, 4, 5, 5), t(6, 2, 3, 3), fa(*range(6))], [t(1, 6, 3, 3)],
        kernel_shape=(3, 3), pads=(1, 1, 1, 1), strides=(2, 2), dilations=(1, 1), group=2, node_name="Conv_0",
    ),
    "conv_1d_same": lambda: build(
        q.ConvOp, [t(1, 3, 8, elem=bipolar), t(4, 3, 3, elem=bipolar), None], [t(1, 4, 8, elem=si(32))],
        auto_pad="SAME_UPPER", dilations=(2,),
    ),
    "add": lambda: build(q.AddOp, [t(2, 1, 3), t(4, 1)], [t(2, 4, 3)], node_name="Add_0"),
    "sub": lambda: build(q.SubOp, [t(1, 10, elem=si(32)), fa(0.01)], [t(1, 10)]),
    "mul": lambda: build(q.MulOp, [t(1, 784), fa(2)], [t(1, 784)]),
    "div": lambda: build(q.DivOp, [t(1, 10), fa(3.8)], [t(1, 10)]),
    "pow": lambda: build(q.PowOp, [t(3, 4), t(4)], [t(3, 4)]),
    "relu": lambda: build(q.ReluOp, [t(1, 4)], [t(1, 4)], node_name="Relu_0"),
    "sigmoid": lambda: build(q.SigmoidOp, [t(1, 4)], [t(1, 4)]),
    "sqrt": lambda: build(q.SqrtOp, [t(2)], [t(2)]),
    "identity": lambda: build(q.IdentityOp, [t(1, 4, elem=si(4))], [t(1, 4, elem=si(4))]),
    "batch_norm": lambda: build(
        q.BatchNormOp, [t(1, 3, 4, 4), fa(1, 1, 1), fa(0, 0, 0), fa(0, 0, 0), fa(1, 1, 1)], [t(1, 3, 4, 4)],
        epsilon=1e-4, momentum=1.0, node_name="BatchNormalization_0",
    ),
    "batch_norm_2d": lambda: build(
        q.BatchNormOp, [t(1, 2, elem=si(32)), t(2), t(2), t(2), t(2)], [t(1, 2)],
    ),
    "max_pool": lambda: build(
        q.MaxPoolOp, [t(1, 2, 5, 5, elem=bipolar)], [t(1, 2, 3, 3, elem=bipolar)],
        kernel_shape=(2, 2), strides=(2, 2), ceil_mode=True, node_name="MaxPool_0",
    ),
    "average_pool": lambda: build(
        q.AveragePoolOp, [t(1, 2, 4, 4)], [t(1, 2, 4, 4)],
        kernel_shape=(3, 3), auto_pad="SAME_UPPER", count_include_pad=True,
    ),
    "global_average_pool": lambda: build(q.GlobalAveragePoolOp, [t(1, 3, 4, 4)], [t(1, 3, 1, 1)]),
    "reshape": lambda: build(
        q.ReshapeOp, [t(1, 2, 3, 4, elem=si(4)), ia(1, -1)], [t(1, 24, elem=si(4))], node_name="Reshape_0",
    ),
    "reshape_dynamic_target": lambda: build(q.ReshapeOp, [t(2, 3), t(2, elem=i64)], [t(3, 2)], allowzero=True),
    "flatten": lambda: build(q.FlattenOp, [t(2, 3, 4)], [t(6, 4)], axis=2),
    "transpose": lambda: build(q.TransposeOp, [t(1, 2, 3, 4)], [t(1, 3, 4, 2)], perm=(0, 2, 3, 1)),
    "transpose_default": lambda: build(q.TransposeOp, [t(2, 3, elem=ui(4))], [t(3, 2, elem=ui(4))]),
    "concat": lambda: build(q.ConcatOp, [[t(1, 2, 4), t(1, 3, 4), t(1, 1, 4)]], [t(1, 6, 4)], axis=-2),
    "pad": lambda: build(
        q.PadOp, [t(1, 2, 3, 3), ia(0, 0, 1, 1, 0, 0, 1, 1), np.array(0.5, dtype=np.float32)], [t(1, 2, 5, 5)],
    ),
    "pad_edge": lambda: build(q.PadOp, [t(4, 4), ia(1, 0, -1, 2), None], [t(4, 6)], mode="edge"),
    "topk": lambda: build(q.TopKOp, [t(1, 10), ia(3)], [t(1, 3), t(1, 3, elem=i64)], node_name="TopK_0"),
    "topk_axis0_smallest": lambda: build(
        q.TopKOp, [t(5, 2), ia(5)], [t(5, 2), t(5, 2, elem=i64)], axis=0, largest=False, sorted=False,
    ),
    "argmax": lambda: build(q.ArgMaxOp, [t(1, 10)], [t(1, elem=i64)], axis=1, keepdims=False),
    "argmax_keepdims": lambda: build(q.ArgMaxOp, [t(2, 3)], [t(1, 3, elem=i64)], select_last_index=True),
    "im2col": lambda: build(
        q.Im2ColOp, [t(1, 5, 5, 2, elem=bipolar)], [t(1, 5, 5, 18, elem=ternary)],
        kernel_size=(3, 3), stride=(1, 1), pad_amount=(1, 1, 1, 1), input_shape="(1,5,5,2)",
        depthwise=True, node_name="Im2Col_0",
    ),
    "max_pool_nhwc": lambda: build(
        q.MaxPoolNHWCOp, [t(1, 6, 6, 2, elem=si(4))], [t(1, 3, 3, 2, elem=si(4))],
        kernel_shape=(2, 2), strides=(2, 2), node_name="MaxPoolNHWC_0",
    ),
}


def test_every_op_has_a_round_trip_case():
    assert {type(make()) for make in CASES.values()} == set(q.OPS)


@pytest.mark.parametrize("case", CASES)
def test_build_verify_round_trip(case):
    op = CASES[case]()
    module = module_of(op)
    module.verify()

    custom = to_text(module)
    generic = to_text(module, generic=True)
    assert f" = {op.name} " in custom
    assert f'"{op.name}"' in generic

    # custom -> parse -> custom
    reparsed = parse(custom)
    reparsed.verify()
    assert to_text(reparsed) == custom
    assert reparsed.is_structurally_equivalent(module)

    # generic -> parse -> generic, and it is the same IR as the custom form
    from_generic = parse(generic)
    from_generic.verify()
    assert to_text(from_generic, generic=True) == generic
    assert to_text(from_generic) == custom


@pytest.mark.parametrize("case", ["quant", "conv", "multithreshold", "constant_refined", "topk"])
def test_node_name_survives_round_trip(case):
    op = CASES[case]()
    assert op.node_name is not None
    (reparsed,) = [o for o in parse(to_text(module_of(op))).walk() if o.name == op.name and o.node_name]
    assert reparsed.node_name == op.node_name
    assert reparsed.display_name == op.node_name.data


def test_display_name_without_node_name():
    assert CASES["sigmoid"]().display_name == "qonnx.sigmoid"


def test_defaults_are_not_printed_in_custom_form():
    text = to_text(module_of(CASES["quant"]()))
    assert "narrow = true" in text and "signed" not in text and "rounding_mode" not in text


# ----------------------------------------------------------------------------- constants


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float16, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32]
)
def test_constant_numpy_round_trip(dtype):
    array = (np.arange(12) - 5).astype(dtype).reshape(3, 4)
    op = build_constant(array)
    op.verify()
    assert op.to_numpy().dtype == np.dtype(dtype)
    np.testing.assert_array_equal(op.to_numpy(), array)
    # and through the printed text
    (reparsed,) = [o for o in parse(to_text(module_of(op))).walk() if isinstance(o, q.ConstantOp)]
    np.testing.assert_array_equal(reparsed.to_numpy(), array)


def test_constant_from_non_contiguous_array():
    array = np.arange(6, dtype=np.float32).reshape(2, 3).T
    np.testing.assert_array_equal(q.ConstantOp.from_numpy(array).to_numpy(), array)


def test_constant_value_is_bytes():
    op = q.ConstantOp.from_numpy(fa(1, 2))
    assert isinstance(op.value, DenseIntOrFPElementsAttr)
    assert op.value.data.data == fa(1, 2).tobytes()


def test_constant_custom_format():
    plain = to_text(module_of(build_constant(fa(1, 2))))
    assert "qonnx.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>\n" in plain
    refined = to_text(module_of(build_constant(W2, si(2), "W")))
    assert 'qonnx.constant {node_name = "W"} dense<' in refined
    assert ": tensor<4x3xf32> -> tensor<4x3xsi2>" in refined


@pytest.mark.parametrize(
    "text",
    [
        "qonnx.constant dense<[1.0, -1.0]> : tensor<2xf32> -> tensor<2x!qonnx.bipolar>",
        "qonnx.constant dense<[4, 5]> : tensor<2xi64>",
        'qonnx.constant {node_name = "c"} dense<1.0> : tensor<2xf32>',
    ],
)
def test_constant_parse_print(text):
    module = parse(f"%c = {text}")
    module.verify()
    assert to_text(parse(to_text(module))) == to_text(module)


def test_constant_node_name_is_a_property_and_other_attributes_stay():
    module = parse('%c = qonnx.constant {node_name = "c", foo = 3 : i64} dense<1.0> : tensor<2xf32>')
    (op,) = [o for o in module.walk() if isinstance(o, q.ConstantOp)]
    assert op.node_name == StringAttr("c") and "node_name" not in op.attributes
    assert op.attributes["foo"].value.data == 3
    text = to_text(module)
    assert '{node_name = "c", foo = 3 : i64} dense<1.000000e+00> : tensor<2xf32>' in text
    assert to_text(parse(text)) == text
    generic = to_text(module, generic=True)
    assert '<{value = dense<1.000000e+00> : tensor<2xf32>, node_name = "c"}> {foo = 3 : i64}' in generic


def test_constant_parse_rejects_non_dense():
    with pytest.raises(Exception, match="expected a dense elements attribute"):
        parse('%c = qonnx.constant "oops"')


def test_constant_value_helper():
    op = CASES["reshape"]()
    np.testing.assert_array_equal(q.constant_value(op.shape), ia(1, -1))
    assert q.constant_value(op.x) is None


# ----------------------------------------------------------------------------- op table


def test_onnx_op_table():
    assert len(q.OPS) == len(set(q.OPS)) == 30
    assert len(q.BY_ONNX_OP) == len(q.OPS)
    for op in q.OPS:
        assert q.BY_ONNX_OP[op.ONNX_OP] is op
        assert op.name.startswith("qonnx.")
        for attr in op.ONNX_ATTRS.values():
            assert attr.prop in op.get_irdl_definition().properties, (op.name, attr.prop)
            assert attr.kind in ("int", "bool", "float", "str", "ints", "type")


def test_dialect_contents():
    assert q.Qonnx.name == "qonnx"
    assert {op.name for op in q.Qonnx.operations} == {op.name for op in q.OPS}
    assert set(q.Qonnx.attributes) == {BipolarType, TernaryType}


# ----------------------------------------------------------------------------- multithreshold


@pytest.mark.parametrize(
    ("shape", "layout", "axis"),
    [
        ((1, 4), "", 1),
        ((1, 5, 4), "", 2),  # rank 3 without a layout is NWC, as qonnx guesses
        ((1, 4, 2, 2), "", 1),
        ((1, 2, 2, 4), "NHWC", 3),
        ((1, 4, 2, 2, 2), "", 1),
        ((1, 4, 7), "NCW", 1),
    ],
)
def test_multithreshold_channel_axis(shape, layout, axis):
    c = shape[axis]
    op = build(q.MultiThresholdOp, [t(*shape), np.zeros((c, 1), np.float32)], [t(*shape)],
               out_dtype=ui(1), data_layout=layout)
    op.verify()
    assert op.channel_axis() == axis


# ----------------------------------------------------------------------------- shared checks


@pytest.mark.parametrize(
    ("operand", "result", "where"),
    [(t(DYN, 4), t(1, 4), r"operand 0 has a dynamic shape tensor<\?x4xf32>"),
     (t(1, 4), t(1, DYN), r"result 0 has a dynamic shape tensor<1x\?xf32>")],
)
def test_dynamic_shapes_are_rejected(operand, result, where):
    op = build(q.ReluOp, [operand], [result])
    with pytest.raises(VerifyException, match=f"{where}; give the model static shapes"):
        op.verify_()


def test_dynamic_shape_from_text():
    module = parse("func.func @f(%x: tensor<?x4xf32>) {\n"
                   "  %y = qonnx.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>\n  func.return\n}")
    with pytest.raises(FinnError, match=r"^m\.mlir: qonnx\.relu: operand 0 has a dynamic shape tensor<\?x4xf32>"):
        verify_module(module, "m.mlir")


def test_non_tensor_operand_is_rejected():
    with pytest.raises(VerifyException, match="f32 should be of base attribute tensor"):
        parse("func.func @f(%x: f32) {\n  %y = qonnx.relu %x : (f32) -> f32\n  func.return\n}").verify()


def test_keeps_dtype():
    op = build(q.IdentityOp, [t(1, 4, elem=si(4))], [t(1, 4, elem=si(8))])
    with pytest.raises(VerifyException, match="result element type si8 must equal the input's si4"):
        op.verify_()


# ----------------------------------------------------------------------------- diagnostics


def test_verify_module_names_op_and_node():
    op = build(q.ConvOp, [t(1, 3, 8, 8), t(4, 3, 3, 3), None], [t(1, 4, 6, 6)], group=3, node_name="Conv_0")
    with pytest.raises(FinnError) as info:
        verify_module(module_of(op), "model.onnx")
    message = str(info.value)
    assert message == ("model.onnx: qonnx.conv 'Conv_0': group 3 must divide input channels 3 "
                       "and output channels 4")
    assert "\n" not in message


def test_verify_module_without_node_name():
    op = build(q.ReluOp, [t(1, 4)], [t(1, 5)])
    with pytest.raises(FinnError, match=r"^x\.mlir: qonnx\.relu: result shape \[1, 5\] does not match "
                                        r"the inferred shape \[1, 4\]$"):
        verify_module(module_of(op), "x.mlir")


def test_verify_module_reports_first_failing_op():
    op = build(q.QuantOp, [t(1, 4), fa(1), fa(0), Quantized(fa(4), ui(2))], [t(1, 4)], node_name="Quant_3")
    with pytest.raises(FinnError, match=r"qonnx\.constant: values are out of range of UINT2"):
        verify_module(module_of(op), "m")


def test_verify_module_accepts_valid_ir():
    for make in CASES.values():
        verify_module(module_of(make()), "ok")


def test_node_name_must_be_a_string():
    op = build(q.ReluOp, [t(1, 4)], [t(1, 4)])
    op.properties["node_name"] = f32
    with pytest.raises(VerifyException, match="f32 should be of base attribute string"):
        op.verify_()
