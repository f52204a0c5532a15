"""
`insert-fifos{create-shallow=true default-depth=2}`: a `dataflow.fifo` on every stream
between two layers and at each partition input and output (FINN's InsertFIFO).

Depths come from the folding configuration when it has them (apply-folding keeps FINN's
`inFIFODepths` / `outFIFODepths` as the layer attributes `in_fifo_depths` /
`out_fifo_depths`): a FIFO gets the larger of its producer's output depth and its
consumer's input depth, as in FINN; otherwise `default-depth`. With
`create-shallow=false` FIFOs of depth <= 2 are not created (the layers' own output
registers already decouple neighbours by a beat). FIFOs are named
StreamingFIFO[_rtl]_<n> (`_rtl` once the partition is specialised, as DWC names are),
n the lowest number free in the partition.

Idempotent: a stream that already has a FIFO at either end gets no second one.
Reshapes are wires, so the FIFO of a stream that passes through one sits after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.passes.folding_utils import verify_partition

FIFO_PREFIX = "StreamingFIFO"
IN_DEPTHS = "in_fifo_depths"
OUT_DEPTHS = "out_fifo_depths"


def configured_depth(op: Operation | None, attr: str, index: int) -> int | None:
    """The folding config's FIFO depth of port `index` of `op`, if it gave one."""
    if not isinstance(op, df.DataflowOperation) or attr not in op.attributes:
        return None
    depths = df.from_attr(op.attributes[attr])
    return int(depths[index]) if index < len(depths) else None


def _skip_reshapes(value: SSAValue) -> SSAValue:
    """Where a FIFO for `value` goes: after the chain of reshapes that reads it, if any."""
    while len(list(value.uses)) == 1 and isinstance(user := next(iter(value.uses)).operation, df.ReshapeOp):
        value = user.output
    return value


def fifo_names(block: Block):
    """A generator of free StreamingFIFO numbers in a partition."""
    used = {int(m.group(1)) for op in block.ops if isinstance(op, df.DataflowOperation)
            and (m := re.fullmatch(rf"{FIFO_PREFIX}(?:_(?:hls|rtl))?_(\d+)", op.display_name))}
    return (n for n in range(1 << 30) if n not in used)


def insert_partition_fifos(part: df.PartitionOp, default_depth: int, create_shallow: bool) -> list[df.FIFOOp]:
    """Insert the FIFOs of one partition; returns the new ones."""
    block = part.block
    specialised = any(op.impl.data for op in part.layers() if not isinstance(op, df.FIFOOp | df.DWCOp | df.ReshapeOp))
    stem = f"{FIFO_PREFIX}_rtl" if specialised else FIFO_PREFIX
    counter = fifo_names(block)
    # the streams: block arguments and every result of a layer that is not a FIFO or reshape
    values: list[SSAValue] = list(block.args)
    for op in block.ops:
        if isinstance(op, df.DataflowOperation) and not isinstance(op, df.FIFOOp | df.ReshapeOp):
            values.extend(op.results)
    new: list[df.FIFOOp] = []
    for value in values:
        value = _skip_reshapes(value)
        uses = list(value.uses)
        if len(uses) != 1:
            continue  # unused, or forked without duplicate_streams: the verifier's business
        use = uses[0]
        if isinstance(use.operation, df.FIFOOp):
            continue
        src = value
        while isinstance(src.owner, df.ReshapeOp):
            src = src.owner.input
        producer = src.owner if isinstance(src.owner, df.DataflowOperation) else None
        index = src.index if producer is not None else 0  # type: ignore[attr-defined]
        given = [d for d in (configured_depth(producer, OUT_DEPTHS, index),
                             configured_depth(use.operation, IN_DEPTHS, use.index)) if d is not None]
        depth = max(given) if given else default_depth
        if depth <= 2 and not create_shallow:
            continue
        fifo = df.FIFOOp(value, max(depth, 2), node_name=f"{stem}_{next(counter)}",
                         impl="rtl" if specialised else None)
        if isinstance(value.owner, Operation):
            Rewriter.insert_op(fifo, InsertPoint.after(value.owner))
        else:
            Rewriter.insert_op(fifo, InsertPoint.at_start(block))
        use.operation.operands[use.index] = fifo.output
        new.append(fifo)
    return new


@dataclass(frozen=True)
class InsertFifosPass(ModulePass):
    """Put a StreamingFIFO on every stream of every partition (see the module docstring)."""

    name = "insert-fifos"

    create_shallow: bool = True
    default_depth: int = 2

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.default_depth < 2:
            raise FinnError(f"{self.name}: default-depth={self.default_depth} must be >= 2")
        for part in df.partitions(op):
            insert_partition_fifos(part, self.default_depth, self.create_shallow)
            verify_partition(part, self.name)
