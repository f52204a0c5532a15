"""
lower-conv: convolutions become im2col + MatMul and max pools become channels-last,
with the layout transposes absorbed, as FINN's LowerConvsToMatMul, MakeMaxPoolNHWC and
the transpose-absorbing streamlining steps leave a CNV-style network.

One 2-D convolution (NCHW, any group, weights (M, C/g, k_h, k_w)) becomes

    %t   = qonnx.transpose %x {perm = [0, 2, 3, 1]}          NCHW -> NHWC
    %col = qonnx.im2col %t {kernel_size, stride, dilations, pad_amount, pad_value = 0}
    %y   = qonnx.matmul %col, %W                             W: (k_h * k_w * C, M)
    %yb  = qonnx.add %y, %b                                  only with a bias
    %out = qonnx.transpose %yb {perm = [0, 3, 1, 2]}         NHWC -> NCHW

W's rows are in im2col's patch order (k_h, k_w, C). A constant W becomes a new constant
with the same element type; any other W (e.g. qonnx.quant of a constant) gets
transpose/reshape ops. A pointwise convolution (1x1, stride 1, no padding) needs no
im2col, as in qonnx. Grouped convolutions use a block-diagonal W (zeros outside each
group's block; qonnx does this for depthwise ones), and a depthwise one (group = C = M)
marks its im2col `depthwise`. One max pool becomes transpose, qonnx.max_pool_nhwc,
transpose back.

The patterns of `layout_patterns` then move every NHWC -> NCHW transpose down past
elementwise ops, MultiThreshold and BatchNormalization until it cancels against the next
layer's NCHW -> NHWC transpose or is absorbed into the flatten before the first fully
connected layer. The graph input stays NCHW: the first transpose stays right after
whatever produces the first convolution's input.

Limitations (reported as errors, nothing else is left behind): 1-D and 3-D
convolutions and pools, dilated max pools.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.qonnx_layout_ops import Im2ColOp, MaxPoolNHWCOp, format_input_shape
from finn_xdsl.errors import LoweringError
from finn_xdsl.passes import rewrite_utils as ru
from finn_xdsl.passes.layout_patterns import (
    LAYOUT_PATTERNS,
    Relayout,
    constant,
    erase_dead,
    hint,
    node_name,
    relayout,
    transpose,
)

PASS = "lower-conv"
TO_NHWC = (0, 2, 3, 1)
TO_NCHW = (0, 3, 1, 2)


def _arr(values) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def with_zero(elem: Attribute) -> Attribute:
    """An element type holding `elem`'s values and 0 (padding, block-diagonal weights)."""
    if not qt.is_quantized(elem) or qt.contains(elem, np.zeros(1)):
        return elem
    lo, hi = qt.value_range(elem)
    return qt.ternary if -1 <= lo and hi <= 1 else f32


def _block_diagonal(w: np.ndarray, group: int) -> np.ndarray:
    """(M, C/g, k...) grouped weights -> (M, C, k...) with zeros outside each group."""
    m, cg = w.shape[:2]
    mg = m // group
    dense = np.zeros((m, cg * group, *w.shape[2:]), dtype=w.dtype)
    for g in range(group):
        dense[g * mg : (g + 1) * mg, g * cg : (g + 1) * cg] = w[g * mg : (g + 1) * mg]
    return dense


def _dense_weights(conv: q.ConvOp, group: int, channels: int) -> tuple[SSAValue, list[Operation]]:
    """The conv weights as (M, C, k_h, k_w): as they are for group 1, else block diagonal
    (a new constant, or concat + mask multiply on a computed weight)."""
    w = conv.w
    if group == 1:
        return w, []
    elem = with_zero(q.elem_of(w))
    ws = q.shape_of(w)
    if isinstance(owner := w.owner, q.ConstantOp):
        array = _block_diagonal(owner.to_numpy(), group)
        if elem != q.elem_of(w):
            array = array.astype(np.float32)
        new = constant(array, elem, node_name(owner, "dense"))
        return new.output, [new]
    dense_shape = (ws[0], channels, *ws[2:])
    tiled = q.ConcatOp.build(
        operands=[[w] * group],
        result_types=[TensorType(q.elem_of(w), dense_shape)],
        properties={"axis": IntegerAttr(1, i64), **_name(node_name(conv, "weights_tiled"))},
    )
    ones = np.ones((ws[0], ws[1], *([1] * (len(ws) - 2))), dtype=np.float32)
    mask = constant(_block_diagonal(ones, group), name=node_name(conv, "weights_mask"))
    masked = q.MulOp.build(
        operands=[tiled.output, mask.output],
        result_types=[TensorType(elem, dense_shape)],
        properties=_name(node_name(conv, "weights_dense")),
    )
    return masked.output, [tiled, mask, masked]


def _name(name: StringAttr | None) -> dict[str, Attribute]:
    return {} if name is None else {"node_name": name}


