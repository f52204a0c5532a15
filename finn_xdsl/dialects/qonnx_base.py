"""
What every `qonnx` op shares: the base class with its node name, assembly format and
static-shape checks, the helpers verifiers use, and `qonnx.constant`, which every other
op reads its static operands from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
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
    """The numpy value of `value` if a qonnx.constant defines it, else None."""
    if isinstance(op := value.owner, ConstantOp):
        return op.to_numpy()
    return None


class QonnxOperation(IRDLOperation):
    """Common base: node name, uniform assembly format, static-shape check.

    Subclasses implement `verify_op`; the base `verify_` runs the checks every op
    shares first, so a subclass never sees an unranked or dynamic tensor.
    """

    ONNX_OP: ClassVar[str] = ""
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {}
    # element type of the results must equal that of operand 0 (data movement ops)
    KEEPS_DTYPE: ClassVar[bool] = False

    node_name = opt_prop_def(StringAttr)

    # no side effects: dead ops are removed by the greedy driver and `dce`
    traits = traits_def(Pure())

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


def check_broadcasts_to(
    op: QonnxOperation, names: Sequence[str], target: Sequence[int], what: str = "input"
) -> None:
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


# ----------------------------------------------------------------------------- constants


@irdl_op_definition
class ConstantOp(QonnxOperation):
    """A constant tensor (ONNX initializer or Constant node), stored as raw bytes.

    The dense value holds the storage type (f32, i64, ...); the result type may refine
    the element type to a quantized one when QONNX annotated the initializer, in which
    case the verifier checks every value is in range.
    """

    name = "qonnx.constant"
    ONNX_OP: ClassVar[str] = "Constant"

    value = prop_def(DenseIntOrFPElementsAttr)
    output = result_def(TensorType)

    assembly_format = None

    def __init__(
        self,
        value: DenseIntOrFPElementsAttr,
        result_type: Attribute | None = None,
        node_name: str | None = None,
    ):
        props: dict[str, Attribute] = {"value": value}
        if node_name is not None:
            props["node_name"] = StringAttr(node_name)
        super().__init__(properties=props, result_types=[result_type or value.type])

    @staticmethod
    def from_numpy(
        array: np.ndarray, elem: Attribute | None = None, node_name: str | None = None
    ) -> ConstantOp:
        array = np.ascontiguousarray(array)
        storage = qt.type_from_numpy(array.dtype)
        dense = DenseIntOrFPElementsAttr(
            TensorType(storage, array.shape), BytesAttr(array.tobytes())
        )
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
        if not (
            qt.is_quantized(rtype.element_type) and isinstance(vtype.element_type, Float32Type)
        ):
            raise VerifyException(
                f"result element type {rtype.element_type} can only refine f32 storage "
                f"to a quantized type, not {vtype.element_type}"
            )
        if not qt.contains(rtype.element_type, self.to_numpy()):
            raise VerifyException(f"values are out of range of {qt.dtype_name(rtype.element_type)}")

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
