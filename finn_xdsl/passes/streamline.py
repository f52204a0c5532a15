"""
streamline: move float scaling out of the integer datapath and absorb it into thresholds.

After qonnx-to-thresholds every activation is an integer MultiThreshold output, possibly
times a scale; weights are integers, possibly times a scale. Streamlining (FINN's
move/absorb/collapse set, arXiv 1709.04060) makes the datapath between two
MultiThresholds purely integer:

- SplitConvBias, IntegerAccumulator: a conv's constant bias becomes an Add after it, and
  a MatMul/Conv of two integer tensors gets an integer (si32) accumulator type, so that
  the scales and biases around it can move and be absorbed (Gemm and biased exports).
- MoveScalarMulPast*: a scalar Mul (an activation scale) moves below MatMul, Conv,
  MaxPool (positive scales) and layout ops; a per-output-channel weight scale moves below
  its MatMul/Conv. Exact when the scale is a power of two (the BNN-PYNQ case: 1, 1/128);
  otherwise exact up to the reference's own float32 rounding of the scaled sums.
- AbsorbIntoThresholds: the chain of elementwise ops with per-channel constants between
  an integer producer (MatMul/Conv accumulator, another MultiThreshold) and a
  MultiThreshold (BatchNorm's Mul/Add, moved scales, bias Adds, Relu, Sub, Div) is folded
  into new thresholds on the producer's integers. Thresholds come from an exact search
  over the producer's range with the interpreter evaluating the absorbed ops, so they are
  bit-exact, rounded and clipped to the input range by construction. A channel whose
  chain is decreasing (negative BatchNorm scale) has its weight column negated instead
  (FINN's FactorOutMulSignMagnitude + Absorb1BitMulIntoMatMul). The same absorption on a
  float producer (the network input) gives exact float32 thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.passes import rewrite_utils as ru
from finn_xdsl.passes.threshold_search import float_thresholds, integer_thresholds
from finn_xdsl.sim.qonnx import QonnxFunctions

_ELEMENTWISE = (q.MulOp, q.AddOp, q.SubOp, q.DivOp, q.ReluOp, q.IdentityOp)
# ops a scalar factor commutes with exactly (for MaxPool only when positive)
_LAYOUT = (q.ReshapeOp, q.FlattenOp, q.TransposeOp)


def _scalar_mul(value: SSAValue) -> tuple[q.MulOp, SSAValue, np.ndarray] | None:
    """(mul, x, s) if value = x * s with a scalar constant s and no other use of value."""
    op = value.owner
    if not isinstance(op, q.MulOp) or not value.has_one_use():
        return None
    for data, other in ((op.lhs, op.rhs), (op.rhs, op.lhs)):
        c = q.constant_value(other)
        if c is not None and c.size == 1 and q.constant_value(data) is None:
            if q.shape_of(data) == q.shape_of(value):
                return op, data, c
    return None


@dataclass
class MoveScalarMulPastLinear(RewritePattern):
    """op(x * s) -> op(x) * s for a scalar s and op linear in its data operand."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        data_index = _data_operand(op)
        if data_index is None:
            return
        found = _scalar_mul(op.operands[data_index])
        if found is None:
            return
        mul, x, s = found
        if isinstance(op, q.MaxPoolOp | _max_pool_nhwc()) and not np.all(s > 0):
            return
        if isinstance(op, q.ConvOp) and op.b is not None:
            return
        operands = list(op.operands)
        operands[data_index] = x
        if isinstance(op, q.MatMulOp | q.ConvOp):
            elem = ru.acc_type(operands[0], operands[1], q.elem_of(op.results[0]))
        else:  # data movement: the values are x's
            elem = q.elem_of(x)
        moved = ru.rebuild(op, operands, [ru.with_elem(op.results[0].type, elem)])
        scale = mul.rhs if q.constant_value(mul.rhs) is not None else mul.lhs
        new_mul = ru.binary(q.MulOp, moved.results[0], scale, op.results[0].type, ru.node_name(mul))
        rewriter.replace(op, [moved, new_mul])


def _max_pool_nhwc():
    return getattr(q, "MaxPoolNHWCOp", q.MaxPoolOp)


def _data_operand(op: Operation) -> int | None:
    """Index of the operand a scalar factor can be pulled through, if any."""
    if isinstance(op, q.MatMulOp):
        return 0 if q.constant_value(op.rhs) is not None or ru.is_integer_type(q.elem_of(op.rhs)) else None
    if isinstance(op, (q.ConvOp, q.MaxPoolOp, _max_pool_nhwc(), *_LAYOUT)):
        return 0
    im2col = getattr(q, "Im2ColOp", None)
    if im2col is not None and isinstance(op, im2col):
        return 0
    return None


