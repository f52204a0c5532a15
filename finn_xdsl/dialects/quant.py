"""
The `quant` dialect: a QONNX graph as SSA IR.

One op per QONNX/ONNX node type that Brevitas exports (Quant, BipolarQuant, Trunc,
MultiThreshold and the standard ONNX ops around them). Tensors are builtin ranked tensors
whose element type carries the QONNX DataType (see `quant_types`). Every op keeps the
ONNX node name in `node_name`, because it becomes the layer name in reports and the
location of every error we print.

Ops follow ONNX semantics exactly (the reference interpreter in `finn_xdsl.sim` is the
executable definition); the class variables `ONNX_OP` and `ONNX_ATTRS` say which ONNX
node and attributes an op stands for, which is all the frontend needs to import it.
Verifiers check what ONNX requires: static shapes, shape agreement, attribute ranges and
element types that can hold the op's results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Dialect, SSAValue, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import quant_types as qt
from finn_xdsl.dialects.quant_types import BipolarType, TernaryType, bipolar, ternary
from finn_xdsl.utils import onnx_shapes as shp


@dataclass(frozen=True)
class OnnxAttr:
    """How one ONNX node attribute maps onto an op property.

    kind is one of int, bool, float, str, ints, type (a QONNX DataType name).
    """

    prop: str
    kind: str


ROUNDING_MODES = ("ROUND", "HALF_EVEN", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN")
AUTO_PADS = ("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER")


def _bool(value: bool) -> BoolAttr:
    return IntegerAttr.from_bool(value)


def _int(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


def _f32(value: float) -> FloatAttr:
    return FloatAttr(value, f32)


def ints(attr: DenseArrayBase | None, default: Sequence[int] = ()) -> tuple[int, ...]:
    """Python tuple of an optional i64 array property."""
    if attr is None:
        return tuple(default)
    return tuple(int(v) for v in attr.get_values())


def shape_of(value: SSAValue) -> tuple[int, ...]:
    assert isinstance(value.type, TensorType)
    return value.type.get_shape()


def elem_of(value: SSAValue) -> Attribute:
    assert isinstance(value.type, TensorType)
    return value.type.element_type


def constant_value(value: SSAValue) -> np.ndarray | None:
    """The numpy value of `value` if a quant.constant defines it, else None."""
    if isinstance(op := value.owner, ConstantOp):
        return op.to_numpy()
    return None


class QuantOperation(IRDLOperation):
    """Common base: node name, uniform assembly format, static-shape check.

    Subclasses implement `verify_op`; the base `verify_` runs the checks every op
    shares first, so a subclass never sees an unranked or dynamic tensor.
    """

    ONNX_OP: ClassVar[str] = ""
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {}
    # element type of the results must equal that of operand 0 (data movement ops)
    KEEPS_DTYPE: ClassVar[bool] = False

    node_name = opt_prop_def(StringAttr)

    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    @property
    def display_name(self) -> str:
        """The ONNX node name when there is one, else the op name (for messages)."""
        return self.node_name.data if self.node_name is not None else self.name

    def verify_(self) -> None:
        for kind, values in (("operand", self.operands), ("result", self.results)):
            for i, v in enumerate(values):
                if not isinstance(v.type, TensorType):
                    raise VerifyException(f"{kind} {i} must be a tensor, got {v.type}")
                if any(d < 0 for d in v.type.get_shape()):
                    raise VerifyException(
                        f"{kind} {i} has a dynamic shape {v.type}; "
                        "give the model static shapes (e.g. batch size 1)"
                    )
        if self.KEEPS_DTYPE:
            for r in self.results:
                if elem_of(r) != elem_of(self.operands[0]):
                    raise VerifyException(
                        f"result element type {elem_of(r)} must equal the input's "
                        f"{elem_of(self.operands[0])}"
                    )
        self.verify_op()

    def verify_op(self) -> None:
        pass

    def expect_shape(self, result: SSAValue, shape: Sequence[int]) -> None:
        if shape_of(result) != tuple(shape):
            raise VerifyException(
                f"result shape {list(shape_of(result))} does not match the inferred "
                f"shape {list(shape)}"
            )

    def infer(self, fn, *args) -> tuple[int, ...]:
        try:
            return fn(*args)
        except shp.ShapeError as e:
            raise VerifyException(str(e)) from e


# ----------------------------------------------------------------------------- constants


@irdl_op_definition
class ConstantOp(QuantOperation):
    """A constant tensor (ONNX initializer or Constant node), stored as raw bytes.

    The dense value holds the storage type (f32, i64, ...); the result type may refine
    the element type to a quantized one when QONNX annotated the initializer, in which
    case the verifier checks every value is in range.
    """

    name = "quant.constant"
    ONNX_OP: ClassVar[str] = "Constant"

    value = prop_def(DenseIntOrFPElementsAttr)
    output = result_def(TensorType)

    assembly_format = None

    def __init__(self, value: DenseIntOrFPElementsAttr, result_type: Attribute | None = None,
                 node_name: str | None = None):
        props: dict[str, Attribute] = {"value": value}
        if node_name is not None:
            props["node_name"] = StringAttr(node_name)
        super().__init__(properties=props, result_types=[result_type or value.type])

    @staticmethod
    def from_numpy(array: np.ndarray, elem: Attribute | None = None,
                   node_name: str | None = None) -> ConstantOp:
        array = np.ascontiguousarray(array)
        storage = qt.type_from_numpy(array.dtype)
        dense = DenseIntOrFPElementsAttr(TensorType(storage, array.shape), BytesAttr(array.tobytes()))
        result = TensorType(elem, array.shape) if elem is not None else None
        return ConstantOp(dense, result, node_name)

    def to_numpy(self) -> np.ndarray:
        dtype = qt.numpy_dtype(self.value.get_element_type())
        array = np.frombuffer(self.value.data.data, dtype=dtype)
        return array.reshape(self.value.get_shape())

    def verify_op(self) -> None:
        vtype = self.value.type
        rtype = self.output.type
        assert isinstance(vtype, TensorType) and isinstance(rtype, TensorType)
        try:
            qt.numpy_dtype(vtype.element_type)
        except ValueError:
            # to_numpy (the interpreter, every pass reading weights) needs a numpy layout
            raise VerifyException(
                f"value element type {vtype.element_type} is not a storage type; store "
                "the values as f16/f32/f64 or 8/16/32/64-bit integers"
            ) from None
        if vtype.get_shape() != rtype.get_shape():
            raise VerifyException(
                f"value shape {list(vtype.get_shape())} differs from result shape "
                f"{list(rtype.get_shape())}"
            )
        if vtype.element_type == rtype.element_type:
            return
        if not (qt.is_quantized(rtype.element_type) and isinstance(vtype.element_type, Float32Type)):
            raise VerifyException(
                f"result element type {rtype.element_type} can only refine f32 storage "
                f"to a quantized type, not {vtype.element_type}"
            )
        if not qt.contains(rtype.element_type, self.to_numpy()):
            raise VerifyException(
                f"values are out of range of {qt.dtype_name(rtype.element_type)}"
            )

    def print(self, printer: Printer) -> None:
        attrs = dict(self.attributes)
        if self.node_name is not None:
            attrs = {"node_name": self.node_name, **attrs}
        if attrs:
            printer.print_string(" ")
            printer.print_attr_dict(attrs)
        printer.print_string(" ")
        limit = getattr(printer, "elide_above", None)  # see utils.printing.ElidingPrinter
        if limit is not None and len(self.value) > limit:
            printer.print_string("dense_resource<__elided__> : ")
            printer.print_attribute(self.value.type)
        else:
            printer.print_attribute(self.value)
        if self.output.type != self.value.type:
            printer.print_string(" -> ")
            printer.print_attribute(self.output.type)

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        attrs = parser.parse_optional_attr_dict()
        node_name = attrs.pop("node_name", None)
        value = parser.parse_attribute()
        if not isinstance(value, DenseIntOrFPElementsAttr):
            parser.raise_error("expected a dense elements attribute")
        result_type = parser.parse_type() if parser.parse_optional_punctuation("->") else None
        op = ConstantOp(value, result_type)
        if node_name is not None:
            op.properties["node_name"] = node_name
        op.attributes.update(attrs)
        return op


# ----------------------------------------------------------------------------- quantizers


def _check_rounding(mode: StringAttr) -> None:
    if mode.data.upper() not in ROUNDING_MODES:
        raise VerifyException(
            f"rounding_mode '{mode.data}' is not one of {', '.join(ROUNDING_MODES)}"
        )


def _check_broadcasts_to(op: QuantOperation, names: Sequence[str], target: Sequence[int],
                         what: str = "input") -> None:
    for name in names:
        operand = getattr(op, name)
        if operand is None:
            continue
        shape = shape_of(operand)
        try:
            if shp.broadcast(shape, target) != tuple(target):
                raise shp.ShapeError("")
        except shp.ShapeError:
            raise VerifyException(
                f"{name} of shape {list(shape)} does not broadcast to the {what} shape "
                f"{list(target)}"
            ) from None


def _check_bitwidth(op: QuantOperation, name: str) -> int | None:
    """A bit width operand must be a scalar; a constant one an integer in [1, 64].

    Returns the width when it is a constant, for the result-type checks.
    """
    operand = getattr(op, name)
    if math.prod(shape_of(operand)) != 1:
        raise VerifyException(f"{name} must be a scalar, got shape {list(shape_of(operand))}")
    value = constant_value(operand)
    if value is None:
        return None
    b = float(value.reshape(-1)[0])
    # range first: NaN and inf fail it, and int() would raise on them
    if not 1 <= b <= 64 or b != int(b):
        raise VerifyException(f"{name} must be an integer in [1, 64], got {b:g}")
    return int(b)


def _check_nonzero_scale(op: QuantOperation, names: Sequence[str] = ("scale",)) -> None:
    """Quantizers divide by their scales; a constant zero would make every output inf/NaN."""
    for name in names:
        operand = getattr(op, name)
        scale = None if operand is None else constant_value(operand)
        if scale is not None and (np.any(scale == 0) or not np.all(np.isfinite(scale))):
            raise VerifyException(f"{name} must be finite and non-zero")


@irdl_op_definition
class QuantOp(QuantOperation):
    """QONNX Quant: y = (clamp(round(x / scale + zeropt)) - zeropt) * scale.

    signed/narrow/bitwidth select the integer range; a 1-bit signed Quant is bipolar.
    """

    name = "quant.quant"
    ONNX_OP: ClassVar[str] = "Quant"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "signed": OnnxAttr("signed", "bool"),
        "narrow": OnnxAttr("narrow", "bool"),
        "rounding_mode": OnnxAttr("rounding_mode", "str"),
    }
    KEEPS_DTYPE: ClassVar[bool] = False

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    zeropt = operand_def(TensorType)
    bitwidth = operand_def(TensorType)
    output = result_def(TensorType)

    signed = prop_def(BoolAttr, _bool(True))
    narrow = prop_def(BoolAttr, _bool(False))
    rounding_mode = prop_def(StringAttr, StringAttr("ROUND"))

    def verify_op(self) -> None:
        _check_rounding(self.rounding_mode)
        self.expect_shape(self.output, shape_of(self.x))
        _check_broadcasts_to(self, ("scale", "zeropt"), shape_of(self.x))
        _check_nonzero_scale(self)
        bits = _check_bitwidth(self, "bitwidth")
        if bits is not None:
            self._check_result_type(bits)

    def _check_result_type(self, bits: int) -> None:
        elem = elem_of(self.output)
        if not qt.is_quantized(elem):
            return
        signed = self.signed.value.data != 0
        if bits == 1 and signed:
            expected: Attribute = bipolar
        else:
            expected = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
        if elem != expected:
            raise VerifyException(
                f"result element type {elem} does not match a {bits}-bit "
                f"{'signed' if signed else 'unsigned'} quantizer (expected {expected})"
            )
        for name in ("scale", "zeropt"):
            v = constant_value(getattr(self, name))
            want = 1.0 if name == "scale" else 0.0
            if v is not None and not np.all(v == want):
                raise VerifyException(
                    f"integer result type {elem} needs {name} == {want:g}; use f32 for "
                    "scaled quantizers"
                )


@irdl_op_definition
class BipolarQuantOp(QuantOperation):
    """QONNX BipolarQuant: y = (x >= 0 ? +1 : -1) * scale."""

    name = "quant.bipolar_quant"
    ONNX_OP: ClassVar[str] = "BipolarQuant"

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))
        _check_broadcasts_to(self, ("scale",), shape_of(self.x))
        elem = elem_of(self.output)
        if qt.is_quantized(elem) and elem != bipolar:
            raise VerifyException(f"result element type must be !quant.bipolar or a float, got {elem}")
        s = constant_value(self.scale)
        if elem == bipolar and s is not None and not np.all(s == 1.0):
            raise VerifyException("a !quant.bipolar result needs scale == 1")


@irdl_op_definition
class TruncOp(QuantOperation):
    """QONNX Trunc: drop low-order bits of a quantized tensor.

    Opset 1 (no out_scale operand) and opset 2 (out_scale, signed, narrow) semantics;
    which one applies is decided by the presence of `out_scale`.
    """

    name = "quant.trunc"
    ONNX_OP: ClassVar[str] = "Trunc"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "rounding_mode": OnnxAttr("rounding_mode", "str"),
        "signed": OnnxAttr("signed", "bool"),
        "narrow": OnnxAttr("narrow", "bool"),
    }

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    zeropt = operand_def(TensorType)
    in_bitwidth = operand_def(TensorType)
    out_scale = opt_operand_def(TensorType)
    out_bitwidth = operand_def(TensorType)
    output = result_def(TensorType)

    rounding_mode = prop_def(StringAttr, StringAttr("FLOOR"))
    signed = prop_def(BoolAttr, _bool(True))
    narrow = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        _check_rounding(self.rounding_mode)
        self.expect_shape(self.output, shape_of(self.x))
        _check_broadcasts_to(self, ("scale", "zeropt", "out_scale"), shape_of(self.x))
        _check_nonzero_scale(self, ("scale", "out_scale"))
        for name in ("in_bitwidth", "out_bitwidth"):
            _check_bitwidth(self, name)


@irdl_op_definition
class MultiThresholdOp(QuantOperation):
    """QONNX MultiThreshold: y = out_scale * #{i : x >= T[c, i]} + out_bias.

    Thresholds have shape (C, N) or (1, N); C is the channel axis given by data_layout
    (NCHW-style by default, as QONNX guesses from the rank).
    """

    name = "quant.multithreshold"
    ONNX_OP: ClassVar[str] = "MultiThreshold"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "out_dtype": OnnxAttr("out_dtype", "type"),
        "out_scale": OnnxAttr("out_scale", "float"),
        "out_bias": OnnxAttr("out_bias", "float"),
        "data_layout": OnnxAttr("data_layout", "str"),
    }

    x = operand_def(TensorType)
    thresholds = operand_def(TensorType)
    output = result_def(TensorType)

    out_dtype = prop_def(TypeAttribute)
    out_scale = prop_def(FloatAttr, _f32(1.0))
    out_bias = prop_def(FloatAttr, _f32(0.0))
    data_layout = prop_def(StringAttr, StringAttr(""))

    def channel_axis(self) -> int:
        layout = self.data_layout.data
        rank = len(shape_of(self.x))
        if not layout and rank < 5:
            layout = {2: "NC", 3: "NWC", 4: "NCHW"}.get(rank, "")
        return layout.index("C") if "C" in layout else 1

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))
        xs, ts = shape_of(self.x), shape_of(self.thresholds)
        if len(ts) != 2:
            raise VerifyException(f"thresholds must have rank 2 (channels, steps), got {list(ts)}")
        layout = self.data_layout.data
        if layout and (len(layout) != len(xs) or layout.count("C") != 1):
            raise VerifyException(f"data_layout '{layout}' does not fit an input of rank {len(xs)}")
        if len(xs) < 2:
            raise VerifyException("input must have a batch and a channel dimension")
        c = xs[self.channel_axis()]
        if ts[0] not in (1, c):
            raise VerifyException(f"thresholds have {ts[0]} channels, input has {c}")
        if not qt.is_quantized(self.out_dtype):
            raise VerifyException(
                f"out_dtype must be an integer, bipolar or ternary type, got {self.out_dtype}"
            )
        # N thresholds give N + 1 levels (BIPOLAR has 2 values, not hi - lo + 1 = 3)
        if ts[1] + 1 > qt.value_count(self.out_dtype):
            raise VerifyException(
                f"{ts[1]} thresholds give {ts[1] + 1} levels, more than "
                f"{qt.dtype_name(self.out_dtype)} holds"
            )
        elem = elem_of(self.output)
        scale, bias = self.out_scale.value.data, self.out_bias.value.data
        if qt.is_quantized(elem):
            # levels are bias + scale * k, k = 0..N: the ends bound them and the first
            # step tells whether they are all integers (a fractional scale is not)
            ks = sorted({0, min(1, ts[1]), ts[1]})
            levels = np.array([scale * k + bias for k in ks])
            if not qt.contains(elem, levels):
                raise VerifyException(
                    f"outputs {bias:g} + {scale:g} * (0..{ts[1]}) do not fit result type {elem}"
                )


# ----------------------------------------------------------------------------- linear algebra


@irdl_op_definition
class MatMulOp(QuantOperation):
    """ONNX MatMul (numpy matmul semantics)."""

    name = "quant.matmul"
    ONNX_OP: ClassVar[str] = "MatMul"

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, self.infer(shp.matmul, shape_of(self.lhs), shape_of(self.rhs)))


@irdl_op_definition
class GemmOp(QuantOperation):
    """ONNX Gemm: alpha * op(A) @ op(B) + beta * C."""

    name = "quant.gemm"
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
            _check_broadcasts_to(self, ("c",), out, "output")


class _WindowOp(QuantOperation):
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
            return shp.window_output(shape_of(self.operands[0])[2:], kernel, strides, dil, pads, ceil)
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

    name = "quant.conv"
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
            raise VerifyException(f"weights of rank {len(ws)} do not fit an input of rank {len(xs)}")
        g = self.group.value.data
        if g < 1 or xs[1] % g or ws[0] % g:
            raise VerifyException(f"group {g} must divide input channels {xs[1]} and output channels {ws[0]}")
        if ws[1] * g != xs[1]:
            raise VerifyException(f"weights expect {ws[1] * g} input channels, input has {xs[1]}")
        if self.kernel_shape is not None and self.kernel() != ws[2:]:
            raise VerifyException(f"kernel_shape {list(self.kernel())} differs from weight shape {list(ws)}")
        if self.b is not None and shape_of(self.b) != (ws[0],):
            raise VerifyException(f"bias must have shape [{ws[0]}], got {list(shape_of(self.b))}")
        self.expect_shape(self.output, (xs[0], ws[0], *self.infer_spatial()))


# ----------------------------------------------------------------------------- elementwise


class _BinaryOp(QuantOperation):
    """Elementwise binary op with multidirectional broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, self.infer(shp.broadcast, shape_of(self.lhs), shape_of(self.rhs)))


