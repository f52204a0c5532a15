"""
Resources of rtl/fx_mvu.sv (Yosys synth_xilinx, xc7), with its engines fx_mvu_dsp /
fx_mvu_lut, fx_mvu_act and, for WEIGHT_STREAM = 0, its own fx_memstream.

The module is counted by parts, each mirroring the RTL's elaboration:
  control     sf/nf counters, output credits and FIFO pointers: a constant plus the counters;
  buffers     the replay buffer (NF > 1: SF words of SIMD·IN_BITS bits in LUT RAM, a RAM32M
              holds 32x6 bits, plus its read multiplexer) and the 32-entry output FIFO (PE
              results of ACC_BITS or OUT_BITS bits in RAM32M);
  DSP engine  (both operands >= 3 bits) DSP = ceil(PE/L)·SIMD with the RTL's lane choice L;
              LUTs: one per accumulator bit, the canaries (low R bits of each product, R per
              lane from the carry bound), the lane extraction subtracts and the segment sums;
  LUT engine  (XNOR, W_BIPOLAR, a 1-2 bit operand) per PE a tree over the gated terms: a
              gated first-level adder costs two LUTs per bit (the carry chain's DI input needs
              its own LUT in Yosys' count), higher levels one, plus the accumulator;
  thresholds  per PE N comparators (a LUT per bit of the wider operand), the per-lane table
              as LUT-ROM (one LUT per bit per 64 folds) and the count tree;
  weight ROM  (WEIGHT_STREAM = 0) fx_memstream: LUT-ROM (WIDTH LUTs per 64 words) up to 128
              words or 4 kbit, else block RAM.
FF is a rough count (the skew registers of the DSP chains dominate).

Each part is counted from the RTL's structure and weighted by a factor fitted (least squares
on the relative error) against Yosys (_W; `lut_parts` gives the unweighted parts): LUT =
41.0 + 0.99·ibuf mux + DSP engine (0.66·accumulators + 1.20·canaries + 0.90·extraction)
+ 0.83·LUT engine (0.76 XNOR, 0.48 when both operands have 1-2 bits: ABC folds those tiny
products into few LUTs) + 0.54·thresholds + 0.67·weight ROM.

Fit (benchmarks/rtl_fit/fx_mvu.py, 27 configurations: both FINN anchors, DSP lanes 4 x 4-bit,
3 x 6-bit, 3 x 3-bit, 2 x 8-bit, 1 x 16-bit, XNOR, bipolar and 2-bit LUT products,
thresholds N = 1-15, embedded ROMs): LUT + LUTRAM within 13.8 % (6-bit PE 3 with 7
thresholds, 405 vs 356), most within 8 %; DSP exact in every case; FF within about 30 % (a
rough count). The last four cases were first run as checks outside a 23-case fit: the
estimate then missed them by up to 19.9 % (the same 6-bit case), so expect about 20 % on
configurations unlike the grid's.
"""

from __future__ import annotations

from math import ceil

from finn_xdsl.estimates.rtl.cells import clog2

DEFAULTS = {
    "MW": 8,
    "MH": 8,
    "PE": 1,
    "SIMD": 1,
    "IN_BITS": 4,
    "IN_SIGNED": 0,
    "W_BITS": 4,
    "W_SIGNED": 1,
    "XNOR": 0,
    "ACC_BITS": 16,
    "USE_THRESHOLDS": 0,
    "N": 1,
    "T_BITS": 16,
    "OUT_BITS": 4,
    "BIAS": 0,
    "OUT_BIPOLAR": 0,
    "WEIGHT_STREAM": 0,
    "W_BIPOLAR": 0,
    "RAM_STYLE": "auto",
}
FIT_ERROR = 0.2  # the largest relative LUT + LUTRAM error seen outside the fit



def _bits(n: int) -> int:
    return max(1, clog2(n))


def _lut_ram(depth: int, width: int) -> int:
    """Distributed RAM cells of a depth x width simple dual-port memory."""
    if depth <= 32:
        return ceil(width / 6)
    if depth <= 64:
        return ceil(width / 3)
    return width * ceil(depth / 64)


# ----------------------------------------------------------------------------- DSP engine


