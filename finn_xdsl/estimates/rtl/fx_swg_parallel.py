"""
Resources of rtl/fx_swg_parallel.sv (Yosys synth_xilinx, xc7), with its output fx_fifo
(DEPTH 2, STYLE "ram") as rtl/fx_fifo.sv stood when fitted.

LUTRAM: the 2-entry output FIFO of a whole window, OWIN = KH·KW·C·BITS bits, in RAM32M
cells of 6 bits; and the pixel shift register, PW = C·BITS bits wide: between two window
taps (distances (KH-1-ky)·DH·IW + (KW-1-kx)·DW pixels) a run of r plain stages becomes
ceil(r / 32) SRL cells per bit when r >= 2 (single stages stay flip-flops, as do the taps).
LUT: the position counters and the handshake, growing with the counter widths.

    LUTRAM = ceil(OWIN / 6) + PW·sum(ceil(r / 32) for runs r >= 2)
    LUT    = -2 + 4.33·(clog2 IW + clog2 IH)

Fit (benchmarks/rtl_fit/fx_swg_parallel.py, 20 configurations: windows 72-1152 bits, 1-D,
strides, dilation): LUTRAM exact, LUT within 23 % (22-51 LUTs), LUT + LUTRAM within 4.3 %.
FF is rough: every tap counted as flip-flops, where Yosys absorbs some into SRL outputs
(up to a third too many).
"""

from __future__ import annotations

from math import ceil

from finn_xdsl.estimates.rtl.cells import clog2

DEFAULTS = dict(IH=4, IW=4, C=1, KH=3, KW=3, SH=1, SW=1, DH=1, DW=1, BITS=8)



def resources(params: dict) -> dict:
    p = DEFAULTS | params
    pw = p["C"] * p["BITS"]
    owin = p["KH"] * p["KW"] * pw
    taps = sorted({(p["KH"] - 1 - ky) * p["DH"] * p["IW"] + (p["KW"] - 1 - kx) * p["DW"]
                   for ky in range(p["KH"]) for kx in range(p["KW"])} - {0})
    srl = 0
    prev = 0
    for t in taps:
        run = t - prev - 1  # plain stages between the previous tap and this one
        if run >= 2:
            srl += ceil(run / 32)
        prev = t
    lutram = ceil(owin / 6) + pw * srl
    lut = -2 + 4.33 * (clog2(p["IW"]) + clog2(p["IH"]))
    flops = pw * (len(taps) + sum(1 for a, b in zip([0, *taps], taps) if b - a - 1 == 1))
    return {"LUT": round(lut), "LUTRAM": lutram, "FF": flops + clog2(p["IW"]) * 2 + clog2(p["IH"]) * 2 + 2,
            "BRAM18": 0, "DSP": 0}
