"""Resources of rtl/fx_memstream.sv (a ROM streamed cyclically), by RAM_STYLE.

The style is resolved as the RTL does ("auto": distributed when DEPTH <= 128 or
DEPTH · WIDTH <= 4096 bits, else block; "ultra" is block on xc7). Either way the read is
registered and that register is the output, so the rest is two address counters, a start
flag and TVALID.

- distributed: a LUT-ROM, each output bit a function of the address: one LUT per bit up
  to 64 words (LUT5 up to 32), 2 LUT6 + MUXF7 at 128, 4 + MUXF7/F8 at 256; beyond, Yosys
  (ABC) spends about a quarter more on the multiplexers joining 256-word groups. Below 20
  words columns of random bits repeat (8 words: 256 possible columns) and Yosys merges
  equal columns, data FFs and LUTs alike; constant and address-bit columns need no LUT.
- block: RAMB18E1/RAMB36E1 in simple dual-port mode as Yosys's memory_libmap picks them
  (`bram18`, shared with fx_fifo): a BRAM18 reads 36 bits per cycle up to 512 words (18
  at 1024, 9 at 2048, 4 at 4096), a RAMB36 twice that, except 9 bits (not 8) at 4096 words.
  Full rate needs WIDTH bits per cycle, so 64x128 takes 4 BRAM18 however few its bits.
  The data register is the BRAM's output latch: no data FFs, 1 LUT of enable logic.
- Both: 2·AW + 2 FFs (two address counters, start flag, TVALID); a DEPTH that is not a
  power of two adds the wrap of raddr_next, about one LUT per set bit of DEPTH - 1.

Fit against Yosys synth_xilinx (benchmarks/rtl_fit/fx_memstream.py, 31 cases: 14
distributed, 12 block, 4 auto, 1 ultra; random ROM words): LUT + LUTRAM within 14.3 %
(4x36 distributed: 8 vs 7 LUTs; 300x24 block: 6 vs 7), mean 1.6 %; BRAM18 exact in every
case; FF within 5.3 %.
"""

from __future__ import annotations

from math import ceil, log2


def _aw(depth: int) -> int:
    return max(1, ceil(log2(depth))) if depth > 1 else 1


def is_block(depth: int, width: int, style: str) -> bool:
    """The style fx_memstream builds (its g_block / g_dist rule)."""
    if style in ("block", "ultra"):
        return True
    return style == "auto" and depth > 128 and depth * width > 4096


def bram18(depth: int, width: int) -> int:
    """BRAM18 count of a DEPTH x WIDTH memory with one read and at most one write port."""
    if depth <= 0 or width <= 0:
        return 0
    for words, w18, w36 in ((512, 36, 72), (1024, 18, 36), (2048, 9, 18), (4096, 4, 9),
                            (8192, 2, 4), (16384, 1, 2)):
        if depth <= words:
            n36, rest = divmod(width, w36)
            return 2 * n36 + (0 if rest == 0 else 1 if rest <= w18 else 2)
    return ceil(depth / 32768) * 2 * width  # 32K x 1 per RAMB36 (not in the fit grid)


def distinct_columns(depth: int, width: int) -> float:
    """Expected distinct bit columns among `width` random ones of `depth` words."""
    if depth >= 20:
        return float(width)
    n = 2.0**depth
    return n * (1.0 - (1.0 - 1.0 / n) ** width)


def rom_columns_in_luts(depth: int, width: int) -> float:
    """Columns of a LUT-ROM that need a LUT of their own: distinct, not a constant or an
    address bit (or its inverse, an INV cell). Yosys sometimes also builds a column as the
    INV of its complement's LUT: the mean of "distinct" and "distinct up to complement"."""
    if depth >= 20:
        return float(width)
    aw = _aw(depth)
    n = 2.0**depth
    distinct = (n - 2 - 2 * aw) * (1.0 - (1.0 - 1.0 / n) ** width)
    classes = (n / 2 - 1 - aw) * (1.0 - (1.0 - 2.0 / n) ** width)
    return (distinct + classes) / 2


def rom_luts_per_column(depth: int) -> float:
    """LUTs per output bit of a LUT-ROM of `depth` words."""
    groups = ceil(depth / 64)
    if groups <= 1:
        return 1.0
    if groups <= 4:
        return float(groups)
    return groups * 1.25


def resources(params: dict) -> dict:
    depth = int(params.get("DEPTH", 16))
    width = int(params.get("WIDTH", 8))
    style = str(params.get("RAM_STYLE", "auto"))
    aw = _aw(depth)
    ctrl_ff = 2 * aw + 2  # raddr, raddr_next, started, TVALID
    # the read enable; the wrap of raddr_next at a DEPTH that is not a power of two
    ctrl_lut = 1 + ((depth - 1).bit_count() if depth & (depth - 1) else 0)
    if is_block(depth, width, style):
        return {"LUT": ctrl_lut, "LUTRAM": 0, "FF": ctrl_ff, "BRAM18": bram18(depth, width), "DSP": 0}
    lut = rom_columns_in_luts(depth, width) * rom_luts_per_column(depth) + ctrl_lut
    ff = distinct_columns(depth, width) + ctrl_ff
    return {"LUT": round(lut), "LUTRAM": 0, "FF": round(ff), "BRAM18": 0, "DSP": 0}
