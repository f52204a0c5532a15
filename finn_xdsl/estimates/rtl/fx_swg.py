"""
Resources of rtl/fx_swg.sv (Yosys synth_xilinx, xc7).

Line buffer: M = BUF_MIN + EXTRA beats of W = SIMD·BITS bits (BUF_MIN = ((KH-1)·DH·IW +
(KW-1)·DW + 1)·CF; EXTRA the run-ahead the largest patch step needs, see the .sv and
tokensim_layers.SWG.buffer_beats). RAM_STYLE "distributed" (or "auto" up to 128 beats or
4 kbit) maps it to LUT RAM in banks, whichever Yosys finds cheaper counting a read
multiplexer LUT per tenth of a bit per extra bank: RAM32M (32 deep, 6 bits a cell) or RAM64M
(64 deep, 3 bits a cell); each output bit then needs a banks:1 multiplexer. "block" /
"ultra" (and "auto" above) map it to RAMB18 in the widest aspect ratio the depth allows.

The control is the write / read addresses (AW = clog2 M bits, modular adds on carry
chains), the signed fill / gap registers and the patch counters (cnt = the bits of the
CF, KW, KH, OW and OH counters):

    LUT    = -7.5 + 6.4·AW + 2.3·cnt + 1.17·W·mux(banks) + 0.26·banks     distributed
    LUT    = -19.5 + 6.4·AW + 2.3·cnt                                      block
    LUTRAM = min over {RAM32M, RAM64M} as above; BRAM18 = ceil(W / width(M))

Fit (benchmarks/rtl_fit/fx_swg.py, 24 configurations: CNV-w1a1's SWGs, the 16x16x32 SIMD 4
anchor, W 1-256 bits, M 20-2304 beats, strides, dilation, 1-D, depthwise, every RAM_STYLE):
the LUTRAM cell count exact, LUT + LUTRAM within 14.2 % (1-D 1x64x16 k5: 56 vs 49; k7 s2
64x64x3: 201 vs 229), most within 5 %; BRAM18 exact; FF exact but one case (+2).
"""

from __future__ import annotations

from math import ceil

from finn_xdsl.estimates.rtl.cells import clog2, mux_luts
from finn_xdsl.utils.onnx_shapes import conv_output_dim

DEFAULTS = dict(IH=4, IW=4, C=1, KH=3, KW=3, SH=1, SW=1, DH=1, DW=1, SIMD=1, BITS=8, DEPTHWISE=0,
                RAM_STYLE="auto")




def geometry(p: dict) -> dict:
    """M, the read/write span (TAIL, J_ROW) and the counter bits of fx_swg at parameters p."""
    cf = p["C"] // p["SIMD"]
    kh, kw, sh, sw, dh, dw, ih, iw = (p[k] for k in ("KH", "KW", "SH", "SW", "DH", "DW", "IH", "IW"))
    oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
    buf_min = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
    j_row = (sh * iw - (ow - 1) * sw) * cf
    j_max = j_row if oh > 1 and j_row > sw * cf else sw * cf
    lag = kh * kw + cf - 1 if p["DEPTHWISE"] else kh * kw * cf
    m = buf_min + max(0, j_max - lag + 1)
    tail = ih * iw * cf - ((oh - 1) * sh * iw + (ow - 1) * sw) * cf
    fw = clog2(max(m, tail, j_row) + 1) + 1
    cnt = sum(clog2(n) for n in (cf, kw, kh, ow, oh))
    return dict(m=m, aw=max(1, clog2(m)), fw=fw, cnt=cnt)


def _lutram(m: int, w: int) -> tuple[int, int]:
    """(cells, banks) of an m x w simple dual-port LUT RAM as Yosys maps it."""
    options = []
    for depth, bits in ((32, 6), (64, 3)):
        banks = ceil(m / depth)
        cells = banks * ceil(w / bits)
        options.append((cells + 0.1 * w * (banks - 1), cells, banks))
    _, cells, banks = min(options)
    return cells, banks


def _bram18(m: int, w: int) -> int:
    for depth, width in ((512, 36), (1024, 18), (2048, 9), (4096, 4), (8192, 2), (16384, 1)):
        if m <= depth:
            return ceil(w / width)
    return ceil(m / 16384) * w


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    w = p["SIMD"] * p["BITS"]
    g = geometry(p)
    m, style = g["m"], p["RAM_STYLE"]
    block = style in ("block", "ultra") or (style == "auto" and m > 128 and m * w > 4096)
    control = -7.5 + 6.4 * g["aw"] + 2.3 * g["cnt"]
    ff = w + 2 * g["aw"] + 2 * g["fw"] + g["cnt"] + 1
    if block:
        # the output register is the block RAM's own output latch
        return {"LUT": round(control - 12), "LUTRAM": 0, "FF": ff - w, "BRAM18": _bram18(m, w), "DSP": 0}
    cells, banks = _lutram(m, w)
    lut = control + 1.17 * w * mux_luts(banks) + 0.26 * banks
    return {"LUT": round(lut), "LUTRAM": cells, "FF": ff, "BRAM18": 0, "DSP": 0}
