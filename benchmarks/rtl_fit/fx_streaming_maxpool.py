"""Fit grid of finn_xdsl/estimates/rtl/fx_streaming_maxpool.py: CNV-w1a1's two pools,
PE 1 / partial / C, 1-8 bits, signed and unsigned, 2x2 / 3x3 / 1-D windows, ceil mode."""


def _p(ih, iw, c, k, pe, bits, signed=0, ceil=0):
    kh, kw = k if isinstance(k, tuple) else (k, k)
    return dict(IH=ih, IW=iw, C=c, KH=kh, KW=kw, PE=pe, BITS=bits, SIGNED=signed, CEIL_MODE=ceil)


CASES = [
    ("cnv0_28x28x64_pe64_1b", _p(28, 28, 64, 2, 64, 1), None),
    ("cnv1_10x10x128_pe128_1b", _p(10, 10, 128, 2, 128, 1), None),
    ("16x16x32_pe4_4b", _p(16, 16, 32, 2, 4, 4), None),
    ("16x16x32_pe32_4b", _p(16, 16, 32, 2, 32, 4), None),
    ("32x32x16_pe1_8b", _p(32, 32, 16, 2, 1, 8), None),
    ("32x32x16_pe16_8b_signed", _p(32, 32, 16, 2, 16, 8, 1), None),
    ("24x24x8_k3_pe8_4b", _p(24, 24, 8, 3, 8, 4), None),
    ("24x24x8_k3_pe2_2b_signed", _p(24, 24, 8, 3, 2, 2, 1), None),
    ("8x8x64_pe8_8b", _p(8, 8, 64, 2, 8, 8), None),
    ("8x8x64_pe64_2b", _p(8, 8, 64, 2, 64, 2), None),
    ("56x56x16_pe16_4b", _p(56, 56, 16, 2, 16, 4), None),
    ("112x112x8_pe8_8b_signed", _p(112, 112, 8, 2, 8, 8, 1), None),
    ("1d_1x64x16_k4_pe4_4b", _p(1, 64, 16, (1, 4), 4, 4), None),
    ("1d_1x128x32_k2_pe1_8b", _p(1, 128, 32, (1, 2), 1, 8), None),
    ("ceil_15x15x16_pe16_4b", _p(15, 15, 16, 2, 16, 4, 0, 1), None),
    ("ceil_13x13x32_k3_pe8_2b", _p(13, 13, 32, 3, 8, 2, 1, 1), None),
    ("4x4x256_pe32_1b", _p(4, 4, 256, 2, 32, 1), None),
    ("20x20x64_pe4_4b", _p(20, 20, 64, 2, 4, 4), None),
    ("12x12x32_k4_pe32_8b", _p(12, 12, 32, 4, 32, 8), None),
    ("64x64x3_pe3_8b", _p(64, 64, 3, 2, 3, 8), None),
    ("32x32x32_pe8_4b", _p(32, 32, 32, 2, 8, 4), None),
    ("8x8x32_pe32_4b_signed", _p(8, 8, 32, 2, 32, 4, 1), None),
    ("12x12x24_k3_pe6_4b", _p(12, 12, 24, 3, 6, 4), None),
    # checks, not in the fit
    ("16x16x16_pe8_3b", _p(16, 16, 16, 2, 8, 3), None),
    ("10x10x32_pe16_6b_signed", _p(10, 10, 32, 2, 16, 6, 1), None),
    ("28x28x8_pe8_5b", _p(28, 28, 8, 2, 8, 5), None),
    ("1d_1x100x64_k4_pe16_7b", _p(1, 100, 64, (1, 4), 16, 7), None),
    ("40x40x64_pe8_4b_bram", _p(40, 40, 64, 2, 8, 4), None),
    ("64x64x32_pe4_8b_bram", _p(64, 64, 32, 2, 4, 8, 1), None),
]
