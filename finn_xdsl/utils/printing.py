"""
Printing IR for people: a CNV model is 12 MB of IR, nearly all of it weight bytes.

`ElidingPrinter` prints every dense attribute (constants, layer weights and thresholds)
with more than `elide_above` elements as
`dense_resource<__elided__>`, as mlir-opt's `--mlir-elide-elementsattrs-if-larger` does.
Such text documents a model; it cannot be parsed back into the same weights.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr
from xdsl.ir import Attribute, Operation
from xdsl.printer import Printer


@dataclass(eq=False, repr=False)
class ElidingPrinter(Printer):
    elide_above: int = 16

    def print_attribute(self, attribute: Attribute) -> None:
        if isinstance(attribute, DenseIntOrFPElementsAttr) and len(attribute) > self.elide_above:
            self.print_string("dense_resource<__elided__> : ")
            super().print_attribute(attribute.type)
            return
        super().print_attribute(attribute)


def print_elided(op: Operation, elide_above: int = 16) -> str:
    out = io.StringIO()
    ElidingPrinter(stream=out, elide_above=elide_above).print_op(op)
    return out.getvalue()
