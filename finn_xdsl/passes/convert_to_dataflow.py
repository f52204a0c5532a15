"""
convert-to-dataflow: integer qonnx ops -> streaming layers inside `dataflow.partition`.

FINN's convert_to_hw_layers + CreateDataflowPartition. Each convertible op (or fused
pair) maps to one layer:

    matmul(x, W) [-> multithreshold]      mvau (thresholds fused; xnor mode for
                                           bipolar x bipolar with thresholds)
    multithreshold (integer input)         thresholding
    im2col                                 [fmpadding ->] swg
    max_pool_nhwc (kernel == stride)       streaming_maxpool
    topk (indices only)                    label_select
    reshape keeping the last dimension     nothing: the stream is the same data
    other reshape / flatten                reshape (a wire: same beats, another shape)

Runs of consecutive convertible ops (constants aside) become one partition; its inputs
and outputs are the tensors crossing the boundary. What stays outside runs on the
interpreter, as FINN's non-dataflow partitions do: typically the float input quantizer
and the float output scaling. An op that should have become hardware but cannot
(a MatMul on float data, thresholds on a channel axis that is not last, ...) is reported
with a LoweringError saying which node and why, unless `strict` is off.

Layer names follow FINN: `MVAU_0`, `Thresholding_1`, `ConvolutionInputGenerator_0`, ...
numbered per layer type in graph order, so they are stable across runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import LoweringError
from finn_xdsl.passes import rewrite_utils as ru

PASS = "convert-to-dataflow"


class _Skip(Exception):
    """An op that cannot become hardware; carries the reason."""


def _int_tensor(value: SSAValue) -> bool:
    return qt.is_quantized(q.elem_of(value))


def _threshold_params(mt: q.MultiThresholdOp) -> tuple[np.ndarray, int]:
    """Integer thresholds and FINN's ActVal of a MultiThreshold on its last axis."""
    shape = q.shape_of(mt.x)
    if mt.channel_axis() != len(shape) - 1:
        raise _Skip(f"thresholds act on axis {mt.channel_axis()}, not the last (channel) axis; run lower-conv first")
    if not _int_tensor(mt.x):
        raise _Skip(f"its input is {q.elem_of(mt.x)}, not an integer tensor")
    t = q.constant_value(mt.thresholds)
    if t is None or t.dtype.kind not in "iu":
        raise _Skip("its thresholds are not integer constants; run streamline first")
    scale, bias = mt.out_scale.value.data, mt.out_bias.value.data
    if mt.out_dtype == qt.bipolar:
        if (scale, bias) != (2.0, -1.0):
            raise _Skip("a bipolar output needs out_scale 2 and out_bias -1")
        return t.astype(np.int64), 0
    if scale != 1.0 or bias != int(bias):
        raise _Skip(f"out_scale {scale} / out_bias {bias} are not an integer offset")
    return t.astype(np.int64), int(bias)


@dataclass
class _Converter:
    """Builds the layers of one partition from qonnx ops, in order."""

    block: Block
    streams: dict[SSAValue, SSAValue] = field(default_factory=dict)
    inputs: list[SSAValue] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)

    def name(self, cls) -> str:
        finn = cls.FINN_OP
        n = self.counters[finn]
        self.counters[finn] += 1
        return f"{finn}_{n}"

    def stream(self, value: SSAValue) -> SSAValue:
        """The stream carrying `value` inside the partition (a new input if from outside)."""
        if value not in self.streams:
            arg = self.block.insert_arg(df.StreamType(value.type, 1), len(self.block.args))
            self.inputs.append(value)
            self.streams[value] = arg
        return self.streams[value]

    def add(self, layer: Operation) -> SSAValue:
        self.block.add_op(layer)
        return layer.results[0]


