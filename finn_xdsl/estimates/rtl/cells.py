"""
Cell-count building blocks shared by the formula files of this package: SystemVerilog's
$clog2 (counter and address widths) and the LUTs of a one-bit multiplexer on 7-series
(LUT6 as a 4:1 stage; MUXF7/MUXF8 are free). Not a formula file itself: the dispatcher only
loads `fx_*` names.
"""

from __future__ import annotations

from math import ceil


def clog2(n: int) -> int:
    """$clog2(n): the bits of an index over n values (0 for n <= 1)."""
    return (n - 1).bit_length() if n > 1 else 0


def mux_luts(n: int) -> int:
    """LUTs of an n:1 multiplexer of one bit."""
    if n <= 1:
        return 0
    if n <= 4:
        return 1
    return ceil(n / 4) + (ceil(n / 16) if n > 16 else 0)
