"""
Element types of the `qonnx` dialect and their QONNX DataType names.

QONNX annotates every tensor with a DataType (INT4, UINT2, BIPOLAR, FLOAT32, ...) in
side metadata. We put that information into the IR type itself, so that a verifier, a
pass or a backend never has to look anything up: builtin `si<N>`/`ui<N>` for signed and
unsigned integers, `ui1` for BINARY, and dialect types for the value sets builtin MLIR
has no name for (bipolar {-1, +1}, ternary {-1, 0, +1}).

The *storage* of a tensor is independent from its element type: QONNX keeps quantized
values in float32 containers, and so does our reference interpreter. `storage_dtype`
says which numpy dtype holds a tensor of a given element type.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    Signedness,
    f16,
    f32,
    f64,
)
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition


@irdl_attr_definition
class BipolarType(ParametrizedAttribute, TypeAttribute):
    """QONNX BIPOLAR: the value set {-1, +1}, stored in hardware as {0, 1}."""

    name = "qonnx.bipolar"


@irdl_attr_definition
class TernaryType(ParametrizedAttribute, TypeAttribute):
    """QONNX TERNARY: the value set {-1, 0, +1}."""

    name = "qonnx.ternary"


bipolar = BipolarType()
ternary = TernaryType()

# Element types that tell which numbers a tensor may hold (beyond plain floats).
QonnxElementType = IntegerType | BipolarType | TernaryType

_FLOAT_NAMES: dict[str, Attribute] = {"FLOAT32": f32, "FLOAT16": f16, "FLOAT64": f64}


def type_from_dtype_name(name: str) -> Attribute:
    """Map a QONNX DataType name (INT4, UINT2, BIPOLAR, FLOAT32, ...) to an IR type."""
    if name in _FLOAT_NAMES:
        return _FLOAT_NAMES[name]
    if name == "BIPOLAR":
        return bipolar
    if name == "TERNARY":
        return ternary
    if name == "BINARY":
        return IntegerType(1, Signedness.UNSIGNED)
    for prefix, sign in (("UINT", Signedness.UNSIGNED), ("INT", Signedness.SIGNED)):
        digits = name[len(prefix) :]
        # ASCII digits only: str.isdigit() also accepts e.g. "²", which int() rejects
        if name.startswith(prefix) and digits.isascii() and digits.isdigit():
            width = int(digits)
            if 1 <= width <= 64 and not (width == 1 and sign == Signedness.SIGNED):
                return IntegerType(width, sign)
    raise ValueError(f"unsupported QONNX data type '{name}'")


def dtype_name(type: Attribute) -> str:
    """The QONNX DataType name of an IR element type (inverse of type_from_dtype_name)."""
    match type:
        case BipolarType():
            return "BIPOLAR"
        case TernaryType():
            return "TERNARY"
        case Float32Type():
            return "FLOAT32"
        case Float16Type():
            return "FLOAT16"
        case Float64Type():
            return "FLOAT64"
        case IntegerType(signedness=s) if s.data == Signedness.UNSIGNED:
            return "BINARY" if type.width.data == 1 else f"UINT{type.width.data}"
        case IntegerType(signedness=s) if s.data == Signedness.SIGNED:
            return f"INT{type.width.data}"
    raise ValueError(f"type {type} has no QONNX data type name")


def is_quantized(type: Attribute) -> bool:
    """True for element types that restrict values to a finite integer set."""
    if isinstance(type, BipolarType | TernaryType):
        return True
    return isinstance(type, IntegerType) and type.signedness.data != Signedness.SIGNLESS


def value_range(type: Attribute) -> tuple[int, int]:
    """Smallest and largest value a quantized element type can hold."""
    if isinstance(type, BipolarType | TernaryType):
        return (-1, 1)
    if isinstance(type, IntegerType):
        w = type.width.data
        if type.signedness.data == Signedness.UNSIGNED:
            return (0, 2**w - 1)
        return (-(2 ** (w - 1)), 2 ** (w - 1) - 1)
    raise ValueError(f"type {type} is not a quantized type")


def value_count(type: Attribute) -> int:
    """How many distinct values a quantized element type holds (BIPOLAR: 2, not 3).

    This bounds, e.g., the number of thresholds a MultiThreshold with this out_dtype
    may have: N thresholds give N + 1 levels.
    """
    if isinstance(type, BipolarType):
        return 2
    lo, hi = value_range(type)
    return hi - lo + 1


def contains(type: Attribute, values: np.ndarray) -> bool:
    """Whether every value of `values` belongs to the value set of `type`."""
    if not is_quantized(type):
        return True
    if values.size == 0:
        return True
    if isinstance(type, BipolarType):
        return bool(np.all(np.abs(values) == 1))
    lo, hi = value_range(type)
    return bool(np.all((values == np.round(values)) & (values >= lo) & (values <= hi)))


def storage_dtype(type: Attribute) -> np.dtype:
    """The numpy dtype that holds tensors of this element type at run time.

    Signless integers are ONNX's own index tensors (shapes, pads, k of TopK) and keep
    their width; floats keep theirs; every quantized type lives in float32, as in QONNX.
    """
    if isinstance(type, IntegerType) and type.signedness.data == Signedness.SIGNLESS:
        return numpy_dtype(type)
    if isinstance(type, Float64Type | Float16Type):
        return numpy_dtype(type)
    return np.dtype(np.float32)


def numpy_dtype(type: Attribute) -> np.dtype:
    """The numpy dtype with exactly the layout of a builtin storage type (dense bytes)."""
    if isinstance(type, Float32Type):
        return np.dtype(np.float32)
    if isinstance(type, Float64Type):
        return np.dtype(np.float64)
    if isinstance(type, Float16Type):
        return np.dtype(np.float16)
    if isinstance(type, IntegerType) and type.width.data in (8, 16, 32, 64):
        kind = "u" if type.signedness.data == Signedness.UNSIGNED else "i"
        return np.dtype(f"{kind}{type.width.data // 8}")
    raise ValueError(f"type {type} is not a storage type")


def type_from_numpy(dtype: np.dtype) -> Attribute:
    """The builtin storage type for a numpy dtype (used for constants)."""
    dtype = np.dtype(dtype)
    if dtype == np.float32:
        return f32
    if dtype == np.float64:
        return f64
    if dtype == np.float16:
        return f16
    if dtype.kind in "iu" and dtype.itemsize in (1, 2, 4, 8):
        sign = Signedness.SIGNLESS if dtype.kind == "i" else Signedness.UNSIGNED
        return IntegerType(dtype.itemsize * 8, sign)
    raise ValueError(f"unsupported tensor element type {dtype}")
