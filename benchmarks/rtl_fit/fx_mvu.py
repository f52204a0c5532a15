"""Fit grid of finn_xdsl/estimates/rtl/fx_mvu.py: fx_mvu over the two FINN anchors (streamed
weights), every product engine (DSP lanes 4 x 4-bit / 2 x 8-bit / 3 x 3-bit / 1 x 16-bit,
LUT products for XNOR, bipolar and 1-2 bit operands), folds from SIMD 3 to 64 and PE 1 to
32, fused thresholds N = 1-15, and the embedded weight ROM (WEIGHT_STREAM = 0, files made
here from a fixed seed)."""

import random


def _p(mw, mh, pe, simd, ib, isg, wb, wsg, acc, ws=1, **kw):
    return dict(
        MW=mw,
        MH=mh,
        PE=pe,
        SIMD=simd,
        IN_BITS=ib,
        IN_SIGNED=isg,
        W_BITS=wb,
        W_SIGNED=wsg,
        ACC_BITS=acc,
        WEIGHT_STREAM=ws,
        **kw,
    )


def _thr(n, t_bits, out_bits, bipolar=0):
    return {
        "USE_THRESHOLDS": 1,
        "N": n,
        "T_BITS": t_bits,
        "OUT_BITS": out_bits,
        "OUT_BIPOLAR": bipolar,
        "THRESHOLDS_FILE": "t.hex",
    }


def _files(p):
    """$readmemh files of a case: the weight ROM (WEIGHT_STREAM = 0) and the thresholds."""
    rng = random.Random(p["MW"] * 7919 + p["MH"])
    out = {}
    if not p["WEIGHT_STREAM"]:
        ww = p["PE"] * p["SIMD"] * p["W_BITS"]
        depth = p["MW"] * p["MH"] // (p["PE"] * p["SIMD"])
        out["w.hex"] = "".join(f"{rng.getrandbits(ww):0{(ww + 3) // 4}x}\n" for _ in range(depth))
    if p.get("USE_THRESHOLDS"):
        tb, lo = p["T_BITS"], -(1 << (p["T_BITS"] - 2))
        lines = []
        for _ in range(p["MH"]):
            lines += sorted(rng.randrange(lo, -lo) for _ in range(p["N"]))
        out["t.hex"] = "".join(f"{v & ((1 << tb) - 1):0{(tb + 3) // 4}x}\n" for v in lines)
    return out or None


def _case(label, p):
    if not p["WEIGHT_STREAM"]:
        p["WEIGHTS_FILE"] = "w.hex"
    return (label, p, _files(p))


CASES = [
    _case("anchor_mvu_4b", _p(64, 32, 4, 8, 4, 0, 4, 1, 16)),
    _case("anchor_mvu_8b", _p(32, 16, 2, 4, 8, 1, 8, 1, 20)),
    _case("4b_pe8_simd16", _p(64, 32, 8, 16, 4, 0, 4, 1, 16)),
    _case("4b_pe16_simd8", _p(64, 64, 16, 8, 4, 0, 4, 1, 16)),
    _case("4b_pe2_simd2", _p(16, 16, 2, 2, 4, 0, 4, 1, 12)),
    _case("4b_pe4_simd4_thr15", _p(32, 32, 4, 4, 4, 1, 4, 1, 14) | _thr(15, 15, 4)),
    _case("4b_rom_anchor", _p(64, 32, 4, 8, 4, 0, 4, 1, 16, ws=0)),
    _case("8b_pe4_simd8", _p(64, 32, 4, 8, 8, 1, 8, 1, 22)),
    _case("8b_pe1_simd16", _p(64, 16, 1, 16, 8, 0, 8, 1, 22)),
    _case("8b_pe8_simd32", _p(128, 32, 8, 32, 8, 1, 8, 1, 24)),
    _case("8b_rom_thr7", _p(32, 16, 2, 4, 8, 1, 8, 1, 20, ws=0) | _thr(7, 21, 3)),
    _case("3b_u3xu3_pe3_simd4", _p(32, 12, 3, 4, 3, 0, 3, 0, 12)),
    _case("16b_pe2_simd2", _p(16, 8, 2, 2, 16, 1, 16, 1, 36)),
    _case("xnor_pe16_simd64_thr1", _p(256, 64, 16, 64, 1, 0, 1, 0, 10, XNOR=1) | _thr(1, 10, 1, 1)),
    _case("xnor_pe8_simd32_raw", _p(128, 32, 8, 32, 1, 0, 1, 0, 9, XNOR=1)),
    _case("xnor_pe32_simd32_thr1", _p(576, 64, 32, 32, 1, 0, 1, 0, 11, XNOR=1) | _thr(1, 11, 1, 1)),
    _case("xnor_rom_pe4_simd16", _p(64, 16, 4, 16, 1, 0, 1, 0, 8, ws=0, XNOR=1) | _thr(1, 8, 1, 1)),
    _case(
        "cnv0_u8xpm1_pe16_simd3_rom",
        _p(27, 64, 16, 3, 8, 0, 2, 1, 14, ws=0, W_BIPOLAR=1) | _thr(1, 15, 1, 1),
    ),
    _case("u8xbip1_pe8_simd9", _p(27, 16, 8, 9, 8, 0, 1, 0, 14, W_BIPOLAR=1)),
    _case("tfc_s2xs2_pe4_simd8_thr3", _p(64, 64, 4, 8, 2, 1, 2, 1, 9) | _thr(3, 10, 2)),
    _case("s2xs2_rom_pe16_simd32_thr3", _p(64, 64, 16, 32, 2, 1, 2, 1, 9, ws=0) | _thr(3, 10, 2)),
    _case("u8xs2_pe2_simd16", _p(64, 16, 2, 16, 8, 0, 2, 1, 16)),
    _case("s2xu8_pe4_simd4", _p(32, 16, 4, 4, 2, 1, 8, 0, 16)),
    # first run as checks outside the fit (up to 19.9 % off), then fitted with the rest
    _case("u8xs8_pe2_simd8", _p(32, 8, 2, 8, 8, 0, 8, 1, 20)),
    _case("u4xs4_pe4_simd16", _p(64, 16, 4, 16, 4, 0, 4, 1, 16)),
    _case("s6xs6_pe3_simd4_thr7", _p(24, 12, 3, 4, 6, 1, 6, 1, 18) | _thr(7, 18, 3)),
    _case("s4xs4_rom_pe6_simd6", _p(36, 24, 6, 6, 4, 1, 4, 1, 14, ws=0)),
]