def dsp_lanes(p: dict) -> tuple[int, list[int], list[int], int, int]:
    """(L, lane offsets, canary bits per lane, NSEG, NS) exactly as fx_mvu_dsp chooses them."""
    ib, isg, wb, wsg, pe, simd = (
        p[k] for k in ("IN_BITS", "IN_SIGNED", "W_BITS", "W_SIGNED", "PE", "SIMD")
    )
    xmin, xmax = (-(1 << (ib - 1)), (1 << (ib - 1)) - 1) if isg else (0, (1 << ib) - 1)
    wmin, wmax = (-(1 << (wb - 1)), (1 << (wb - 1)) - 1) if wsg else (0, (1 << wb) - 1)
    corners = [a * b for a in (xmin, xmax) for b in (wmin, wmax)]
    nseg = (simd + 7) // 8
    ns = (simd + nseg - 1) // nseg
    span = ns * (max(corners) - min(corners))

    def off(l: int, j: int) -> int:
        if l < 2:
            return 0
        t = 24 - wb
        base, rem = divmod(t, l - 1)
        return j * base + min(j, rem)

    def lane_r(l: int, j: int) -> int:
        c = 0
        for i in range(1, j + 1):
            c = (c + span) >> (off(l, i) - off(l, i - 1))
        return 0 if c == 0 else clog2(c + 1)

    def ok(l: int) -> bool:
        return (24 - wb) // (l - 1) >= wb and all(lane_r(l, j) <= 5 for j in range(1, l))

    lanes = 1
    if not ((ib > 18 if isg else ib > 17) or wb > 23):
        lanes = next((l for l in (4, 3, 2) if l <= pe and ok(l)), 1)
    return (
        lanes,
        [off(lanes, j) for j in range(lanes)],
        [lane_r(lanes, j) for j in range(lanes)],
        nseg,
        ns,
    )


# LUTs for the low R bits of a product beside the canary adder: one or two bits merge into
# the adder's own LUTs (a LUT6 takes both operands' low bits and the running sum bit)
_CANARY_PRODUCT = {0: 0, 1: 0, 2: 0, 3: 2, 4: 5, 5: 8}


def _dsp_engine(p: dict) -> tuple[dict, int, float]:
    """({part: LUT}, DSP, FF) of fx_mvu_dsp; the parts are the accumulators ("acc"), the
    canaries' low product bits and their adders ("canary") and the lane extraction and
    segment sums ("extract"), weighted separately by the fit."""
    pe, simd, ib, wb, acc = p["PE"], p["SIMD"], p["IN_BITS"], p["W_BITS"], p["ACC_BITS"]
    lanes, _, rs, nseg, ns = dsp_lanes(p)
    groups = ceil(pe / lanes)
    parts = {"acc": float(pe * acc), "canary": 0.0, "extract": 0.0}
    ff = 2 * pe * acc
    mb = 0
    for q in range(nseg):
        nq = min(ns, simd - q * ns)
        ff += nq * (nq - 1) / 2 * (ib + groups * lanes * wb) + groups * (48 + 4 * nq)
        for g in range(groups):
            for j in range(lanes):
                present = g * lanes + j < pe
                r = rs[j]
                if r and present:
                    parts["canary"] += nq * _CANARY_PRODUCT[r] + (nq - 1) * r + r
                    ff += (nq + ns) * r
                # extraction: c_j and the subtract of c_j (a lane with a carry-in)
                if r:
                    parts["extract"] += r + 14
    if nseg > 1:
        mb = 18
        parts["extract"] += pe * (nseg - 1) * min(acc, mb + clog2(nseg))
        ff += pe * (nseg - 1) * min(acc, mb + clog2(nseg))
    return parts, groups * simd, ff


# ----------------------------------------------------------------------------- LUT engine


