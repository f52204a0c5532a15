"""Fit grid of finn_xdsl/estimates/rtl/fx_thresholding.py: fx_thresholding (the ROM variant,
RUNTIME_WRITE = 0, which the -t sv wrappers instantiate) with the parameters `-t sv` gives:
thresholds drawn at random over the input range [lo, hi + 1], sorted per channel, T_BITS
the fewest signed bits holding [lo, hi + 1], the file in the search layout
(THRESHOLDS_LAYOUT = 1). Varied: channels 8-512, PE 1 to C (powers of two and not), folds
1-64, N = 1, 2, 3, 7, 15, 31, 63, 127, 255, inputs of 2-16 bits signed and unsigned,
unsigned / signed (negative bias) / bipolar outputs. The FINN anchor (C64 PE4 s8 -> u4,
15 thresholds) is the first case."""

import numpy as np

from finn_xdsl.kernels.packing import encode
from finn_xdsl.kernels.plan import hex_lines, signed_bits
from finn_xdsl.kernels.thresholding import threshold_search_layout


def _case(c, pe, n, in_bits, in_signed, out_bits, bias=0, bipolar=0, seed=0):
    lo, hi = (-(1 << (in_bits - 1)), (1 << (in_bits - 1)) - 1) if in_signed else (0, (1 << in_bits) - 1)
    t_bits = signed_bits(lo, hi + 1)
    t = np.sort(np.random.default_rng(seed + c * 1000 + n).integers(lo, hi + 2, (c, n)), axis=1)
    words = threshold_search_layout(t, pe, t_bits)
    params = dict(C=c, PE=pe, N=n, IN_BITS=in_bits, IN_SIGNED=in_signed, T_BITS=t_bits, OUT_BITS=out_bits,
                  BIAS=bias, OUT_BIPOLAR=bipolar, THRESHOLDS_LAYOUT=1, THRESHOLDS_FILE="thresholds.dat")
    out = "bip" if bipolar else f"{'s' if bias < 0 else 'u'}{out_bits}"
    label = f"C{c}_PE{pe}_N{n}_{'s' if in_signed else 'u'}{in_bits}_{out}"
    return label, params, {"thresholds.dat": hex_lines([int(v) for v in encode(words, t_bits)], t_bits)}


CASES = [
    _case(64, 4, 15, 8, 1, 4),  # the FINN anchor
    _case(32, 4, 3, 8, 1, 2),
    _case(64, 4, 1, 8, 1, 1),
    _case(64, 4, 1, 8, 1, 1, bipolar=1),
    _case(256, 8, 15, 8, 1, 4),
    _case(64, 4, 255, 8, 1, 8),
    _case(16, 16, 15, 8, 1, 4),
    _case(16, 1, 15, 8, 1, 4),
    _case(128, 2, 15, 8, 0, 4),
    _case(32, 8, 7, 4, 1, 3),
    _case(64, 8, 3, 2, 0, 2),
    _case(48, 3, 15, 8, 1, 4, bias=-8),
    _case(96, 6, 15, 8, 1, 4),
    _case(24, 4, 31, 8, 1, 5),
    _case(64, 4, 63, 8, 1, 6),
    _case(32, 2, 127, 8, 1, 7),
    _case(8, 8, 255, 8, 1, 8),
    _case(512, 16, 3, 8, 1, 2),
    _case(64, 64, 1, 8, 1, 1, bipolar=1),
    _case(64, 16, 15, 16, 1, 4),
    _case(32, 4, 15, 8, 1, 4, bias=-8),
    _case(128, 4, 7, 4, 0, 3),
    _case(256, 32, 3, 4, 1, 2),
    _case(16, 4, 2, 8, 1, 2, bias=-1),
]
