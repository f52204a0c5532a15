"""The channels-last ops of lower-conv (qonnx.im2col, qonnx.max_pool_nhwc): bit for bit
against qonnx's own execution of its custom ops Im2Col and MaxPoolNHWC, plus builders,
round trips and verifier rejections.

qonnx's Im2Col reads the input's QONNX DataType from the model's quantization
annotation (it checks that the type allows the pad value), so the one-node models here
annotate it; MaxPoolNHWC runs onnxruntime's MaxPool on the transposed tensor.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conformance_util import QDOMAIN, assert_same, grid
from onnx import TensorProto, helper
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Block, Region
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_layout_ops import (
    Im2ColOp,
    MaxPoolNHWCOp,
    format_input_shape,
    parse_input_shape,
)
from finn_xdsl.dialects.qonnx_types import bipolar, ternary
from finn_xdsl.frontend.load import make_context, parse_mlir
from finn_xdsl.sim import layout_kernels as lk
from finn_xdsl.sim.execute import execute
from finn_xdsl.utils import onnx_shapes as shp

F32 = np.float32
DRAWS = 3


# ----------------------------------------------------------------------------- builders


def _arr(values) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


def module_with(op_cls, x_shape, out_shape, props, elem=f32, out_elem=None) -> ModuleOp:
    """func @main(%x) { %y = op(%x); return %y }."""
    in_t = TensorType(elem, x_shape)
    out_t = TensorType(out_elem or elem, out_shape)
    block = Block(arg_types=[in_t])
    op = op_cls.build(operands=[block.args[0]], result_types=[out_t], properties=props)
    block.add_ops([op, func.ReturnOp(op.output)])
    fn = func.FuncOp("main", ((in_t,), (out_t,)), Region(block))
    return ModuleOp([fn])


def im2col_props(
    kernel, stride, pads=(0, 0, 0, 0), dil=(1, 1), pad_value=0, x_shape=None, dw=False
):
    props = {
        "kernel_size": _arr(kernel),
        "stride": _arr(stride),
        "pad_amount": _arr(pads),
        "dilations": _arr(dil),
        "pad_value": IntegerAttr(pad_value, i64),
        "depthwise": IntegerAttr.from_bool(dw),
    }
    if x_shape is not None:
        props["input_shape"] = StringAttr(format_input_shape(x_shape))
    return props


def im2col_shape(x_shape, kernel, stride, pads, dil):
    oh, ow = shp.window_output(x_shape[1:3], kernel, stride, dil, pads)
    return (x_shape[0], oh, ow, kernel[0] * kernel[1] * x_shape[3])


def maxpool_props(kernel, strides, pads, ceil_mode):
    return {
        "kernel_shape": _arr(kernel),
        "strides": _arr(strides),
        "pads": _arr(pads),
        "ceil_mode": IntegerAttr.from_bool(ceil_mode),
    }


# ----------------------------------------------------------------------------- qonnx reference


def qonnx_run(op_type: str, x: np.ndarray, out_shape, attrs: dict, dtype: str) -> np.ndarray:
    """Execute one qonnx custom-op node with qonnx's execute_onnx."""
    from qonnx.core.datatype import DataType
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.util.basic import qonnx_make_model

    node = helper.make_node(op_type, ["x"], ["y"], domain=QDOMAIN, **attrs)
    graph = helper.make_graph(
        [node],
        "layout",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out_shape))],
    )
    wrapper = ModelWrapper(qonnx_make_model(graph, producer_name="finn-xdsl-test"))
    wrapper.set_tensor_datatype("x", DataType[dtype])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return execute_onnx(wrapper, {"x": x})["y"]


