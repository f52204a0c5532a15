"""
legalize-layers: record every layer's plan on the IR, so the printers only print.

    legalize-layers

For every layer of every `dataflow.partition`, the library that realises it (impl "hls":
our hls/ templates; "rtl" and wires: our rtl/ modules) decides its plan — the module or
template, every parameter value, the memory-file names, the wrapper glue — and the pass
records it as the layer's attribute `plan` (`kernels.attrs` spells it out):

    %1 = dataflow.thresholding %0 {node_name = "Thresholding_rtl_0", impl = "rtl", ...,
           plan = {module = "fx_thresholding", params = {C = 4 : i64, ...},
                   files = {THRESHOLDS_FILE = "Thresholding_rtl_0_thresholds.dat"},
                   summary = "fx_thresholding C=4 PE=2 N=3"}} : ...

`-t sv`, `-t hls`, `-t tcl`, `-t report`, lower-to-hw and the layer simulators read the
recorded plan (`kernels.plan_of`) instead of deciding again; on IR this pass has not seen
they decide the same plan themselves, as CIRCT's ExportVerilog prepares its input itself.
A layer the library cannot realise is a one-line error naming it and the reason, and no
plan is recorded. A plan depends on the folding, the types and the constants, and no pass
updates it, so this pass runs last, right before the targets (finn-build legalises a
copy of the final IR for its targets); each run decides every plan afresh, so it is
idempotent and re-running it after a change brings the plans up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.kernels import record_plans


@dataclass(frozen=True)
class LegalizeLayersPass(ModulePass):
    name = "legalize-layers"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        record_plans(op, label=self.name)
