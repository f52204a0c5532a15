"""fx_swg: lint and cocotb + Verilator simulation over kernels, strides, dilation, 1-D,
SIMD and bit widths; outputs bit-exact vs numpy im2col; full-throughput cycles checked.

Cycles of one frame (first input offered -> last output beat) at full throughput are
asserted within 5 % (or 20 cycles) of the brief's estimate OH·OW·KH·KW·CF +
IW·(KH-1)·DH·CF, or of the input time IH·IW·CF when that is larger (input-bound: 1x1
stride 2). Measured: 3x3 s1 6x6x2 302 (est. 312); 5x2 s2x3 d2 173 (178); 4x3 s3x1
dw3 340 (348); 1x1 s2 100 (98); 1-D k3 s2 d2 28 (24). The reader starts emitting the
first patch while the line buffer fills, so the fill overlaps partly; frames do not
overlap (3 frames take 3x one frame).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, KH, KW, SH, SW, DH, DW, SIMD, BITS
CASES = {
    "k3s1_c2_simd1_8b": (6, 6, 2, 3, 3, 1, 1, 1, 1, 1, 8),
    "k5x2_s2x3_d2_simdC_2b": (13, 11, 4, 5, 2, 2, 3, 2, 2, 4, 2),
    "k4x3_s3x1_dw3_simd2_1b": (11, 10, 4, 4, 3, 3, 1, 1, 3, 2, 1),
    "k1_s2_input_bound_8b": (7, 7, 2, 1, 1, 2, 2, 1, 1, 1, 8),
    "1d_k3_s2_d2_simdC_8b": (1, 19, 3, 1, 3, 1, 2, 1, 2, 3, 8),
}
NAMES = ("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "SIMD", "BITS")


def expected_cycles(p: dict) -> int:
    """The brief's estimate OH·OW·KH·KW·CF + IW·(KH-1)·DH·CF, or the input time if larger."""
    cf = p["C"] // p["SIMD"]
    oh = (p["IH"] - p["DH"] * (p["KH"] - 1) - 1) // p["SH"] + 1
    ow = (p["IW"] - p["DW"] * (p["KW"] - 1) - 1) // p["SW"] + 1
    est = oh * ow * p["KH"] * p["KW"] * cf + p["IW"] * (p["KH"] - 1) * p["DH"] * cf
    return max(est, p["IH"] * p["IW"] * cf)


@pytest.mark.parametrize("case", list(CASES))
def test_swg(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_swg.sv", rtl_dir() / "fx_fifo.sv"]
    lint(src, "fx_swg", p)
    cycles_file = tmp_path / "cycles.json"
    simulate(src, "fx_swg", "swg_cocotb", HERE, tmp_path / "build", p,
             extra_env={"PARAMS": json.dumps(p), "SEED": len(case), "CYCLES_FILE": cycles_file})
    measured = json.loads(cycles_file.read_text())
    exp = expected_cycles(p)
    record_property("cycles", measured["full_1"])
    record_property("expected_cycles", exp)
    print(f"{case}: measured {measured}, expected {exp}")
    assert abs(measured["full_1"] - exp) <= max(0.05 * exp, 20), (measured, exp)
