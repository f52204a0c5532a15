"""
Transpose plumbing for `lower-conv`: the patterns that move the NHWC -> NCHW transposes
the conv/pool lowering leaves behind down the graph until they meet the next NCHW -> NHWC
transpose and cancel, so that a chain of lowered layers runs channels-last throughout.

FINN does this with AbsorbConsecutiveTransposes, AbsorbTransposeIntoMultiThreshold,
MoveTransposePastScalarMul/…Fork/…JoinAdd and RemoveCNVtoFCFlatten /
AbsorbTransposeIntoFlatten. Here each is a small pattern; every one is exactly
semantics-preserving (elementwise ops commute with a permutation of their operands'
elements, constants are permuted alongside) and moves a transpose strictly towards the
graph outputs, so the greedy driver reaches a fixed point. Transposes never move up:
the graph input stays NCHW.

Also the helpers the conv lowering shares: building constants, transposes and
reshapes, relaying out a weight tensor (a new constant when it is one, else ops on it),
and erasing what a rewrite left unused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, StringAttr, TensorType, f32, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt

F32 = np.float32

# ----------------------------------------------------------------------------- helpers


def node_name(op: Operation, suffix: str | None = None) -> StringAttr | None:
    """`op`'s node name, optionally with `_suffix` (None when op has no name)."""
    name = op.properties.get("node_name")
    if not isinstance(name, StringAttr):
        return None
    return StringAttr(f"{name.data}_{suffix}" if suffix else name.data)


def _named(props: dict[str, Attribute], name: StringAttr | None) -> dict[str, Attribute]:
    if name is not None:
        props["node_name"] = name
    return props


_INVALID = re.compile(r"[^\w$.-]")


def hint(op: Operation, name: StringAttr | None = None) -> Operation:
    """Give op's results an SSA name hint after its node name (as the frontend names
    values); returns op."""
    name = name or node_name(op)
    if name is not None:
        text = _INVALID.sub("_", name.data.lstrip("/"))
        if not re.match(r"[A-Za-z_$.-]", text):
            text = f"t{text}"
        if re.search(r"_\d+$", text):  # the printer would drop a _N suffix
            text += "_out0"
        for r in op.results:
            r.name_hint = text
    return op


def inverse(perm: Sequence[int]) -> tuple[int, ...]:
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


def is_identity(perm: Sequence[int]) -> bool:
    return tuple(perm) == tuple(range(len(perm)))


def constant(
    array: np.ndarray, elem: Attribute | None = None, name: StringAttr | None = None
) -> q.ConstantOp:
    """A qonnx.constant holding `array` (its dtype is the storage), result element `elem`."""
    op = q.ConstantOp.from_numpy(np.ascontiguousarray(array), elem)
    if name is not None:
        op.properties["node_name"] = name
    return hint(op)


def like_constant(
    old: q.ConstantOp, array: np.ndarray, name: StringAttr | None = None
) -> q.ConstantOp:
    """A constant with `old`'s storage and element type and new values/shape."""
    return constant(array.astype(old.to_numpy().dtype, copy=False), q.elem_of(old.output), name)


def transpose(x: SSAValue, perm: Sequence[int], name: StringAttr | None) -> q.TransposeOp:
    shape = q.shape_of(x)
    result = TensorType(q.elem_of(x), [shape[p] for p in perm])
    props = _named({"perm": DenseArrayBase.from_list(i64, list(perm))}, name)
    return hint(q.TransposeOp.build(operands=[x], result_types=[result], properties=props))


def reshape(x: SSAValue, shape: Sequence[int], name: StringAttr | None) -> list[Operation]:
    """[shape constant, qonnx.reshape] to an explicit shape (no 0 or -1 entries)."""
    shape_name = None if name is None else StringAttr(f"{name.data}_shape")
    target = constant(np.array(shape, dtype=np.int64), name=shape_name)
    result = TensorType(q.elem_of(x), list(shape))
    op = q.ReshapeOp.build(
        operands=[x, target.output], result_types=[result], properties=_named({}, name)
    )
    return [target, hint(op)]