@irdl_op_definition
class AddOp(_BinaryOp):
    name = "quant.add"
    ONNX_OP: ClassVar[str] = "Add"


@irdl_op_definition
class SubOp(_BinaryOp):
    name = "quant.sub"
    ONNX_OP: ClassVar[str] = "Sub"


@irdl_op_definition
class MulOp(_BinaryOp):
    name = "quant.mul"
    ONNX_OP: ClassVar[str] = "Mul"


@irdl_op_definition
class DivOp(_BinaryOp):
    name = "quant.div"
    ONNX_OP: ClassVar[str] = "Div"


@irdl_op_definition
class PowOp(_BinaryOp):
    name = "quant.pow"
    ONNX_OP: ClassVar[str] = "Pow"


class _UnaryOp(QuantOperation):
    x = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))


@irdl_op_definition
class ReluOp(_UnaryOp):
    name = "quant.relu"
    ONNX_OP: ClassVar[str] = "Relu"


@irdl_op_definition
class SigmoidOp(_UnaryOp):
    name = "quant.sigmoid"
    ONNX_OP: ClassVar[str] = "Sigmoid"


@irdl_op_definition
class SqrtOp(_UnaryOp):
    name = "quant.sqrt"
    ONNX_OP: ClassVar[str] = "Sqrt"