@dataclass
class MoveWeightScalePastMatMul(RewritePattern):
    """x @ (W * s) -> (x @ W) * s for a per-output-channel (or scalar) weight scale;
    likewise Conv(x, W * s[m]) -> Conv(x, W) * s[m]."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.MatMulOp | q.ConvOp, rewriter: PatternRewriter, /):
        if not isinstance(op, q.MatMulOp | q.ConvOp):
            return
        w = op.operands[1]
        mul = w.owner
        if not isinstance(mul, q.MulOp) or not w.has_one_use():
            return
        if isinstance(op, q.ConvOp) and op.b is not None:
            return
        for data, other in ((mul.lhs, mul.rhs), (mul.rhs, mul.lhs)):
            c = q.constant_value(other)
            if c is None or q.constant_value(data) is None:
                continue
            wshape = q.shape_of(w)
            out_axis = len(wshape) - 1 if isinstance(op, q.MatMulOp) else 0
            vec = ru.channel_vector(c, wshape, out_axis)
            if vec is None:
                return
            rank = len(q.shape_of(op.results[0]))
            if isinstance(op, q.MatMulOp):
                scale_shape = (len(vec),)
            else:
                scale_shape = (len(vec),) + (1,) * (rank - 2)
            elem = ru.acc_type(op.operands[0], data, q.elem_of(op.results[0]))
            moved = ru.rebuild(op, [op.operands[0], data], [ru.with_elem(op.results[0].type, elem)])
            sconst = ru.constant(vec.astype(np.float32).reshape(scale_shape), name=ru.node_name(mul))
            new_mul = ru.binary(q.MulOp, moved.results[0], sconst.output, op.results[0].type, ru.node_name(mul))
            rewriter.replace(op, [moved, sconst, new_mul])
            return


@dataclass
class SplitConvBias(RewritePattern):
    """Conv(x, W, b) -> Conv(x, W) + b[m] for a constant bias (exact: the reference adds
    the bias after the sums). The bias-free conv of integers is an integer accumulator,
    a scale can move below it, and the bias goes into the next thresholds (lower-conv
    would split it the same way, later than the scales need)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.ConvOp, rewriter: PatternRewriter, /):
        if op.b is None or (b := q.constant_value(op.b)) is None:
            return
        rank = len(q.shape_of(op.output))
        bconst = ru.constant(b.reshape((-1,) + (1,) * (rank - 2)), name=ru.node_name(op.b.owner))
        elem = ru.acc_type(op.x, op.w, q.elem_of(op.output))
        conv = ru.rebuild(op, [op.x, op.w], [ru.with_elem(op.output.type, elem)])
        name = ru.node_name(op)
        add = ru.binary(q.AddOp, conv.results[0], bconst.output, op.output.type, name and f"{name}_bias")
        rewriter.replace(op, [bconst, conv, add])


@dataclass
class IntegerAccumulator(RewritePattern):
    """MatMul/Conv of two integer tensors typed as float (e.g. a Gemm or a conv whose bias
    was split off) -> the same op typed si32: the sums are integers either way, and the
    integer type is what lets the chain after it become thresholds on the accumulator."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.MatMulOp | q.ConvOp, rewriter: PatternRewriter, /):
        if not isinstance(op, q.MatMulOp | q.ConvOp) or (isinstance(op, q.ConvOp) and op.b is not None):
            return
        out = op.results[0]
        if ru.is_integer_type(q.elem_of(out)) or any(isinstance(u.operation, func.ReturnOp) for u in out.uses):
            return  # (a graph output keeps the type the function signature gives it)
        elem = ru.acc_type(op.operands[0], op.operands[1], q.elem_of(out))
        if elem == q.elem_of(out):
            return
        rewriter.replace(op, [ru.rebuild(op, list(op.operands), [ru.with_elem(out.type, elem)])])


@dataclass
class AbsorbIntoThresholds(RewritePattern):
    """producer -> elementwise chain -> MultiThreshold  =>  producer -> MultiThreshold'."""

    interpreter: Interpreter = field(repr=False)

    @op_type_rewrite_pattern
    def match_and_rewrite(self, mt: q.MultiThresholdOp, rewriter: PatternRewriter, /):
        thresholds = q.constant_value(mt.thresholds)
        if thresholds is None:
            return
        shape, axis = q.shape_of(mt.x), mt.channel_axis()
        channels = shape[axis]
        chain, signs, producer = _chain(mt.x, shape, axis, channels)
        integer = ru.is_integer_type(q.elem_of(producer))
        if not chain and not (integer and _needs_rounding(thresholds, q.elem_of(producer))):
            return
        negate = signs < 0
        new_ops: list[Operation] = []
        if negate.any():
            if not integer:
                return
            negated = _negated_producer(producer, negate, axis)
            if negated is None:
                return
            new_ops += negated
            producer = negated[-1].results[0]

        tb = np.broadcast_to(thresholds, (channels, thresholds.shape[1]))

        def count(values: np.ndarray) -> np.ndarray:
            levels = values.shape[0]
            x = np.where(negate[None, :], -values, values).astype(np.float32)
            x = x.reshape([levels] + [channels if i == axis else 1 for i in range(1, len(shape))])
            for op, data_index in chain:
                args = [q.constant_value(v) for v in op.operands]
                args[data_index] = x
                (x,) = self.interpreter.run_op(op, tuple(args))
            y = np.moveaxis(x, axis, -1).reshape(levels, channels)
            return np.count_nonzero(y[:, :, None] >= tb[None, :, :], axis=-1)

        n = thresholds.shape[1]
        if integer:
            lo, hi = qt.value_range(q.elem_of(producer))
            new_t = integer_thresholds(count, n, channels, lo, hi).astype(np.int64)
        else:
            new_t = float_thresholds(count, n, channels)
        if np.all(new_t == new_t[:1]):
            new_t = new_t[:1]
        name = ru.node_name(mt)
        tconst = ru.constant(new_t, name=f"{name}_thresholds" if name else None)
        new_mt = ru.rebuild(mt, [producer, tconst.output])
        rewriter.replace(mt, [*new_ops, tconst, new_mt])