def _lut_engine(p: dict) -> tuple[float, float]:
    """(LUT, FF) of fx_mvu_lut."""
    pe, simd, acc = p["PE"], p["SIMD"], p["ACC_BITS"]
    xnor, wbip = p["XNOR"], p["W_BIPOLAR"]
    small_w = wbip or p["W_BITS"] <= 2
    sb = 1 if xnor else (p["W_BITS"] if small_w else p["IN_BITS"])
    bb = p["IN_BITS"] if small_w else p["W_BITS"]
    nt = (simd + 2) // 3 if xnor else simd * (1 if wbip else sb)
    lw = 3 if xnor else bb + sb + 1
    lut = 2 * nt if xnor else 0  # popcounts of 3 columns, 2 LUTs each
    ff = 2 * nt if xnor else 0
    level, nodes, width = 0, nt, lw
    while nodes > 1:
        nodes_up = (nodes + 1) // 2
        w = min(acc, width + 1)
        per_bit = 1 if xnor or level > 0 else 2  # a gated first level needs its DI LUTs
        lut += (nodes // 2) * w * per_bit
        ff += nodes_up * w
        nodes, width, level = nodes_up, w, level + 1
    lut += acc  # accumulator
    ff += 2 * acc
    return pe * lut, pe * ff


# ----------------------------------------------------------------------------- the rest


def _thresholds(p: dict) -> tuple[float, float]:
    """(LUT, FF) of fx_mvu_act: fx_threshold_search's K = clog2(N + 1) stages per lane, each a
    comparator of the accumulator and a LUT-ROM table of NF·2^k thresholds, plus the bias."""
    pe, n, tb, acc = p["PE"], p["N"], p["T_BITS"], p["ACC_BITS"]
    nf = p["MH"] // pe
    xb = max(acc, tb)
    k_n = clog2(n + 1)
    lut = 0.0
    for k in range(k_n):
        entries = nf << k
        lut += xb + (0 if entries == 1 else tb * ceil(entries / 64))
    lut = pe * (lut + p["OUT_BITS"])
    ff = pe * (k_n * (xb + k_n) + p["OUT_BITS"]) + 2 * k_n
    return lut, ff


def _weight_rom(p: dict) -> tuple[float, int, int]:
    """(LUT, BRAM18, FF) of the embedded fx_memstream, its primitive chosen by RAM_STYLE as
    fx_memstream does ("ultra" is block RAM on xc7)."""
    depth = p["MW"] * p["MH"] // (p["PE"] * p["SIMD"])
    width = p["PE"] * p["SIMD"] * p["W_BITS"]
    style = str(p.get("RAM_STYLE", "auto"))
    auto_lut = depth <= 128 or depth * width <= 4096
    if style == "distributed" or (style == "auto" and auto_lut):
        return width * ceil(depth / 64) + 2 * _bits(depth), 0, width + _bits(depth) + 2
    per = (
        36
        if depth <= 512
        else 18
        if depth <= 1024
        else 9
        if depth <= 2048
        else 4
        if depth <= 4096
        else 2
    )
    return (
        2 * _bits(depth) + 4,
        ceil(width / per) * ceil(depth / (512 * 36 // per)),
        _bits(depth) + 2,
    )


# fitted weights of the parts (least squares on relative error over the fit grid)
_W = {
    "base": 41.021,
    "ibuf": 0.993,
    "dsp_acc": 0.66,
    "dsp_canary": 1.197,
    "dsp_extract": 0.899,
    "lut": 0.831,
    "xnor": 0.759,
    "tiny": 0.479,
    "thr": 0.54,
    "rom": 0.671,
}


def lut_parts(params: dict) -> tuple[dict, dict]:
    """({part: structural LUT count}, {LUTRAM, FF, BRAM18, DSP}): the LUT estimate is the
    parts weighted by _W (kept apart so that benchmarks/rtl_fit can refit the weights)."""
    p = DEFAULTS | params
    mw, mh, pe, simd = p["MW"], p["MH"], p["PE"], p["SIMD"]
    sf, nf = mw // simd, mh // pe
    in_w = simd * p["IN_BITS"]
    out_w = pe * (p["OUT_BITS"] if p["USE_THRESHOLDS"] else p["ACC_BITS"])
    parts = {"base": 1.0}
    rest = {"LUTRAM": _lut_ram(32, out_w), "FF": 60 + _bits(sf) + _bits(nf) + in_w + pe * simd * p["W_BITS"],
            "BRAM18": 0, "DSP": 0}
    if nf > 1:
        rest["LUTRAM"] += _lut_ram(sf, in_w)
        parts["ibuf"] = in_w if sf > 1 else 0
    if p["XNOR"] or p["W_BIPOLAR"] or p["W_BITS"] <= 2 or p["IN_BITS"] <= 2:
        l_, f_ = _lut_engine(p)
        small_w = p["W_BIPOLAR"] or p["W_BITS"] <= 2
        tiny = (p["IN_BITS"] if small_w else p["W_BITS"]) <= 2  # both operands 1-2 bits
        parts["xnor" if p["XNOR"] else "tiny" if tiny else "lut"] = l_
    else:
        dsp_parts, rest["DSP"], f_ = _dsp_engine(p)
        parts |= {f"dsp_{k}": v for k, v in dsp_parts.items()}
    rest["FF"] += f_
    if p["USE_THRESHOLDS"]:
        parts["thr"], f_ = _thresholds(p)
        rest["FF"] += f_
    if not p["WEIGHT_STREAM"]:
        parts["rom"], rest["BRAM18"], f_ = _weight_rom(p)
        rest["FF"] += f_
    return parts, rest


def resources(params: dict) -> dict:
    parts, rest = lut_parts(params)
    lut = sum(v * _W[k] for k, v in parts.items())
    return {"LUT": round(lut), "LUTRAM": rest["LUTRAM"], "FF": round(rest["FF"]), "BRAM18": rest["BRAM18"],
            "DSP": rest["DSP"]}