def _convert(op: Operation, conv: _Converter, fused: set[Operation]) -> list[tuple[SSAValue, SSAValue]]:
    """Emit the layers for `op`; returns (quant value, stream) pairs it defines."""
    if isinstance(op, q.MatMulOp):
        return _convert_matmul(op, conv, fused)
    if isinstance(op, q.MultiThresholdOp):
        t, act = _threshold_params(op)
        layer = df.ThresholdingOp(conv.stream(op.x), t, op.out_dtype, node_name=conv.name(df.ThresholdingOp),
                                  act_val=act)
        return [(op.output, conv.add(layer))]
    if isinstance(op, q.ReshapeOp | q.FlattenOp):
        src, dst = q.shape_of(op.operands[0]), q.shape_of(op.results[0])
        if op.operands[0] not in conv.streams:
            raise _Skip("a reshape only joins a partition between layers")
        x = conv.streams[op.operands[0]]
        if src[-1] == dst[-1]:
            return [(op.results[0], x)]  # leading dimensions only: keep the stream as it is
        layer = df.ReshapeOp(x, dst, node_name=conv.name(df.ReshapeOp))
        return [(op.results[0], conv.add(layer))]
    im2col = getattr(q, "Im2ColOp", None)
    if im2col is not None and isinstance(op, im2col):
        return _convert_im2col(op, conv)
    pool = getattr(q, "MaxPoolNHWCOp", None)
    if pool is not None and isinstance(op, pool):
        kernel, strides, pads = op.window()
        if tuple(kernel) != tuple(strides) or any(pads):
            raise _Skip("streaming_maxpool needs kernel == stride and no padding")
        if not _int_tensor(op.x):
            raise _Skip(f"its input is {q.elem_of(op.x)}, not an integer tensor{_float_origin(op.x)}")
        x = conv.stream(op.x)
        channels = q.shape_of(op.x)[-1]
        two_d = kernel[0] > 1 and kernel[1] > 1
        if two_d:  # FINN's 2D StreamingMaxPool takes whole pixels: widen, then narrow back
            x = conv.add(df.DWCOp(x, channels, node_name=conv.name(df.DWCOp)))
        layer = df.StreamingMaxPoolOp(x, tuple(kernel), node_name=conv.name(df.StreamingMaxPoolOp),
                                      ceil_mode=bool(op.ceil_mode.value.data))
        y = conv.add(layer)
        if two_d:
            y = conv.add(df.DWCOp(y, 1, node_name=conv.name(df.DWCOp)))
        return [(op.output, y)]
    if isinstance(op, q.TopKOp):
        return _convert_topk(op, conv)
    raise _Skip("no streaming layer implements it")


