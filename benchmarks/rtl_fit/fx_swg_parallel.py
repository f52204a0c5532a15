"""Fit grid of finn_xdsl/estimates/rtl/fx_swg_parallel.py: fx_swg_parallel (a whole window
per beat, SIMD = C) over CNV-like first layers and small feature maps, 1-8 bits, kernels
1-5, strides, dilation and 1-D windows."""


def _p(ih, iw, c, k, bits, s=1, d=1):
    kh, kw = k if isinstance(k, tuple) else (k, k)
    sh, sw = s if isinstance(s, tuple) else (s, s)
    dh, dw = d if isinstance(d, tuple) else (d, d)
    return dict(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, BITS=bits)


CASES = [
    ("cnv0_32x32x3_8b", _p(32, 32, 3, 3, 8), None),
    ("cnv1_30x30x64_1b", _p(30, 30, 64, 3, 1), None),
    ("14x14x16_2b", _p(14, 14, 16, 3, 2), None),
    ("8x8x4_4b", _p(8, 8, 4, 3, 4), None),
    ("8x8x8_k2_s2_4b", _p(8, 8, 8, 2, 4, s=2), None),
    ("16x16x8_k5_2b", _p(16, 16, 8, 5, 2), None),
    ("12x12x4_d2_4b", _p(12, 12, 4, 3, 4, d=2), None),
    ("1d_1x32x8_k5_4b", _p(1, 32, 8, (1, 5), 4), None),
    ("1d_1x64x4_k3_s2_8b", _p(1, 64, 4, (1, 3), 8, s=(1, 2)), None),
    ("k1_16x16x32_4b", _p(16, 16, 32, 1, 4), None),
    ("10x10x16_1b", _p(10, 10, 16, 3, 1), None),
    ("5x5x32_1b", _p(5, 5, 32, 3, 1), None),
    ("20x20x3_k3_s2_8b", _p(20, 20, 3, 3, 8, s=2), None),
    ("9x9x64_k3_1b", _p(9, 9, 64, 3, 1), None),
    ("16x16x1_k3_8b", _p(16, 16, 1, 3, 8), None),
    ("24x24x2_k4_4b", _p(24, 24, 2, 4, 4), None),
    ("6x6x32_k2_2b", _p(6, 6, 32, 2, 2), None),
    ("12x8x8_k3x2_4b", _p(12, 8, 8, (3, 2), 4), None),
    ("28x28x1_k5_8b", _p(28, 28, 1, 5, 8), None),
    ("7x7x16_k3_8b", _p(7, 7, 16, 3, 8), None),
]
