"""cocotb test of fx_swg_parallel: random frames through random TVALID gaps and TREADY
back-pressure (tests/rtl/axis.py PHASES), compared bit-exactly with the numpy im2col kernel
(the interpreter's SWG) packed one whole window (KH·KW·C lanes) per beat; the cycles of
each phase are written to $CYCLES_FILE. The handshakes of every cycle are recorded and
replayed through the token model (kernels.swg.SWGParallel): its TREADY and TVALID must
equal the RTL's in every cycle, gaps and back-pressure included.

Not axis.run_phases: it starts the next phase 5 cycles after the last output beat, but
here the last window can leave many input beats before the frame ends (rows or columns
past the last window, e.g. 11 rows, kernel 4, stride 3), so each phase also waits for
its driver to send the whole input."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import cocotb
import numpy as np
from axis import PHASES, collect, drive, reset
from cocotb.triggers import ReadOnly, RisingEdge

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.kernels.swg import SWGParallel
from finn_xdsl.sim.dataflow_kernels import im2col
from finn_xdsl.sim.tokensim_layers import Edge


def frames(p: dict, rng: np.random.Generator, n: int):
    """n random input frames -> (input beats of C lanes, output beats of KH·KW·C lanes)."""
    ins, outs = [], []
    kernel = (p["KH"], p["KW"])
    for _ in range(n):
        x = rng.integers(0, 1 << p["BITS"], size=(1, p["IH"], p["IW"], p["C"]))
        y = im2col(x, kernel, (p["SH"], p["SW"]), (p["DH"], p["DW"]))
        ins += pack_beats(x, p["BITS"], p["C"])
        outs += pack_beats(y, p["BITS"], p["KH"] * p["KW"] * p["C"])
    return ins, outs


async def monitor(dut, trace: list[tuple[int, int, int, int]]) -> None:
    """Every cycle's (in TVALID, in TREADY, out TVALID, out TREADY), once settled."""
    sigs = (dut.in0_V_TVALID, dut.in0_V_TREADY, dut.out0_V_TVALID, dut.out0_V_TREADY)
    while True:
        await ReadOnly()
        trace.append(tuple(int(s.value) for s in sigs))
        await RisingEdge(dut.ap_clk)


def replay(p: dict, trace: list[tuple[int, int, int, int]]) -> None:
    """Drive the token model with the recorded TVALID-in / TREADY-out; its TREADY-in and
    TVALID-out must be the RTL's, cycle by cycle."""
    model = SWGParallel("swg", p["IH"], p["IW"], p["C"], p["KH"], p["KW"], p["SH"], p["SW"], p["DH"], p["DW"])
    model.ins, model.outs = [Edge()], [Edge()]
    for t, (in_valid, in_ready, out_valid, out_ready) in enumerate(trace):
        got = (int(model.ready(0)), int(model.valid(0)))
        assert got == (in_ready, out_valid), f"cycle {t}: model (TREADY, TVALID) {got}, RTL {(in_ready, out_valid)}"
        model.ins[0].fire = bool(in_valid and in_ready)
        model.outs[0].fire = bool(out_valid and out_ready)
        model.tick(t)


@cocotb.test()
async def windows_match_im2col(dut):
    p = json.loads(os.environ["PARAMS"])
    seed = int(os.environ.get("SEED", "0"))
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    await reset(dut)
    trace: list[tuple[int, int, int, int]] = []
    cocotb.start_soon(monitor(dut, trace))
    measured = {}
    for name, n, valid_prob, ready_prob in PHASES:
        ins, outs = frames(p, rng, n)
        driver = cocotb.start_soon(drive(dut, "in0_V", ins, valid_prob, seed=prng.random()))
        got, cycles = await collect(dut, "out0_V", len(outs), ready_prob, seed=prng.random())
        first = next((i for i, (a, b) in enumerate(zip(got, outs)) if a != b), None)
        assert got == outs, f"{name}: first mismatch at beat {first}"
        measured[name] = cycles
        await driver  # the frame's trailing input beats, which complete no window
        await RisingEdge(dut.ap_clk)
    dut._log.info("fx_swg_parallel %s cycles %s", p, measured)
    replay(p, trace)
    Path(os.environ["CYCLES_FILE"]).write_text(json.dumps(measured))
