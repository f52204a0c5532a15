"""
to-folded: the default front half of the compiler, from QONNX to a folded streaming design.

    to-dataflow, specialize{prefer}, set-folding{target-fps clock-ns ...}, minimize-bitwidths

in FINN's order (qonnx_to_finn ... specialize_layers, target_fps_parallelization,
minimize_bit_width): folding sees the exported weight widths, as FINN's SetFolding does,
so the same target gives FINN's folding. After it `-t report` gives the numbers a FINN
user reads first. The width converters set-folding inserts then get the preferred style, as
specialize gives every other layer (`specialize.restyle_dwcs`).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.passes.minimize_bitwidths import MinimizeBitwidthsPass
from finn_xdsl.passes.set_folding import SetFoldingPass
from finn_xdsl.passes.specialize import SpecializePass, restyle_dwcs
from finn_xdsl.passes.to_dataflow import ToDataflowPass


@dataclass(frozen=True)
class ToFoldedPass(ModulePass):
    """QONNX-level IR -> specialised, bit-width-minimised, folded dataflow partitions."""

    name = "to-folded"

    target_fps: int | float = 0
    clock_ns: int | float = 10
    prefer: str = "rtl"
    fpgapart: str = DEFAULT_PART
    mvau_wwidth_max: int = 36
    two_pass_relaxation: bool = True
    relax_wwidth: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for p in (
            ToDataflowPass(),
            SpecializePass(prefer=self.prefer, fpgapart=self.fpgapart),
            SetFoldingPass(
                target_fps=self.target_fps,
                clock_ns=self.clock_ns,
                mvau_wwidth_max=self.mvau_wwidth_max,
                two_pass_relaxation=self.two_pass_relaxation,
                relax_wwidth=self.relax_wwidth,
            ),
            MinimizeBitwidthsPass(),
        ):
            p.apply(ctx, op)
        restyle_dwcs(op, self.prefer)
