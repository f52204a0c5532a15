"""
The arithmetic ONNX ops of the `qonnx` dialect: MatMul, Gemm, Conv, elementwise ops,
BatchNormalization and pooling, with ONNX semantics and shape rules.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
)
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects.qonnx_base import (
    OnnxAttr,
    QonnxOperation,
    _bool,
    _f32,
    _int,
    check_broadcasts_to,
    ints,
    shape_of,
)
from finn_xdsl.utils import onnx_shapes as shp

# ----------------------------------------------------------------------------- linear algebra


@irdl_op_definition
class MatMulOp(QonnxOperation):
    """ONNX MatMul (numpy matmul semantics)."""

    name = "qonnx.matmul"
    ONNX_OP: ClassVar[str] = "MatMul"

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(
            self.output, self.infer(shp.matmul, shape_of(self.lhs), shape_of(self.rhs))
        )


@irdl_op_definition
class GemmOp(QonnxOperation):
    """ONNX Gemm: alpha * op(A) @ op(B) + beta * C."""

    name = "qonnx.gemm"
    ONNX_OP: ClassVar[str] = "Gemm"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "alpha": OnnxAttr("alpha", "float"),
        "beta": OnnxAttr("beta", "float"),
        "transA": OnnxAttr("trans_a", "bool"),
        "transB": OnnxAttr("trans_b", "bool"),
    }

    a = operand_def(TensorType)
    b = operand_def(TensorType)
    c = opt_operand_def(TensorType)
    output = result_def(TensorType)

    alpha = prop_def(FloatAttr, _f32(1.0))
    beta = prop_def(FloatAttr, _f32(1.0))
    trans_a = prop_def(BoolAttr, _bool(False))
    trans_b = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        a, b = shape_of(self.a), shape_of(self.b)
        if len(a) != 2 or len(b) != 2:
            raise VerifyException("Gemm operands A and B must be 2-D")
        if self.trans_a.value.data:
            a = a[::-1]
        if self.trans_b.value.data:
            b = b[::-1]
        if a[1] != b[0]:
            raise VerifyException(f"inner dimensions differ: {list(a)} x {list(b)}")
        out = (a[0], b[1])
        self.expect_shape(self.output, out)
        if self.c is not None:
            check_broadcasts_to(self, ("c",), out, "output")


class _WindowOp(QonnxOperation):
    """Shared attribute handling for Conv, MaxPool and AveragePool."""

    def spatial_rank(self) -> int:
        return len(shape_of(self.operands[0])) - 2

    def kernel(self) -> tuple[int, ...]:
        return ints(self.kernel_shape)

    def window(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """(kernel, strides, dilations, explicit pads) with ONNX defaults resolved."""
        n = self.spatial_rank()
        kernel = self.kernel()
        strides = ints(self.strides, (1,) * n)
        dil = ints(getattr(self, "dilations", None), (1,) * n)
        in_spatial = shape_of(self.operands[0])[2:]
        pads = shp.pool_pads(in_spatial, kernel, strides, dil, ints(self.pads), self.auto_pad.data)
        return kernel, strides, dil, pads

    def check_rank(self) -> None:
        if self.spatial_rank() < 1:
            raise VerifyException("input must be (N, C, spatial...) with at least one spatial dim")

    def check_window_attrs(self) -> None:
        """Lengths and signs of kernel/strides/dilations, before auto_pad arithmetic uses them."""
        n = self.spatial_rank()
        for name, vals in (
            ("kernel_shape", self.kernel()),
            ("strides", ints(self.strides, (1,) * n)),
            ("dilations", ints(getattr(self, "dilations", None), (1,) * n)),
        ):
            if len(vals) != n:
                raise VerifyException(f"{name} must have {n} entries, got {len(vals)}")
            if any(v < 1 for v in vals):
                raise VerifyException(f"{name} must be positive, got {list(vals)}")

    def infer_spatial(self) -> tuple[int, ...]:
        self.check_rank()
        self.check_window_attrs()
        try:
            kernel, strides, dil, pads = self.window()
            ceil = bool(getattr(self, "ceil_mode", None) and self.ceil_mode.value.data)
            return shp.window_output(
                shape_of(self.operands[0])[2:], kernel, strides, dil, pads, ceil
            )
        except shp.ShapeError as e:
            raise VerifyException(str(e)) from e


_WINDOW_ATTRS = {
    "auto_pad": OnnxAttr("auto_pad", "str"),
    "kernel_shape": OnnxAttr("kernel_shape", "ints"),
    "pads": OnnxAttr("pads", "ints"),
    "strides": OnnxAttr("strides", "ints"),
}


@irdl_op_definition
class ConvOp(_WindowOp):
    """ONNX Conv (N-d, grouped, dilated), weights (M, C/group, k...)."""

    name = "qonnx.conv"
    ONNX_OP: ClassVar[str] = "Conv"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        **_WINDOW_ATTRS,
        "dilations": OnnxAttr("dilations", "ints"),
        "group": OnnxAttr("group", "int"),
    }

    x = operand_def(TensorType)
    w = operand_def(TensorType)
    b = opt_operand_def(TensorType)
    output = result_def(TensorType)

    auto_pad = prop_def(StringAttr, StringAttr("NOTSET"))
    kernel_shape = opt_prop_def(DenseArrayBase)
    pads = opt_prop_def(DenseArrayBase)
    strides = opt_prop_def(DenseArrayBase)
    dilations = opt_prop_def(DenseArrayBase)
    group = prop_def(IntegerAttr[I64], _int(1))

    def kernel(self) -> tuple[int, ...]:
        return ints(self.kernel_shape, shape_of(self.w)[2:])

    def verify_op(self) -> None:
        self.check_rank()
        xs, ws = shape_of(self.x), shape_of(self.w)
        if len(ws) != len(xs):
            raise VerifyException(
                f"weights of rank {len(ws)} do not fit an input of rank {len(xs)}"
            )
        g = self.group.value.data
        if g < 1 or xs[1] % g or ws[0] % g:
            raise VerifyException(
                f"group {g} must divide input channels {xs[1]} and output channels {ws[0]}"
            )
        if ws[1] * g != xs[1]:
            raise VerifyException(f"weights expect {ws[1] * g} input channels, input has {xs[1]}")
        if self.kernel_shape is not None and self.kernel() != ws[2:]:
            raise VerifyException(
                f"kernel_shape {list(self.kernel())} differs from weight shape {list(ws)}"
            )
        if self.b is not None and shape_of(self.b) != (ws[0],):
            raise VerifyException(f"bias must have shape [{ws[0]}], got {list(shape_of(self.b))}")
        self.expect_shape(self.output, (xs[0], ws[0], *self.infer_spatial()))


# ----------------------------------------------------------------------------- elementwise


class _BinaryOp(QonnxOperation):
    """Elementwise binary op with multidirectional broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(
            self.output, self.infer(shp.broadcast, shape_of(self.lhs), shape_of(self.rhs))
        )


