"""
The host side of a built accelerator: what runs on the CPU around the streaming design.

A model's `@main` is (ops before the partition) → `dataflow.partition` → (ops after it):
typically the float input quantizer and layout transposes before, the float output scaling
after. FINN splits the same way (its "parent model" around StreamingDataflowPartition).
`split_host` cuts `@main` into two standalone modules, each with its own `@main`:

    pre  : the model's inputs            -> the partition's input tensors
    post : the partition's output tensors (+ values defined before it) -> the model's outputs

so the interpreter runs them on the host while the hardware (or the interpreter, as the
reference) runs the partition. Between them sit `pack_input` / `unpack_output`: normal
tensors <-> AXI-Stream beats (docs/architecture.md#streams-and-packing, via
`finn_xdsl.kernels.packing`) of the partition's stream types. Only designs with exactly one
partition are supported; the host split is what finn-build's driver and whole-design simulation use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, StringAttr
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import pack_beats, unpack_beats
from finn_xdsl.sim.execute import NAME_ATTR, entry_function, execute, input_names, output_names


def the_partition(module: ModuleOp) -> df.PartitionOp:
    """The one `dataflow.partition` directly in `@main` (a FinnError otherwise)."""
    fn = entry_function(module)
    parts = [op for op in fn.body.ops if isinstance(op, df.PartitionOp)]
    if len(parts) != 1:
        raise FinnError(
            f"the model has {len(parts)} dataflow partitions in @main; a build needs exactly one "
            "(lower it with -p to-folded first)"
        )
    return parts[0]


# ---------------------------------------------------------------------- stream formats


@dataclass(frozen=True)
class StreamFormat:
    """How one partition port's tensor travels as beats: FINN's io_shape_dict entry."""

    shape: tuple[int, ...]  # normal shape of one frame
    lanes: int
    bits: int  # element bits on the wire
    signed: bool
    bipolar: bool
    dtype: str  # QONNX DataType name (INT2, UINT8, BIPOLAR, ...)

    @property
    def beats(self) -> int:
        return int(np.prod(self.shape)) // self.lanes

    @property
    def width(self) -> int:
        """TDATA width on the port: lanes × bits, padded to whole bytes."""
        return -(-self.lanes * self.bits // 8) * 8

    @property
    def folded_shape(self) -> tuple[int, ...]:
        return (*self.shape[:-1], self.shape[-1] // self.lanes, self.lanes)

    @staticmethod
    def of(stream: StreamType) -> StreamFormat:
        elem = stream.element_type
        return StreamFormat(
            shape=tuple(stream.shape),
            lanes=stream.num_lanes,
            bits=stream.element_bits,
            signed=qt.value_range(elem)[0] < 0,
            bipolar=isinstance(elem, qt.BipolarType),
            dtype=qt.dtype_name(elem),
        )

    def pack(self, frame: np.ndarray) -> list[int]:
        """One frame's normal tensor -> its beats (element 0 of a beat in the LSBs)."""
        frame = np.asarray(frame)
        if tuple(frame.shape) != self.shape:
            raise FinnError(f"a frame of shape {list(frame.shape)}; the stream carries {list(self.shape)}")
        values = frame.astype(np.int64)
        if not np.array_equal(values, frame):
            raise FinnError("the stream carries integers; the frame holds non-integer values")
        return pack_beats(values, self.bits, self.lanes, self.bipolar)

    def unpack(self, beats: Sequence[int]) -> np.ndarray:
        """Beats of one frame -> its normal tensor (float32, the quantized storage)."""
        if len(beats) != self.beats:
            raise FinnError(f"{len(beats)} beats; one frame of this stream has {self.beats}")
        flat = unpack_beats(list(beats), self.bits, self.lanes, self.signed, self.bipolar)
        return flat.reshape(self.shape).astype(np.float32)


def input_formats(module: ModuleOp) -> list[StreamFormat]:
    """Formats of the partition's input streams (its block arguments' stream types)."""
    part = the_partition(module)
    return [StreamFormat.of(a.type) for a in part.block.args]  # type: ignore[arg-type]


def output_formats(module: ModuleOp) -> list[StreamFormat]:
    """Formats of the partition's output streams (the types its yield streams)."""
    part = the_partition(module)
    term = part.block.last_op
    assert isinstance(term, df.YieldOp)
    return [StreamFormat.of(v.type) for v in term.operands]  # type: ignore[arg-type]