# (x shape NHWC, kernel, stride, pads (Hb, Wb, He, We), dilations)
IM2COL_CASES = [
    ((1, 5, 5, 3), (3, 3), (1, 1), (0, 0, 0, 0), (1, 1)),
    ((1, 6, 6, 2), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 7, 6, 4), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1)),
    ((1, 8, 7, 2), (2, 3), (2, 1), (0, 1, 1, 2), (1, 1)),
    ((1, 9, 9, 3), (3, 3), (1, 2), (2, 2, 2, 2), (2, 2)),
    ((1, 7, 8, 1), (3, 2), (1, 1), (0, 0, 0, 0), (2, 3)),
    ((1, 4, 4, 5), (1, 1), (2, 2), (0, 0, 0, 0), (1, 1)),
    ((1, 4, 4, 5), (4, 4), (1, 1), (0, 0, 0, 0), (1, 1)),
    ((1, 5, 6, 3), (3, 3), (1, 1), (1, 0, 1, 0), (1, 1)),
    ((1, 1, 9, 3), (1, 3), (1, 2), (0, 1, 0, 1), (1, 1)),  # 1-D (dummy H)
    ((1, 9, 1, 2), (3, 1), (1, 1), (1, 0, 1, 0), (1, 1)),  # 1-D (dummy W)
]


@pytest.mark.parametrize(("x_shape", "kernel", "stride", "pads", "dil"), IM2COL_CASES)
@pytest.mark.parametrize("pad_value", [0, -3])
def test_im2col_matches_qonnx(x_shape, kernel, stride, pads, dil, pad_value):
    """Batch 1, as qonnx assumes (its reshape mixes images for N > 1; ours does not, see
    test_im2col_batches_are_independent)."""
    out = im2col_shape(x_shape, kernel, stride, pads, dil)
    module = module_with(
        Im2ColOp, x_shape, out, im2col_props(kernel, stride, pads, dil, pad_value, x_shape)
    )
    module.verify()
    attrs = {
        "kernel_size": list(kernel),
        "stride": list(stride),
        "pad_amount": list(pads),
        "dilations": list(dil),
        "pad_value": pad_value,
        "input_shape": format_input_shape(x_shape),
    }
    rng = np.random.default_rng(7)
    for _ in range(DRAWS):
        x = grid(rng, x_shape)
        ref = qonnx_run("Im2Col", x, out, attrs, dtype="FLOAT32")
        got = execute(module, [x])
        assert_same(got, {"result0": ref})


@pytest.mark.parametrize(
    ("x_shape", "kernel", "strides", "pads", "ceil_mode"),
    [
        ((1, 8, 8, 3), (2, 2), (2, 2), (0, 0, 0, 0), False),
        ((1, 7, 7, 2), (3, 3), (2, 2), (1, 1, 1, 1), False),
        ((1, 7, 7, 2), (2, 2), (2, 2), (0, 0, 0, 0), True),
        ((1, 9, 6, 4), (3, 2), (2, 1), (1, 0, 1, 0), False),
        ((2, 5, 5, 3), (3, 3), (1, 1), (1, 1, 1, 1), False),
        ((1, 10, 10, 1), (3, 3), (3, 3), (0, 0, 0, 0), True),
        ((1, 6, 6, 2), (2, 2), (1, 1), (0, 0, 0, 0), False),
        # ceil_mode where the last window would start in the end padding (ONNX drops it)
        ((1, 5, 5, 2), (2, 2), (2, 2), (1, 1, 1, 1), True),
    ],
)
def test_max_pool_nhwc_matches_qonnx(x_shape, kernel, strides, pads, ceil_mode):
    oh, ow = shp.window_output(x_shape[1:3], kernel, strides, (1, 1), pads, ceil_mode)
    out = (x_shape[0], oh, ow, x_shape[3])
    module = module_with(
        MaxPoolNHWCOp, x_shape, out, maxpool_props(kernel, strides, pads, ceil_mode)
    )
    module.verify()
    attrs = {
        "kernel_shape": list(kernel),
        "strides": list(strides),
        "pads": list(pads),
        "ceil_mode": int(ceil_mode),
    }
    rng = np.random.default_rng(11)
    for _ in range(DRAWS):
        x = (rng.standard_normal(x_shape) * 3).astype(F32)
        ref = qonnx_run("MaxPoolNHWC", x, out, attrs, dtype="FLOAT32")
        got = execute(module, [x])
        assert_same(got, {"result0": ref})


