"""
Resources of rtl/fx_add_streams.sv (Yosys synth_xilinx, xc7).

Per lane one adder on a carry chain, a LUT per input bit (the carry out is the sum's top
bit for free; 1-bit lanes need two LUTs, sum and carry; a narrower OUT_BITS keeps only its
bits). The 2-entry output buffer of DW = PE·OUT_BITS bits is LUT RAM (RAM32M, 6 bits a
cell) from 9 bits on, flip-flops and a multiplexer LUT per bit below. Handshake and
pointers: 7 LUTs, 8 from 5-bit inputs on.

    LUT    = PE·(2 if IN_BITS = 1 else min(IN_BITS, OUT_BITS)) + 7 + [IN_BITS >= 5]
             (+ DW + 2 when DW <= 8)
    LUTRAM = ceil(DW / 6) when DW > 8

Fit (benchmarks/rtl_fit/fx_add_streams.py, 20 configurations: PE 1-64, 1-8 bits, signed
and unsigned, OUT_BITS narrower, one wider and much wider than the sum): LUT, LUTRAM
and FF exact in all 20.
"""

from __future__ import annotations

from math import ceil

DEFAULTS = dict(C=1, PE=1, IN_BITS=8, IN_SIGNED=0, OUT_BITS=9)


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    pe, ib, ob = p["PE"], p["IN_BITS"], p["OUT_BITS"]
    dw = pe * ob
    lane = 2 if ib == 1 else min(ib, ob)
    lut = pe * lane + 7 + (ib >= 5)
    if dw <= 8:
        lut += dw + 2
        lutram, ff = 0, 2 * dw + 5
    else:
        lutram, ff = ceil(dw / 6), 5
    return {"LUT": lut, "LUTRAM": lutram, "FF": ff, "BRAM18": 0, "DSP": 0}