@irdl_op_definition
class IdentityOp(_UnaryOp):
    name = "quant.identity"
    ONNX_OP: ClassVar[str] = "Identity"
    KEEPS_DTYPE: ClassVar[bool] = True


@irdl_op_definition
class BatchNormOp(QuantOperation):
    """ONNX BatchNormalization in inference mode."""

    name = "quant.batch_norm"
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
                raise VerifyException(f"{name} must have shape [{xs[1]}], got {list(shape_of(getattr(self, name)))}")
        if self.epsilon.value.data < 0:
            raise VerifyException("epsilon must be non-negative")
        self.expect_shape(self.output, xs)


# ----------------------------------------------------------------------------- pooling


@irdl_op_definition
class MaxPoolOp(_WindowOp):
    """ONNX MaxPool (values only; the Indices output is not supported)."""

    name = "quant.max_pool"
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

    name = "quant.average_pool"
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
class GlobalAveragePoolOp(QuantOperation):
    """ONNX GlobalAveragePool: mean over all spatial dimensions."""

    name = "quant.global_average_pool"
    ONNX_OP: ClassVar[str] = "GlobalAveragePool"

    x = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        xs = shape_of(self.x)
        if len(xs) < 3:
            raise VerifyException("input must be (N, C, spatial...)")
        self.expect_shape(self.output, (*xs[:2], *([1] * (len(xs) - 2))))