@dataclass(frozen=True)
class Relayout:
    """A pure rearrangement of a tensor's elements: reshape to `pre`, transpose by `perm`,
    reshape to `post` (as numpy would do it)."""

    pre: tuple[int, ...]
    perm: tuple[int, ...]
    post: tuple[int, ...]

    def numpy(self, array: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(array.reshape(self.pre).transpose(self.perm)).reshape(self.post)


def relayout(
    value: SSAValue, how: Relayout, name: StringAttr | None
) -> tuple[SSAValue, list[Operation]]:
    """`value` rearranged by `how`: a new constant (same element type) when `value` is a
    qonnx.constant, else reshape/transpose/reshape ops on it. Returns (value, new ops)."""
    if isinstance(owner := value.owner, q.ConstantOp):
        new = like_constant(owner, how.numpy(owner.to_numpy()), name)
        return new.output, [new]
    ops: list[Operation] = []
    cur = value
    if q.shape_of(cur) != how.pre:
        ops += reshape(cur, how.pre, None if name is None else StringAttr(f"{name.data}_split"))
        cur = ops[-1].results[0]
    if not is_identity(how.perm):
        ops.append(
            transpose(cur, how.perm, None if name is None else StringAttr(f"{name.data}_perm"))
        )
        cur = ops[-1].results[0]
    if q.shape_of(cur) != how.post:
        ops += reshape(cur, how.post, name)
        cur = ops[-1].results[0]
    return cur, ops


def erase_dead(rewriter: PatternRewriter, values: Sequence[SSAValue]) -> None:
    """Erase the qonnx ops defining `values` that no longer have uses, transitively."""
    work = [v.owner for v in values if isinstance(v.owner, q.QonnxOperation)]
    while work:
        op = work.pop()
        if op.parent is None or any(r.uses for r in op.results):
            continue
        operands = list(op.operands)
        rewriter.erase(op)
        work += [v.owner for v in operands if isinstance(v.owner, q.QonnxOperation)]


def single_use_transpose(value: SSAValue) -> q.TransposeOp | None:
    """The qonnx.transpose defining `value` if `value` has no other use."""
    t = value.owner
    if isinstance(t, q.TransposeOp) and value.has_one_use():
        return t
    return None


def order_preserving(shape: Sequence[int], perm: Sequence[int]) -> bool:
    """Whether transposing `shape` by `perm` keeps the elements in memory order: only
    extent-1 axes move relative to the others."""
    moved = [p for p in perm if shape[p] != 1]
    return moved == sorted(moved)


def permute_param(array: np.ndarray, perm: Sequence[int], rank: int) -> np.ndarray:
    """An operand broadcast against y = transpose(x, perm) (rank `rank`), rearranged to
    broadcast the same way against x; leading extent-1 axes are dropped."""
    full = array.reshape((1,) * (rank - array.ndim) + array.shape)
    out = np.transpose(full, inverse(perm))
    keep = next((i for i, d in enumerate(out.shape) if d != 1), rank - 1)
    return np.ascontiguousarray(out.reshape(out.shape[keep:]))


def _layout_of(op: q.MultiThresholdOp) -> str | None:
    layout = op.data_layout.data
    rank = len(q.shape_of(op.x))
    if not layout:
        layout = {2: "NC", 3: "NWC", 4: "NCHW"}.get(rank, "")
    return layout if len(layout) == rank and layout.count("C") == 1 else None


# ----------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class FoldTransposes(RewritePattern):
    """transpose(transpose(x, p1), p2) -> transpose(x, p1∘p2), and an identity transpose
    -> x (FINN's AbsorbConsecutiveTransposes). The inner transpose stays for its other
    users."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.TransposeOp):
            return
        perm = op.permutation()
        source = op.x
        inner = source.owner
        if isinstance(inner, q.TransposeOp):
            p1 = inner.permutation()
            perm = tuple(p1[p] for p in perm)
            source = inner.x
        elif not is_identity(perm):
            return
        if is_identity(perm):
            rewriter.replace(op, [], [source])
        else:
            new = transpose(source, perm, node_name(op))
            new.output.name_hint = op.output.name_hint
            rewriter.replace(op, new)
        if isinstance(inner, q.TransposeOp):
            erase_dead(rewriter, [inner.output])


# ops whose result element i depends only on element i of each operand (after
# broadcasting): a transpose of the data operand moves past them; for the QONNX
# quantizers the other operands (scale, zero point, bit widths) are broadcast parameters
_UNARY = (q.ReluOp, q.IdentityOp, q.SigmoidOp, q.SqrtOp)
_QUANTIZERS = (q.QuantOp, q.BipolarQuantOp, q.TruncOp)
_BINARY = (q.AddOp, q.SubOp, q.MulOp, q.DivOp, q.PowOp)


@dataclass(frozen=True)
class MoveTransposePastElementwise(RewritePattern):
    """f(transpose(x, p), c...) -> transpose(f(x, c'...), p) for an elementwise f whose
    other operands c are constants (permuted to c') or single values (kept): Relu,
    Identity, Sigmoid, Sqrt, Quant, BipolarQuant, Trunc, Add/Sub/Mul/Div/Pow. A binary op
    of two transposes with the same perm becomes one transpose of the op (FINN's
    MoveTransposePastJoinAdd). Only single-use transposes move; f must not broadcast
    the transposed operand to a larger shape."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, _UNARY + _QUANTIZERS + _BINARY):
            return
        candidates = (0, 1) if isinstance(op, _BINARY) else (0,)
        for index in candidates:
            t = single_use_transpose(op.operands[index])
            if t is not None and self._rewrite(op, index, t, rewriter):
                return

    def _rewrite(
        self, op: Operation, index: int, t: q.TransposeOp, rewriter: PatternRewriter
    ) -> bool:
        perm = t.permutation()
        y_shape = q.shape_of(t.output)
        if q.shape_of(op.results[0]) != y_shape:
            return False
        rank = len(y_shape)
        new_ops: list[Operation] = []
        operands: list[SSAValue] = []
        for i, value in enumerate(op.operands):
            if i == index:
                operands.append(t.x)
                continue
            if math.prod(q.shape_of(value)) == 1:
                operands.append(value)  # broadcasts the same way in any layout
                continue
            other = value.owner
            if (
                isinstance(op, _BINARY)
                and isinstance(other, q.TransposeOp)
                and value.has_one_use()
                and other.permutation() == perm
            ):
                operands.append(other.x)
                continue
            if not isinstance(other, q.ConstantOp):
                return False
            array = permute_param(other.to_numpy(), perm, rank)
            name = node_name(other) if value.has_one_use() else node_name(other, "nhwc")
            new_ops.append(like_constant(other, array, name))
            new_ops[-1].results[0].name_hint = value.name_hint
            operands.append(new_ops[-1].results[0])
        x_shape = q.shape_of(t.x)
        moved = type(op).create(
            operands=operands,
            result_types=[TensorType(q.elem_of(op.results[0]), x_shape)],
            properties=dict(op.properties),
            attributes=dict(op.attributes),
        )
        moved.results[0].name_hint = op.results[0].name_hint
        after = transpose(moved.results[0], perm, node_name(t))
        after.output.name_hint = t.output.name_hint
        old_operands = list(op.operands)
        rewriter.replace(op, [*new_ops, moved, after], [after.output])
        erase_dead(rewriter, old_operands)
        return True


@dataclass(frozen=True)
class AbsorbTransposeIntoMultiThreshold(RewritePattern):
    """MultiThreshold(transpose(x, p), T) -> transpose(MultiThreshold(x, T), p) with the
    data_layout permuted alongside (e.g. NCHW -> NHWC); thresholds are per channel and
    stay as they are (FINN's AbsorbTransposeIntoMultiThreshold)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.MultiThresholdOp):
            return
        t = single_use_transpose(op.x)
        if t is None or (layout := _layout_of(op)) is None:
            return
        perm = t.permutation()
        new_layout = [""] * len(perm)
        for i, p in enumerate(perm):
            new_layout[p] = layout[i]
        props = dict(op.properties)
        props["data_layout"] = StringAttr("".join(new_layout))
        moved = q.MultiThresholdOp.create(
            operands=[t.x, op.thresholds],
            result_types=[TensorType(q.elem_of(op.output), q.shape_of(t.x))],
            properties=props,
            attributes=dict(op.attributes),
        )
        moved.output.name_hint = op.output.name_hint
        after = transpose(moved.output, perm, node_name(t))
        after.output.name_hint = t.output.name_hint
        rewriter.replace(op, [moved, after], [after.output])
        erase_dead(rewriter, [t.output])


@dataclass(frozen=True)
class MoveTransposePastBatchNorm(RewritePattern):
    """BatchNormalization(transpose(x, p)) with constant parameters -> transpose(x * s + b, p)
    with the per-channel s, b laid out along x's channel axis. s and b are computed
    exactly as the reference kernel folds them (s = scale / sqrt(var + eps),
    b = bias - mean * s, in float32), so the result is bit-identical."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.BatchNormOp):
            return
        t = single_use_transpose(op.x)
        if t is None:
            return
        params = [q.constant_value(v) for v in (op.scale, op.bias, op.mean, op.var)]
        if any(p is None or p.dtype != F32 for p in params):
            return
        f32_storage = np.dtype(F32)
        if any(qt.storage_dtype(q.elem_of(v)) != f32_storage for v in (op.x, op.output)):
            return
        scale, bias, mean, var = params
        inv_std = F32(1) / np.sqrt(var + F32(float(op.epsilon.value.data)))
        new_scale = inv_std * scale
        new_bias = bias - mean * new_scale
        perm = t.permutation()
        rank = len(perm)
        shape = (1, -1) + (1,) * (rank - 2)  # the channel axis of y is 1
        s = constant(
            permute_param(new_scale.reshape(shape), perm, rank), name=node_name(op, "scale")
        )
        b = constant(permute_param(new_bias.reshape(shape), perm, rank), name=node_name(op, "bias"))
        x_shape = q.shape_of(t.x)
        mul = q.MulOp.build(
            operands=[t.x, s.output],
            result_types=[TensorType(f32, x_shape)],
            properties=_named({}, node_name(op, "mul")),
        )
        add = q.AddOp.build(
            operands=[mul.output, b.output],
            result_types=[TensorType(q.elem_of(op.output), x_shape)],
            properties=_named({}, node_name(op, "add")),
        )
        hint(mul)
        add.output.name_hint = op.output.name_hint
        after = transpose(add.output, perm, node_name(t))
        after.output.name_hint = t.output.name_hint
        old_operands = list(op.operands)
        rewriter.replace(op, [s, b, mul, add, after], [after.output])
        erase_dead(rewriter, old_operands)


@dataclass(frozen=True)
class AbsorbTransposeIntoReshape(RewritePattern):
    """reshape/flatten(transpose(x, p)): when the transpose only moves extent-1 axes
    (e.g. (1, 1, 1, C) -> (1, C, 1, 1)) the elements are already in order and the reshape
    reads x directly (FINN's AbsorbTransposeIntoFlatten). Otherwise, when the reshape
    flattens to (N, K) for a MatMul with a 2-D weight W, the rows of W are permuted
    instead (FINN's RemoveCNVtoFCFlatten): reshape(x) @ W' with W'[r_x] = W[r_y]."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.ReshapeOp | q.FlattenOp):
            return
        t = op.x.owner
        if not isinstance(t, q.TransposeOp):
            return
        perm = t.permutation()
        x = t.x
        out_shape = q.shape_of(op.output)
        old_operands = list(op.operands)
        if order_preserving(q.shape_of(x), perm):
            new = reshape(x, out_shape, node_name(op))
            new[-1].results[0].name_hint = op.output.name_hint
            rewriter.replace(op, new)
            erase_dead(rewriter, old_operands)
            return
        self._into_matmul(op, t, rewriter)

    def _into_matmul(self, op: Operation, t: q.TransposeOp, rewriter: PatternRewriter) -> None:
        perm = t.permutation()
        y_shape = q.shape_of(t.output)
        out_shape = q.shape_of(op.output)
        if perm[0] != 0 or out_shape != (y_shape[0], math.prod(y_shape[1:])):
            return
        mm = op.output.get_user_of_unique_use()
        if (
            not isinstance(mm, q.MatMulOp)
            or mm.lhs is not op.output
            or len(q.shape_of(mm.rhs)) != 2
        ):
            return
        k, m = q.shape_of(mm.rhs)
        rank = len(perm)
        inv = inverse(perm)
        rows = Relayout(
            pre=(*y_shape[1:], m),
            perm=tuple(inv[j] - 1 for j in range(1, rank)) + (rank - 1,),
            post=(k, m),
        )
        weights, weight_ops = relayout(mm.rhs, rows, node_name(mm, "weights"))
        flat = reshape(t.x, out_shape, node_name(op))
        new_mm = q.MatMulOp.create(
            operands=[flat[-1].results[0], weights],
            result_types=[mm.output.type],
            properties=dict(mm.properties),
            attributes=dict(mm.attributes),
        )
        new_mm.output.name_hint = mm.output.name_hint
        old_operands = list(mm.operands)
        rewriter.replace(mm, [*weight_ops, *flat, new_mm], [new_mm.output])
        erase_dead(rewriter, old_operands)


LAYOUT_PATTERNS: tuple[RewritePattern, ...] = (
    FoldTransposes(),
    MoveTransposePastElementwise(),
    AbsorbTransposeIntoMultiThreshold(),
    MoveTransposePastBatchNorm(),
    AbsorbTransposeIntoReshape(),
)
