"""
`size-fifos{keep-shallow=false frames=3}`: choose every FIFO depth so the design reaches
its analytic throughput (the slowest layer's cycles()) without deadlock.

FINN sizes FIFOs by simulating the whole stitched RTL with huge FIFOs and reading their
peak occupancy — minutes per network. Our layer library's timing does not depend on
data, so a token model per layer (`finn_xdsl.sim.tokensim`, checked cycle by cycle
against Verilator) gives the same answer in seconds:

1. insert the missing FIFOs (insert-fifos with shallow FIFOs, so every stream has one);
2. simulate with unbounded FIFOs, input frames released one per analytic interval (a
   producer at the target rate): each FIFO's peak occupancy is the buffering the design
   needs to absorb its layers' bursts — e.g. an MVU that reads its input only during its
   first output fold, or a sliding window that emits nothing while it fills its buffer;
3. depth = that peak (at least 2); FIFOs of depth <= 2 are removed (FINN's
   RemoveShallowFIFOs: the layers' own output queues decouple neighbours by two beats)
   unless keep-shallow;
4. check with the chosen depths and a full-speed source that the steady-state cycles per
   frame are within 1 % of the bound and nothing deadlocks; where not, put the removed
   FIFOs back, then double the FIFOs that ran full, and check again.

If a layer's RTL is slower than its cycles() formula (so no FIFO can reach the bound), the
target becomes what unbounded FIFOs reach, and a remark on stderr says so. `size_partition`
returns the figures (`Sizing`, used by the benchmark and tests); `-t report` lists the
depths and the total FIFO bits (estimate_fifo_sizes.json).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.passes.folding_utils import verify_partition
from finn_xdsl.passes.insert_fifos import insert_partition_fifos
from finn_xdsl.sim.tokensim import analytic_bound, simulate_partition

TOLERANCE = 1.01
MAX_ROUNDS = 12


@dataclass
class Sizing:
    """The outcome of sizing one partition."""

    bound: int  # analytic cycles per frame (max over layers)
    target: int  # what the check had to reach (the bound, unless no FIFO can)
    cycles_per_frame: int  # measured with the chosen depths
    depths: dict[str, int]  # FIFO name -> depth (0: removed)
    rounds: int  # checks needed


def choose_depths(part: df.PartitionOp, keep_shallow: bool = False, frames: int = 3) -> Sizing:
    """Steps 2-4 of the module docstring on a partition that has a FIFO on every stream."""
    name = part.display_name
    bound = analytic_bound(part)
    paced = simulate_partition(part, frames, unbounded=True, period=bound)
    if paced.deadlock:
        raise FinnError(f"size-fifos: {name}: deadlocks even with unbounded FIFOs")
    peaks = {n: max(p, 2) for n, p in paced.peaks.items()}
    depths = {n: (d if d > 2 or keep_shallow else 0) for n, d in peaks.items()}
    target = int(bound * TOLERANCE)
    best_possible: int | None = None
    for rounds in range(1, MAX_ROUNDS + 1):
        result = simulate_partition(part, frames, depths=depths)
        if not result.deadlock and result.cycles_per_frame <= target:
            return Sizing(bound, target, result.cycles_per_frame, depths, rounds)
        if best_possible is None:
            free = simulate_partition(part, frames, unbounded=True)
            best_possible = free.cycles_per_frame
            target = max(target, int(best_possible * TOLERANCE))
            if not result.deadlock and result.cycles_per_frame <= target:
                return Sizing(bound, target, result.cycles_per_frame, depths, rounds)
        if any(d == 0 for d in depths.values()):
            depths = {n: d or peaks[n] for n, d in depths.items()}
            continue
        full = [n for n, d in depths.items() if result.peaks.get(n, 0) >= d]
        for n in full or list(depths):
            depths[n] *= 2
    raise FinnError(f"size-fifos: {name}: no FIFO depths reach {target} cycles per frame "
                    f"after {MAX_ROUNDS} rounds (last: {result.cycles_per_frame}"
                    f"{', deadlock' if result.deadlock else ''})")


def apply_depths(part: df.PartitionOp, depths: dict[str, int]) -> None:
    """Set the FIFOs' depths; remove those of depth 0."""
    for op in list(part.layers()):
        if isinstance(op, df.FIFOOp) and op.display_name in depths:
            d = depths[op.display_name]
            if d == 0:
                op.output.replace_all_uses_with(op.input)
                Rewriter.erase_op(op)
            else:
                op.set_values(depth=d)


def size_partition(part: df.PartitionOp, keep_shallow: bool = False, frames: int = 3) -> Sizing:
    insert_partition_fifos(part, 2, create_shallow=True)
    sizing = choose_depths(part, keep_shallow, frames)
    apply_depths(part, sizing.depths)
    verify_partition(part, "size-fifos")
    return sizing


@dataclass(frozen=True)
class SizeFifosPass(ModulePass):
    """Size every FIFO from the token simulation (see the module docstring)."""

    name = "size-fifos"

    keep_shallow: bool = False
    frames: int = 3

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.frames < 2:
            raise FinnError(f"size-fifos: frames={self.frames} must be >= 2 (steady state needs two)")
        for part in df.partitions(op):
            s = size_partition(part, self.keep_shallow, self.frames)
            if s.target > int(s.bound * TOLERANCE):
                print(f"remark: size-fifos: {part.display_name}: the layers reach {s.cycles_per_frame} "
                      f"cycles per frame, not the analytic {s.bound}, whatever the FIFO depths", file=sys.stderr)
