"""Stream-plumbing RTL (fx_dwc, fx_label_select, fx_add_streams, fx_duplicate_streams):
`verilator --lint-only -Wall` and one cocotb + Verilator build per parameter set, several
frames per build, random TVALID gaps / TREADY back-pressure, bit-exact vs numpy, cycle
counts at full rate checked against each op's formula (see the *_cocotb.py modules)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent

# (toplevel, cocotb module, HDL parameters, test-only settings). One Verilator build per
# entry (~10 s), so each entry covers several axes at once; FINN's layer tests are the
# yardstick for the breadth (PE 1 / partial / full, 1/2/4/8-bit, signed/unsigned, odd sizes).
DWC = [
    # integer ratios down and up, incl. to/from a single lane and the full frame
    {"IN_LANES": 4, "OUT_LANES": 1, "BITS": 1, "TOTAL": 12},
    {"IN_LANES": 1, "OUT_LANES": 4, "BITS": 2, "TOTAL": 16},
    {"IN_LANES": 2, "OUT_LANES": 6, "BITS": 8, "TOTAL": 24},
    {"IN_LANES": 12, "OUT_LANES": 4, "BITS": 4, "TOTAL": 12},
    # LCM cases both ways (odd port widths: 10->15, 24->16, 10->6, 3->5 bits)
    {"IN_LANES": 2, "OUT_LANES": 3, "BITS": 5, "TOTAL": 18},
    {"IN_LANES": 6, "OUT_LANES": 4, "BITS": 4, "TOTAL": 24},
    {"IN_LANES": 5, "OUT_LANES": 3, "BITS": 2, "TOTAL": 15},
    {"IN_LANES": 3, "OUT_LANES": 5, "BITS": 1, "TOTAL": 30},
]
LABEL_SELECT = [
    # TFC-like: 10 labels, PE=1, K=1 (unsigned) and K=3 (signed)
    {"LABELS": 10, "PE": 1, "K": 1, "IN_BITS": 8, "IN_SIGNED": 0, "OUT_BITS": 4},
    {"LABELS": 10, "PE": 1, "K": 3, "IN_BITS": 6, "IN_SIGNED": 1, "OUT_BITS": 8},
    # 100 labels (7-bit indices), PE=2 signed 8-bit and PE=1 unsigned 2-bit (ties galore)
    {"LABELS": 100, "PE": 2, "K": 5, "IN_BITS": 8, "IN_SIGNED": 1, "OUT_BITS": 7},
    {"LABELS": 100, "PE": 1, "K": 2, "IN_BITS": 2, "IN_SIGNED": 0, "OUT_BITS": 8},
    # K > LABELS/PE (output-bound): PE=4 of 12, and PE full (one beat per frame)
    {"LABELS": 12, "PE": 4, "K": 5, "IN_BITS": 3, "IN_SIGNED": 0, "OUT_BITS": 8},
    {"LABELS": 20, "PE": 20, "K": 4, "IN_BITS": 4, "IN_SIGNED": 1, "OUT_BITS": 5},
    # K = LABELS (a full sort), 1-bit inputs, PE full
    {"LABELS": 5, "PE": 5, "K": 5, "IN_BITS": 1, "IN_SIGNED": 0, "OUT_BITS": 3},
]
ADD_STREAMS = [
    # PE 1 / partial / full; 1, 2, 4, 8 bits; signed and unsigned; odd channel counts
    {"C": 1, "PE": 1, "IN_BITS": 1, "IN_SIGNED": 0, "OUT_BITS": 2},
    {"C": 7, "PE": 1, "IN_BITS": 2, "IN_SIGNED": 1, "OUT_BITS": 3},
    {"C": 12, "PE": 3, "IN_BITS": 4, "IN_SIGNED": 1, "OUT_BITS": 5},
    {"C": 10, "PE": 2, "IN_BITS": 8, "IN_SIGNED": 0, "OUT_BITS": 9},
    {"C": 9, "PE": 9, "IN_BITS": 8, "IN_SIGNED": 1, "OUT_BITS": 9},
    {"C": 5, "PE": 5, "IN_BITS": 1, "IN_SIGNED": 1, "OUT_BITS": 4},  # sums sign-extended past IN_BITS+1
]
DUPLICATE_STREAMS = [
    {"C": 5, "PE": 1, "BITS": 1, "N_OUT": 2},
    {"C": 6, "PE": 2, "BITS": 5, "N_OUT": 3},
    {"C": 6, "PE": 6, "BITS": 8, "N_OUT": 4},
    {"C": 7, "PE": 7, "BITS": 2, "N_OUT": 2},
]
CASES = (
    [("fx_dwc", "dwc_cocotb", p, {"FRAMES": 8}) for p in DWC]
    + [("fx_label_select", "label_select_cocotb", p, {"FRAMES": 10}) for p in LABEL_SELECT]
    + [("fx_add_streams", "add_streams_cocotb", p, {"VECTORS": max(8, 120 // p["C"])}) for p in ADD_STREAMS]
    + [("fx_duplicate_streams", "duplicate_streams_cocotb", p, {"VECTORS": max(8, 120 // p["C"])})
       for p in DUPLICATE_STREAMS]
)


def case_id(case) -> str:
    top, _, params, _ = case
    return top.removeprefix("fx_") + "-" + "-".join(str(v) for v in params.values())


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_stream_rtl(case, tmp_path):
    top, module, params, settings = case
    src = [rtl_dir() / f"{top}.sv"]
    lint(src, top, params)
    env = {**params, **settings, "SEED": zlib.crc32(case_id(case).encode())}
    simulate(src, top, module, HERE, tmp_path / "build", params, extra_env={"PARAMS": json.dumps(env)})


@pytest.mark.parametrize("n_out", [2, 4])
def test_duplicate_streams_lint(n_out):
    lint([rtl_dir() / "fx_duplicate_streams.sv"], "fx_duplicate_streams",
         {"C": 4, "PE": 4, "BITS": 3, "N_OUT": n_out})


@pytest.mark.parametrize("params", [{"IN_LANES": 3, "OUT_LANES": 2, "BITS": 5, "TOTAL": 10},
                                    {"IN_LANES": 2, "OUT_LANES": 2, "BITS": 4, "TOTAL": 7}])
def test_dwc_rejects_bad_total(params):
    with pytest.raises(AssertionError, match="TOTAL must be a multiple"):
        lint([rtl_dir() / "fx_dwc.sv"], "fx_dwc", params)
