"""Fit grid of finn_xdsl/estimates/rtl/fx_dwc.py: fx_dwc at the anchors (BITS 8 4->1 and
1->4, BITS 4 8->2 and 2->8), the DWCs `-t sv` inserts into CNV-w1a1 (TOTAL as the layer's
elements per frame) and more integer ratios both ways and LCM cases."""


def _p(a, b, bits, total):
    return dict(IN_LANES=a, OUT_LANES=b, BITS=bits, TOTAL=total)


CASES = [
    ("down_4_1_8b", _p(4, 1, 8, 64), None),
    ("up_1_4_8b", _p(1, 4, 8, 64), None),
    ("down_8_2_4b", _p(8, 2, 4, 16384), None),
    ("up_2_8_4b", _p(2, 8, 4, 16384), None),
    ("cnv_up_3_27_8b", _p(3, 27, 8, 24300), None),
    ("cnv_up_8_64_1b", _p(8, 64, 1, 57600), None),
    ("cnv_down_64_16_1b", _p(64, 16, 1, 12544), None),
    ("cnv_down_32_16_1b", _p(32, 16, 1, 18432), None),
    ("cnv_up_64_128_1b", _p(64, 128, 1, 12800), None),
    ("cnv_down_128_2_1b", _p(128, 2, 1, 3200), None),
    ("cnv_up_2_36_1b", _p(2, 36, 1, 10368), None),
    ("cnv_down_8_1_1b", _p(8, 1, 1, 2304), None),
    ("cnv_up_1_36_1b", _p(1, 36, 1, 2304), None),
    ("cnv_up_1_32_1b", _p(1, 32, 1, 512), None),
    ("down_2_1_8b", _p(2, 1, 8, 1024), None),
    ("down_16_1_4b", _p(16, 1, 4, 4096), None),
    ("down_32_4_2b", _p(32, 4, 2, 8192), None),
    ("up_4_16_2b", _p(4, 16, 2, 8192), None),
    ("up_1_2_8b", _p(1, 2, 8, 1024), None),
    ("same_4_4_8b", _p(4, 4, 8, 1024), None),
    ("cnv_lcm_64_48_1b", _p(64, 48, 1, 451584), None),
    ("cnv_lcm_16_36_1b", _p(16, 36, 1, 82944), None),
    ("lcm_2_3_8b", _p(2, 3, 8, 1536), None),
    ("lcm_6_4_4b", _p(6, 4, 4, 1536), None),
    ("lcm_3_5_2b", _p(3, 5, 2, 1500), None),
    # downsizers whose input word fits flip-flops (<= 8 bits)
    ("down_4_1_2b", _p(4, 1, 2, 1024), None),
    ("down_8_2_1b", _p(8, 2, 1, 1024), None),
    ("down_2_1_4b", _p(2, 1, 4, 1024), None),
    ("down_6_2_1b", _p(6, 2, 1, 1200), None),
]
