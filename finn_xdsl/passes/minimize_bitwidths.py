"""
minimize-bitwidths: FINN's MinimizeWeightBitWidth + MinimizeAccumulatorWidth.

Per MVAU (in block order, so that every layer sees its already narrowed input):

- weight_type := the smallest type for the actual weight values (FINN's
  minimize_weight_bit_width: unsigned if no weight is negative, else the smallest signed
  type holding [w_min, w_max]); kept for runtime-writeable weights and bipolar weights.
- accumulator range := the exact range of x · W over the input type's range, per column
  (FINN's calculate_matvec_accumulator_range); the worst case over the weight type's range
  for runtime-writeable weights; the popcount range [0, MW] in binary_xnor mode.
- thresholds are clipped to [acc_min, acc_max + 1]. This is exact: a threshold below
  acc_min always fires, as acc_min does; one above acc_max never fires, as acc_max + 1
  does. (FINN clips to acc_max, which would make a never-firing step fire at acc_max.)
  The accumulator range is then widened by the clipped thresholds' range.
- FINN's accDataType = the smallest type of that range (UINT⌈log2(max+1)⌉ or
  INT⌈log2(max(-min, 1+max))+1⌉); for a raw-accumulator MVAU (no thresholds) it is the
  output element type, rounded up to a multiple of 8 bits when the output leaves the
  partition (FINN: "if this is the last node"). `accumulator_type(mvau)` computes it.

Per Thresholding: thresholds are clipped to [in_min, in_max + 1] of the input type (exact
for the same reason); FINN's threshold type (weightDataType) is the smallest type
covering the input range and the thresholds: `threshold_type(op)`. The dialect has no
property for either type, so estimates call these functions.

A changed output element type is propagated downstream: through layers that move data
without changing it (SWG, padding, max pool, DWC, FIFO, reshape, duplicate), the yield
and the partition's result, and outside the partition through ops whose result element
type equalled the changed operand's (reshape, transpose, ...), up to the function's
signature. Values are unchanged: the interpreter holds every quantized tensor in a
float32/int64 container whatever its element type, and every new type holds the values.

Bipolar/ternary are never chosen for weights or accumulators that are not already
bipolar (qonnx's get_smallest_possible(-1) picks BIPOLAR, which cannot hold 0), and
signed types have at least 2 bits (QONNX has no INT1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness, TensorType
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_base import dense_ints
from finn_xdsl.dialects.dataflow_types import StreamType

PASS = "minimize-bitwidths"

# layers whose results carry their input's values unchanged
_PASSTHROUGH = (df.SWGOp, df.FMPaddingOp, df.StreamingMaxPoolOp, df.DWCOp, df.FIFOOp,
                df.ReshapeOp, df.DuplicateStreamsOp)


# ----------------------------------------------------------------------------- types


def smallest_type(lo: int, hi: int) -> IntegerType:
    """The fewest-bits integer type holding [lo, hi], unsigned preferred (FINN's rule).

    Unsigned: UINT⌈log2(hi+1)⌉ (at least 1 bit); signed: INT⌈log2(max(-lo, 1+hi))+1⌉
    (at least 2 bits).
    """
    lo, hi = int(lo), int(hi)
    if lo >= 0:
        return IntegerType(max(1, hi.bit_length()), Signedness.UNSIGNED)
    bits = max((-lo - 1).bit_length(), max(hi, 0).bit_length()) + 1
    return IntegerType(max(2, bits), Signedness.SIGNED)


def round_up_to_bytes(elem: IntegerType) -> IntegerType:
    """The same signedness with the width rounded up to a multiple of 8."""
    width = -(-elem.width.data // 8) * 8
    return IntegerType(width, elem.signedness.data)


def weight_type(mvau: df.MVAUOp) -> Attribute:
    """FINN's minimised weightDataType (unchanged if runtime-writeable or bipolar)."""
    if mvau.value_of("runtime_writeable_weights") or isinstance(mvau.weight_type, qt.BipolarType):
        return mvau.weight_type
    w = mvau.weight_values()
    if w.size == 0:
        return mvau.weight_type
    return smallest_type(w.min(), w.max())


def matvec_range(mvau: df.MVAUOp) -> tuple[int, int]:
    """The exact range of the accumulator x · W over the input type (popcount in xnor mode)."""
    if mvau.value_of("binary_xnor"):
        return 0, mvau.mw
    xlo, xhi = qt.value_range(mvau.in_type().element_type)
    if mvau.value_of("runtime_writeable_weights"):
        wlo, whi = qt.value_range(mvau.weight_type)
        corners = [wlo * xlo, wlo * xhi, whi * xlo, whi * xhi]
        return mvau.mw * min(corners), mvau.mw * max(corners)
    w = mvau.weight_values()
    lo = np.minimum(w * xlo, w * xhi).sum(axis=0)
    hi = np.maximum(w * xlo, w * xhi).sum(axis=0)
    return int(lo.min()), int(hi.max())


def clip_thresholds(t: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Thresholds on values in [lo, hi] clipped to [lo, hi + 1] (same outputs)."""
    return np.clip(t, lo, hi + 1)


def _acc_range(mvau: df.MVAUOp) -> tuple[int, int]:
    """The accumulator range widened by the (clipped) thresholds, as FINN."""
    lo, hi = matvec_range(mvau)
    t = mvau.threshold_values()
    if t is not None and t.size:
        t = clip_thresholds(t, lo, hi)
        lo, hi = min(lo, int(t.min())), max(hi, int(t.max()))
    return lo, hi


def _leaves_partition(value: SSAValue) -> bool:
    return any(isinstance(u.operation, df.YieldOp) for u in value.uses)


def accumulator_type(mvau: df.MVAUOp) -> Attribute:
    """FINN's minimised accDataType of an MVAU (what FINN's estimates read).

    The smallest type of the accumulator range (widened by the clipped thresholds); for a
    raw-accumulator MVAU whose output leaves the partition, rounded up to a multiple of 8
    bits (FINN sets accDataType = outputDataType there). Depends only on the op's input
    type, weights and thresholds, so it can be called before or after the pass.
    """
    elem = smallest_type(*_acc_range(mvau))
    if mvau.thresholds is None and _leaves_partition(mvau.output):
        elem = round_up_to_bytes(elem)
    return elem


def threshold_type(op: df.ThresholdingOp | df.MVAUOp) -> Attribute:
    """FINN's threshold dtype: the accumulator type for an MVAU; for a Thresholding the
    smallest type covering the input type's range and the (clipped) thresholds."""
    if isinstance(op, df.MVAUOp):
        return accumulator_type(op)
    lo, hi = qt.value_range(op.in_type().element_type)
    t = clip_thresholds(op.threshold_values(), lo, hi)
    return smallest_type(min(lo, int(t.min())), max(hi, int(t.max())))


# ----------------------------------------------------------------------------- retyping


def _retyped(ty: Attribute, elem: Attribute) -> Attribute:
    if isinstance(ty, StreamType):
        return ty.with_element_type(elem)
    assert isinstance(ty, TensorType)
    return TensorType(elem, ty.get_shape())


def _elem(ty: Attribute) -> Attribute | None:
    if isinstance(ty, StreamType):
        return ty.element_type
    if isinstance(ty, TensorType):
        return ty.element_type
    return None


def _set_elem(value: SSAValue, elem: Attribute) -> None:
    """Give value the element type elem and follow it to the users that pass it on."""
    old = _elem(value.type)
    if old is None or old == elem:
        return
    value = Rewriter.replace_value_with_new_type(value, _retyped(value.type, elem))
    for use in list(value.uses):
        user = use.operation
        if isinstance(user, df.YieldOp):
            part = user.parent_op()
            assert isinstance(part, df.PartitionOp)
            _set_elem(part.results[use.index], elem)
        elif isinstance(user, _PASSTHROUGH):
            for r in user.results:
                if _elem(r.type) == old:
                    _set_elem(r, elem)
        elif isinstance(user, func.ReturnOp):
            _update_signature(user)
        elif (
            # an op outside the partition that passes the element type on (reshape, ...)
            not isinstance(user, df.DataflowOperation) and len(user.results) == 1
            and _elem(user.results[0].type) == old and _keeps_values(user)
        ):
            _set_elem(user.results[0], elem)


def _keeps_values(op: Operation) -> bool:
    """Quant ops that only move values (their result holds operand 0's values)."""
    return op.name in {"qonnx.reshape", "qonnx.transpose", "qonnx.flatten", "qonnx.identity",
                       "qonnx.max_pool_nhwc"}


def _update_signature(ret: func.ReturnOp) -> None:
    f = ret.parent_op()
    if isinstance(f, func.FuncOp):
        f.function_type = func.FunctionType.from_lists(
            f.function_type.inputs.data, [v.type for v in ret.arguments]
        )


# ----------------------------------------------------------------------------- the pass


def _minimize_mvau(mvau: df.MVAUOp) -> None:
    wt = weight_type(mvau)
    if wt != mvau.weight_type:
        mvau.weight_type = wt
    t = mvau.threshold_values()
    if t is not None:
        lo, hi = matvec_range(mvau)
        clipped = clip_thresholds(t, lo, hi)
        if not np.array_equal(clipped, t):
            mvau.thresholds = dense_ints(clipped, width=64)
        return
    _set_elem(mvau.output, accumulator_type(mvau))


def _minimize_thresholding(op: df.ThresholdingOp) -> None:
    lo, hi = qt.value_range(op.in_type().element_type)
    t = op.threshold_values()
    clipped = clip_thresholds(t, lo, hi)
    if not np.array_equal(clipped, t):
        op.thresholds = dense_ints(clipped, width=64)


@dataclass(frozen=True)
class MinimizeBitwidthsPass(ModulePass):
    """FINN's MinimizeWeightBitWidth + MinimizeAccumulatorWidth on every partition."""

    name = PASS

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for part in df.partitions(op):
            for layer in list(part.block.ops):
                if isinstance(layer, df.MVAUOp):
                    _minimize_mvau(layer)
                elif isinstance(layer, df.ThresholdingOp):
                    _minimize_thresholding(layer)
