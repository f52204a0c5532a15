"""
What every `dataflow` layer op shares: the base class (node name, `impl`, assembly
format, the checks every layer needs), Python <-> property conversion, the dense
weight/threshold helpers, and the verifier helpers whose messages name FINN's constraints
(e.g. "MH % PE == 0 violated: MH=64, PE=5").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, prop_def
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import StreamType

# every value a layer's `impl` may take ("": not yet specialised); a layer class's `IMPLS`
# lists those it exists in
IMPL_VALUES = ("", "hls", "rtl")
MEM_MODES = ("internal_embedded", "internal_decoupled", "external")
RAM_STYLES = ("auto", "block", "distributed", "ultra")

# property defaults shared by the layers
ONE = IntegerAttr(1, i64)
ZERO = IntegerAttr(0, i64)
FALSE = IntegerAttr.from_bool(False)

# ----------------------------------------------------------------------------- properties


def to_attr(value: Any) -> Attribute:
    """A Python value as the property attribute the dialect stores.

    bool -> i1, int -> i64, str -> string, tuple/list of ints -> array<i64>, numpy array ->
    dense (see `dense_ints`); attributes pass through unchanged.
    """
    if isinstance(value, Attribute):
        return value
    if isinstance(value, bool | np.bool_):
        return IntegerAttr.from_bool(bool(value))
    if isinstance(value, int | np.integer):
        return IntegerAttr(int(value), i64)
    if isinstance(value, str):
        return StringAttr(value)
    if isinstance(value, tuple | list):
        return DenseArrayBase.from_list(i64, [int(v) for v in value])
    if isinstance(value, np.ndarray):
        return dense_ints(value)
    raise TypeError(f"no dataflow property attribute for {value!r}")


def from_attr(attr: Attribute | None) -> Any:
    """The Python value of a property attribute (inverse of `to_attr`)."""
    match attr:
        case None:
            return None
        case IntegerAttr() if attr.type == IntegerType(1):
            return bool(attr.value.data)
        case IntegerAttr():
            return attr.value.data
        case StringAttr():
            return attr.data
        case DenseArrayBase():
            return tuple(int(v) for v in attr.get_values())
        case DenseIntOrFPElementsAttr():
            return dense_to_numpy(attr)
    return attr


def dense_ints(array: np.ndarray, width: int | None = None) -> DenseIntOrFPElementsAttr:
    """An integer numpy array as a dense attribute built from its bytes.

    Storage is i32 when every value fits (weights), else i64; `width` forces 32 or 64
    (thresholds are always i64). Raises ValueError for non-integral values.
    """
    array = np.asarray(array)
    if array.dtype.kind == "f" and not (np.all(np.isfinite(array)) and np.all(array == np.round(array))):
        raise ValueError("dense integer attributes need integral values")
    values = array.astype(np.int64)
    if width is None:
        info = np.iinfo(np.int32)
        fits = values.size == 0 or (values.min() >= info.min and values.max() <= info.max)
        width = 32 if fits else 64
    storage = np.ascontiguousarray(values.astype(np.int32 if width == 32 else np.int64))
    return DenseIntOrFPElementsAttr(
        TensorType(IntegerType(width), storage.shape), BytesAttr(storage.tobytes())
    )


def dense_to_numpy(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The values of an integer dense attribute as int64, in its shape (splats expanded)."""
    elem = attr.get_element_type()
    if not isinstance(elem, IntegerType) or elem.width.data not in (8, 16, 32, 64):
        raise ValueError(f"expected 8/16/32/64-bit integer storage, got {elem}")
    dtype = np.dtype(f"{'u' if elem.signedness.data == Signedness.UNSIGNED else 'i'}{elem.width.data // 8}")
    flat = np.frombuffer(attr.data.data, dtype=dtype).astype(np.int64)
    shape = attr.get_shape()
    if flat.size == 1 and math.prod(shape) != 1:
        return np.full(shape, flat[0], dtype=np.int64)
    return flat.reshape(shape)


def stream_of(value: SSAValue | Operation) -> StreamType:
    """The stream type of a value (builders take the op or the value)."""
    v = SSAValue.get(value)
    if not isinstance(v.type, StreamType):
        raise TypeError(f"expected a !dataflow.stream value, got {v.type}")
    return v.type


# ----------------------------------------------------------------------------- checks


def check_fold(total_name: str, total: int, fold_name: str, fold: int) -> None:
    """FINN's folding constraint `total % fold == 0` (and fold >= 1)."""
    if fold < 1:
        raise VerifyException(f"{fold_name} must be >= 1, got {fold}")
    if total % fold != 0:
        raise VerifyException(
            f"{total_name} % {fold_name} == 0 violated: {total_name}={total}, {fold_name}={fold}"
        )


