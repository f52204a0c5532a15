"""
Resources of rtl/fx_dwc.sv (Yosys synth_xilinx, xc7), one model per structure.

down (IN_LANES = R·OUT_LANES): the two input-word slots are a 2-entry memory of IB =
IN_LANES·BITS bits, LUT RAM in RAM32M cells of 6 bits (flip-flops up to 8 bits, where the
slot choice joins the piece multiplexer); each of the OB = OUT_LANES·BITS output bits is an
R:1 multiplexer (one LUT6 per 4 inputs, plus one per 16 beyond 16: the MUXF7/F8 trees'
last stage); the pointers, slot flags and piece counter take about 8 + 3·clog2(R) LUTs,
one fewer with the slots in flip-flops (no LUT-RAM write address).

    LUTRAM = ceil(IB / 6) if IB > 8 else 0
    LUT    = OB·mux(R or 2R) + (8 or 7) + 3·clog2(R),  mux(n) = 0 (n = 1), 1 (n <= 4),
             ceil(n/4) + (ceil(n/16) if n > 16)

up (OUT_LANES = R·IN_LANES): R-1 beats shift into a register and the R-th loads the output
word, both straight from the input (flip-flops only); the LUTs are the beat counter and
the handshake: 5, or 7 when R is no power of two (the counter's wrap compare).

general (LCM ratios): the CAP = IN + 2·OUT - 1 element buffer, BW = CAP·BITS bits, each a
multiplexer over hold, shift and the input lanes that can land on it (2 + min(IN, 2·OUT) /
gcd(IN, OUT) sources):

    LUT = 0.25·BW + 0.29·BW·sources + 30

Fit (benchmarks/rtl_fit/fx_dwc.py, 29 configurations incl. the anchors and every DWC of
CNV-w1a1): down within 13 % (most within 8 %), general within 10 %; up, 4-8 LUTs, within one
LUT (17-25 % of so small a count: the benchmark allows 2 LUTs absolute below ~13 LUTs, where
15 % is less than one LUT). FF: the slots
(down, in flip-flops up to 8 bits) or the two words (up), within one flop.
"""

from __future__ import annotations

from math import ceil, gcd

from finn_xdsl.estimates.rtl.cells import clog2, mux_luts

DEFAULTS = dict(IN_LANES=1, OUT_LANES=1, BITS=8, TOTAL=1)


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    a, b, bits = p["IN_LANES"], p["OUT_LANES"], p["BITS"]
    ib, ob = a * bits, b * bits
    if a % b == 0:
        r = a // b
        in_ram = ib > 8
        lutram = ceil(ib / 6) if in_ram else 0
        lut = ob * mux_luts(r if in_ram else 2 * r) + (8 if in_ram else 7) + 3 * clog2(r)
        ff = (0 if in_ram else 2 * ib) + 5 + clog2(r)
    elif b % a == 0:
        r = b // a
        lutram = 0
        lut = 5 if r & (r - 1) == 0 else 7
        ff = (r - 1) * ib + ob + clog2(r) + 1
    else:
        bw = (a + 2 * b - 1) * bits
        sources = 2 + min(a, 2 * b) // gcd(a, b)
        lutram = 0
        lut = 0.25 * bw + 0.29 * bw * sources + 30
        ff = bw + clog2(a + 2 * b)
    return {"LUT": round(lut), "LUTRAM": lutram, "FF": ff, "BRAM18": 0, "DSP": 0}