def test_im2col_patch_order_is_kh_kw_c():
    """Vector element (i, j, c) of output pixel (oh, ow) is x[oh*s + i*d, ow*s + j*d, c]."""
    x = np.arange(2 * 6 * 5 * 3, dtype=F32).reshape(2, 6, 5, 3)
    cols = lk.im2col(x, (2, 3), (2, 1), (2, 1), (0, 0, 0, 0))
    assert cols.shape == (2, 2, 3, 2 * 3 * 3)
    n, oh, ow = 1, 1, 2
    vec = cols[n, oh, ow].reshape(2, 3, 3)
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(vec[i, j], x[n, oh * 2 + i * 2, ow * 1 + j * 1])


def test_im2col_batches_are_independent():
    rng = np.random.default_rng(3)
    x = grid(rng, (3, 6, 5, 2))
    args = ((3, 2), (2, 1), (1, 1), (1, 0, 1, 1), -1)
    batched = lk.im2col(x, *args)
    for n in range(3):
        np.testing.assert_array_equal(batched[n : n + 1], lk.im2col(x[n : n + 1], *args))


# ----------------------------------------------------------------------------- IR forms

ROUND_TRIP = """
func.func @main(%x: tensor<1x6x6x2x!qonnx.bipolar>) -> tensor<1x3x3x2x!qonnx.bipolar> {
  %c = qonnx.im2col %x {depthwise = true, dilations = array<i64: 1, 1>, input_shape = "(1,6,6,2)", kernel_size = array<i64: 3, 3>, node_name = "Im2Col_0", pad_amount = array<i64: 1, 1, 1, 1>, pad_value = 0 : i64, stride = array<i64: 1, 1>} : (tensor<1x6x6x2x!qonnx.bipolar>) -> tensor<1x6x6x18x!qonnx.ternary>
  %p = qonnx.max_pool_nhwc %x {ceil_mode = true, kernel_shape = array<i64: 2, 2>, node_name = "MaxPool_0", pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x6x6x2x!qonnx.bipolar>) -> tensor<1x3x3x2x!qonnx.bipolar>
  func.return %p : tensor<1x3x3x2x!qonnx.bipolar>
}
"""


def _print(module: ModuleOp, generic: bool = False) -> str:
    import io

    from xdsl.printer import Printer

    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(module)
    return out.getvalue()


def test_round_trip_custom_and_generic():
    module = parse_mlir(make_context(), ROUND_TRIP, "<test>")
    module.verify()
    text = _print(module)
    assert "qonnx.im2col %x {" in text and "qonnx.max_pool_nhwc %x {" in text
    for generic in (False, True):
        again = parse_mlir(make_context(), _print(module, generic), "<test>")
        again.verify()
        assert _print(again) == text


def test_registered_in_the_dialect_and_onnx_table():
    assert q.BY_ONNX_OP["Im2Col"] is Im2ColOp
    assert q.BY_ONNX_OP["MaxPoolNHWC"] is MaxPoolNHWCOp
    names = {op.name for op in q.Qonnx.operations}
    assert {"qonnx.im2col", "qonnx.max_pool_nhwc"} <= names
    for cls in (Im2ColOp, MaxPoolNHWCOp):
        for attr in cls.ONNX_ATTRS.values():
            assert attr.prop in cls.get_irdl_definition().properties


def test_input_shape_string():
    assert format_input_shape((1, 32, 32, 3)) == "(1,32,32,3)"
    assert parse_input_shape("(1, 32, 32, 3)") == (1, 32, 32, 3)


# ----------------------------------------------------------------------------- verifiers


def _im2col(x_shape=(1, 5, 5, 2), out=None, elem=f32, out_elem=None, declared=None, **kw):
    args = {"kernel": (3, 3), "stride": (1, 1)}
    args.update(kw)
    props = im2col_props(**args, x_shape=declared)
    if out is None:
        out = im2col_shape(
            x_shape,
            args["kernel"],
            args["stride"],
            args.get("pads", (0,) * 4),
            args.get("dil", (1, 1)),
        )
    return module_with(Im2ColOp, x_shape, out, props, elem, out_elem)