@dataclass(frozen=True)
class LowerConv(RewritePattern):
    """qonnx.conv (2-D, NCHW) -> transpose, im2col, matmul [+ bias add], transpose back."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.ConvOp) or len(q.shape_of(op.x)) != 4:
            return
        n, c, h, w = q.shape_of(op.x)
        m = q.shape_of(op.w)[0]
        kernel, strides, dil, pads = op.window()
        group = op.group.value.data
        _, _, oh, ow = q.shape_of(op.output)
        out_elem = q.elem_of(op.output)
        ops: list[Operation] = []

        to_nhwc = transpose(op.x, TO_NHWC, node_name(op, "nhwc"))
        ops.append(to_nhwc)
        cols = to_nhwc.output
        pointwise = kernel == (1, 1) and strides == (1, 1) and not any(pads)
        if not pointwise:
            padded = any(pads)
            col_elem = with_zero(q.elem_of(op.x)) if padded else q.elem_of(op.x)
            im2col = Im2ColOp.build(
                operands=[cols],
                result_types=[TensorType(col_elem, (n, oh, ow, kernel[0] * kernel[1] * c))],
                properties={
                    "stride": _arr(strides),
                    "kernel_size": _arr(kernel),
                    "input_shape": StringAttr(format_input_shape((n, h, w, c))),
                    "pad_amount": _arr(pads),
                    "pad_value": IntegerAttr(0, i64),
                    "dilations": _arr(dil),
                    "depthwise": IntegerAttr.from_bool(group == c and m == c),
                    **_name(node_name(op, "im2col")),
                },
            )
            ops.append(im2col)
            cols = im2col.output

        dense, weight_ops = _dense_weights(op, group, c)
        ops += weight_ops
        wmat, wmat_ops = relayout(
            dense,
            Relayout(pre=(m, c, *kernel), perm=(2, 3, 1, 0), post=(kernel[0] * kernel[1] * c, m)),
            node_name(op, "weights"),
        )
        ops += wmat_ops

        # without a bias the matmul gives the conv's values (and type); with one, the
        # bias add does, and an integer type need not hold the sum before the bias
        mm_elem = ru.acc_type(cols, wmat, f32) if op.b is not None else out_elem
        matmul = q.MatMulOp.build(
            operands=[cols, wmat],
            result_types=[TensorType(mm_elem, (n, oh, ow, m))],
            properties=_name(node_name(op)),
        )
        hint(matmul, node_name(op, "mm"))
        ops.append(matmul)
        result = matmul.output
        if op.b is not None:
            add = q.AddOp.build(
                operands=[result, op.b],
                result_types=[TensorType(out_elem, (n, oh, ow, m))],
                properties=_name(node_name(op, "bias")),
            )
            ops.append(add)
            result = add.output
        to_nchw = transpose(result, TO_NCHW, node_name(op, "nchw"))
        to_nchw.output.name_hint = op.output.name_hint  # the conv's value, as before
        for new in ops:
            if new.results and new.results[0].name_hint is None:
                hint(new)
        ops.append(to_nchw)
        old_operands = list(op.operands)
        rewriter.replace(op, ops, [to_nchw.output])
        erase_dead(rewriter, old_operands)


@dataclass(frozen=True)
class LowerMaxPool(RewritePattern):
    """qonnx.max_pool (2-D, NCHW, no dilation) -> transpose, max_pool_nhwc, transpose back
    (FINN's MakeMaxPoolNHWC)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if not isinstance(op, q.MaxPoolOp) or len(q.shape_of(op.x)) != 4:
            return
        kernel, strides, dil, pads = op.window()
        if dil != (1, 1):
            return
        n, c, oh, ow = q.shape_of(op.output)
        to_nhwc = transpose(op.x, TO_NHWC, node_name(op, "nhwc"))
        pool = MaxPoolNHWCOp.build(
            operands=[to_nhwc.output],
            result_types=[TensorType(q.elem_of(op.output), (n, oh, ow, c))],
            properties={
                "kernel_shape": _arr(kernel),
                "strides": _arr(strides),
                "pads": _arr(pads),
                "ceil_mode": op.ceil_mode,
                **_name(node_name(op)),
            },
        )
        hint(pool, node_name(op, "nhwc_out"))
        to_nchw = transpose(pool.output, TO_NCHW, node_name(op, "nchw"))
        to_nchw.output.name_hint = op.output.name_hint
        rewriter.replace(op, [to_nhwc, pool, to_nchw], [to_nchw.output])


def _check_lowered(module: ModuleOp) -> None:
    """What the patterns leave behind cannot be lowered: say which op and why."""
    for op in module.walk():
        if not isinstance(op, q.ConvOp | q.MaxPoolOp):
            continue
        spatial = len(q.shape_of(op.x)) - 2
        if isinstance(op, q.ConvOp):
            why = (
                "only 2-D convolutions lower to im2col + matmul, this one has "
                f"{spatial} spatial dimension(s)"
            )
        elif spatial != 2:
            why = (
                "only 2-D max pools lower to max_pool_nhwc, this one has "
                f"{spatial} spatial dimension(s)"
            )
        else:
            why = "dilated max pools do not lower to max_pool_nhwc"
        raise LoweringError(PASS, op, why)


@dataclass(frozen=True)
class LowerConvPass(ModulePass):
    """Conv -> im2col + MatMul in NHWC, MaxPool -> NHWC, transposes absorbed."""

    name = "lower-conv"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        patterns = [LowerConv(), LowerMaxPool(), *LAYOUT_PATTERNS]
        PatternRewriteWalker(GreedyRewritePatternApplier(patterns)).rewrite_module(op)
        _check_lowered(op)
