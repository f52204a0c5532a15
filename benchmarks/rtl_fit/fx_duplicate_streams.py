"""Fit grid of finn_xdsl/estimates/rtl/fx_duplicate_streams.py: 2-4 outputs, PE 1-64 lanes,
1-8 bits (ports padded to whole bytes)."""


def _p(c, pe, bits, n):
    return dict(C=c, PE=pe, BITS=bits, N_OUT=n)


CASES = [
    ("c5_pe1_1b_x2", _p(5, 1, 1, 2), None),
    ("c6_pe2_5b_x3", _p(6, 2, 5, 3), None),
    ("c6_pe6_8b_x4", _p(6, 6, 8, 4), None),
    ("c7_pe7_2b_x2", _p(7, 7, 2, 2), None),
    ("c64_pe1_4b_x2", _p(64, 1, 4, 2), None),
    ("c64_pe4_4b_x2", _p(64, 4, 4, 2), None),
    ("c64_pe8_8b_x2", _p(64, 8, 8, 2), None),
    ("c64_pe16_2b_x3", _p(64, 16, 2, 3), None),
    ("c64_pe64_1b_x2", _p(64, 64, 1, 2), None),
    ("c128_pe32_4b_x2", _p(128, 32, 4, 2), None),
    ("c32_pe32_8b_x4", _p(32, 32, 8, 4), None),
    ("c16_pe16_4b_x3", _p(16, 16, 4, 3), None),
    ("c256_pe8_2b_x2", _p(256, 8, 2, 2), None),
    ("c48_pe12_3b_x4", _p(48, 12, 3, 4), None),
    ("c8_pe8_6b_x2", _p(8, 8, 6, 2), None),
    ("c24_pe2_8b_x3", _p(24, 2, 8, 3), None),
    ("c96_pe48_2b_x2", _p(96, 48, 2, 2), None),
    ("c32_pe4_1b_x4", _p(32, 4, 1, 4), None),
    ("c512_pe64_4b_x2", _p(512, 64, 4, 2), None),
    ("c16_pe1_8b_x4", _p(16, 1, 8, 4), None),
]
