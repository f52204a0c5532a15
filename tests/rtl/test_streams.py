"""Stream-plumbing RTL (fx_dwc, fx_label_select, fx_add_streams, fx_duplicate_streams):
`verilator --lint-only -Wall` and one cocotb + Verilator build per parameter set, several
frames per build, random TVALID gaps / TREADY back-pressure, bit-exact vs numpy, cycle
counts at full rate checked against each op's formula (see the *_cocotb.py modules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent

# (toplevel, cocotb module, HDL parameters, test-only settings)
CASES = [
    # DWC: down (integer ratio), up (integer ratio), general LCM cases both ways
    ("fx_dwc", "dwc_cocotb", dict(IN_LANES=4, OUT_LANES=1, BITS=3, TOTAL=12), dict(FRAMES=8)),
    ("fx_dwc", "dwc_cocotb", dict(IN_LANES=2, OUT_LANES=6, BITS=8, TOTAL=24), dict(FRAMES=6)),
    ("fx_dwc", "dwc_cocotb", dict(IN_LANES=3, OUT_LANES=2, BITS=5, TOTAL=18), dict(FRAMES=6)),
    # LabelSelect: TFC-like (PE=1, signed), and PE=4 with K > LABELS/PE (output-bound)
    ("fx_label_select", "label_select_cocotb",
     dict(LABELS=10, PE=1, K=3, IN_BITS=6, IN_SIGNED=1, OUT_BITS=8), dict(FRAMES=10)),
    ("fx_label_select", "label_select_cocotb",
     dict(LABELS=12, PE=4, K=5, IN_BITS=3, IN_SIGNED=0, OUT_BITS=8), dict(FRAMES=10)),
    # AddStreams: signed PE<C, unsigned PE=C
    ("fx_add_streams", "add_streams_cocotb",
     dict(C=12, PE=3, IN_BITS=4, IN_SIGNED=1, OUT_BITS=5), dict(VECTORS=16)),
    ("fx_add_streams", "add_streams_cocotb",
     dict(C=8, PE=8, IN_BITS=2, IN_SIGNED=0, OUT_BITS=3), dict(VECTORS=40)),
    # DuplicateStreams: 3 live outputs of 4
    ("fx_duplicate_streams", "duplicate_streams_cocotb",
     dict(C=6, PE=2, BITS=5, N_OUT=3), dict(VECTORS=30)),
]


def case_id(case) -> str:
    top, _, params, _ = case
    return top.removeprefix("fx_") + "-" + "-".join(str(v) for v in params.values())


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_stream_rtl(case, tmp_path):
    top, module, params, settings = case
    src = [rtl_dir() / f"{top}.sv"]
    lint(src, top, params)
    env = {**params, **settings, "SEED": len(json.dumps(params))}
    simulate(src, top, module, HERE, tmp_path / "build", params, extra_env={"PARAMS": json.dumps(env)})


@pytest.mark.parametrize("n_out", [2, 4])
def test_duplicate_streams_lint(n_out):
    lint([rtl_dir() / "fx_duplicate_streams.sv"], "fx_duplicate_streams",
         dict(C=4, PE=4, BITS=3, N_OUT=n_out))


@pytest.mark.parametrize("params", [dict(IN_LANES=3, OUT_LANES=2, BITS=5, TOTAL=10),
                                    dict(IN_LANES=2, OUT_LANES=2, BITS=4, TOTAL=7)])
def test_dwc_rejects_bad_total(params):
    with pytest.raises(AssertionError, match="TOTAL must be a multiple"):
        lint([rtl_dir() / "fx_dwc.sv"], "fx_dwc", params)
