"""
The data type widths FINN's estimates see, derived from a dataflow layer.

Two policies:

* ``minimize=False`` ("as typed"): weight bits from `weight_type`, activation bits from
  the stream element types, accumulator bits from the MVAU output when it has no
  thresholds (the output *is* the accumulator), else INT32 (FINN's `accDataType`
  default before `MinimizeAccumulatorWidth`); threshold type of a Thresholding layer =
  FINN's minimised threshold type (our IR has no property for it).
* ``minimize=True`` ("FINN flow"): what FINN's `minimize_bit_width` step (which its
  estimate-only flow always runs before `generate_estimate_reports`) leaves in the node:
  `MinimizeWeightBitWidth` (weight type from the weight values; note FINN's quirk that
  ±1 weights in a non-xnor MVAU become INT2) and `MinimizeAccumulatorWidth` (acc type
  from the weight values, input type and threshold range; rounded up to a multiple of 8
  for a raw MVAU that ends the graph).

Both are pure functions of the IR; nothing is mutated.
"""

from __future__ import annotations

import math

import numpy as np

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import element_bits


def is_signed(elem) -> bool:
    """FINN's DataType.signed(): BIPOLAR and TERNARY count as signed."""
    return qt.value_range(elem)[0] < 0


def smallest_bits(value: int) -> tuple[int, bool]:
    """FINN DataType.get_smallest_possible(value) as (bits, signed); unsigned preferred.

    BINARY (1 bit) for 0/1; UINTn for n ≥ 2; INTn for negatives (BIPOLAR/TERNARY are not
    integer-valued candidates for arbitrary values, so INT2 covers -2..1).
    """
    value = int(value)
    if value >= 0:
        return (max(1, value.bit_length()), False)
    bits = 1
    while -(2 ** (bits - 1)) > value:
        bits += 1
    return (max(bits, 2), True)


def matvec_acc_range(w: np.ndarray, in_elem) -> tuple[int, int]:
    """qonnx calculate_matvec_accumulator_range(W, idt): extremes over all columns."""
    lo, hi = qt.value_range(in_elem)
    w = np.asarray(w, dtype=np.int64)
    acc_min = np.minimum(w * lo, w * hi).sum(axis=0)
    acc_max = np.maximum(w * lo, w * hi).sum(axis=0)
    return int(acc_min.min()), int(acc_max.max())


def finn_xnor(op) -> bool:
    """FINN's binaryXnorMode: FINN's conversion (InferBinaryMatrixVectorActivation) uses it
    for every bipolar x bipolar MVAU, also one without thresholds, whose input then is
    BINARY (unsigned) and whose weights are stored as {0, 1}."""
    return bool(op.value_of("binary_xnor")) or (
        isinstance(op.in_type().element_type, qt.BipolarType)
        and isinstance(op.weight_type, qt.BipolarType)
    )


def mvau_input_signed(op) -> bool:
    """FINN's idt.signed() of an MVAU (BINARY, unsigned, in xnor mode)."""
    return False if finn_xnor(op) else is_signed(op.in_type().element_type)


def _finn_weights(op) -> np.ndarray:
    """The weight tensor as FINN stores it: {0, 1} in binaryXnorMode."""
    w = op.weight_values()
    if finn_xnor(op):
        return (w + 1) // 2
    return w


def mvau_weight_bits(op, minimize: bool = False) -> int:
    """FINN weightDataType bits (MinimizeWeightBitWidth when `minimize`)."""
    if not minimize or op.value_of("runtime_writeable_weights"):
        return element_bits(op.weight_type)
    w = _finn_weights(op)
    w_min, w_max = int(w.min()), int(w.max())
    if w_min < 0:
        target = w_min if abs(w_min) > w_max else -w_max - 1
    else:
        target = w_max
    return smallest_bits(target)[0]


def _input_elem_finn(op):
    """FINN's input dtype: in xnor mode the input is BINARY {0, 1} (range 0..1)."""
    return op.in_type().element_type


def mvau_minimized_acc_bits(op, last_node: bool = False) -> int:
    """FINN MVAU.minimize_accumulator_width: bits of the acc type it picks."""
    w = _finn_weights(op)
    if finn_xnor(op):
        # FINN converts the {0,1} weights back to ±1 for the range, with a BINARY input
        w = 2 * w - 1
        xlo, xhi = 0, 1
        wi = np.asarray(w, dtype=np.int64)
        acc_min = int(np.minimum(wi * xlo, wi * xhi).sum(axis=0).min())
        acc_max = int(np.maximum(wi * xlo, wi * xhi).sum(axis=0).max())
    else:
        acc_min, acc_max = matvec_acc_range(w, op.in_type().element_type)
    if op.value_of("runtime_writeable_weights"):
        wlo, whi = qt.value_range(op.weight_type)
        r1 = matvec_acc_range(np.full_like(w, wlo), op.in_type().element_type)
        r2 = matvec_acc_range(np.full_like(w, whi), op.in_type().element_type)
        acc_min, acc_max = min(min(r1), min(r2)), max(r2)
    t = op.threshold_values()
    if t is not None:
        t_min, t_max = int(t.min()), int(t.max())
        if t_max > acc_max or t_min < acc_min:
            t = np.clip(t, acc_min, acc_max)
            t_min, t_max = int(t.min()), int(t.max())
        acc_min, acc_max = min(t_min, acc_min), max(t_max, acc_max)
    if acc_min >= 0:
        bits = math.ceil(np.log2(acc_max + 1))
    else:
        bits = math.ceil(np.log2(max(-acc_min, 1 + acc_max)) + 1)
    if t is None and last_node:
        bits = -(-bits // 8) * 8
    return int(bits)


def mvau_acc_bits(op, minimize: bool = False, last_node: bool = False) -> int:
    """FINN accDataType bits of an MVAU (see the module docstring)."""
    if minimize:
        return mvau_minimized_acc_bits(op, last_node)
    if op.thresholds is None:
        return op.out_type().element_bits
    return 32


def thresholding_weight_bits(op) -> int:
    """FINN Thresholding weightDataType after minimize_accumulator_width: the smallest
    type covering [min(in.min, T.min), max(in.max, T.max)]."""
    t = op.threshold_values()
    lo, hi = qt.value_range(op.in_type().element_type)
    lo, hi = min(lo, int(t.min())), max(hi, int(t.max()))
    if lo < 0:
        return max(smallest_bits(lo)[0], smallest_bits(-hi - 1)[0] if hi > 0 else 0)
    return smallest_bits(hi)[0]