def _convert_matmul(op: q.MatMulOp, conv: _Converter, fused: set[Operation]):
    w = q.constant_value(op.rhs)
    if w is None or w.ndim != 2:
        raise _Skip("the weights are not a constant matrix")
    if not _int_tensor(op.lhs):
        raise _Skip(f"its input is {q.elem_of(op.lhs)}, not an integer tensor{_float_origin(op.lhs)}; "
                    "quantize it (qonnx-to-thresholds, streamline)")
    wtype = q.elem_of(op.rhs)
    if not qt.is_quantized(wtype):
        raise _Skip(f"its weights are {wtype}, not integers; quantize them")
    weights = w.astype(np.int64)
    users = [u.operation for u in op.output.uses]
    mt = users[0] if len(users) == 1 and isinstance(users[0], q.MultiThresholdOp) else None
    if mt is not None:
        try:
            thresholds, act = _threshold_params(mt)
        except _Skip:
            mt = None
    if mt is None:
        layer = df.MVAUOp(conv.stream(op.lhs), weights, wtype, q.elem_of(op.output),
                          node_name=conv.name(df.MVAUOp))
        return [(op.output, conv.add(layer))]
    xnor = q.elem_of(op.lhs) == qt.bipolar and wtype == qt.bipolar
    if xnor:
        # acc = 2p - MW  =>  acc >= T  <=>  p >= ceil((T + MW) / 2)
        thresholds = -((-(thresholds + weights.shape[0])) // 2)
    fused.add(mt)
    layer = df.MVAUOp(conv.stream(op.lhs), weights, wtype, mt.out_dtype, node_name=conv.name(df.MVAUOp),
                      thresholds=thresholds, act_val=act, binary_xnor=xnor)
    return [(mt.output, conv.add(layer))]


def _float_origin(value: SSAValue) -> str:
    """Why a layer's input is float: the op that makes it so, looking through data movement."""
    layout = tuple(c for c in (getattr(q, "Im2ColOp", None), getattr(q, "MaxPoolNHWCOp", None)) if c)
    owner = value.owner
    while isinstance(owner, (q.TransposeOp, q.ReshapeOp, q.FlattenOp, q.MaxPoolOp, *layout)):
        owner = owner.operands[0].owner
    if not isinstance(owner, Operation):
        return ""
    where = f"{owner.name} '{ru.node_name(owner)}'" if ru.node_name(owner) else owner.name
    consts = [c for c in (q.constant_value(v) for v in owner.operands) if c is not None]
    if isinstance(owner, q.MulOp) and consts and consts[0].size > 1:
        return (f" (scaled per channel by {where}: a per-channel activation scale cannot move past the "
                "weights without making them non-integer)")
    if isinstance(owner, q.AddOp | q.SubOp) and consts:
        return (f" (shifted by {where}: a constant offset such as an activation zero point, which streamline "
                "does not move past a matmul)")
    return f" (computed by {where})"


def _convert_im2col(op, conv: _Converter):
    if not _int_tensor(op.x):
        raise _Skip(f"its input is {q.elem_of(op.x)}, not an integer tensor{_float_origin(op.x)}")
    if bool(op.depthwise.value.data):
        raise _Skip("depthwise sliding windows are not lowered yet")
    kernel, strides, dil, pads = op.window()
    x = conv.stream(op.x)
    if any(pads):
        pad = df.FMPaddingOp(x, tuple(pads), node_name=conv.name(df.FMPaddingOp), pad_value=op.pad_value.value.data)
        x = conv.add(pad)
    layer = df.SWGOp(x, tuple(kernel), node_name=conv.name(df.SWGOp), stride=tuple(strides), dilation=tuple(dil))
    return [(op.output, conv.add(layer))]


def _convert_topk(op: q.TopKOp, conv: _Converter):
    if op.values.uses.get_length():
        raise _Skip("the top-k values are used; label_select only produces indices")
    shape = q.shape_of(op.x)
    if op.axis.value.data not in (-1, len(shape) - 1) or not bool(op.largest.value.data):
        raise _Skip("label_select takes the largest values on the last axis")
    k = int(q.constant_value(op.k).reshape(-1)[0])
    labels = shape[-1]
    elem = ru.smallest_int_type(0, labels - 1)
    layer = df.LabelSelectOp(conv.stream(op.x), k, elem, node_name=conv.name(df.LabelSelectOp))
    # the partition yields unsigned indices; the graph expects i64
    return [(op.indices, conv.add(layer))]


# TopK -> label_select is implemented (_convert_topk) but not enabled: the partition would
# yield unsigned indices where the graph expects i64, which needs a cast op first.
_CANDIDATES = (q.MatMulOp, q.MultiThresholdOp, q.ReshapeOp, q.FlattenOp)


def _candidate(op: Operation) -> bool:
    extra = tuple(c for c in (getattr(q, "Im2ColOp", None), getattr(q, "MaxPoolNHWCOp", None)) if c)
    return isinstance(op, _CANDIDATES + extra)


# ops that must become hardware when they carry integer data
_MUST = (q.MatMulOp, q.ConvOp, q.MaxPoolOp, q.MaxPoolNHWCOp)


@dataclass(frozen=True)
class ConvertToDataflowPass(ModulePass):
    """Integer qonnx ops -> dataflow layers grouped into dataflow.partition ops."""

    name = "convert-to-dataflow"

    strict: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        counters: Counter[str] = Counter()
        partitions = 0
        for fn in [o for o in op.ops if isinstance(o, func.FuncOp)]:
            partitions = self._convert_function(fn, counters, partitions)

    def _convert_function(self, fn: func.FuncOp, counters: Counter[str], partitions: int) -> int:
        run: list[Operation] = []
        for op in list(fn.body.block.ops):
            if isinstance(op, q.ConstantOp):
                continue
            if _candidate(op) and (run or _starts_run(op)):
                run.append(op)
                continue
            if run:
                partitions = self._emit(run, counters, partitions)
                run = []
            if _candidate(op) and _starts_run(op):
                run.append(op)
            elif self.strict and isinstance(op, _MUST):
                raise LoweringError(PASS, op, _reason(op))
        if run:
            partitions = self._emit(run, counters, partitions)
        return partitions

    def _emit(self, run: list[Operation], counters: Counter[str], partitions: int) -> int:
        """Convert a run of ops into one partition. An op that refuses ends the partition;
        it stays outside (or is reported, when it must be hardware) and the rest of the
        run starts over."""
        block = Block()
        conv = _Converter(block, counters=counters)
        fused: set[Operation] = set()
        converted: list[Operation] = []
        defined: dict[SSAValue, SSAValue] = {}
        rest: list[Operation] = []
        for i, op in enumerate(run):
            if op in fused:
                converted.append(op)
                continue
            try:
                pairs = _convert(op, conv, fused)
            except _Skip as why:
                if self.strict and (isinstance(op, _MUST) or isinstance(op, q.MultiThresholdOp) and _int_tensor(op.x)):
                    raise LoweringError(PASS, op, str(why)) from None
                rest = [o for o in run[i + 1 :] if o not in fused]
                break
            converted.append(op)
            for value, stream in pairs:
                conv.streams[value] = stream
                defined[value] = stream
        partitions = self._build(block, conv, converted, defined, partitions)
        if rest:
            partitions = self._emit(rest, counters, partitions)
        return partitions

    def _build(self, block: Block, conv: _Converter, converted: list[Operation],
               defined: dict[SSAValue, SSAValue], partitions: int) -> int:
        done = set(converted)
        outputs = [v for v in defined if any(u.operation not in done for u in v.uses)]
        if not converted or not outputs:
            return partitions
        block.add_op(df.YieldOp(*[defined[v] for v in outputs]))
        types = [defined[v].type.tensor for v in outputs]
        part = df.PartitionOp(conv.inputs, types, f"StreamingDataflowPartition_{partitions}", body=_region(block))
        after: list[Operation] = [part]
        for value, result in zip(outputs, part.results):
            replacement = result
            if result.type != value.type:
                # a leading-dimension reshape inside: restore the quant-level shape
                shape_c = ru.constant(np.asarray(q.shape_of(value), np.int64))
                reshape = q.ReshapeOp.build(operands=[result, shape_c.output], result_types=[value.type])
                after += [shape_c, reshape]
                replacement = reshape.results[0]
            value.replace_all_uses_with(replacement)
        last = converted[-1]
        last.parent.insert_ops_after(after, last)
        for op in reversed(converted):
            op.detach()
            op.erase(safe_erase=False)
        return partitions + 1


def _reason(op: Operation) -> str:
    """Why an op that must be hardware was not converted."""
    if isinstance(op, q.ConvOp | q.MaxPoolOp):
        return "NCHW convolutions and pools have no streaming layer; run lower-conv first"
    try:
        _convert(op, _Converter(Block()), set())
    except _Skip as why:
        return str(why)
    return f"its input {q.elem_of(op.operands[0])} does not come from an integer producer"


def _region(block: Block):
    from xdsl.ir import Region

    return Region(block)


def _starts_run(op: Operation) -> bool:
    """A run starts at an op consuming integer data (a float quantizer stays outside)."""
    if isinstance(op, q.ReshapeOp | q.FlattenOp):
        return False
    return _int_tensor(op.operands[0])

