"""
Resources of rtl/fx_fmpadding.sv (Yosys synth_xilinx, xc7).

The data path is the 2-entry skid buffer: A's choice between B, the input beat and the pad
value is one LUT per bit of the W = SIMD·BITS-bit beat, B takes the input with the pad value
through its flops' synchronous set/reset (no LUT). The rest is the channel-fold, column and
row counters (increments on carry chains, one equality compare each for the wrap, one
compare per padded side for the region test) and the handshake: about 11 LUTs plus half a
LUT per bit of the column and row counters.

    LUT = W + 11 + (clog2(OW) + clog2(OH)) / 2        OW = PL + IW + PR, OH = PT + IH + PB
    FF  = 2·W + clog2(CF) + clog2(OW) + clog2(OH) + 2   (each clog2 at least 1)

Fit (benchmarks/rtl_fit/fx_fmpadding.py, 20 configurations: W 8-256 bits, images 1x64 to
224x224, symmetric / asymmetric / one-sided padding, pad values 0, -1, 5): LUT within 8.7 %
(the 100x100x3 SIMD 3 case, 46 vs 42), most within 3 %; FF within one flop. No LUTRAM, BRAM or DSP.
"""

from __future__ import annotations

from math import ceil, log2

DEFAULTS = dict(IH=4, IW=4, C=1, PT=1, PL=1, PB=1, PR=1, SIMD=1, BITS=8, PAD_VALUE=0)


def _bits(n: int) -> int:
    """The width of a counter over n values ($clog2, at least 1)."""
    return max(1, ceil(log2(n))) if n > 1 else 1


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    w = p["SIMD"] * p["BITS"]
    ow, oh = p["PL"] + p["IW"] + p["PR"], p["PT"] + p["IH"] + p["PB"]
    counters = _bits(ow) + _bits(oh)
    lut = w + 11 + counters / 2
    ff = 2 * w + _bits(p["C"] // p["SIMD"]) + counters + 2
    return {"LUT": round(lut), "LUTRAM": 0, "FF": ff, "BRAM18": 0, "DSP": 0}
