"""cocotb side of test_tokensim_rtl: stream zeros through one `-t sv` wrapper at full
throughput (TVALID high while beats remain, TREADY always high) and record the cycle of
every input accept and output beat, counted from the first cycle after reset.

TIMING_CASE (env) names a JSON file {"in_beats": n, "out_beats": m, "result": path};
the cycles are written to `result` as {"in": [...], "out": [...]}. Timing of our layer
library does not depend on data, so zeros are as good as real activations here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "rtl"))
from axis import reset  # tests/rtl/axis.py, the shared drivers


@cocotb.test()
async def record_handshakes(dut):
    case = json.loads(Path(os.environ["TIMING_CASE"]).read_text())
    n_in, n_out = case["in_beats"], case["out_beats"]
    dut.in0_V_TVALID.value = 0
    dut.in0_V_TDATA.value = 0
    dut.out0_V_TREADY.value = 0
    await reset(dut)
    ins: list[int] = []
    outs: list[int] = []
    t = 0
    while len(outs) < n_out:
        dut.in0_V_TVALID.value = int(len(ins) < n_in)
        dut.out0_V_TREADY.value = 1
        await ReadOnly()
        if len(ins) < n_in and int(dut.in0_V_TREADY.value):
            ins.append(t)
        if int(dut.out0_V_TVALID.value):
            outs.append(t)
        await RisingEdge(dut.ap_clk)
        t += 1
        assert t < 50 * (n_in + n_out) + 10_000, f"stalled: {len(ins)}/{n_in} in, {len(outs)}/{n_out} out"
    Path(case["result"]).write_text(json.dumps({"in": ins, "out": outs}))
