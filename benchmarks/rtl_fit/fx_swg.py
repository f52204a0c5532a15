"""Fit grid of finn_xdsl/estimates/rtl/fx_swg.py: fx_swg with the parameters `-t sv` gives
(RAM_STYLE from the layer's ram_style, "distributed" by default): CNV-w1a1's windows, the
16x16x32 SIMD 4 anchor, widths 1-256 bits, buffers 30-2300 beats, strides, dilation, 1-D,
depthwise and the block / auto styles."""


def _p(ih, iw, c, k, simd, bits, s=1, d=1, dw=0, style="distributed"):
    kh, kw = k if isinstance(k, tuple) else (k, k)
    sh, sw = s if isinstance(s, tuple) else (s, s)
    dh, dwl = d if isinstance(d, tuple) else (d, d)
    return dict(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dwl, SIMD=simd, BITS=bits,
                DEPTHWISE=dw, RAM_STYLE=style)


CASES = [
    ("anchor_16x16x32_simd4_4b", _p(16, 16, 32, 3, 4, 4), None),
    ("cnv0_32x32x3_simd3_8b", _p(32, 32, 3, 3, 3, 8), None),
    ("cnv1_30x30x64_simd64_1b", _p(30, 30, 64, 3, 64, 1), None),
    ("cnv2_14x14x64_simd16_1b", _p(14, 14, 64, 3, 16, 1), None),
    ("cnv3_12x12x128_simd16_1b", _p(12, 12, 128, 3, 16, 1), None),
    ("cnv4_5x5x128_simd2_1b", _p(5, 5, 128, 3, 2, 1), None),
    ("cnv5_3x3x256_simd1_1b", _p(3, 3, 256, 3, 1, 1), None),
    ("8x8x16_simd4_8b", _p(8, 8, 16, 3, 4, 8), None),
    ("dw_16x16x32_simd4_4b", _p(16, 16, 32, 3, 4, 4, dw=1), None),
    ("k5_10x10x8_simd8_4b", _p(10, 10, 8, 5, 8, 4), None),
    ("s2_17x17x16_simd4_4b", _p(17, 17, 16, 3, 4, 4, s=2), None),
    ("1d_1x64x16_k5_simd4_8b", _p(1, 64, 16, (1, 5), 4, 8), None),
    ("k1_s2_8x8x32_simd8_4b", _p(8, 8, 32, 1, 8, 4, s=2), None),
    ("d2_12x12x8_simd2_4b", _p(12, 12, 8, 3, 2, 4, d=2), None),
    ("32x32x16_simd16_2b", _p(32, 32, 16, 3, 16, 2), None),
    ("28x28x32_simd8_2b", _p(28, 28, 32, 3, 8, 2), None),
    ("32x32x64_simd8_4b", _p(32, 32, 64, 3, 8, 4), None),
    ("7x7x64_simd32_8b", _p(7, 7, 64, 3, 32, 8), None),
    ("dw_s2_12x12x32_simd4_8b", _p(12, 12, 32, 3, 4, 8, s=2, dw=1), None),
    ("k7_s2_64x64x3_simd3_8b", _p(64, 64, 3, 7, 3, 8, s=2), None),
    ("block_anchor_16x16x32_simd4_4b", _p(16, 16, 32, 3, 4, 4, style="block"), None),
    ("block_32x32x64_simd8_4b", _p(32, 32, 64, 3, 8, 4, style="block"), None),
    ("auto_small_8x8x16_simd4_8b", _p(8, 8, 16, 3, 4, 8, style="auto"), None),
    ("auto_large_32x32x64_simd8_4b", _p(32, 32, 64, 3, 8, 4, style="auto"), None),
]