@irdl_op_definition
class AddOp(_BinaryOp):
    name = "qonnx.add"
    ONNX_OP: ClassVar[str] = "Add"


@irdl_op_definition
class SubOp(_BinaryOp):
    name = "qonnx.sub"
    ONNX_OP: ClassVar[str] = "Sub"


@irdl_op_definition
class MulOp(_BinaryOp):
    name = "qonnx.mul"
    ONNX_OP: ClassVar[str] = "Mul"


@irdl_op_definition
class DivOp(_BinaryOp):
    name = "qonnx.div"
    ONNX_OP: ClassVar[str] = "Div"


@irdl_op_definition
class PowOp(_BinaryOp):
    name = "qonnx.pow"
    ONNX_OP: ClassVar[str] = "Pow"


class _UnaryOp(QonnxOperation):
    x = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))


@irdl_op_definition
class ReluOp(_UnaryOp):
    name = "qonnx.relu"
    ONNX_OP: ClassVar[str] = "Relu"


@irdl_op_definition
class SigmoidOp(_UnaryOp):
    name = "qonnx.sigmoid"
    ONNX_OP: ClassVar[str] = "Sigmoid"


@irdl_op_definition
class SqrtOp(_UnaryOp):
    name = "qonnx.sqrt"
    ONNX_OP: ClassVar[str] = "Sqrt"


@irdl_op_definition
class IdentityOp(_UnaryOp):
    name = "qonnx.identity"
    ONNX_OP: ClassVar[str] = "Identity"
    KEEPS_DTYPE: ClassVar[bool] = True


