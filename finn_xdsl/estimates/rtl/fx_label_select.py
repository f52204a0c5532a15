"""
Resources of rtl/fx_label_select.sv (Yosys synth_xilinx, xc7).

Structure (see the module header): PE lane lists of KL = min(K, NB) entries (NB =
LABELS/PE beats a frame), each entry a value of IN_BITS and the beat it came in (BW =
clog2 NB bits, none when NB = 1); then a tree of PE - 1 rank merges, each comparing the
pairs (j, n) with j + n < nc of its two lists (nc = the merged list's length, at most K) on
IN_BITS + BW bits and selecting every output entry from the 2(r + 1) entries that can land
at position r (value, beat and the lane bits that vary within the merged range; the last
level carries no value); then the 2-frame queue of K (beat, lane) pairs and the index
beat·PE + lane.

    LUT = 0.554·PE·KL·IN_BITS·[NB > 1] + 2.505·PE·KL·BW     (lane insertion: compare, shift)
        + 0.767·sum(pairs·(IN_BITS + BW))                     (merge compares)
        + 0.585·sum(candidates·entry bits)                    (merge selects)
        + 1.223·K·(BW + clog2 PE) + 14.4                      (queue, index, counters)

The merge tree dominates from K = 3 and PE = 4 on (LABELS 100 PE 20 K 5 16-bit: 13.4k LUT,
about three quarters of it in the 19 merges). LUTRAM is given as 0 and counted in LUT: the
few SRL / LUT-RAM cells Yosys makes of the queue and of lists passed through a level
unmerged are under 3 % of the total. FF: lane lists, merge-level registers, queue and
counters, within ~15 % (PE = 1 over-estimated: its queue is LUT RAM).

Fit (benchmarks/rtl_fit/fx_label_select.py, least squares on the relative error of
LUT + LUTRAM over the first 24 cases: TFC/CNV's LABELS 10 K 1 at PE 1, 2, 5, 10, and LABELS
12-1000, PE 1-20, K 1-5, 8-24-bit signed and unsigned): within 10 % on every fitted case
(worst l10_pe2_k1_16s +9.2 %, l30_pe3_k5_24u -9.0 %; mean 4.5 % over all 28). The 4 checks, not in the fit:
l40_pe20_k3_12s -5.4 %, l72_pe8_k5_10u -2.0 %, l100_pe5_k2_20s +0.4 %, l16_pe16_k4_16s
+11.2 %.
"""

from __future__ import annotations

from finn_xdsl.estimates.rtl.cells import clog2

DEFAULTS = dict(LABELS=10, PE=1, K=1, IN_BITS=8, IN_SIGNED=0, OUT_BITS=8)
COEF = dict(ins=0.554, insb=2.505, cmp=0.767, sel=0.585, out=1.223, const=14.44)


def _merges(pe: int, k: int, kl: int):
    """(na, nb, nc, level, last) of every merge of the tree (level 1 reads the lanes)."""
    levels = clog2(pe)

    def length(m, i):
        return min(k, min(1 << m, pe - (i << m)) * kl)

    for m in range(1, levels + 1):
        for i in range(((pe - 1) >> m) + 1):
            if 2 * i + 1 <= (pe - 1) >> (m - 1):
                yield length(m - 1, 2 * i), length(m - 1, 2 * i + 1), length(m, i), m, m == levels


def features(params: dict) -> dict:
    """The structural counts the LUT formula weighs (see the module docstring)."""
    p = DEFAULTS | params
    pe, k, bits = p["PE"], p["K"], p["IN_BITS"]
    nb = p["LABELS"] // pe
    kl, bw = min(k, nb), clog2(nb)
    cmp = sel = 0
    for na, nb_, nc, m, last in _merges(pe, k, kl):
        pairs = sum(1 for j in range(na) for n in range(nb_) if j + n < nc)
        cands = sum(min(r + 1, na) + min(r + 1, nb_) for r in range(nc))
        cmp += pairs * (bits + bw)
        sel += cands * ((0 if last else bits) + bw + m)
    return dict(ins=pe * kl * bits * (nb > 1), insb=pe * kl * bw, cmp=cmp, sel=sel,
                out=k * (bw + clog2(pe)), const=1)


def resources(params: dict) -> dict:
    p = DEFAULTS | params
    f = features(p)
    lut = sum(COEF[n] * f[n] for n in COEF)
    pe, k, bits = p["PE"], p["K"], p["IN_BITS"]
    nb = p["LABELS"] // pe
    kl, bw, pw = min(k, nb), clog2(nb), clog2(pe)
    ff = pe * kl * (bits + bw + (nb > 1)) + 2 * k * (bw + pw) + bw + clog2(k) + 4
    for _na, _nb, nc, m, last in _merges(pe, k, kl):
        if not last:
            ff += nc * (bits + bw + m)
    return {"LUT": round(lut), "LUTRAM": 0, "FF": ff, "BRAM18": 0, "DSP": 0}