# ----------------------------------------------------------------------------- data movement


@irdl_op_definition
class ReshapeOp(QuantOperation):
    """ONNX Reshape; the new shape is an i64 tensor operand."""

    name = "quant.reshape"
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
            out = self.infer(shp.reshape, shape_of(self.x), target.tolist(), bool(self.allowzero.value.data))
            self.expect_shape(self.output, out)
        elif math.prod(shape_of(self.output)) != math.prod(shape_of(self.x)):
            raise VerifyException("result and input hold different numbers of elements")


@irdl_op_definition
class FlattenOp(QuantOperation):
    """ONNX Flatten: (d0..d[axis-1]) x (d[axis]..)."""

    name = "quant.flatten"
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
class TransposeOp(QuantOperation):
    """ONNX Transpose (perm defaults to reversing the axes)."""

    name = "quant.transpose"
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
class ConcatOp(QuantOperation):
    """ONNX Concat along `axis`."""

    name = "quant.concat"
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
                raise VerifyException(f"input shapes {[list(s) for s in shapes]} differ off axis {axis}")
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        self.expect_shape(self.output, out)


@irdl_op_definition
class PadOp(QuantOperation):
    """ONNX Pad (opset >= 11: pads and the constant value are operands)."""

    name = "quant.pad"
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
class TopKOp(QuantOperation):
    """ONNX TopK: the k largest (or smallest) values and their i64 indices."""

    name = "quant.topk"
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
            raise VerifyException(f"values shape {list(vs)} differs from input {list(xs)} off axis {axis}")
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
class ArgMaxOp(QuantOperation):
    """ONNX ArgMax: i64 index of the largest value along `axis`."""

    name = "quant.argmax"
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


OPS: tuple[type[QuantOperation], ...] = (
    ConstantOp,
    QuantOp,
    BipolarQuantOp,
    TruncOp,
    MultiThresholdOp,
    MatMulOp,
    GemmOp,
    ConvOp,
    AddOp,
    SubOp,
    MulOp,
    DivOp,
    PowOp,
    ReluOp,
    SigmoidOp,
    SqrtOp,
    IdentityOp,
    BatchNormOp,
    MaxPoolOp,
    AveragePoolOp,
    GlobalAveragePoolOp,
    ReshapeOp,
    FlattenOp,
    TransposeOp,
    ConcatOp,
    PadOp,
    TopKOp,
    ArgMaxOp,
)

# ONNX op type -> op class, for the frontend and its "supported ops" message.
BY_ONNX_OP: dict[str, type[QuantOperation]] = {op.ONNX_OP: op for op in OPS}

Quant = Dialect("quant", list(OPS), [BipolarType, TernaryType])
