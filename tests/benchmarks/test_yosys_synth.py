"""benchmarks/yosys_synth.py's reading of a netlist: dsp_path_counts on hand-made netlists
(Yosys write_json's shape), one per way a combinational path can or cannot pass through two
DSP48E1s. The benchmark runs it on real netlists (benchmarks/dsp_chains.py); here its rules
are pinned without Yosys."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from yosys_synth import dsp_path_counts

DSP_IN = ("A", "B", "C", "D", "PCIN", "OPMODE")
DSP_OUT = ("P", "PCOUT")


def dsp(regs: dict, **conn) -> dict:
    params = {k: "1" if v else "0" for k, v in regs.items()} | {"USE_DPORT": "FALSE"}
    dirs = {p: "input" for p in DSP_IN} | {p: "output" for p in DSP_OUT}
    return {"type": "DSP48E1", "parameters": params, "port_directions": dirs,
            "connections": {p: conn.get(p, []) for p in (*DSP_IN, *DSP_OUT)}}


def cell(kind: str, ins: list[int], out: int) -> dict:
    return {"type": kind, "parameters": {}, "port_directions": {"I": "input", "O": "output"},
            "connections": {"I": ins, "O": [out]}}


def ff(d: int, q: int) -> dict:
    return {"type": "FDRE", "parameters": {}, "port_directions": {"D": "input", "Q": "output"},
            "connections": {"D": [d], "Q": [q]}}


def netlist(cells: dict) -> dict:
    return {"modules": {"top": {"attributes": {"top": "1"}, "cells": cells}}}


NO_REGS = {"AREG": 0, "BREG": 0, "CREG": 0, "DREG": 0, "MREG": 0, "PREG": 0}


def two_dsps(first: dict, second: dict, through_fabric: bool, port: str = "C") -> dict:
    """FF -> DSP 1 -> [LUT] -> DSP 2 (at `port`) -> FF."""
    link = 20 if through_fabric else 10
    cells = {"ff_in": ff(1, 2), "d1": dsp(first, A=[2], B=[2], P=[10]), "ff_out": ff(30, 31),
             "d2": dsp(second, **({"A": [2], "B": [2]} | {port: [link]}), P=[30])}
    if through_fabric:
        cells["lut"] = cell("LUT2", [10], 20)
    return netlist(cells)


def test_registered_chain_has_one_dsp_per_path():
    preg = NO_REGS | {"PREG": 1}
    r = dsp_path_counts(two_dsps(preg, preg, through_fabric=True))
    assert r == {"DSP_noPREG": 0, "DSP_path": 1}


def test_unregistered_dsp_into_a_second_dsp_is_two():
    r = dsp_path_counts(two_dsps(NO_REGS, NO_REGS | {"PREG": 1}, through_fabric=True))
    assert r == {"DSP_noPREG": 1, "DSP_path": 2}
    r = dsp_path_counts(two_dsps(NO_REGS, NO_REGS | {"PREG": 1}, through_fabric=False, port="PCIN"))
    assert r["DSP_path"] == 2


def test_input_register_of_the_second_dsp_ends_the_path():
    # Yosys may move a post-adder into fabric and absorb its register as the next DSP's CREG
    r = dsp_path_counts(two_dsps(NO_REGS | {"MREG": 1}, NO_REGS | {"CREG": 1, "PREG": 1}, through_fabric=True))
    assert r == {"DSP_noPREG": 1, "DSP_path": 1}


def test_multiplier_register_ends_a_path_into_the_multiplier():
    # into A/B of a DSP with MREG: the path ends at M, counting that DSP once
    r = dsp_path_counts(two_dsps(NO_REGS, NO_REGS | {"MREG": 1}, through_fabric=True, port="A"))
    assert r["DSP_path"] == 2
    r = dsp_path_counts(two_dsps(NO_REGS | {"PREG": 1}, NO_REGS | {"MREG": 1}, through_fabric=True, port="A"))
    assert r["DSP_path"] == 1


def test_no_dsp():
    assert dsp_path_counts(netlist({"a": ff(1, 2), "l": cell("LUT1", [2], 3), "b": ff(3, 4)})) == \
        {"DSP_noPREG": 0, "DSP_path": 0}