def pack_input(module: ModuleOp, x: np.ndarray, index: int = 0) -> list[int]:
    """The partition's input tensor (one frame, normal shape) -> beats of input `index`."""
    return input_formats(module)[index].pack(x)


def unpack_output(module: ModuleOp, beats: Sequence[int], index: int = 0) -> np.ndarray:
    """Beats of partition output `index` (one frame) -> its normal tensor."""
    return output_formats(module)[index].unpack(beats)


# ---------------------------------------------------------------------- host split


def _name_attrs(names: Sequence[str]) -> ArrayAttr[DictionaryAttr]:
    return ArrayAttr([DictionaryAttr({NAME_ATTR: StringAttr(n)}) for n in names])


def _function(ops: Sequence[Operation], args: Sequence[SSAValue], results: Sequence[SSAValue],
              arg_names: Sequence[str], result_names: Sequence[str], result_types: Sequence[Attribute]) -> ModuleOp:
    """A module whose @main takes `args` and clones `ops`, then returns `results` (mapped),
    or, with no `results`, ends with the cloned func.return among `ops`."""
    block = Block(arg_types=[a.type for a in args])
    mapping: dict[SSAValue, SSAValue] = dict(zip(args, block.args))
    for op in ops:
        block.add_op(op.clone(mapping))
    if results:
        block.add_op(func.ReturnOp(*[mapping[r] for r in results]))
    fn = func.FuncOp("main", ([a.type for a in args], list(result_types)), Region(block))
    fn.arg_attrs = _name_attrs(arg_names)
    fn.res_attrs = _name_attrs(result_names)
    return ModuleOp([fn])


@dataclass
class HostSplit:
    """@main cut around its partition: `pre`, the partition itself, `post`."""

    pre: ModuleOp
    partition: ModuleOp  # @main = just the partition: what the hardware computes
    post: ModuleOp
    carried: list[str]  # names of pre-partition values `post` takes after the partition outputs
    n_inputs: int  # partition inputs (the first results of `pre`)

    def run_pre(self, inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray]) -> list[np.ndarray]:
        """Model inputs -> partition input tensors, followed by the carried values."""
        return list(execute(self.pre, inputs).values())

    def run_partition(self, tensors: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The reference for the hardware: partition inputs -> partition outputs."""
        return list(execute(self.partition, tensors).values())

    def run_post(self, partition_outputs: Sequence[np.ndarray], pre_values: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
        """Partition outputs (+ run_pre's full result) -> the model's outputs by name."""
        return execute(self.post, [*partition_outputs, *pre_values[self.n_inputs:]])


def split_host(module: ModuleOp) -> HostSplit:
    """Cut @main into the host pre-part and post-part around its one partition."""
    fn = entry_function(module)
    part = the_partition(module)
    ops = list(fn.body.ops)
    at = ops.index(part)
    before, after = ops[:at], ops[at + 1:]
    defined_before = {r for op in before for r in op.results} | set(fn.args)
    # values from before the partition that the post-part uses (constants, skip paths)
    carried: list[SSAValue] = []
    for op in after:
        for o in op.walk():
            for v in o.operands:
                if v in defined_before and v not in carried:
                    carried.append(v)
    model_in = input_names(module)
    pre_results = [*part.inputs, *carried]
    pre_names = [f"partition_in{i}" for i in range(len(part.inputs))] + [f"carried{i}" for i in range(len(carried))]
    pre = _function(before, fn.args, pre_results, model_in, pre_names, [v.type for v in pre_results])
    post_args = [*part.outputs, *carried]
    post_arg_names = [f"partition_out{i}" for i in range(len(part.outputs))] + pre_names[len(part.inputs):]
    res_names = output_names(module)
    post = _function(after, post_args, [], post_arg_names, res_names, fn.function_type.outputs.data)
    hw = _function([part], part.inputs, part.outputs, pre_names[: len(part.inputs)],
                   [f"partition_out{i}" for i in range(len(part.outputs))], [v.type for v in part.outputs])
    return HostSplit(pre, hw, post, pre_names[len(part.inputs):], len(part.inputs))