def _needs_rounding(thresholds: np.ndarray, elem) -> bool:
    """Thresholds on an integer input that are not integers in [lo, hi + 1] (int64)."""
    if thresholds.dtype != np.int64:
        return True
    lo, hi = qt.value_range(elem)
    return bool(np.any(thresholds < lo) or np.any(thresholds > hi + 1))


def _chain(value: SSAValue, shape, axis: int, channels: int):
    """Walk up from a MultiThreshold input through absorbable elementwise ops.

    Returns ([(op, data operand index)] from producer to threshold, per-channel direction
    signs (+1, -1, or 0 for a constant channel), the producer value).
    """
    chain: list[tuple[Operation, int]] = []
    signs = np.ones(channels, np.int64)
    while True:
        op = value.owner
        if not isinstance(op, _ELEMENTWISE) or not value.has_one_use():
            break
        if isinstance(op, q.ReluOp | q.IdentityOp):
            data_index = 0
        else:
            consts = [q.constant_value(v) for v in op.operands]
            if (consts[0] is None) == (consts[1] is None):
                break
            data_index = 0 if consts[1] is not None else 1
            vec = ru.channel_vector(consts[1 - data_index], shape, axis)
            if vec is None or q.shape_of(op.operands[data_index]) != tuple(shape):
                break
            vec = np.broadcast_to(vec, (channels,))
            if isinstance(op, q.MulOp):
                step = np.sign(vec).astype(np.int64)
            elif isinstance(op, q.DivOp):
                if data_index != 0 or np.any(vec == 0):
                    break  # c / x is not monotone
                step = np.sign(vec).astype(np.int64)
            elif isinstance(op, q.SubOp) and data_index == 1:
                step = -np.ones(channels, np.int64)
            else:
                step = np.ones(channels, np.int64)
            signs = signs * step
        chain.append((op, data_index))
        value = op.operands[data_index]
    chain.reverse()
    return chain, signs, value


def _negated_producer(value: SSAValue, negate: np.ndarray, axis: int) -> list[Operation] | None:
    """A copy of the MatMul/Conv producing `value` with the given output channels'
    weights negated, so that a decreasing threshold chain becomes increasing."""
    op = value.owner
    if not value.has_one_use() or not isinstance(op, q.MatMulOp | q.ConvOp):
        return None
    w = q.constant_value(op.operands[1])
    if w is None or not ru.is_integer_type(q.elem_of(op.operands[1])):
        return None
    rank = len(q.shape_of(value))
    if isinstance(op, q.MatMulOp):
        if axis != rank - 1:
            return None
        w = w * np.where(negate, -1, 1).astype(w.dtype)
    else:
        if axis != 1:
            return None
        w = w * np.where(negate, -1, 1).astype(w.dtype).reshape((-1,) + (1,) * (w.ndim - 1))
    elem = q.elem_of(op.operands[1])
    if not qt.contains(elem, w):  # e.g. -(-2) = 2 leaves si2
        elem = ru.values_type(w)
    wconst = ru.constant(np.ascontiguousarray(w, np.float32), elem, ru.node_name(op.operands[1].owner))
    operands = list(op.operands)
    operands[1] = wconst.output
    return [wconst, ru.rebuild(op, operands)]


@dataclass(frozen=True)
class StreamlinePass(ModulePass):
    """Move scales out of the integer datapath and absorb them into exact thresholds."""

    name = "streamline"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        interpreter = Interpreter(op)
        interpreter.register_implementations(QonnxFunctions())
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    SplitConvBias(),
                    IntegerAccumulator(),
                    MoveWeightScalePastMatMul(),
                    MoveScalarMulPastLinear(),
                    AbsorbIntoThresholds(interpreter),
                ]
            ),
            apply_recursively=True,
        ).rewrite_module(op)

