"""
The rtl plan of a layer under its old name: the decisions moved to the layer library
(`finn_xdsl.kernels`, one spec per layer), which `-t sv` reads. This module stays only for
the scripts under benchmarks/ that still import from here; new code imports kernels.
"""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import decide
from finn_xdsl.kernels.plan import (
    LayerPlan,
    MemStream,
    Port,
    Refusal,
    hex_lines,
    padded,
    signed_bits,
)
from finn_xdsl.kernels.thresholding import threshold_search_layout


def legalize(layer: df.DataflowOperation) -> LayerPlan:
    """The wrapper plan of one layer; FinnError if the library cannot implement it."""
    try:
        return decide(layer, "rtl")
    except Refusal as e:
        raise FinnError(f"-t sv: {e}") from None