def check_choice(prop: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        shown = ", ".join(f'"{c}"' for c in choices)
        raise VerifyException(f'{prop} "{value}" is not one of {shown}')


def check_range_fits(what: str, lo: int, hi: int, elem: Attribute) -> None:
    """The integer range [lo, hi] must fit the quantized element type."""
    if not qt.contains(elem, np.array([lo, hi], dtype=np.float64)):
        raise VerifyException(f"{what} [{lo}, {hi}] does not fit the output type {elem}")


def check_thresholds(t: np.ndarray, channels: int) -> None:
    """Thresholds are (channels or 1, N) and sorted ascending per row (a MultiThreshold)."""
    if t.ndim != 2:
        raise VerifyException(f"thresholds must have rank 2 (channels, steps), got {list(t.shape)}")
    if t.shape[0] not in (1, channels):
        raise VerifyException(
            f"thresholds have {t.shape[0]} rows, expected 1 or the {channels} channels"
        )
    if t.shape[1] < 1:
        raise VerifyException("thresholds need at least one step")
    unsorted = np.nonzero(np.any(np.diff(t, axis=1) < 0, axis=1))[0]
    if unsorted.size:
        raise VerifyException(f"thresholds must be sorted ascending in every row (row {unsorted[0]} is not)")


def check_threshold_levels(steps: int, act_val: int, out: Attribute) -> None:
    """Outputs c + act_val, c = 0..steps (bipolar: 2c - 1 with one step) must fit `out`."""
    if isinstance(out, qt.BipolarType):
        if steps != 1:
            raise VerifyException(f"a bipolar output takes exactly 1 threshold step, got {steps}")
        if act_val != 0:
            raise VerifyException(f"a bipolar output takes act_val = 0, got {act_val}")
        return
    check_range_fits(f"outputs {act_val} + (0..{steps}) =", act_val, act_val + steps, out)


def checked_dense(attr: DenseIntOrFPElementsAttr, what: str) -> np.ndarray:
    """`dense_to_numpy` for verifiers: a non-integer storage type is a verification error."""
    try:
        return dense_to_numpy(attr)
    except ValueError as e:
        raise VerifyException(f"{what}: {e}") from None


# ----------------------------------------------------------------------------- base class


class DataflowOperation(IRDLOperation):
    """Common base of the streaming layers: node name, implementation style, syntax.

    `node_name` is the FINN layer name used in reports and folding configs ("MVAU_0");
    `impl` is "" until `specialize` picks "hls" or "rtl". Subclasses give their FINN op
    type (`FINN_OP`), the impls that exist for it (`IMPLS`: FINN's and our libraries' —
    `impl` names the backend that realises the layer), the allowed values of their
    string properties (`CHOICES`), implement `verify_op` and `cycles`.
    """

    FINN_OP: ClassVar[str] = ""
    IMPLS: ClassVar[tuple[str, ...]] = IMPL_VALUES
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}
    # result element types must equal that of operand 0 (data movement layers)
    KEEPS_DTYPE: ClassVar[bool] = False

    node_name = prop_def(StringAttr)
    impl = prop_def(StringAttr, StringAttr(""))

    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def __init__(
        self,
        operands: Sequence[SSAValue | Operation | Sequence[SSAValue | Operation]],
        result_types: Sequence[Attribute | Sequence[Attribute]],
        node_name: str,
        **props: Any,
    ):
        """Build from Python property values (None = leave the property at its default)."""
        properties: dict[str, Attribute] = {"node_name": StringAttr(node_name)}
        properties.update((k, to_attr(v)) for k, v in props.items() if v is not None)
        super().__init__(operands=operands, result_types=result_types, properties=properties)

    # ------------------------------------------------------------------ Python access

    @property
    def display_name(self) -> str:
        return self.node_name.data

    def value_of(self, prop: str) -> Any:
        """A property as a Python value: op.value_of("pe") -> 4."""
        return from_attr(self.properties.get(prop))

    def set_values(self, **props: Any) -> None:
        """Set properties from Python values: op.set_values(pe=4, simd=8)."""
        for key, value in props.items():
            self.properties[key] = to_attr(value)

    def finn_op_type(self) -> str:
        """FINN's op type: "MVAU" before specialisation, "MVAU_rtl" after."""
        impl = self.impl.data
        return f"{self.FINN_OP}_{impl}" if impl else self.FINN_OP

    def in_type(self, index: int = 0) -> StreamType:
        t = self.operands[index].type
        assert isinstance(t, StreamType)
        return t

    def out_type(self, index: int = 0) -> StreamType:
        t = self.results[index].type
        assert isinstance(t, StreamType)
        return t

    def vectors(self) -> int:
        """Π(input shape[:-1]): FINN's Π(numInputVectors)."""
        return self.in_type().vectors()

    def cycles(self) -> int:
        """Ideal cycles per frame (FINN's get_exp_cycles)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ verification

    def verify_(self) -> None:
        check_choice("impl", self.impl.data, self.IMPLS)
        for prop, choices in self.CHOICES.items():
            check_choice(prop, self.value_of(prop), choices)
        if not self.node_name.data:
            raise VerifyException("node_name must not be empty")
        if self.KEEPS_DTYPE:
            for r in self.results:
                if self.out_type(r.index).element_type != self.in_type().element_type:
                    raise VerifyException(
                        f"result element type {self.out_type(r.index).element_type} must "
                        f"equal the input's {self.in_type().element_type}"
                    )
        self.verify_op()

    def verify_op(self) -> None:
        pass

    def expect_shape(self, index: int, shape: Sequence[int]) -> None:
        got = self.out_type(index).shape
        if got != tuple(shape):
            raise VerifyException(
                f"result shape {list(got)} does not match the inferred shape {list(shape)}"
            )

    def expect_lanes(self, value: SSAValue, what: str, fold_name: str, fold: int) -> None:
        """A stream's lanes must equal a folding factor (input lanes == SIMD, ...)."""
        stream = value.type
        assert isinstance(stream, StreamType)
        if stream.num_lanes != fold:
            raise VerifyException(
                f"{what} lanes must equal {fold_name}: lanes={stream.num_lanes}, {fold_name}={fold}"
            )

    def expect_rank4(self) -> tuple[int, int, int, int]:
        """The input is an NHWC image with batch 1: returns (1, H, W, C)."""
        shape = self.in_type().shape
        if len(shape) != 4 or shape[0] != 1:
            raise VerifyException(f"input must be an NHWC image with batch 1, got shape {list(shape)}")
        return shape  # type: ignore[return-value]
