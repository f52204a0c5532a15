"""
The container of a streaming design: `dataflow.partition` (FINN's
StreamingDataflowPartition) and its terminator `dataflow.yield`.

A partition sits in the tensor world (`qonnx` ops, func.func): it takes ranked tensors of
quantized element types and returns tensors. Inside, its single block sees the inputs as
`!dataflow.stream` arguments of the same tensor types and yields streams; the layers in
between are one hardware design. It is isolated from above, as FINN's partition is a
separate model: everything the layers need is in their properties.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.builder import ImplicitBuilder
from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_base import DataflowOperation
from finn_xdsl.dialects.dataflow_types import StreamType


@irdl_op_definition
class PartitionOp(IRDLOperation):
    """FINN StreamingDataflowPartition: a streaming design called on tensors.

    Operands are tensors of quantized element types (held in float32 at run time, as at
    the quant level); block argument i is a `!dataflow.stream` of operand i's tensor type
    (any lanes); result j has the tensor type of the j-th yielded stream. Only dataflow
    layers may appear inside.
    """

    name = "dataflow.partition"

    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    node_name = prop_def(StringAttr)
    body = region_def("single_block")

    traits = traits_def(IsolatedFromAbove())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$inputs attr-dict `:` functional-type($inputs, $outputs) $body"

    def __init__(
        self,
        inputs: Sequence[SSAValue | Operation],
        output_types: Sequence[TensorType],
        node_name: str,
        body: Region | None = None,
        lanes: Sequence[int] | None = None,
    ):
        """A partition; without `body`, an empty block with one stream argument per input.

        `lanes[i]` sets the lanes of argument i (default 1). Fill the block and end it
        with `YieldOp` (see `block`).
        """
        if body is None:
            values = [SSAValue.get(v) for v in inputs]
            lanes = lanes or [1] * len(values)
            arg_types = [StreamType(v.type, n) for v, n in zip(values, lanes, strict=True)]  # type: ignore[arg-type]
            body = Region(Block(arg_types=arg_types))
        super().__init__(
            operands=[inputs],
            result_types=[output_types],
            properties={"node_name": StringAttr(node_name)},
            regions=[body],
        )

    @staticmethod
    def wrap(
        inputs: Sequence[SSAValue | Operation],
        node_name: str,
        body: Callable[..., Sequence[SSAValue | Operation]],
        lanes: Sequence[int] | None = None,
    ) -> PartitionOp:
        """A partition whose body `body(*stream_args)` builds; it returns the streams to yield.

        Ops created inside `body` are inserted into the partition's block (xDSL's
        ImplicitBuilder); the result types follow from the yielded streams.
        """
        values = [SSAValue.get(v) for v in inputs]
        lanes = lanes or [1] * len(values)
        block = Block(arg_types=[StreamType(v.type, n) for v, n in zip(values, lanes, strict=True)])  # type: ignore[arg-type]
        with ImplicitBuilder(block):
            outs = [SSAValue.get(o) for o in body(*block.args)]
            YieldOp(*outs)
        types = [o.type.tensor for o in outs]  # type: ignore[attr-defined]
        return PartitionOp(values, types, node_name, Region(block))

    @property
    def block(self) -> Block:
        return self.body.block

    @property
    def display_name(self) -> str:
        return self.node_name.data

    def layers(self) -> list[DataflowOperation]:
        """The layer ops in block order (everything but the yield)."""
        return [op for op in self.block.ops if isinstance(op, DataflowOperation)]

    def verify_(self) -> None:
        for i, v in enumerate(self.inputs):
            if not qt.is_quantized(v.type.element_type):  # type: ignore[attr-defined]
                raise VerifyException(
                    f"input {i} must have a quantized element type, got {v.type}"
                )
        block = self.block
        if len(block.args) != len(self.inputs):
            raise VerifyException(
                f"the body has {len(block.args)} arguments for {len(self.inputs)} inputs"
            )
        for i, (arg, v) in enumerate(zip(block.args, self.inputs)):
            if not isinstance(arg.type, StreamType) or arg.type.tensor != v.type:
                raise VerifyException(
                    f"body argument {i} must be a !dataflow.stream of {v.type}, got {arg.type}"
                )
        names: set[str] = set()
        for op in block.ops:
            if not isinstance(op, DataflowOperation | YieldOp):
                raise VerifyException(f"only dataflow layers may appear in a partition, found {op.name}")
            # reports and folding configs are keyed by layer name
            if isinstance(op, DataflowOperation):
                if op.display_name in names:
                    raise VerifyException(f"two layers are named '{op.display_name}'")
                names.add(op.display_name)
        last = block.last_op
        if not isinstance(last, YieldOp):
            raise VerifyException("the body must end with dataflow.yield")
        if len(last.values) != len(self.outputs):
            raise VerifyException(
                f"the body yields {len(last.values)} streams for {len(self.outputs)} results"
            )
        for j, (y, r) in enumerate(zip(last.values, self.outputs)):
            assert isinstance(y.type, StreamType)
            if y.type.tensor != r.type:
                raise VerifyException(
                    f"result {j} has type {r.type}, the body yields a stream of {y.type.tensor}"
                )


@irdl_op_definition
class YieldOp(IRDLOperation):
    """Ends a partition's body: the streams that become its results."""

    name = "dataflow.yield"

    values = var_operand_def(StreamType)

    traits = traits_def(IsTerminator(), HasParent(PartitionOp))
    assembly_format = "($values^ `:` type($values))? attr-dict"

    def __init__(self, *values: SSAValue | Operation):
        super().__init__(operands=[values])


def partitions(root: Operation) -> list[PartitionOp]:
    """Every `dataflow.partition` under `root` (a module), in IR order: the one way the
    package lists them."""
    return [op for op in root.walk() if isinstance(op, PartitionOp)]