@irdl_op_definition
class BatchNormOp(QonnxOperation):
    """ONNX BatchNormalization in inference mode."""

    name = "qonnx.batch_norm"
    ONNX_OP: ClassVar[str] = "BatchNormalization"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "epsilon": OnnxAttr("epsilon", "float"),
        "momentum": OnnxAttr("momentum", "float"),
        "training_mode": OnnxAttr("training_mode", "bool"),
    }

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    bias = operand_def(TensorType)
    mean = operand_def(TensorType)
    var = operand_def(TensorType)
    output = result_def(TensorType)

    epsilon = prop_def(FloatAttr, _f32(1e-5))
    momentum = prop_def(FloatAttr, _f32(0.9))
    training_mode = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        if self.training_mode.value.data:
            raise VerifyException("training_mode is not supported; export the model in eval mode")
        xs = shape_of(self.x)
        if len(xs) < 2:
            raise VerifyException("input must be (N, C, ...)")
        for name in ("scale", "bias", "mean", "var"):
            if shape_of(getattr(self, name)) != (xs[1],):
                raise VerifyException(
                    f"{name} must have shape [{xs[1]}], got {list(shape_of(getattr(self, name)))}"
                )
        if self.epsilon.value.data < 0:
            raise VerifyException("epsilon must be non-negative")
        self.expect_shape(self.output, xs)


# ----------------------------------------------------------------------------- pooling


@irdl_op_definition
class MaxPoolOp(_WindowOp):
    """ONNX MaxPool (values only; the Indices output is not supported)."""

    name = "qonnx.max_pool"
    ONNX_OP: ClassVar[str] = "MaxPool"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        **_WINDOW_ATTRS,
        "dilations": OnnxAttr("dilations", "ints"),
        "ceil_mode": OnnxAttr("ceil_mode", "bool"),
        "storage_order": OnnxAttr("storage_order", "int"),
    }
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    output = result_def(TensorType)

    auto_pad = prop_def(StringAttr, StringAttr("NOTSET"))
    kernel_shape = prop_def(DenseArrayBase)
    pads = opt_prop_def(DenseArrayBase)
    strides = opt_prop_def(DenseArrayBase)
    dilations = opt_prop_def(DenseArrayBase)
    ceil_mode = prop_def(BoolAttr, _bool(False))
    storage_order = prop_def(IntegerAttr[I64], _int(0))

    def verify_op(self) -> None:
        if self.storage_order.value.data not in (0, 1):
            raise VerifyException(
                f"storage_order must be 0 (row major) or 1 (column major), got "
                f"{self.storage_order.value.data}"
            )
        xs = shape_of(self.x)
        self.expect_shape(self.output, (*xs[:2], *self.infer_spatial()))


@irdl_op_definition
class AveragePoolOp(_WindowOp):
    """ONNX AveragePool."""

    name = "qonnx.average_pool"
    ONNX_OP: ClassVar[str] = "AveragePool"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        **_WINDOW_ATTRS,
        "ceil_mode": OnnxAttr("ceil_mode", "bool"),
        "count_include_pad": OnnxAttr("count_include_pad", "bool"),
    }

    x = operand_def(TensorType)
    output = result_def(TensorType)

    auto_pad = prop_def(StringAttr, StringAttr("NOTSET"))
    kernel_shape = prop_def(DenseArrayBase)
    pads = opt_prop_def(DenseArrayBase)
    strides = opt_prop_def(DenseArrayBase)
    ceil_mode = prop_def(BoolAttr, _bool(False))
    count_include_pad = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        xs = shape_of(self.x)
        self.expect_shape(self.output, (*xs[:2], *self.infer_spatial()))


@irdl_op_definition
class GlobalAveragePoolOp(QonnxOperation):
    """ONNX GlobalAveragePool: mean over all spatial dimensions."""

    name = "qonnx.global_average_pool"
    ONNX_OP: ClassVar[str] = "GlobalAveragePool"

    x = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        xs = shape_of(self.x)
        if len(xs) < 3:
            raise VerifyException("input must be (N, C, spatial...)")
        self.expect_shape(self.output, (*xs[:2], *([1] * (len(xs) - 2))))
