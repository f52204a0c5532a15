"""
`insert-dwc`: a `dataflow.dwc` wherever a producer's beat width differs from what its
consumer reads (FINN's InsertDWC).

Folding already keeps the streams retyped and the DWCs in place (set-folding and
apply-folding call `folding_utils.retype_partition`), so on a folded design this pass
changes nothing; it exists so that hand-written or edited IR (and FINN's step list)
can ask for the invariant explicitly. It is idempotent: existing DWCs are reused and keep
their names, DWCs nobody needs any more are removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.passes.folding_utils import retype_partition, verify_partition


@dataclass(frozen=True)
class InsertDwcPass(ModulePass):
    """Retype every partition's streams and put width converters where lanes differ."""

    name = "insert-dwc"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for part in df.partitions(op):
            retype_partition(part)
            verify_partition(part, self.name)
