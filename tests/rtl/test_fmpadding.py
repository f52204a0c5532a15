"""fx_fmpadding: lint and cocotb + Verilator simulation over FINN's FMPadding grid
(square and non-square images, 1-D rows and columns, symmetric, asymmetric, one-sided,
large and zero padding, SIMD 1 / a divisor / C, 1/2/4/8-bit, zero, positive and negative
pad values); outputs bit-exact vs numpy. Every build runs 10 frames through full
throughput, TVALID gaps and TREADY back-pressure; one frame at full throughput is within
5 % (or 20 cycles) of FMPaddingOp's C/SIMD·OH·OW."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, PT, PL, PB, PR, SIMD, BITS, PAD_VALUE
CASES = {
    "asym_simd1_8b": (5, 4, 3, 1, 2, 0, 1, 1, 8, 0),
    "asym_simdC_2b_neg_pad": (4, 6, 4, 2, 0, 1, 3, 4, 2, -1),
    "8x8_sym1_simd2_4b": (8, 8, 4, 1, 1, 1, 1, 2, 4, 0),
    "10x8_pad1323_simd1_1b": (10, 8, 2, 1, 3, 2, 3, 1, 1, 0),
    "top_bottom_only_7_8_simdC_4b_pad5": (6, 5, 2, 7, 0, 8, 0, 2, 4, 5),
    "1d_row_left_right_simd3_8b_pad-3": (1, 9, 6, 0, 4, 0, 1, 3, 8, -3),
    "no_padding_simd1_2b": (3, 5, 4, 0, 0, 0, 0, 1, 2, 0),
    "1d_column_simd2_8b": (9, 1, 4, 2, 0, 3, 0, 2, 8, 0),
    "1x1_image_pad2_simdC_4b_pad1": (1, 1, 3, 2, 2, 2, 2, 3, 4, 1),
}
NAMES = ("IH", "IW", "C", "PT", "PL", "PB", "PR", "SIMD", "BITS", "PAD_VALUE")


@pytest.mark.parametrize("case", list(CASES))
def test_fmpadding(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_fmpadding.sv"]
    lint(src, "fx_fmpadding", p)
    cycles_file = tmp_path / "cycles.json"
    simulate(src, "fx_fmpadding", "fmpadding_cocotb", HERE, tmp_path / "build", p,
             extra_env={"PARAMS": json.dumps(p), "SEED": len(case), "CYCLES_FILE": cycles_file})
    measured = json.loads(cycles_file.read_text())
    oh, ow = p["IH"] + p["PT"] + p["PB"], p["IW"] + p["PL"] + p["PR"]
    exp = p["C"] // p["SIMD"] * oh * ow  # FMPaddingOp.cycles
    record_property("cycles", measured["full_1"])
    print(f"{case}: measured {measured}, expected {exp}")
    assert abs(measured["full_1"] - exp) <= max(0.05 * exp, 20), (measured, exp)
