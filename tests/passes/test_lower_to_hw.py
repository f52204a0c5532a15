"""lower-to-hw: the hw IR against the dataflow IR it wires up, and against CIRCT itself.

Structure (hand-written partition and real models): one extern per layer with exactly the
ports of the wrapper `-t sv` writes (`kernels.rtl_plan(layer).ports`), the top's AXI-Stream
ports, every stream wired producer -> consumer (TDATA/TVALID forward, TREADY backward),
idempotence, a print -> parse -> verify round trip of the back-edges, one-line errors.

CIRCT cross-check (tfc_2w2a, cnv_1w1a lowered with `to-folded{target-fps=10000}`, and a
hand-written fork/join partition with two-output and two-input instances): the hw
ops alone (`hw_only_module`) are printed by xDSL, parsed by CIRCT's own Python bindings
(the `circt` PyPI package) unchanged — xDSL's printing of hw.module / hw.module.extern /
hw.instance is accepted as is, no conversion needed — and CIRCT's `export_verilog` output is
compared with our `finn_design.sv`. The comparison reads both texts with yosys
(`read_verilog -sv`, wrappers as `-lib` blackboxes, `write_json`) rather than a regex:
yosys elaborates both into bit-level nets, so the two very different textual shapes (our
named `logic` nets + `assign`s, CIRCT's `_`-prefixed wires with outputs bound directly)
reduce to the same comparable facts: the port list (name, direction, width, order) and, for
every instance input pin and every top output, which top input or instance output drives
each bit. Both tops must also be Verilator `--lint-only -Wall` clean with the same wrappers.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA
from xdsl.dialects import hw
from xdsl.parser import Parser
from xdsl.printer import Printer

from finn_xdsl.backends.sv import SVTarget
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import rtl_plan as legalize
from finn_xdsl.kernels.plan import padded
from finn_xdsl.passes.lower_to_hw import LowerToHwPass, hw_only_module
from finn_xdsl.frontend.load import make_context
from finn_xdsl.verify.rtlsim import lint

IN, OUT = hw.Direction.INPUT, hw.Direction.OUTPUT
CASES = ["tfc_2w2a", "cnv_1w1a", "fork_join"]

_SI5, _UI2 = "!dataflow.stream<tensor<1x4xsi5>, 2>", "!dataflow.stream<tensor<1x4xui2>, 2>"
_THR = ('dataflow.thresholding {x} {{node_name = "{name}", impl = "rtl", pe = 2 : i64, '
        'thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>}} : (' + _SI5 + ") -> " + _UI2)
# thresholding -> MVAU, as in lit_tests/passes/lower_to_hw.mlir
SMALL = f"""
builtin.module {{
  func.func @main(%x: tensor<1x4xsi5>) -> tensor<1x2xsi6> {{
    %y = dataflow.partition %x {{node_name = "P0"}} : (tensor<1x4xsi5>) -> tensor<1x2xsi6> {{
    ^bb0(%0: {_SI5}):
      %1 = {_THR.format(x="%0", name="Thresholding_rtl_0")}
      %2 = dataflow.mvau %1 {{node_name = "MVAU_rtl_0", impl = "rtl", pe = 1 : i64, simd = 2 : i64, weights = dense<[[1, -1], [1, 1], [-2, 1], [1, 0]]> : tensor<4x2xi32>, weight_type = si2}} : ({_UI2}) -> !dataflow.stream<tensor<1x2xsi6>, 1>
      dataflow.yield %2 : !dataflow.stream<tensor<1x2xsi6>, 1>
    }}
    func.return %y : tensor<1x2xsi6>
  }}
}}
"""
# the partition input feeds two layers: no AXI stream fans out without DuplicateStreams
FANOUT = f"""
builtin.module {{
  func.func @main(%x: tensor<1x4xsi5>) -> (tensor<1x4xui2>, tensor<1x4xui2>) {{
    %y, %z = dataflow.partition %x {{node_name = "P0"}} : (tensor<1x4xsi5>) -> (tensor<1x4xui2>, tensor<1x4xui2>) {{
    ^bb0(%0: {_SI5}):
      %1 = {_THR.format(x="%0", name="Thresholding_rtl_0")}
      %2 = {_THR.format(x="%0", name="Thresholding_rtl_1")}
      dataflow.yield %1, %2 : {_UI2}, {_UI2}
    }}
    func.return %y, %z : tensor<1x4xui2>, tensor<1x4xui2>
  }}
}}
"""

# a fork and a join: instances with two outputs / two inputs
FORK_JOIN = f"""
builtin.module {{
  func.func @main(%x: tensor<1x4xsi5>) -> tensor<1x4xui3> {{
    %y = dataflow.partition %x {{node_name = "P0"}} : (tensor<1x4xsi5>) -> tensor<1x4xui3> {{
    ^bb0(%0: {_SI5}):
      %1 = {_THR.format(x="%0", name="Thresholding_rtl_0")}
      %2, %3 = dataflow.duplicate_streams %1 {{node_name = "DuplicateStreams_rtl_0", impl = "rtl", pe = 2 : i64}} : ({_UI2}) -> ({_UI2}, {_UI2})
      %4 = dataflow.add_streams %2, %3 {{node_name = "AddStreams_rtl_0", impl = "rtl", pe = 2 : i64}} : ({_UI2}, {_UI2}) -> !dataflow.stream<tensor<1x4xui3>, 2>
      dataflow.yield %4 : !dataflow.stream<tensor<1x4xui3>, 2>
    }}
    func.return %y : tensor<1x4xui3>
  }}
}}
"""


def _parse(text: str):
    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


def _print(op) -> str:
    s = io.StringIO()
    Printer(stream=s).print_op(op)
    return s.getvalue()


_LOWERED: dict[str, str] = {}


def _lowered(model: str):
    """The model folded for 10000 fps (or FORK_JOIN) lowered to hw (cached as text: tests mutate)."""
    if model not in _LOWERED:
        from finn_xdsl.frontend.qonnx import import_onnx
        from finn_xdsl.passes.to_folded import ToFoldedPass

        if model == "fork_join":
            module = _parse(FORK_JOIN)
        else:
            module = import_onnx(DATA / f"{model}_ts_clean.onnx")
            ToFoldedPass(target_fps=10000).apply(make_context(), module)
        LowerToHwPass().apply(make_context(), module)
        _LOWERED[model] = _print(module)
    return _parse(_LOWERED[model])


def _ports(op) -> list[tuple[str, hw.Direction, int]]:
    return [(p.port_name.data, p.dir.data, p.type.width.data) for p in op.module_type.ports.data]


def _check_structure(module) -> None:
    """Every fact the hw IR must state about the dataflow IR, re-derived independently."""
    (partition,) = [p for p in module.walk() if isinstance(p, df.PartitionOp)]
    hw_ops = [op for op in module.ops if isinstance(op, hw.HWModuleExternOp | hw.HWModuleOp)]
    layers = partition.layers()
    assert [op.sym_name.data for op in hw_ops] == [layer.display_name for layer in layers] + ["finn_design"]
    for ext, layer in zip(hw_ops, layers):
        assert isinstance(ext, hw.HWModuleExternOp)
        expect = [("ap_clk", IN, 1), ("ap_rst_n", IN, 1)]
        for p in legalize(layer).ports:
            fwd, back = (IN, OUT) if p.direction == "in" else (OUT, IN)
            expect += [(f"{p.name}_TDATA", fwd, p.width), (f"{p.name}_TVALID", fwd, 1), (f"{p.name}_TREADY", back, 1)]
        assert _ports(ext) == expect, layer.display_name
    top = hw_ops[-1]
    assert isinstance(top, hw.HWModuleOp)
    args, ys = partition.block.args, list(partition.block.last_op.operands)
    expect = [("ap_clk", IN, 1), ("ap_rst_n", IN, 1)]
    for i, a in enumerate(args):
        expect += [(f"s_axis_{i}_tdata", IN, padded(a.type.width_bits)), (f"s_axis_{i}_tvalid", IN, 1),
                   (f"s_axis_{i}_tready", OUT, 1)]
    for j, v in enumerate(ys):
        expect += [(f"m_axis_{j}_tdata", OUT, padded(v.type.width_bits)), (f"m_axis_{j}_tvalid", OUT, 1),
                   (f"m_axis_{j}_tready", IN, 1)]
    assert _ports(top) == expect
    # the instances, in layer order, and a port -> value view of each
    body = list(top.body.block.ops)
    insts, output = body[:-1], body[-1]
    assert isinstance(output, hw.OutputOp)
    assert [(i.instance_name.data, i.module_name.root_reference.data) for i in insts] == \
        [(layer.display_name, layer.display_name) for layer in layers]
    top_in = {p.port_name.data: a for p, a in zip([p for p in top.module_type.ports.data if p.dir.data == IN],
                                                  top.body.block.args)}
    pin = {(i.instance_name.data, n.data): v for i in insts for n, v in zip(i.arg_names.data, i.inputs)}
    pout = {(i.instance_name.data, n.data): v for i in insts for n, v in zip(i.result_names.data, i.results)}
    assert all(pin[(i.instance_name.data, c)] is top_in[c] for i in insts for c in ("ap_clk", "ap_rst_n"))
    outs = dict(zip([p for p, d, _ in expect if d == OUT], output.inputs))
    for layer in layers:
        name = layer.display_name
        for k, v in enumerate(layer.operands):
            data, valid, ready = pin[(name, f"in{k}_V_TDATA")], pin[(name, f"in{k}_V_TVALID")], pout[(name, f"in{k}_V_TREADY")]
            if v in args:
                i = args.index(v)
                assert data is top_in[f"s_axis_{i}_tdata"] and valid is top_in[f"s_axis_{i}_tvalid"]
                assert outs[f"s_axis_{i}_tready"] is ready
            else:
                prod, m = v.owner.display_name, v.index
                assert data is pout[(prod, f"out{m}_V_TDATA")] and valid is pout[(prod, f"out{m}_V_TVALID")]
                assert pin[(prod, f"out{m}_V_TREADY")] is ready  # the back-edge
    for j, v in enumerate(ys):
        prod, m = v.owner.display_name, v.index
        assert outs[f"m_axis_{j}_tdata"] is pout[(prod, f"out{m}_V_TDATA")]
        assert outs[f"m_axis_{j}_tvalid"] is pout[(prod, f"out{m}_V_TVALID")]
        assert pin[(prod, f"out{m}_V_TREADY")] is top_in[f"m_axis_{j}_tready"]


def test_small_structure_idempotent_roundtrip():
    module = _parse(SMALL)
    LowerToHwPass().apply(make_context(), module)
    module.verify()
    _check_structure(module)
    once = _print(module)
    LowerToHwPass().apply(make_context(), module)
    assert _print(module) == once  # replaced, not duplicated
    # the TREADY back-edges (uses before definitions) survive print -> parse -> verify
    again = _parse(once)
    _check_structure(again)
    assert _print(again) == once


@pytest.mark.parametrize("model", CASES)
def test_structure(model):
    module = _lowered(model)
    _check_structure(module)
    assert len([op for op in module.ops if isinstance(op, hw.HWModuleExternOp)]) >= 3


def test_dataflow_ir_kept():
    """The pass only adds: the interpreter's results on the dataflow IR are unchanged."""
    from pass_harness import assert_pass_preserves, model_inputs

    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(DATA / "tfc_2w2a_ts_clean.onnx")
    ToFoldedPass(target_fps=10000).apply(make_context(), module)
    before = _print(module)
    assert_pass_preserves(module, LowerToHwPass(), model_inputs(module, "tfc_2w2a_ts_clean", draws=1), "tfc_2w2a")
    assert _print(module).startswith(before.rstrip().removesuffix("}"))


def test_errors_are_one_line():
    bad = SMALL.replace('"Thresholding_rtl_0", impl = "rtl"', '"Thresholding_rtl_0", impl = "rtl", runtime_writeable_weights = true')
    with pytest.raises(FinnError, match=r"^lower-to-hw: dataflow.thresholding 'Thresholding_rtl_0': runtime-writeable"):
        LowerToHwPass().apply(make_context(), _parse(bad))
    with pytest.raises(FinnError, match=r"^lower-to-hw: dataflow.partition 'P0': input 0 has 2 consumers; .*DuplicateStreams"):
        LowerToHwPass().apply(make_context(), _parse(FANOUT))
    two = SMALL.replace('"P0"', '"P1"').replace("builtin.module {", "").rsplit("}", 1)[0]
    clash = SMALL.rsplit("}", 1)[0] + two.replace("@main", "@other") + "}"
    with pytest.raises(FinnError, match=r"module name 'Thresholding_rtl_0' is already used in partition 'P0'"):
        LowerToHwPass().apply(make_context(), _parse(clash))


# ----------------------------------------------------------------------------- CIRCT


def _stubs(wrappers: list[Path], workdir: Path) -> list[Path]:
    """The wrappers cut down to their interfaces (header and port list, verbatim)."""
    stubs = workdir / "stubs"
    stubs.mkdir(exist_ok=True)
    for w in wrappers:
        header, sep, _ = w.read_text().partition("\n);\n")
        assert sep, f"{w}: no port list"
        # an interface has nothing to drive its outputs or read its inputs
        (stubs / w.name).write_text("/* verilator lint_off UNDRIVEN */\n/* verilator lint_off UNUSEDSIGNAL */\n"
                                    "/* verilator lint_off UNUSEDPARAM */\n" + header + sep + "endmodule\n")
    return [stubs / w.name for w in wrappers]


def _netlist(sv: Path, wrappers: list[Path], top: str, workdir: Path) -> dict:
    """Port list and bit-level connectivity of `top` in `sv`, as read by yosys."""
    out = workdir / f"{sv.parent.name}_{top}.json"
    # the wrappers' interfaces only: yosys 0.23 cannot parse some of their glue (int' casts)
    libs = " ".join(str(s) for s in _stubs(wrappers, workdir))
    script = f"read_verilog -sv -lib {libs}; read_verilog -sv {sv}; hierarchy -top {top}; proc; opt_clean; write_json {out}"
    subprocess.run(["yosys", "-q", "-p", script], check=True, capture_output=True, text=True)
    mod = json.loads(out.read_text())["modules"][top]
    driver: dict[int, str] = {}

    def drive(bits: list[int], name: str) -> None:
        for i, b in enumerate(bits):
            assert b not in driver, f"{sv}: bit of {name} has two drivers"
            driver[b] = f"{name}[{i}]"

    for name, p in mod["ports"].items():
        if p["direction"] == "input":
            drive(p["bits"], name)
    for cell, c in mod["cells"].items():
        for pin, bits in c["connections"].items():
            if c["port_directions"][pin] == "output":
                drive(bits, f"{cell}.{pin}")
    conn = {f"{cell}:{c['type']}.{pin}": [driver[b] for b in bits]
            for cell, c in mod["cells"].items() for pin, bits in c["connections"].items()
            if c["port_directions"][pin] == "input"}
    conn |= {name: [driver[b] for b in p["bits"]] for name, p in mod["ports"].items() if p["direction"] == "output"}
    ports = [(name, p["direction"], len(p["bits"])) for name, p in mod["ports"].items()]
    return {"ports": ports, "conn": conn, "cells": sorted(mod["cells"])}


@pytest.mark.skipif(shutil.which("yosys") is None, reason="needs yosys on PATH")
@pytest.mark.parametrize(("model", "real_wrappers"), [("tfc_2w2a", True), ("cnv_1w1a", False), ("fork_join", True)])
def test_circt_parses_and_exports_the_same_top(model, real_wrappers, tmp_path):
    circt = pytest.importorskip("circt")
    from circt import ir

    module = _lowered(model)
    SVTarget(dir=str(tmp_path / "sv")).emit(make_context(), module, io.StringIO())
    ours = tmp_path / "sv" / "finn_design.sv"
    wrappers = [tmp_path / "sv" / f"{layer.display_name}.sv"
                for p in module.walk() if isinstance(p, df.PartitionOp) for layer in p.layers()]
    library = sorted(p for p in (tmp_path / "sv").glob("fx_*.sv"))

    text = _print(hw_only_module(module))
    ctx = ir.Context()
    circt.register_dialects(ctx)
    with ctx:
        parsed = ir.Module.parse(text)  # xDSL's printing, unchanged
        assert parsed.operation.verify()
        verilog = io.StringIO()
        circt.export_verilog(parsed, verilog)
    theirs = tmp_path / "circt" / "finn_design.sv"
    theirs.parent.mkdir()
    theirs.write_text(verilog.getvalue())

    a = _netlist(ours, wrappers, "finn_design", tmp_path)
    b = _netlist(theirs, wrappers, "finn_design", tmp_path)
    top = next(op for op in module.ops if isinstance(op, hw.HWModuleOp))
    assert a["ports"] == b["ports"] == [(n, "input" if d == IN else "output", w) for n, d, w in _ports(top)]
    assert a["cells"] == b["cells"] == sorted(w.stem for w in wrappers)
    assert a["conn"] == b["conn"]  # (an undriven bit would have failed in _netlist)
    # the comparison sees a single misrouted pin
    bad = tmp_path / "bad" / "finn_design.sv"
    bad.parent.mkdir()
    bad.write_text(ours.read_text().replace("(ap_rst_n)", "(ap_clk)", 1))
    assert _netlist(bad, wrappers, "finn_design", tmp_path)["conn"] != a["conn"]

    # Both tops lint clean against the same wrappers: the real ones (with the library) for
    # TFC; for CNV their interfaces only, as Verilator spends ~40 s CPU elaborating CNV's
    # wrappers — tests/backends/test_sv_top.py lints our CNV top with the real ones once.
    deps = [*library, *wrappers] if real_wrappers else _stubs(wrappers, tmp_path)
    for top in (ours, theirs):
        lint([*deps, top], "finn_design")
