"""fx_fmpadding: lint and cocotb + Verilator simulation; outputs bit-exact vs numpy;
one frame at full throughput within 5 % (or 20 cycles) of FMPaddingOp's C/SIMD·OH·OW."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, PT, PL, PB, PR, SIMD, BITS, PAD_VALUE
CASES = {
    "asym_simd1_8b": (5, 4, 3, 1, 2, 0, 1, 1, 8, 0),
    "asym_simdC_2b_neg_pad": (4, 6, 4, 2, 0, 1, 3, 4, 2, -1),
}
NAMES = ("IH", "IW", "C", "PT", "PL", "PB", "PR", "SIMD", "BITS", "PAD_VALUE")


@pytest.mark.parametrize("case", list(CASES))
def test_fmpadding(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_fmpadding.sv", rtl_dir() / "fx_fifo.sv"]
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
