"""
Resources of rtl/fx_thresholding.sv, the ROM variant the -t sv wrappers instantiate
(fx_thresholding = fx_thresholding_axi with RUNTIME_WRITE 0: rtl/fx_threshold_search.sv
plus an fx_fifo "srl" output queue), from its Verilog parameters.

Structure the formula follows: K = ceil(log2(N + 1)) search stages; per lane and stage k
one comparator of XW = max(IN_BITS + unsigned, T_BITS) bits reading a LUT-ROM table of
C/PE · 2^k thresholds (address bits a = ceil(log2(C/PE)) + k).

  LUT    = 12.5 + 1.16·rom + 1.77·mux + 1.10·tiny + Σ over cmp of ((0.86 or 1.32)·XW - 3.19)
    tiny:  comparators whose whole function has <= 6 inputs (IN_BITS + a <= 6): one LUT
    cmp:   the others; 0.86·XW while a <= 2 (a bit pair per LUT), else 1.32·XW
    rom:   tables beyond 32 entries (not folded into the compare LUTs), in LUT6-columns:
           T_BITS · ceil(entries / 64) per lane and stage
    mux:   the multiplexer levels beyond MUXF7/F8, T_BITS · (ceil(entries / 256) - 1)
  LUTRAM = PE · (output bits that are not constant): one SRL16E per bit of the queue
           (its depth, K + 2, stays <= 32)
  FF     = the registers, exactly: per stage a valid bit and the count bits decided so
           far; between stages the fold and the input lanes (sign copies merge); the fold
           counter, the credit counter and the queue's fill level and read address
  BRAM18 = DSP = 0

Fit (benchmarks/rtl_fit/fx_thresholding.py, 24 configurations: C 8-512, PE 1 to C, N 1-255,
2- to 16-bit inputs; random ascending thresholds over the input range, search layout): LUT +
LUTRAM within 13.9 % of Yosys synth_xilinx (mean 4.4 %); FF and LUTRAM exact. The LUT
count of a table depends on its contents (ascending thresholds compress); the fit is for
thresholds spread over the input range as quantised networks have them. The channel layout
(THRESHOLDS_LAYOUT 0) synthesises to within a few % of the same numbers (C64 PE4 N15: 274
against 295 LUT). The runtime-writable variant (fx_thresholding_axi, RUNTIME_WRITE 1) is not
modelled: -t sv does not generate it.

    case                  Yosys L+LR  estimate   error
    C64_PE4_N15_s8_u4            311       293    -5.8 %   (FINN's anchor)
    C32_PE4_N3_s8_u2              79        90    13.9 %
    C64_PE4_N1_s8_u1              52        51    -1.9 %
    C64_PE4_N1_s8_bip             52        51    -1.9 %
    C256_PE8_N15_s8_u4           942       907    -3.7 %
    C64_PE4_N255_s8_u8          3857      3660    -5.1 %
    C16_PE16_N15_s8_u4           436       433    -0.7 %
    C16_PE1_N15_s8_u4             94        83   -11.7 %
    C128_PE2_N15_u8_u4           433       485    12.0 %
    C32_PE8_N7_s4_u3             101       100    -1.0 %
    C64_PE8_N3_u2_u2              46        46     0.0 %
    C48_PE3_N15_s8_s4            217       223     2.8 %
    C96_PE6_N15_s8_u4            437       433    -0.9 %
    C24_PE4_N31_s8_u5            330       331     0.3 %
    C64_PE4_N63_s8_u6           1019       936    -8.1 %
    C32_PE2_N127_s8_u7           894       924     3.4 %
    C8_PE8_N255_s8_u8            747       783     4.8 %
    C512_PE16_N3_s8_u2           536       489    -8.8 %
    C64_PE64_N1_s8_bip           365       367     0.5 %
    C64_PE16_N15_s16_u4         1202      1180    -1.8 %
    C32_PE4_N15_s8_s4            205       209     2.0 %
    C128_PE4_N7_u4_u3            150       165    10.0 %
    C256_PE32_N3_s4_u2           300       293    -2.3 %
    C16_PE4_N2_s8_s2              75        73    -2.7 %
"""

from __future__ import annotations

import math

from finn_xdsl.estimates.rtl.cells import clog2

DEFAULTS = {"C": 1, "PE": 1, "N": 1, "IN_BITS": 8, "IN_SIGNED": 1, "T_BITS": 9, "OUT_BITS": 4, "BIAS": 0,
            "OUT_BIPOLAR": 0}

# fitted coefficients (see the module docstring)
BASE, ROM, MUX, TINY, CMP_NARROW, CMP_WIDE, PER_CMP = 12.53, 1.163, 1.771, 1.102, 0.859, 1.316, -3.194



def _luts(p: dict, stages: int, fold_bits: int) -> float:
    folds = p["C"] // p["PE"]
    xw = max(p["IN_BITS"] + (0 if p["IN_SIGNED"] else 1), p["T_BITS"])
    total = BASE
    for k in range(stages):
        a, entries = fold_bits + k, folds << k
        if p["IN_BITS"] + a <= 6:
            total += TINY * p["PE"]
            continue
        total += p["PE"] * ((CMP_NARROW if a <= 2 else CMP_WIDE) * xw + PER_CMP)
        if a >= 6:
            total += p["PE"] * p["T_BITS"] * (ROM * math.ceil(entries / 64) + MUX * (math.ceil(entries / 256) - 1))
    return total


def _live_out_bits(p: dict, stages: int) -> int:
    """Output bits per lane that are not constant (a constant bit's SRL is removed)."""
    if p["OUT_BIPOLAR"]:
        return 1
    return p["OUT_BITS"] if p["BIAS"] else min(p["OUT_BITS"], stages)


def _ffs(p: dict, stages: int, fold_bits: int) -> int:
    pe, depth = p["PE"], stages + 2
    search = stages + pe * stages * (stages + 1) // 2 + (stages - 1) * (fold_bits + pe * p["IN_BITS"])
    queue = (clog2(depth) + 1) + clog2(depth)  # fill level and read address
    return search + fold_bits + clog2(depth + 1) + queue


def resources(params: dict) -> dict:
    p = {**DEFAULTS, **params}
    stages = max(1, int(p["N"]).bit_length())
    fold_bits = clog2(p["C"] // p["PE"])
    return {"LUT": round(_luts(p, stages, fold_bits)), "LUTRAM": p["PE"] * _live_out_bits(p, stages),
            "FF": _ffs(p, stages, fold_bits), "BRAM18": 0, "DSP": 0}
