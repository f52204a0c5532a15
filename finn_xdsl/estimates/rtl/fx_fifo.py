"""Resources of rtl/fx_fifo.sv by storage style, resolved as the RTL does (`style_of`).

Shared: the fill counter (AW + 1 FFs) and its TREADY/TVALID compares. Per style:
- srl: one SRL16E/SRLC32E per bit per 32 entries (LUTRAM; up to 4 joined by MUXF7/F8),
  the tap register, ~3 LUTs per address bit. DEPTH 2 stays registers (Yosys infers no
  SRL shorter than 3): 2 FFs and one LUT per bit.
- ram: RAM32M (6 bits x 32) up to 32 entries, RAM64M (3 bits x 64) per 64 entries above,
  two pointers; from 128 entries a write enable per 64-entry group and a read multiplexer
  per bit (one LUT up to 4 groups, then ~0.375 per group); a DEPTH that is not a power of
  two adds the pointers' wrap compares (about two LUTs per set bit of DEPTH - 1).
- bram: the memory (2^AW entries) in BRAM18s (fx_memstream.bram18: simple dual port, as
  Yosys maps it), two head registers and their 2:1 multiplexer (WIDTH LUTs and FFs),
  free-running pointers: WIDTH + 2·AW + 13 LUTs, WIDTH + 3·AW + 4 FFs.

Fit against Yosys synth_xilinx (benchmarks/rtl_fit/fx_fifo.py, 39 cases: 17 auto, 5 srl,
8 ram, 7 bram, 2 dist; WIDTH 1..128, DEPTH 2..4096): LUT + LUTRAM within 9.1 % (w1 d256
srl: 36 vs 33), mean 1.9 %; BRAM18 exact in every case; FF within 5.3 %. LUTRAM counts
cells as Yosys does: a RAM32M/RAM64M is one cell but occupies 4 LUTs of a SLICEM.
"""

from __future__ import annotations

from math import ceil, log2

from finn_xdsl.estimates.rtl.fx_memstream import bram18


def _aw(depth: int) -> int:
    return max(1, ceil(log2(depth))) if depth > 1 else 1


def style_of(width: int, depth: int, style: str) -> str:
    """The generate block fx_fifo builds: "srl", "ram" or "bram"."""
    if style == "bram" or (style == "auto" and depth >= 256 and depth * width >= 8192):
        return "bram"
    if style == "srl" or (style in ("auto", "dist") and depth <= 32):
        return "srl"
    return "ram"


def _srl(width: int, depth: int, aw: int) -> tuple[float, float, float]:
    if depth <= 2:
        return width + 5, 0, 2 * width + aw + 2
    chain = ceil(depth / 32)  # SRLC32Es per bit, joined by MUXF7/F8 up to 4
    mux = width * max(0, ceil(chain / 4) - 1)
    return 3 + 3 * aw + mux, width * chain, 2 * aw + 1


def _ram(width: int, depth: int, aw: int) -> tuple[float, float, float]:
    groups = ceil(depth / 64)
    lutram = ceil(width / 6) if depth <= 32 else ceil(width / 3) * groups
    lut = 4 + 2.5 * aw
    if groups > 1:  # write enable per group, read multiplexer per bit
        lut += groups + width * (1 if groups <= 4 else 0.375 * groups)
    if depth & (depth - 1):  # two pointers wrap at DEPTH - 1
        lut += 2 * (1 + (depth - 1).bit_count())
    return lut, lutram, 4 * aw + 1


def _bram(width: int, depth: int, aw: int) -> tuple[float, float, float]:
    return width + 2 * aw + 13, 0, width + 3 * aw + 4


def resources(params: dict) -> dict:
    width = int(params.get("WIDTH", 8))
    depth = int(params.get("DEPTH", 2))
    style = style_of(width, depth, str(params.get("STYLE", "auto")))
    aw = _aw(depth)
    lut, lutram, ff = {"srl": _srl, "ram": _ram, "bram": _bram}[style](width, depth, aw)
    brams = bram18(1 << aw, width) if style == "bram" else 0
    return {"LUT": round(lut), "LUTRAM": round(lutram), "FF": round(ff), "BRAM18": brams, "DSP": 0}
