"""
The data-movement ONNX ops of the `qonnx` dialect: Reshape, Flatten, Transpose,
Concat, Pad, TopK and ArgMax.
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    DenseArrayBase,
    IntegerAttr,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    var_operand_def,
)
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects.qonnx_base import (
    OnnxAttr,
    QonnxOperation,
    _bool,
    _int,
    constant_value,
    elem_of,
    ints,
    shape_of,
)
from finn_xdsl.utils import onnx_shapes as shp

# ----------------------------------------------------------------------------- data movement


@irdl_op_definition
class ReshapeOp(QonnxOperation):
    """ONNX Reshape; the new shape is an i64 tensor operand."""

    name = "qonnx.reshape"
    ONNX_OP: ClassVar[str] = "Reshape"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {"allowzero": OnnxAttr("allowzero", "bool")}
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    shape = operand_def(TensorType)
    output = result_def(TensorType)

    allowzero = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        if len(shape_of(self.shape)) != 1 or elem_of(self.shape) != i64:
            raise VerifyException(f"shape must be a 1-D i64 tensor, got {self.shape.type}")
        target = constant_value(self.shape)
        if target is not None:
            out = self.infer(
                shp.reshape, shape_of(self.x), target.tolist(), bool(self.allowzero.value.data)
            )
            self.expect_shape(self.output, out)
        elif math.prod(shape_of(self.output)) != math.prod(shape_of(self.x)):
            raise VerifyException("result and input hold different numbers of elements")


@irdl_op_definition
class FlattenOp(QonnxOperation):
    """ONNX Flatten: (d0..d[axis-1]) x (d[axis]..)."""

    name = "qonnx.flatten"
    ONNX_OP: ClassVar[str] = "Flatten"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {"axis": OnnxAttr("axis", "int")}
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    output = result_def(TensorType)

    axis = prop_def(IntegerAttr[I64], _int(1))

    def verify_op(self) -> None:
        xs = shape_of(self.x)
        axis = self.axis.value.data
        if not -len(xs) <= axis <= len(xs):
            raise VerifyException(f"axis {axis} is out of range for rank {len(xs)}")
        if axis < 0:
            axis += len(xs)
        self.expect_shape(self.output, (math.prod(xs[:axis]), math.prod(xs[axis:])))


@irdl_op_definition
class TransposeOp(QonnxOperation):
    """ONNX Transpose (perm defaults to reversing the axes)."""

    name = "qonnx.transpose"
    ONNX_OP: ClassVar[str] = "Transpose"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {"perm": OnnxAttr("perm", "ints")}
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    output = result_def(TensorType)

    perm = opt_prop_def(DenseArrayBase)

    def permutation(self) -> tuple[int, ...]:
        return ints(self.perm, tuple(reversed(range(len(shape_of(self.x))))))

    def verify_op(self) -> None:
        xs, perm = shape_of(self.x), self.permutation()
        if sorted(perm) != list(range(len(xs))):
            raise VerifyException(f"perm {list(perm)} is not a permutation of {len(xs)} axes")
        self.expect_shape(self.output, tuple(xs[p] for p in perm))


@irdl_op_definition
class ConcatOp(QonnxOperation):
    """ONNX Concat along `axis`."""

    name = "qonnx.concat"
    ONNX_OP: ClassVar[str] = "Concat"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {"axis": OnnxAttr("axis", "int")}

    inputs = var_operand_def(TensorType)
    output = result_def(TensorType)

    axis = prop_def(IntegerAttr[I64])

    def verify_op(self) -> None:
        if not self.inputs:
            raise VerifyException("needs at least one input")
        shapes = [shape_of(v) for v in self.inputs]
        rank = len(shapes[0])
        axis = self.infer(shp.normalize_axis, self.axis.value.data, rank)
        for s in shapes[1:]:
            if len(s) != rank or any(s[i] != shapes[0][i] for i in range(rank) if i != axis):
                raise VerifyException(
                    f"input shapes {[list(s) for s in shapes]} differ off axis {axis}"
                )
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        self.expect_shape(self.output, out)


@irdl_op_definition
class PadOp(QonnxOperation):
    """ONNX Pad (opset >= 11: pads and the constant value are operands)."""

    name = "qonnx.pad"
    ONNX_OP: ClassVar[str] = "Pad"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {"mode": OnnxAttr("mode", "str")}
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    pads = operand_def(TensorType)
    value = opt_operand_def(TensorType)
    output = result_def(TensorType)

    mode = prop_def(StringAttr, StringAttr("constant"))

    def verify_op(self) -> None:
        if self.mode.data not in ("constant", "reflect", "edge"):
            raise VerifyException(f"mode '{self.mode.data}' is not constant, reflect or edge")
        xs = shape_of(self.x)
        if shape_of(self.pads) != (2 * len(xs),) or elem_of(self.pads) != i64:
            raise VerifyException(f"pads must be an i64 tensor of shape [{2 * len(xs)}]")
        if self.value is not None and math.prod(shape_of(self.value)) != 1:
            raise VerifyException(
                f"the pad value must be a scalar, got shape {list(shape_of(self.value))}"
            )
        if len(shape_of(self.output)) != len(xs):
            raise VerifyException(
                f"result rank {len(shape_of(self.output))} differs from input rank {len(xs)}"
            )
        pads = constant_value(self.pads)
        if pads is not None:
            n = len(xs)
            out = [xs[i] + int(pads[i]) + int(pads[n + i]) for i in range(n)]
            if any(d < 1 for d in out):
                raise VerifyException(f"pads {pads.tolist()} leave an empty tensor")
            self.expect_shape(self.output, out)


@irdl_op_definition
class TopKOp(QonnxOperation):
    """ONNX TopK: the k largest (or smallest) values and their i64 indices."""

    name = "qonnx.topk"
    ONNX_OP: ClassVar[str] = "TopK"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "axis": OnnxAttr("axis", "int"),
        "largest": OnnxAttr("largest", "bool"),
        "sorted": OnnxAttr("sorted", "bool"),
    }

    x = operand_def(TensorType)
    k = operand_def(TensorType)
    values = result_def(TensorType)
    indices = result_def(TensorType)

    axis = prop_def(IntegerAttr[I64], _int(-1))
    largest = prop_def(BoolAttr, _bool(True))
    sorted = prop_def(BoolAttr, _bool(True))

    def verify_op(self) -> None:
        xs = shape_of(self.x)
        axis = self.infer(shp.normalize_axis, self.axis.value.data, len(xs))
        if shape_of(self.k) != (1,) or elem_of(self.k) != i64:
            raise VerifyException("k must be an i64 tensor of shape [1]")
        k = constant_value(self.k)
        vs = shape_of(self.values)
        if len(vs) != len(xs) or any(vs[i] != xs[i] for i in range(len(xs)) if i != axis):
            # holds whatever k is; with a constant k the axis is checked below too
            raise VerifyException(
                f"values shape {list(vs)} differs from input {list(xs)} off axis {axis}"
            )
        if k is not None:
            if not 1 <= int(k[0]) <= xs[axis]:
                raise VerifyException(f"k = {int(k[0])} is out of range 1..{xs[axis]}")
            out = list(xs)
            out[axis] = int(k[0])
            self.expect_shape(self.values, out)
        if shape_of(self.indices) != shape_of(self.values) or elem_of(self.indices) != i64:
            raise VerifyException("indices must be i64 with the shape of values")
        if elem_of(self.values) != elem_of(self.x):
            raise VerifyException("values must have the input's element type")


@irdl_op_definition
class ArgMaxOp(QonnxOperation):
    """ONNX ArgMax: i64 index of the largest value along `axis`."""

    name = "qonnx.argmax"
    ONNX_OP: ClassVar[str] = "ArgMax"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "axis": OnnxAttr("axis", "int"),
        "keepdims": OnnxAttr("keepdims", "bool"),
        "select_last_index": OnnxAttr("select_last_index", "bool"),
    }

    x = operand_def(TensorType)
    output = result_def(TensorType)

    axis = prop_def(IntegerAttr[I64], _int(0))
    keepdims = prop_def(BoolAttr, _bool(True))
    select_last_index = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        xs = list(shape_of(self.x))
        axis = self.infer(shp.normalize_axis, self.axis.value.data, len(xs))
        if self.keepdims.value.data:
            xs[axis] = 1
        else:
            del xs[axis]
        self.expect_shape(self.output, xs)
        if elem_of(self.output) != i64:
            raise VerifyException("result must be an i64 tensor")
