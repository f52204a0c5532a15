"""
`set-folding{target-fps=N clock-ns=10 mvau-wwidth-max=36 two-pass-relaxation=true relax-wwidth=true}`:
choose PE / SIMD / parallel_window of every layer to meet a throughput target (FINN's
SetFolding, docs/finn_reference.md#setfolding), then retype the streams and insert the
DWCs the new lanes need.

Target: `target_cycles = int(1e9 / (clock_ns · target_fps))`. Per layer, in block order,
with `cycles()` = FINN's get_exp_cycles:

- `optimize(attr, max)`: attr = 1, then for each divisor d of max ascending: attr = d, stop
  at the first d with cycles < target (strict); otherwise it ends at max.
- MVAU: PE = SIMD = 1; for SIMD over divisors(MW): set it; stop if cycles < target; if
  W_bits · SIMD > cap (mvau-wwidth-max) revert to the previous SIMD and stop. Then
  optimize(PE, MH). (The cycle check comes first, as in FINN.)
- Thresholding, ChannelwiseOp, AddStreams, DuplicateStreams, GlobalAccPool: optimize(PE, C);
  LabelSelect: optimize(PE, Labels).
- SWG (non-depthwise): parallel_window = 0 (RTL), optimize(SIMD, C); an RTL SWG still too slow
  at SIMD = C gets parallel_window = 1. Depthwise SWGs are left to their consumer.
  FMPadding: optimize(SIMD, C).
- StreamingMaxPool, DWC, FIFO, reshape: untouched (as FINN; a 2-D maxpool has PE = C).
- two-pass-relaxation: if max cycles > target, run once more with target = max cycles
  (balances the pipeline around the bottleneck; saves resources elsewhere).

With relax-wwidth=false that is exactly FINN. With relax-wwidth=true, when the target is
not met after the first pass, the bottleneck layers are relaxed one at a time: an MVAU's
own weight-width cap is raised to the next divisor of MW (SIMD search rerun) and an SWG
at SIMD = C gets parallel_window = 1 when that shortens it, until every layer meets the
target or nothing helps; then the two-pass balancing runs with the relaxed caps. The slowest layer is
relaxed first; once it cannot be sped up, only layers slower than it are relaxed further
(no width is spent where it cannot raise the throughput). A remark on stderr says what
was relaxed (final state per layer), and, when the target is out of reach, the achieved fps
and the bottleneck layer (the folding stays at the most parallel one found).

One fix-up FINN lacks: an HLS MVAU never ends below SIMD = MW/1024 (its ipgen assertion).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow_types import element_bits
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import specs
from finn_xdsl.passes.folding_utils import (
    divisors,
    max_cycles,
    retype_partition,
    verify_partition,
)


def _finn_fold(op: df.DataflowOperation) -> str:
    """How FINN's SetFolding folds the op beyond its MVAU and SWG rules (the layer spec's)."""
    spec = specs().get(type(op))
    return spec.finn_fold if spec is not None else ""


@dataclass
class FoldingReport:
    """What set-folding did to one partition."""

    partition: str
    target_cycles: int
    max_cycles: int
    bottleneck: str
    met: bool
    relaxed: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


class _Folder:
    def __init__(self, wwidth_max: int):
        self.wwidth_max = wwidth_max
        self.caps: dict[int, int] = {}  # id(MVAU) -> relaxed weight-width cap (bits)
        self.windows: set[int] = set()  # id(SWG) relaxed to parallel_window

    # ------------------------------------------------------------------ FINN's rules

    @staticmethod
    def optimize(op: df.DataflowOperation, attr: str, maximum: int, target: int) -> None:
        op.set_values(**{attr: 1})
        for d in divisors(maximum):
            op.set_values(**{attr: d})
            if op.cycles() < target:
                break

    def fold_mvau(self, op: df.MVAUOp, target: int) -> None:
        cap = self.caps.get(id(op), self.wwidth_max)
        wbits = element_bits(op.weight_type)
        op.set_values(pe=1, simd=1)
        for simd in divisors(op.mw):
            prev = op.value_of("simd")
            op.set_values(simd=simd)
            if op.cycles() < target:
                break
            if wbits * simd > cap:
                op.set_values(simd=prev)
                break
        self.optimize(op, "pe", op.mh, target)
        if op.impl.data == "hls" and op.value_of("simd") * 1024 < op.mw:
            op.set_values(simd=next(d for d in divisors(op.mw) if d * 1024 >= op.mw))

    def fold(self, op: df.DataflowOperation, target: int) -> None:
        match op:
            case df.MVAUOp():
                self.fold_mvau(op, target)
            case _ if _finn_fold(op) == "pe":
                self.optimize(op, "pe", op.in_type().channels, target)
            case df.SWGOp():
                if op.value_of("depthwise"):
                    return
                c = op.in_type().channels
                if id(op) in self.windows:
                    op.set_values(simd=c, parallel_window=True)
                    return
                rtl = op.impl.data == "rtl"
                op.set_values(parallel_window=False)
                self.optimize(op, "simd", c, target)
                if rtl and op.value_of("simd") == c and op.cycles() > target:
                    op.set_values(parallel_window=True)
            case df.FMPaddingOp():
                self.optimize(op, "simd", op.in_type().channels, target)

    def fold_all(self, layers: list[df.DataflowOperation], target: int) -> None:
        for op in layers:
            self.fold(op, target)

    # ------------------------------------------------------------------ relaxation

    def relax(self, op: df.DataflowOperation, target: int) -> str | None:
        """One step that makes `op` faster beyond FINN's rules; None if nothing helps."""
        before = op.cycles()
        if isinstance(op, df.MVAUOp):
            wbits = element_bits(op.weight_type)
            cap = self.caps.get(id(op), self.wwidth_max)
            simd = op.value_of("simd")
            while True:
                bigger = [d for d in divisors(op.mw) if d > simd and d * wbits > cap]
                if not bigger:
                    return None
                cap = bigger[0] * wbits
                self.caps[id(op)] = cap
                self.fold_mvau(op, target)
                if op.cycles() < before:
                    return (f"{op.display_name}: weight stream cap {self.wwidth_max} -> {cap} bits "
                            f"(SIMD={op.value_of('simd')}, PE={op.value_of('pe')})")
                simd = op.value_of("simd")
        if isinstance(op, df.SWGOp) and not op.value_of("depthwise"):
            c = op.in_type().channels
            if op.value_of("parallel_window"):
                return None
            old = op.value_of("simd")
            op.set_values(simd=c, parallel_window=True)
            if op.cycles() < before:
                self.windows.add(id(op))
                return f"{op.display_name}: parallel_window=1 (SIMD={c})"
            op.set_values(simd=old, parallel_window=False)
        return None


