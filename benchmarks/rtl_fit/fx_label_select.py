"""Fit grid of finn_xdsl/estimates/rtl/fx_label_select.py: TFC/CNV's 10-label K 1 top at
PE 1, 2, 5 and 10, then LABELS 12-1000, PE 1-20 (powers of two and not), K 1-5 (including
LABELS/PE < K, where the lanes keep fewer entries, and one beat per frame), 8-24-bit signed
and unsigned inputs. The last four cases were not in the fit (checks)."""


def _p(labels, pe, k, bits, signed=0):
    return dict(LABELS=labels, PE=pe, K=k, IN_BITS=bits, IN_SIGNED=signed,
                OUT_BITS=max(1, (labels - 1).bit_length()))


CASES = [
    ("l10_pe1_k1_16s", _p(10, 1, 1, 16, 1), None),
    ("l10_pe2_k1_16s", _p(10, 2, 1, 16, 1), None),
    ("l10_pe5_k1_16s", _p(10, 5, 1, 16, 1), None),
    ("l10_pe10_k1_16s", _p(10, 10, 1, 16, 1), None),
    ("l10_pe1_k1_8u", _p(10, 1, 1, 8), None),
    ("l10_pe10_k1_8u", _p(10, 10, 1, 8), None),
    ("l64_pe4_k5_16s", _p(64, 4, 5, 16, 1), None),
    ("l100_pe20_k5_16s", _p(100, 20, 5, 16, 1), None),
    ("l20_pe20_k5_16u", _p(20, 20, 5, 16), None),
    ("l100_pe2_k5_8s", _p(100, 2, 5, 8, 1), None),
    ("l100_pe1_k2_8u", _p(100, 1, 2, 8), None),
    ("l40_pe4_k3_24s", _p(40, 4, 3, 24, 1), None),
    ("l60_pe6_k3_12u", _p(60, 6, 3, 12), None),
    ("l64_pe8_k2_8s", _p(64, 8, 2, 8, 1), None),
    ("l32_pe16_k1_16u", _p(32, 16, 1, 16), None),
    ("l100_pe10_k4_16u", _p(100, 10, 4, 16), None),
    ("l20_pe4_k4_8u", _p(20, 4, 4, 8), None),
    ("l1000_pe1_k5_16s", _p(1000, 1, 5, 16, 1), None),
    ("l80_pe20_k1_24s", _p(80, 20, 1, 24, 1), None),
    ("l50_pe5_k5_8u", _p(50, 5, 5, 8), None),
    ("l48_pe12_k2_16s", _p(48, 12, 2, 16, 1), None),
    ("l64_pe16_k3_8u", _p(64, 16, 3, 8), None),
    ("l30_pe3_k5_24u", _p(30, 3, 5, 24), None),
    ("l12_pe4_k5_8u", _p(12, 4, 5, 8), None),
    # checks, not in the fit
    ("l40_pe20_k3_12s", _p(40, 20, 3, 12, 1), None),
    ("l72_pe8_k5_10u", _p(72, 8, 5, 10), None),
    ("l100_pe5_k2_20s", _p(100, 5, 2, 20, 1), None),
    ("l16_pe16_k4_16s", _p(16, 16, 4, 16, 1), None),
]
