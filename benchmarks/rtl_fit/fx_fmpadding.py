"""Fit grid of finn_xdsl/estimates/rtl/fx_fmpadding.py: fx_fmpadding over the 16x16x32
SIMD 4 anchor and CNV-like feature maps, SIMD 1 / partial / C, 1-8 bits, symmetric,
asymmetric and one-sided padding, zero and non-zero pad values."""


def _p(ih, iw, c, simd, bits, pad=(1, 1, 1, 1), value=0):
    pt, pl, pb, pr = pad
    return dict(IH=ih, IW=iw, C=c, PT=pt, PL=pl, PB=pb, PR=pr, SIMD=simd, BITS=bits, PAD_VALUE=value)


CASES = [
    ("anchor_16x16x32_simd4_4b", _p(16, 16, 32, 4, 4), None),
    ("32x32x3_simd3_8b", _p(32, 32, 3, 3, 8), None),
    ("30x30x64_simd64_1b", _p(30, 30, 64, 64, 1), None),
    ("14x14x64_simd16_1b", _p(14, 14, 64, 16, 1), None),
    ("8x8x128_simd8_2b", _p(8, 8, 128, 8, 2), None),
    ("64x64x16_simd1_8b", _p(64, 64, 16, 1, 8), None),
    ("7x7x256_simd32_4b", _p(7, 7, 256, 32, 4), None),
    ("pad2_16x16x16_simd4_4b", _p(16, 16, 16, 4, 4, (2, 2, 2, 2)), None),
    ("asym_15x15x8_simd2_8b", _p(15, 15, 8, 2, 8, (0, 0, 1, 1)), None),
    ("asym_28x28x32_simd8_2b", _p(28, 28, 32, 8, 2, (1, 2, 1, 2)), None),
    ("1d_1x64x16_simd4_8b", _p(1, 64, 16, 4, 8, (0, 2, 0, 2)), None),
    ("1d_col_64x1x8_simd8_4b", _p(64, 1, 8, 8, 4, (3, 0, 3, 0)), None),
    ("top_only_10x10x4_simd4_8b", _p(10, 10, 4, 4, 8, (3, 0, 0, 0)), None),
    ("pad_value_-1_16x16x32_simd4_4b", _p(16, 16, 32, 4, 4, value=-1), None),
    ("pad_value_5_8x8x16_simd16_4b", _p(8, 8, 16, 16, 4, value=5), None),
    ("100x100x3_simd3_8b", _p(100, 100, 3, 3, 8, (3, 3, 3, 3)), None),
    ("224x224x3_simd1_8b", _p(224, 224, 3, 1, 8), None),
    ("4x4x512_simd16_1b", _p(4, 4, 512, 16, 1), None),
    ("12x12x64_simd64_4b", _p(12, 12, 64, 64, 4), None),
    ("56x56x24_simd12_4b", _p(56, 56, 24, 12, 4, (0, 0, 1, 1)), None),
]