def _maxpool(x_shape=(1, 6, 6, 2), out=(1, 3, 3, 2), elem=f32, out_elem=None, **kw):
    args = {"kernel": (2, 2), "strides": (2, 2), "pads": (0, 0, 0, 0), "ceil_mode": False}
    args.update(kw)
    return module_with(MaxPoolNHWCOp, x_shape, out, maxpool_props(**args), elem, out_elem)


def _si(w):
    from xdsl.dialects.builtin import IntegerType, Signedness

    return IntegerType(w, Signedness.SIGNED)


def _ui(w):
    from xdsl.dialects.builtin import IntegerType, Signedness

    return IntegerType(w, Signedness.UNSIGNED)


REJECT = {
    "im2col_rank": (lambda: _im2col(x_shape=(1, 5, 5), out=(1, 3, 3, 18)), "4-D NHWC"),
    "im2col_kernel_len": (
        lambda: _im2col(kernel=(3,), out=(1, 3, 3, 6)),
        "kernel_size must have 2",
    ),
    "im2col_stride_zero": (
        lambda: _im2col(stride=(0, 1), out=(1, 3, 3, 18)),
        "stride must be positive",
    ),
    "im2col_pads_len": (lambda: _im2col(pads=(1, 1), out=(1, 3, 3, 18)), "pad_amount must have 4"),
    "im2col_pads_negative": (
        lambda: _im2col(pads=(0, 0, -1, 0), out=(1, 3, 3, 18)),
        "non-negative",
    ),
    "im2col_shape": (lambda: _im2col(out=(1, 3, 3, 9)), "does not match the inferred shape"),
    "im2col_window_too_big": (
        lambda: _im2col(kernel=(7, 7), out=(1, 1, 1, 98)),
        "larger than padded input",
    ),
    "im2col_input_shape": (
        lambda: _im2col(declared=(1, 5, 5, 3)),
        r"input_shape \[1, 5, 5, 3\] differs",
    ),
    "im2col_dtype_changes": (
        lambda: _im2col(elem=_si(4), out_elem=_si(8)),
        "must equal the input's",
    ),
    "im2col_pad_value_range": (
        lambda: _im2col(elem=_ui(4), pads=(1, 1, 1, 1), pad_value=-1),
        "pad_value -1 is not a value",
    ),
    "im2col_bipolar_zero_pad": (
        lambda: _im2col(elem=bipolar, pads=(1, 1, 1, 1)),
        "pad_value 0 is not a value of the result element type !qonnx.bipolar",
    ),
    "im2col_narrower_result": (
        lambda: _im2col(elem=_si(8), out_elem=_si(4), pads=(1, 1, 1, 1)),
        "does not hold the input's",
    ),
    "maxpool_rank": (lambda: _maxpool(x_shape=(1, 6, 6), out=(1, 3, 3)), "4-D NHWC"),
    "maxpool_shape": (lambda: _maxpool(out=(1, 3, 3, 3)), "does not match the inferred shape"),
    "maxpool_strides_len": (lambda: _maxpool(strides=(2,)), "strides must have 2"),
    "maxpool_dtype": (lambda: _maxpool(elem=_si(4), out_elem=_si(8)), "must equal the input's"),
}


@pytest.mark.parametrize("case", REJECT)
def test_verifier_rejects(case):
    make, match = REJECT[case]
    module = make()
    with pytest.raises(VerifyException, match=match):
        module.verify()


@pytest.mark.parametrize(
    ("elem", "out_elem"),
    [(bipolar, ternary), (bipolar, f32), (_si(4), _si(8)), (_ui(2), _si(4))],
)
def test_padding_may_widen_the_element_type(elem, out_elem):
    _im2col(elem=elem, out_elem=out_elem, pads=(1, 1, 1, 1)).verify()
