"""
Resources of rtl/fx_duplicate_streams.sv (Yosys synth_xilinx, xc7).

The 2-entry buffer of W = PE·BITS bits (padded to whole bytes) is LUT RAM with one read
port per live output: RAM32M cells, whose three read ports Yosys fills with 6 bits of one
output's port (N_OUT·ceil(W/6) cells) or, for three outputs, with 2 bits of each output
(ceil(W/2)). The control (a write pointer, per output a read pointer and a 2-bit fill) is
a fixed 13 / 21 / 53 LUTs for 2 / 3 / 4 outputs, whatever the width.

Fit (benchmarks/rtl_fit/fx_duplicate_streams.py, 20 configurations: W 8-512 bits, 2-4
outputs): LUT, LUTRAM and FF exact.
"""

from __future__ import annotations

from math import ceil

DEFAULTS = dict(C=1, PE=1, BITS=8, N_OUT=2)
_CONTROL = {1: 6, 2: 13, 3: 21, 4: 53}


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    w = (p["PE"] * p["BITS"] + 7) // 8 * 8
    n = p["N_OUT"]
    lutram = ceil(w / 2) if n == 3 else n * ceil(w / 6)
    return {"LUT": _CONTROL[n], "LUTRAM": lutram, "FF": 1 + 4 * n, "BRAM18": 0, "DSP": 0}
