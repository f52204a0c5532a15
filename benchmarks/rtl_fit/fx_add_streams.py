"""Fit grid of finn_xdsl/estimates/rtl/fx_add_streams.py: PE 1-64 lanes, 1-8 input bits,
signed and unsigned, output one bit wider or as the layer's datatype gives it."""


def _p(c, pe, ib, signed, ob=None):
    return dict(C=c, PE=pe, IN_BITS=ib, IN_SIGNED=signed, OUT_BITS=ob if ob is not None else ib + 1)


CASES = [
    ("c1_pe1_1b", _p(1, 1, 1, 0), None),
    ("c7_pe1_2b_signed", _p(7, 1, 2, 1), None),
    ("c12_pe3_4b_signed", _p(12, 3, 4, 1), None),
    ("c10_pe2_8b", _p(10, 2, 8, 0), None),
    ("c9_pe9_8b_signed", _p(9, 9, 8, 1), None),
    ("c64_pe1_4b", _p(64, 1, 4, 0), None),
    ("c64_pe4_4b_signed", _p(64, 4, 4, 1), None),
    ("c64_pe8_8b_signed", _p(64, 8, 8, 1), None),
    ("c64_pe16_2b", _p(64, 16, 2, 0), None),
    ("c64_pe64_1b", _p(64, 64, 1, 0), None),
    ("c128_pe32_4b_signed", _p(128, 32, 4, 1), None),
    ("c32_pe32_8b", _p(32, 32, 8, 0), None),
    ("c16_pe16_4b_out4", _p(16, 16, 4, 1, 4), None),
    ("c16_pe4_8b_out16", _p(16, 4, 8, 1, 16), None),
    ("c256_pe8_2b", _p(256, 8, 2, 0), None),
    ("c48_pe12_3b_signed", _p(48, 12, 3, 1), None),
    ("c8_pe8_6b", _p(8, 8, 6, 0), None),
    ("c24_pe2_8b_signed", _p(24, 2, 8, 1), None),
    ("c96_pe48_2b_signed", _p(96, 48, 2, 1), None),
    ("c5_pe5_1b_out4", _p(5, 5, 1, 1, 4), None),
]