def set_folding(part: df.PartitionOp, target_fps: float, clock_ns: float, wwidth_max: int,
                two_pass: bool, relax_wwidth: bool) -> FoldingReport:
    """Fold one partition in place (streams retyped, DWCs inserted); return what happened."""
    target = int((1e9 / clock_ns) / target_fps)
    layers = [op for op in part.layers() if not isinstance(op, df.DWCOp)]
    folder = _Folder(wwidth_max)
    folder.fold_all(layers, target)
    report = FoldingReport(part.display_name, target, 0, "", False)
    cycles, neck = max_cycles(layers)
    if relax_wwidth and cycles > target:
        # slowest layer first; once the slowest cannot be sped up, its cycles are the
        # best achievable and only layers slower than that are relaxed further
        floor = target
        stuck: set[int] = set()
        relaxed: dict[str, str] = {}
        while True:
            slow = [op for op in layers if op.cycles() > floor and id(op) not in stuck]
            if not slow:
                break
            op = max(slow, key=lambda o: o.cycles())
            what = folder.relax(op, target)
            if what is None:
                stuck.add(id(op))
                floor = max(floor, op.cycles())
            else:
                relaxed[op.display_name] = what
        report.relaxed = list(relaxed.values())
        cycles, neck = max_cycles(layers)
    if two_pass and cycles > target:
        folder.fold_all(layers, cycles)
    cycles, neck = max_cycles(layers)
    report.max_cycles = cycles
    report.bottleneck = neck.display_name if neck is not None else ""
    report.met = cycles <= target
    fps = 1e9 / (clock_ns * cycles) if cycles else float("inf")
    if report.relaxed:
        report.remarks.append(f"relaxed to meet {target_fps:g} fps: " + "; ".join(report.relaxed))
    if not report.met:
        report.remarks.append(
            f"target {target_fps:g} fps ({target} cycles) not reached: {fps:.6g} fps, "
            f"bottleneck {report.bottleneck} at {cycles} cycles"
        )
    retype_partition(part)
    verify_partition(part, "set-folding")
    return report


@dataclass(frozen=True)
class SetFoldingPass(ModulePass):
    """FINN's SetFolding for a target fps (see the module docstring)."""

    name = "set-folding"

    target_fps: int | float = 0
    clock_ns: int | float = 10
    mvau_wwidth_max: int = 36
    two_pass_relaxation: bool = True
    relax_wwidth: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        run_set_folding(op, self)


def run_set_folding(module: ModuleOp, p: SetFoldingPass, quiet: bool = False) -> list[FoldingReport]:
    if not p.target_fps or p.target_fps <= 0:
        raise FinnError(f"set-folding: target-fps must be > 0, got {p.target_fps}")
    if p.clock_ns <= 0:
        raise FinnError(f"set-folding: clock-ns must be > 0, got {p.clock_ns}")
    reports = []
    for part in df.partitions(module):
        r = set_folding(part, float(p.target_fps), float(p.clock_ns), int(p.mvau_wwidth_max),
                        p.two_pass_relaxation, p.relax_wwidth)
        reports.append(r)
        if not quiet:
            for line in r.remarks:
                print(f"remark: set-folding: {r.partition}: {line}", file=sys.stderr)
    return reports
