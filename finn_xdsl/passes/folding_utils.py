"""
Shared helpers of the folding passes (set-folding, apply-folding) and the folding-config
target: what lanes each layer wants on its streams, retyping streams after PE/SIMD
changes, inserting / removing `dataflow.dwc` where producer and consumer lanes differ
(FINN's InsertDWC), naming DWCs, and the per-layer folding constraints with one-line
messages ("MVAU_hls_1: PE=5 does not divide MH=64").

Lanes never change values, so none of this changes what the interpreter computes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import Rewriter
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow import partitions
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import specs

DWC_PREFIX = "StreamingDataWidthConverter"

# ----------------------------------------------------------------------------- folding facts


def fold_dims(op: df.DataflowOperation) -> dict[str, tuple[str, int]]:
    """The folding factors of a layer (its spec's): property -> (the dimension it must divide, size)."""
    spec = specs().get(type(op))
    return spec.fold_dims(op) if spec is not None else {}


def in_lanes(op: Operation, index: int = 0) -> int | None:
    """The lanes a layer needs on operand `index` (None: it takes whatever comes)."""
    spec = specs().get(type(op))
    if spec is not None and spec.in_lanes is not None:
        return spec.in_lanes(op, index)
    if "pe" in op.properties or hasattr(type(op), "pe"):
        return op.value_of("pe")  # type: ignore[attr-defined]
    return None


def out_lanes(op: df.DataflowOperation, source_lanes: int) -> int:
    """The lanes of a layer's results given the lanes arriving on operand 0."""
    spec = specs().get(type(op))
    if spec is not None and spec.out_lanes is not None:
        return spec.out_lanes(op, source_lanes)
    lanes = in_lanes(op)
    return source_lanes if lanes is None else lanes


def check_folding(op: df.DataflowOperation) -> None:
    """FINN's folding constraints of one layer, as one-line FinnErrors naming the node."""
    name = op.display_name
    for prop, (dim, size) in fold_dims(op).items():
        value = op.value_of(prop)
        if value < 1:
            raise FinnError(f"{name}: {prop.upper()}={value} must be >= 1")
        if size % value != 0:
            raise FinnError(f"{name}: {prop.upper()}={value} does not divide {dim}={size}")
    if isinstance(op, df.MVAUOp) and op.impl.data == "hls" and op.value_of("simd") * 1024 < op.mw:
        raise FinnError(f"{name}: SIMD={op.value_of('simd')} is below MW/1024 (MW={op.mw}), which the HLS MVAU needs")
    if isinstance(op, df.SWGOp) and op.value_of("parallel_window"):
        c = op.in_type().channels
        if not op.value_of("depthwise") and op.value_of("simd") != c:
            raise FinnError(f"{name}: parallel_window=1 needs SIMD == C={c}, got SIMD={op.value_of('simd')}")


# ----------------------------------------------------------------------------- retyping


def _set_type(value: SSAValue, t: StreamType) -> None:
    if value.type != t:
        value._type = t  # type: ignore[misc]  (xDSL has no public setter; the value is retyped in place)


def _wanted_by_users(value: SSAValue) -> int | None:
    """The lanes every user of `value` wants, if they agree (looking through FIFOs/reshapes)."""
    wanted: set[int] = set()
    for use in value.uses:
        user = use.operation
        if isinstance(user, df.DWCOp):
            w = _wanted_by_users(user.output)
        elif isinstance(user, df.FIFOOp | df.ReshapeOp):
            w = _wanted_by_users(user.results[0])
        elif isinstance(user, df.DataflowOperation):
            w = in_lanes(user, use.index)
        else:
            w = None
        if w is None:
            return None
        wanted.add(w)
    return wanted.pop() if len(wanted) == 1 else None


def _source(value: SSAValue) -> SSAValue:
    """Through DWCs back to the value a non-DWC op (or block argument) produced."""
    while isinstance(value.owner, df.DWCOp):
        value = value.owner.input
    return value


def _dwc_impl(src: SSAValue, consumer: Operation) -> str:
    """The style of a new DWC: its producer's, else its consumer's ("" before specialize).

    `impl` is the backend that builds a layer, and both our libraries convert any width
    ratio (fx_dwc / fx_dwc.hpp: integer ratios and the LCM case), so a DWC needs no style
    of its own: it follows its neighbours, keeping an all-HLS graph all-HLS for whole-graph
    C-simulation and an all-RTL one simulable in Verilator. (FINN's rule, rtl iff one width
    divides the other, describes FINN's libraries, not ours.)"""
    for op in (src.owner, consumer):
        if isinstance(op, df.DataflowOperation) and not isinstance(op, df.DWCOp | df.FIFOOp | df.ReshapeOp) and op.impl.data:
            return op.impl.data
    return ""


def retype_partition(part: df.PartitionOp) -> None:
    """Retype every stream of `part` to its producer's lanes and put DWCs where needed.

    Block arguments take the lanes their consumers want (no DWC at a partition input;
    the DMA / host side adapts). A consumer whose input lanes differ from the producer's
    gets a DWC (an existing one with this single use is reused and keeps its name and
    impl; a new one takes its producer's style, see `_dwc_impl`); DWCs that are no longer needed disappear. New DWCs are named
    StreamingDataWidthConverter[_hls|_rtl]_<n>, n the lowest number no DWC of the partition has.
    """
    block = part.block
    specialised = any(op.impl.data for op in part.layers() if not isinstance(op, df.DWCOp))
    for arg in block.args:
        wanted = _wanted_by_users(arg)
        t = arg.type
        if wanted is not None and isinstance(t, StreamType) and t.channels % wanted == 0:
            _set_type(arg, t.with_lanes(wanted))
    used = {int(m.group(1)) for op in part.layers()
            if (m := re.fullmatch(rf"{DWC_PREFIX}(?:_(?:hls|rtl))?_(\d+)", op.display_name))}
    counter = (n for n in range(1 << 30) if n not in used)
    for op in list(block.ops):
        if isinstance(op, df.DWCOp) or not isinstance(op, df.DataflowOperation | df.YieldOp):
            continue
        for i, operand in enumerate(op.operands):
            want = in_lanes(op, i) if isinstance(op, df.DataflowOperation) else None
            src = _source(operand)
            have = src.type.num_lanes  # type: ignore[attr-defined]
            if isinstance(op, df.FIFOOp | df.ReshapeOp):
                # pass-through: what the consumers after it want, if the tensor allows
                want = _wanted_by_users(op.results[0])
                channels = [src.type.channels, op.results[0].type.channels]  # type: ignore[attr-defined]
                if want is not None and any(c % want for c in channels):
                    want = None
                if want is None and any(c % have for c in channels):
                    want = math.gcd(*channels, have)
            if want is None or want == have:
                if operand is not src:
                    op.operands[i] = src
                continue
            if isinstance(operand.owner, df.DWCOp) and len(list(operand.uses)) == 1 and operand.owner.input is src:
                dwc = operand.owner
                _set_type(dwc.output, src.type.with_lanes(want))  # type: ignore[attr-defined]
                continue
            impl = _dwc_impl(src, op) if specialised else ""
            stem = f"{DWC_PREFIX}_{impl}" if impl else DWC_PREFIX
            dwc = df.DWCOp(src, want, node_name=f"{stem}_{next(counter)}", impl=impl or None)
            Rewriter.insert_op(dwc, _before(op))
            op.operands[i] = dwc.output
        if isinstance(op, df.DataflowOperation):
            src_lanes = op.operands[0].type.num_lanes if op.operands else 1  # type: ignore[attr-defined]
            lanes = out_lanes(op, src_lanes)
            for r in op.results:
                _set_type(r, r.type.with_lanes(lanes))  # type: ignore[attr-defined]
    # DWCs nobody reads any more (or chains of them) go away
    changed = True
    while changed:
        changed = False
        for op in list(block.ops):
            if isinstance(op, df.DWCOp) and not op.output.uses:
                Rewriter.erase_op(op)
                changed = True


def _before(op: Operation):
    from xdsl.rewriter import InsertPoint

    return InsertPoint.before(op)


def verify_partition(part: df.PartitionOp, where: str) -> None:
    """Verify every layer of a partition; the first failure is a one-line FinnError."""
    for op in part.layers():
        try:
            op.verify()
        except VerifyException as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise FinnError(f"{where}: {op.display_name}: {first}") from None
    try:
        part.verify()
    except VerifyException as e:
        raise FinnError(f"{where}: {part.display_name}: {str(e).strip().splitlines()[0]}") from None


def layers_by_name(module: ModuleOp) -> dict[str, df.DataflowOperation]:
    """Every layer of every partition by node name (names must be unique)."""
    named: dict[str, df.DataflowOperation] = {}
    for part in partitions(module):
        for op in part.layers():
            named.setdefault(op.display_name, op)
    return named


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def max_cycles(ops: Iterable[df.DataflowOperation]) -> tuple[int, df.DataflowOperation | None]:
    best, which = 0, None
    for op in ops:
        c = op.cycles()
        if c > best:
            best, which = c, op
    return best, which
