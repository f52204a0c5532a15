"""
Resources of rtl/fx_streaming_maxpool.sv (Yosys synth_xilinx, xc7).

Buffer: DEPTH = OW·CF entries of W = PE·BITS running maxima. Yosys maps it to LUT RAM banks
(RAM32M 32 x 6 bits or RAM64M 64 x 3 bits a cell, as for fx_swg) or, when that takes more
than about 15 cells per RAMB18 it would replace, to block RAM (20x20x64 PE 4 4-bit: 160 x 16
in one RAMB18 rather than 18 RAM64M).
LUT: per lane a compare and per bit the choice of input or maximum merged with the skid
buffer's choice (about 2.6 LUTs per bit from 2-bit lanes, 2 for 1-bit lanes where the
maximum is an OR), 3-7-bit lanes a carry-chain compare (1.4 LUTs a lane more), plus the
counters (growing with clog2 DEPTH). A buffer in block RAM costs about 1.1 LUTs per bit
more (a RAMB18 reads synchronously, so Yosys builds the read around the address register
and bypasses a word written the cycle before; measured on the grid's block-RAM cases, whose
LUT excess was 0.2-1.2 per bit before the term):

    LUT = -9.6 + 2.63·W·[BITS > 1] + 2.03·W·[BITS = 1] + 0.20·PE·[BITS > 1]
          + 1.41·PE·[3 <= BITS < 8] + 8.0·clog2(DEPTH) + 1.1·W·[in block RAM]

Fit (benchmarks/rtl_fit/fx_streaming_maxpool.py: CNV-w1a1's pools, PE 1 to 128, 1-8 bits,
k 2-4, 1-D, ceil mode; least squares on the relative error over the first 23 cases, the
last ones checked afterwards): LUT + LUTRAM within 15 % on every case (worst 20x20x64 PE 4
4-bit with its buffer in block RAM, -14 %, and ceil 13x13x32 k3 PE 8 2-bit, -11 %). LUTRAM
and BRAM18 exact; FF within a few flops (more when CF = 1).
"""

from __future__ import annotations

from math import ceil

from finn_xdsl.estimates.rtl.cells import clog2

DEFAULTS = dict(IH=4, IW=4, C=1, KH=2, KW=2, PE=1, BITS=8, SIGNED=0, CEIL_MODE=0)


def _lutram(m: int, w: int) -> int:
    options = []
    for depth, bits in ((32, 6), (64, 3)):
        banks = ceil(m / depth)
        cells = banks * ceil(w / bits)
        options.append((cells + 0.1 * w * (banks - 1), cells))
    return min(options)[1]


def _bram18(m: int, w: int) -> int:
    for depth, width in ((512, 36), (1024, 18), (2048, 9), (4096, 4), (8192, 2), (16384, 1)):
        if m <= depth:
            return ceil(w / width)
    return ceil(m / 16384) * w


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    pe, bits = p["PE"], p["BITS"]
    w, cf = pe * bits, p["C"] // pe
    ow = -(-p["IW"] // p["KW"]) if p["CEIL_MODE"] else p["IW"] // p["KW"]
    depth = ow * cf
    cells, bram = _lutram(depth, w), _bram18(depth, w)
    if cells > 15 * bram:
        cells = 0
    else:
        bram = 0
    lut = (-9.597 + (2.631 * w + 0.202 * pe if bits > 1 else 2.025 * w) + 8.002 * clog2(depth)
           + (1.413 * pe if 3 <= bits < 8 else 0) + 1.1 * w * (bram > 0))
    ff = 2 * w + 2 * clog2(depth) + sum(clog2(n) for n in (cf, p["KW"], p["KH"], ow)) + 2
    return {"LUT": round(lut), "LUTRAM": cells, "FF": ff, "BRAM18": bram, "DSP": 0}
