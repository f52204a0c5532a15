"""
Small helpers the lowering patterns share: reading constants per channel, making
constants and elementwise ops, picking integer types that hold a set of values.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import IntegerType, Signedness, StringAttr, TensorType, f32
from xdsl.ir import Attribute, Operation, SSAValue

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt


def channel_vector(value: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray | None:
    """The per-channel values of a constant broadcast to `shape`, channel on `axis`.

    Returns a 1-D array of length C (or 1 when the constant is a scalar), or None when the
    constant varies along another axis or does not broadcast to `shape`.
    """
    try:
        full = np.broadcast_to(value, shape)
    except ValueError:
        return None
    if value.ndim > len(shape):
        return None
    moved = np.moveaxis(full, axis, 0).reshape(shape[axis], -1)
    if moved.shape[1] and not np.all(moved == moved[:, :1]):
        return None
    vec = moved[:, 0] if moved.shape[1] else np.zeros(shape[axis], value.dtype)
    if np.all(vec == vec[0]):
        return vec[:1].copy()
    return vec.copy()


def constant(array: np.ndarray, elem: Attribute | None = None, name: str | None = None) -> q.ConstantOp:
    return q.ConstantOp.from_numpy(np.ascontiguousarray(array), elem, node_name=name)


def binary(cls: type[q.QonnxOperation], lhs: SSAValue, rhs: SSAValue, result_type: Attribute,
           name: str | None = None) -> q.QonnxOperation:
    props = {"node_name": StringAttr(name)} if name else {}
    return cls.build(operands=[lhs, rhs], result_types=[result_type], properties=props)


def node_name(op: Operation) -> str | None:
    attr = op.properties.get("node_name")
    return attr.data if isinstance(attr, StringAttr) else None


def with_elem(ty: Attribute, elem: Attribute) -> TensorType:
    assert isinstance(ty, TensorType)
    return TensorType(elem, ty.get_shape())


def float_type(ty: Attribute) -> TensorType:
    return with_elem(ty, f32)


def smallest_int_type(lo: float, hi: float) -> Attribute:
    """The narrowest si<N>/ui<N> (bipolar for {-1, +1}) holding [lo, hi]."""
    lo, hi = int(np.floor(lo)), int(np.ceil(hi))
    if lo >= 0:
        return IntegerType(max(1, int(hi).bit_length()), Signedness.UNSIGNED)
    bits = max((-lo - 1).bit_length(), hi.bit_length()) + 1
    return IntegerType(bits, Signedness.SIGNED)


def values_type(values: np.ndarray) -> Attribute:
    """The narrowest quantized element type holding every value (integers expected)."""
    if values.size and set(np.unique(values).tolist()) <= {-1.0, 1.0}:
        return qt.bipolar
    if values.size == 0:
        return IntegerType(1, Signedness.UNSIGNED)
    return smallest_int_type(values.min(), values.max())


def is_integer_type(elem: Attribute) -> bool:
    return qt.is_quantized(elem)


def acc_type(lhs: SSAValue, rhs: SSAValue, fallback: Attribute) -> Attribute:
    """Result element type of a matmul/conv of two tensors: si32 if both are integer
    (QONNX's INT32 convention; bit-width minimisation narrows it later), else fallback."""
    if is_integer_type(q.elem_of(lhs)) and is_integer_type(q.elem_of(rhs)):
        return IntegerType(32, Signedness.SIGNED)
    return fallback


def rebuild(op: Operation, operands, result_types=None) -> Operation:
    """A new op of op's class and properties with other operands (and result types)."""
    types = [r.type for r in op.results] if result_types is None else result_types
    return type(op).create(
        operands=list(operands),
        result_types=list(types),
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )
