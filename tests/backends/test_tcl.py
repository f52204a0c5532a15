"""`-t tcl`: the Vivado scripts, checked structurally under tclsh with stand-in commands.

tfc_2w2a and cnv_1w1a are lowered with `to-folded{target-fps=10000}` and `lower-to-hw` (and
cnv_1w1a once more with insert-dwc and insert-fifos, for FIFO cells), then `-t sv` and `-t
tcl` write a build folder (rtl/ + vivado/). `check_tcl` runs both scripts under
`vivado_stubs.tcl`, which fails on unknown commands or options, missing files (sources,
shells, memory files the wrappers name), cells or pins that do not exist, mismatched stream
modes or widths, pins connected twice and anything left unconnected or unfinished. Mutated
copies of the generated script (and of the build folder) prove each of those failures is
caught. The Verilog shells are linted with Verilator against the real wrappers; malformed
hw IR is refused with one-line FinnErrors.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import shutil
from pathlib import Path

import pytest
from xdsl.dialects import hw
from xdsl.dialects.builtin import ModuleOp, StringAttr

from finn_xdsl.backends import get_all_targets
from finn_xdsl.backends.sv import SVTarget, legalize_module
from finn_xdsl.backends.tcl import TclTarget, legalize_tcl
from finn_xdsl.backends.tcl_check import check_tcl, run_stubbed
from finn_xdsl.errors import FinnError

DATA = Path(__file__).parent.parent / "data"
# "+fifos": the finn-build stages before lower-to-hw, so FIFO cells are in the design too
MODELS = ["tfc_2w2a", "cnv_1w1a", "cnv_1w1a+fifos"]


@functools.cache
def _lowered_text(model: str) -> str:
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes import get_all_passes
    from finn_xdsl.passes.lower_to_hw import LowerToHwPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    name, _, extra = model.partition("+")
    module = import_onnx(DATA / f"{name}_ts_clean.onnx")
    ctx = make_context()
    ToFoldedPass(target_fps=10000).apply(ctx, module)
    if extra == "fifos":
        for p in ("insert-dwc", "insert-fifos"):
            get_all_passes()[p]()().apply(ctx, module)
    LowerToHwPass().apply(ctx, module)
    return str(module)


def _lowered(model: str) -> ModuleOp:
    from xdsl.parser import Parser

    from finn_xdsl.frontend.load import make_context

    return Parser(make_context(), _lowered_text(model)).parse_module()


def _build(model: str, root: Path, **tcl_options) -> tuple[Path, str]:
    """-t sv into root/rtl and -t tcl into root/vivado; (vivado dir, tcl summary)."""
    module = _lowered(model)
    SVTarget(dir=str(root / "rtl")).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    out = io.StringIO()
    TclTarget(dir=str(root / "vivado"), rtl_dir=str(root / "rtl"), **tcl_options).emit(None, module, out)  # type: ignore[arg-type]
    return root / "vivado", out.getvalue()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    return {m: _build(m, tmp_path_factory.mktemp(m))[0] for m in MODELS}


def _top(module: ModuleOp) -> hw.HWModuleOp:
    return next(op for op in module.ops if isinstance(op, hw.HWModuleOp))


def test_registered():
    assert get_all_targets()["tcl"]() is TclTarget


@pytest.mark.parametrize("model", MODELS)
def test_scripts_pass_the_stubs(builds, model):
    vivado = builds[model]
    check_tcl(vivado)  # raises on any problem
    top = _top(_lowered(model))
    insts = [op for op in top.body.block.ops if isinstance(op, hw.InstanceOp)]
    ok = run_stubbed(vivado / "make_project.tcl")
    # every instance became a cell; each pin (ap_clk, ap_rst_n, streams) and port connected
    # ap_clk, ap_rst_n and one interface pin per stream (in<k>_V / out<k>_V) of each cell
    n_pins = sum(2 + len({n.data.split("_V_")[0] for n in (*op.arg_names.data, *op.result_names.data)
                          if "_V_" in n.data}) for op in insts)
    assert f": {len(insts)} cells, {n_pins + 2 + 2} endpoints connected" in ok, ok
    text = (vivado / "make_project.tcl").read_text()
    cells = re.findall(r"^create_bd_cell -type module -reference (\S+)_bd (\S+)$", text, re.MULTILINE)
    assert [c for _, c in cells] == [op.instance_name.data for op in insts]
    assert all(ref == name for ref, name in cells)
    nets = re.findall(r"^connect_bd_intf_net ", text, re.MULTILINE)
    assert len(nets) == len(insts) + 1  # a chain: s_axis_0 -> layers -> m_axis_0
    assert "run_stubbed" not in text and "synth_design -mode out_of_context" in (vivado / "synth_ooc.tcl").read_text()


def test_chain_order_and_widths(builds):
    """Nets follow the SSA connections; the external ports carry the top's TDATA widths."""
    module = _lowered("tfc_2w2a")
    plan = legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0)
    names = [c.name for c in plan.cells]
    assert plan.nets == [("s_axis_0", f"{names[0]}/in0_V")] + [
        (f"{a}/out0_V", f"{b}/in0_V") for a, b in itertools.pairwise(names)] + [(f"{names[-1]}/out0_V", "m_axis_0")]
    widths = {p.port_name.data: p.type.width.data for p in _top(module).module_type.ports.data}
    assert [(p.name, p.mode, p.tdata_bytes) for p in plan.ports] == [
        ("s_axis_0", "Slave", widths["s_axis_0_tdata"] // 8), ("m_axis_0", "Master", widths["m_axis_0_tdata"] // 8)]
    layers = legalize_module(module)
    assert plan.library == sorted({f"{lib}.sv" for p in layers for lib in p.library})
    assert plan.wrappers == [f"{n}.sv" for n in names] == [f"{p.name}.sv" for p in layers]
    assert all(f.endswith(".dat") for f in plan.mem_files) and len(plan.mem_files) >= len(names)


def test_deterministic_and_relocatable(tmp_path):
    """Two runs give byte-identical files; the build folder still checks after a move."""
    a, summary = _build("tfc_2w2a", tmp_path / "a")
    b, _ = _build("tfc_2w2a", tmp_path / "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert summary.startswith("tcl: 4 cells, 5 streams, part xc7z020clg400-1, clock 10 ns")
    shutil.move(tmp_path / "a", tmp_path / "moved")
    check_tcl(tmp_path / "moved" / "vivado")


def test_paths_with_spaces(tmp_path):
    module = _lowered("tfc_2w2a")
    rtl, vivado = tmp_path / "my rtl", tmp_path / "viv ado"
    SVTarget(dir=str(rtl)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    TclTarget(dir=str(vivado), rtl_dir=str(rtl)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    assert "[file join $script_dir {../my rtl}]" in (vivado / "make_project.tcl").read_text()
    check_tcl(vivado)


def test_options(tmp_path):
    vivado, summary = _build("tfc_2w2a", tmp_path, fpgapart="xczu7ev-ffvc1156-2-e", clock_ns=4)
    proj = (vivado / "make_project.tcl").read_text()
    assert "set part xczu7ev-ffvc1156-2-e" in proj and "-freq_hz 250000000 ap_clk" in proj
    assert "create_clock -name ap_clk -period 4.000 [get_ports ap_clk]" in (vivado / "finn_design_ooc.xdc").read_text()
    assert "FREQ_HZ 250000000" in next((vivado / "hdl").glob("*_bd.v")).read_text()
    assert "clock 4 ns" in summary
    check_tcl(vivado)


@pytest.mark.parametrize("module", ["fx_mvu", "fx_fifo", "fx_dwc", "fx_swg", "fx_streaming_maxpool"])
def test_shell_lints(builds, module):
    """The Verilog shell of the first layer of each library module is lint-clean over the
    real wrapper and library files (the shell's ports are exactly the wrapper's)."""
    from finn_xdsl.verify.rtlsim import lint

    vivado = builds["cnv_1w1a+fifos"]
    rtl = vivado.parent / "rtl"
    plan = next(p for p in legalize_module(_lowered("cnv_1w1a+fifos")) if p.module == module)
    sources = [rtl / f"{lib}.sv" for lib in plan.library] + [rtl / f"{plan.name}.sv"]
    lint([*sources, vivado / "hdl" / f"{plan.name}_bd.v"], f"{plan.name}_bd")


# ----------------------------------------------------------------------------- the stubs catch


def _first(pattern: str, text: str) -> str:
    m = re.search(pattern, text, re.MULTILINE)
    assert m is not None, pattern
    return m[0]


def _drop(pattern):
    return lambda t: t.replace(_first(pattern, t) + "\n", "", 1)


def _dup(pattern):
    return lambda t: t.replace(_first(pattern, t), _first(pattern, t) + "\n" + _first(pattern, t), 1)


MUTATIONS = {
    # a dangling stream: one interface net missing -> its pins stay unconnected
    "dangling": (_drop(r"^connect_bd_intf_net .*MVAU_rtl_1/in0_V.*$"), "is unconnected"),
    "port unconnected": (_drop(r"^connect_bd_intf_net .*m_axis_0.*$"), "is unconnected"),
    "pin connected twice": (_dup(r"^connect_bd_intf_net .*MVAU_rtl_1/in0_V.*$"), "is connected twice"),
    "no such pin": (lambda t: t.replace("MVAU_rtl_1/in0_V]", "MVAU_rtl_1/in1_V]", 1), "has no such pin"),
    "cell not created": (_drop(r"^create_bd_cell .* MVAU_rtl_2$"), "cell MVAU_rtl_2 was not created"),
    "unknown command": (lambda t: t.replace("validate_bd_design", "validate_bd_desing", 1), "unknown command"),
    "unknown option": (lambda t: t.replace("-part $part", "-prat $part", 1), "create_project: unknown option -prat"),
    "missing shell": (_drop(r"^ +\[file join .*MVAU_rtl_0_bd\.v\] \\$"), "module MVAU_rtl_0_bd is in no added file"),
    "unfinished": (_drop(r"^ipx::save_core .*$"), "never ran ipx::save_core"),
    "memory file not added": (_drop(r"^ +\[file join .*MVAU_rtl_2_weights\.dat\] \\$"),
                              "memory file MVAU_rtl_2_weights.dat named by MVAU_rtl_2.sv was never added"),
    "tcl syntax": (lambda t: t + "set x {\n", "missing close-brace"),
    "master to master": (lambda t: t.replace("MVAU_rtl_1/in0_V]", "MVAU_rtl_1/out0_V]", 1), "both Master"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_stubs_catch(builds, tmp_path, name):
    vivado = builds["tfc_2w2a"]
    mutate, message = MUTATIONS[name]
    text = (vivado / "make_project.tcl").read_text()
    bad = vivado / f"bad_{name.replace(' ', '_')}.tcl"  # next to the original: same relative paths
    bad.write_text(mutate(text))
    try:
        with pytest.raises(FinnError, match=message):
            run_stubbed(bad)
    finally:
        bad.unlink()


def test_missing_file_is_caught(tmp_path):
    vivado, _ = _build("tfc_2w2a", tmp_path)
    (tmp_path / "rtl" / "MVAU_rtl_1_weights.dat").unlink()
    with pytest.raises(FinnError, match=r"make_project\.tcl: .*file not found: .*MVAU_rtl_1_weights\.dat"):
        check_tcl(vivado)
    (vivado / "make_project.tcl").unlink()
    with pytest.raises(FinnError, match="does not exist"):
        check_tcl(vivado)


def test_width_mismatch_is_caught(tmp_path):
    """A shell whose stream is wider than its producer's: the stubs compare TDATA widths."""
    vivado, _ = _build("tfc_2w2a", tmp_path)
    shell = vivado / "hdl" / "MVAU_rtl_1_bd.v"
    text = shell.read_text()
    hi = int(re.search(r"\[(\d+):0\] in0_V_TDATA", text)[1])
    shell.write_text(text.replace(f"[{hi}:0] in0_V_TDATA", f"[{hi + 8}:0] in0_V_TDATA"))
    with pytest.raises(FinnError, match=f"TDATA widths differ \\(MVAU_rtl_0/out0_V {hi + 1}, MVAU_rtl_1/in0_V {hi + 9}\\)"):
        check_tcl(vivado)


def test_ooc_catches(tmp_path):
    """synth_ooc.tcl: the SystemVerilog top must exist, the memory files must be where
    $readmemh looks (the working directory), the constraints must name ports of the top."""
    vivado, _ = _build("tfc_2w2a", tmp_path)
    ooc = vivado / "synth_ooc.tcl"
    text = ooc.read_text()
    ooc.write_text(text.replace("cd $rtl_dir\n", ""))
    with pytest.raises(FinnError, match=r"memory file MVAU_rtl_0_thresholds\.dat .* not in the working directory"):
        run_stubbed(ooc)
    ooc.write_text(text)
    xdc = vivado / "finn_design_ooc.xdc"
    xdc.write_text(xdc.read_text().replace("get_ports ap_clk", "get_ports clk"))
    with pytest.raises(FinnError, match="finn_design has no port clk"):
        run_stubbed(ooc)
    (tmp_path / "rtl" / "finn_design.sv").unlink()
    with pytest.raises(FinnError, match=r"synth_ooc\.tcl: .*file not found: .*finn_design\.sv"):
        run_stubbed(ooc)


# ----------------------------------------------------------------------------- bad input


def test_needs_hw_level(tmp_path):
    from finn_xdsl.passes.lower_to_hw import is_hw_op

    module = _lowered("tfc_2w2a")
    for op in [op for op in module.ops if is_hw_op(op)]:
        module.body.block.erase_op(op)
    with pytest.raises(FinnError, match="^-t tcl: no hw.module in the input: run lower-to-hw first$"):
        TclTarget(dir=str(tmp_path)).emit(None, module, io.StringIO())  # type: ignore[arg-type]


def test_foreign_ip_cell_refused(tmp_path):
    """An extern may only name the IP `-t hls` exports for it (HLS cells: test_tcl_hls.py)."""
    module = _lowered("tfc_2w2a")
    ext = next(op for op in module.ops if isinstance(op, hw.HWModuleExternOp))
    ext.attributes["vlnv"] = StringAttr("xilinx.com:hls:MVAU_rtl_0:1.0")
    with pytest.raises(FinnError, match="is not the IP -t hls exports"):
        legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0)


def test_split_stream_refused():
    """A TVALID that does not run with its TDATA is no AXI-Stream interface: refused."""
    module = _lowered("tfc_2w2a")
    top = _top(module)
    insts = [op for op in top.body.block.ops if isinstance(op, hw.InstanceOp)]
    names = [a.data for a in insts[1].arg_names.data]
    tvalid = top.body.block.args[[p.port_name.data for p in top.module_type.ports.data
                                  if p.dir.data.is_input_like()].index("s_axis_0_tvalid")]
    insts[1].operands[names.index("in0_V_TVALID")] = tvalid
    with pytest.raises(FinnError, match=r"^-t tcl: MVAU_rtl_0/out0_V -> MVAU_rtl_1/in0_V lacks TVALID: not one AXI-Stream"):
        legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0)


def test_one_top_only():
    """Several partitions (several top modules) would need one block design each: refused."""
    module = _lowered("tfc_2w2a")
    second = _top(module).clone()
    second.sym_name = StringAttr("StreamingDataflowPartition_1")
    module.body.block.add_op(second)
    with pytest.raises(FinnError, match=r"2 top modules \(finn_design, StreamingDataflowPartition_1\)"):
        legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0)


def test_bad_clock(tmp_path):
    with pytest.raises(FinnError, match="clock-ns must be positive"):
        TclTarget(dir=str(tmp_path), clock_ns=0).emit(None, _lowered("tfc_2w2a"), io.StringIO())  # type: ignore[arg-type]
