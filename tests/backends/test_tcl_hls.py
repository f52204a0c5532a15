"""`-t tcl` (and `-t sv`) for designs with HLS layers, checked under the Vivado and Vitis stubs.

Designs: tfc_2w2a and cnv_1w1a lowered with `to-folded{target-fps=10000}`, then some layers
(or all; FIFOs stay RTL) set to impl="hls" — renamed `<op>_hls_<k>` as specialize names them
— or cnv_1w1a with `to-folded{prefer=hls}`; then insert-dwc, insert-fifos (all but one
design), lower-to-hw, and `-t hls`, `-t sv`, `-t tcl{hls-dir=...}` into one build folder
(hls/, rtl/, vivado/). `check_tcl` runs make_project.tcl and synth_ooc.tcl
under `vivado_stubs.tcl`, which checks each HLS layer's `hls_syn_<L>.tcl` under
`vitis_stubs.tcl` (order of the vitis_hls commands, files, the top function in the C++, its
AXI-Stream ports and pragmas, the exported VLNV) and builds the IP cells' pins from the C++
top; then it runs `hls_synth.sh` with the Vitis stubs as `vitis_hls`. Mutated copies of
the build folder prove the cross-checks bite: a VLNV that differs between the block design
and the export, a missing HLS script, a top-name mismatch, a missing or mis-sized port, a
missing pragma, commands out of order, an IP synthesised for another part or a slower clock,
synth_ooc.tcl without the HLS Verilog, a driver that skips a layer or runs from the wrong
folder. The RTL part of a mixed design lints clean against black boxes of the HLS
modules' interfaces; outputs are byte-identical across runs.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from xdsl.dialects import hw
from xdsl.dialects.builtin import ModuleOp, StringAttr

from finn_xdsl.backends.tcl import TclTarget, legalize_tcl
from finn_xdsl.backends.tcl_check import check_tcl, run_hls_driver, run_stubbed
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError

DATA = Path(__file__).parent.parent / "data"


def _hls_mixed_tfc(layer: df.DataflowOperation, index: int) -> bool:
    return isinstance(layer, df.MVAUOp) and index % 2 == 1  # MVAU 1 and 3


def _hls_mixed_cnv(layer: df.DataflowOperation, index: int) -> bool:
    # one of each kind our HLS library has, among RTL neighbours: SWG, MVAU, max-pool, DWC
    return layer.display_name.endswith("_1") and isinstance(layer, df.SWGOp | df.MVAUOp | df.StreamingMaxPoolOp) \
        or layer.display_name.endswith("_0") and isinstance(layer, df.DWCOp)


def _hls_all(layer: df.DataflowOperation, index: int) -> bool:
    return True


# design -> (model, which layers become HLS, passes after that: finn-build's before lower-to-hw)
# (pick None: specialize{prefer=hls} decides, as finn-build --prefer hls does)
DESIGNS: dict[str, tuple[str, Callable[[df.DataflowOperation, int], bool] | None, tuple[str, ...]]] = {
    "tfc_2w2a mixed": ("tfc_2w2a", _hls_mixed_tfc, ("insert-dwc", "insert-fifos")),
    "cnv_1w1a mixed": ("cnv_1w1a", _hls_mixed_cnv, ("insert-dwc", "insert-fifos")),
    "tfc_2w2a all-hls": ("tfc_2w2a", _hls_all, ("insert-dwc", "insert-fifos")),
    "cnv_1w1a all-hls": ("cnv_1w1a", _hls_all, ("insert-dwc", "insert-fifos")),
    "tfc_2w2a only-hls": ("tfc_2w2a", _hls_all, ()),  # no FIFOs: no RTL at all
    "cnv_1w1a prefer=hls": ("cnv_1w1a", None, ("insert-dwc", "insert-fifos")),
}


@functools.cache
def _lowered_text(design: str) -> str:
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes import get_all_passes
    from finn_xdsl.passes.lower_to_hw import LowerToHwPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    model, pick, passes = DESIGNS[design]
    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ctx = make_context()
    ToFoldedPass(target_fps=10000, prefer="rtl" if pick else "hls").apply(ctx, module)
    layers = [layer for p in module.walk() if isinstance(p, df.PartitionOp) for layer in p.layers()]
    names = {layer.display_name for layer in layers}
    for i, layer in enumerate(layers):
        if pick is not None and "hls" in layer.IMPLS and pick(layer, i):
            layer.impl = StringAttr("hls")
            new = layer.display_name.replace("_rtl_", "_hls_")
            if new not in names:
                names.add(new)
                layer.node_name = StringAttr(new)
    for p in passes:
        get_all_passes()[p]()().apply(ctx, module)
    LowerToHwPass().apply(ctx, module)
    module.verify()
    return str(module)


def _lowered(design: str) -> ModuleOp:
    from xdsl.parser import Parser

    from finn_xdsl.frontend.load import make_context

    return Parser(make_context(), _lowered_text(design)).parse_module()


def _hls_names(module: ModuleOp) -> list[str]:
    return [op.sym_name.data for op in module.ops if isinstance(op, hw.HWModuleExternOp) and "vlnv" in op.attributes]


def _build(design: str, root: Path) -> str:
    """-t hls, -t sv, -t tcl of the design into root/{hls,rtl,vivado}; the targets' summaries."""
    from finn_xdsl.backends.hls import HLSTarget
    from finn_xdsl.backends.sv import SVTarget

    module = _lowered(design)
    out = io.StringIO()
    HLSTarget(dir=str(root / "hls")).emit(None, module, out)  # type: ignore[arg-type]
    SVTarget(dir=str(root / "rtl")).emit(None, module, out)  # type: ignore[arg-type]
    TclTarget(dir=str(root / "vivado"), rtl_dir=str(root / "rtl"), hls_dir=str(root / "hls")).emit(
        None, module, out)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    roots = {}
    for design in DESIGNS:
        root = tmp_path_factory.mktemp(design.replace(" ", "_"))
        _build(design, root)
        roots[design] = root
    return roots


@pytest.mark.parametrize("design", list(DESIGNS))
def test_scripts_pass_the_stubs(builds, design):
    root = builds[design]
    module = _lowered(design)
    hls = _hls_names(module)
    top = next(op for op in module.ops if isinstance(op, hw.HWModuleOp))
    insts = [op for op in top.body.block.ops if isinstance(op, hw.InstanceOp)]
    # mixed, or all-HLS but for the RTL FIFOs, or HLS only
    assert hls and (len(hls) < len(insts)) == ("only" not in design)
    t = time.perf_counter()
    check_tcl(root / "vivado")  # both Vivado scripts, every hls_syn_<L>.tcl, hls_synth.sh
    seconds = time.perf_counter() - t
    if design == "cnv_1w1a all-hls":  # 20 HLS layers: the check stays fast
        assert seconds < 4.0, seconds
    ok = run_stubbed(root / "vivado" / "make_project.tcl")
    n_pins = sum(2 + len({n.data.split("_V_")[0] for n in (*op.arg_names.data, *op.result_names.data)
                          if "_V_" in n.data}) for op in insts)
    assert f": {len(insts)} cells, {n_pins + 2 + 2} endpoints connected" in ok, ok
    text = (root / "vivado" / "make_project.tcl").read_text()
    cells = re.findall(r"^create_bd_cell -type (module -reference \S+_bd|ip -vlnv \S+) (\S+)$", text, re.MULTILINE)
    assert [c for _, c in cells] == [op.instance_name.data for op in insts]
    for kind, name in cells:  # HLS layers are IP cells by their VLNV, the rest module references
        assert kind == (f"ip -vlnv xilinx_finn:hls:{name}:1.0" if name in hls else f"module -reference {name}_bd")
    assert f"set hls_ips [list {' '.join(hls)}]" in text
    # -t sv wrote no wrapper and -t tcl no shell for an HLS layer; -t hls wrote each one's script
    rtl_layers = {op.instance_name.data for op in insts} - set(hls)
    assert {p.stem for p in (root / "rtl").glob("*.sv") if not p.stem.startswith("fx_")} == rtl_layers | {"finn_design"}
    assert {p.name for p in (root / "vivado" / "hdl").iterdir()} == {f"{n}_bd.v" for n in rtl_layers}
    assert all((root / "hls" / n / f"hls_syn_{n}.tcl").is_file() for n in hls)
    sources = re.search(r"^set sources \[list \\\n(.*?)^\]$", text, re.MULTILINE | re.DOTALL)
    if "only" in design:  # nothing for add_files, no RTL sources in the OOC run but the top
        assert sources is None and "fx_" not in (root / "vivado" / "synth_ooc.tcl").read_text()
    else:
        assert sources is not None and not any(f"{n}." in sources[1] or f"{n}_" in sources[1] for n in hls)


def test_summaries_and_driver(builds, tmp_path):
    summary = _build("tfc_2w2a mixed", tmp_path)
    assert "hls layers (Vitis HLS IP from -t hls, not written here): MVAU_hls_1, MVAU_hls_3" in summary
    assert "hls_synth.sh: vitis_hls on 2 HLS layers in ../hls (run it before make_project.tcl)" in summary
    top = (tmp_path / "rtl" / "finn_design.sv").read_text()
    assert top.splitlines()[1] == ("// HLS layers, Verilog from vitis_hls (-t hls + vivado/hls_synth.sh): "
                                   "MVAU_hls_1, MVAU_hls_3")
    assert "    MVAU_hls_1 MVAU_hls_1 (" in top  # instantiated like the RTL layers
    driver = tmp_path / "vivado" / "hls_synth.sh"
    assert driver.stat().st_mode & 0o111  # executable
    out = run_hls_driver(driver)  # each script run from its own folder by the stub vitis_hls
    assert re.findall(r"^vitis-stub: ok (\S+): exports (\S+), top (\S+), ports (.*)$", out, re.MULTILINE) == [
        (f"hls_syn_{n}.tcl", f"xilinx_finn:hls:{n}:1.0", n, "in0_V[8] out0_V[8]") for n in ("MVAU_hls_1", "MVAU_hls_3")]
    # re-emitting a design without HLS layers removes the stale driver
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.passes.lower_to_hw import LowerToHwPass

    module = _lowered("tfc_2w2a mixed")
    for op in module.walk():
        if isinstance(op, df.DataflowOperation) and op.impl.data == "hls":
            op.impl = StringAttr("rtl")
    LowerToHwPass().apply(make_context(), module)
    from finn_xdsl.backends.sv import SVTarget

    SVTarget(dir=str(tmp_path / "rtl2")).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    TclTarget(dir=str(tmp_path / "vivado"), rtl_dir=str(tmp_path / "rtl2")).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    assert not driver.exists() and "hls_ips" not in (tmp_path / "vivado" / "make_project.tcl").read_text()
    check_tcl(tmp_path / "vivado")


def test_deterministic(tmp_path):
    """Two builds of the mixed CNV give byte-identical files, scripts and HLS C++ alike."""
    a, b = tmp_path / "a", tmp_path / "b"
    _build("cnv_1w1a mixed", a)
    _build("cnv_1w1a mixed", b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert any(f.suffix == ".cpp" for f in files) and any(f.name == "hls_synth.sh" for f in files)
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_rtl_part_lints(builds, tmp_path):
    """finn_design.sv of the mixed TFC with the real RTL wrappers and library, and for each HLS
    layer a black box with its extern's ports (what Vitis HLS generates): Verilator-clean."""
    from finn_xdsl.verify.rtlsim import lint

    root = builds["tfc_2w2a mixed"]
    module = _lowered("tfc_2w2a mixed")
    boxes = []
    for ext in module.ops:
        if isinstance(ext, hw.HWModuleExternOp) and "vlnv" in ext.attributes:
            ports = [(p.port_name.data, p.dir.data == hw.Direction.INPUT, p.type.width.data)
                     for p in ext.module_type.ports.data]
            decls = ",\n".join(f"    {'input ' if i else 'output'} logic [{w - 1}:0] {n}" for n, i, w in ports)
            drive = "".join(f"    assign {n} = '0;\n" for n, i, _ in ports if not i)
            box = tmp_path / f"{ext.sym_name.data}.sv"
            box.write_text("/* verilator lint_off UNUSEDSIGNAL */\n"
                           f"module {ext.sym_name.data} (\n{decls}\n);\n{drive}endmodule\n")
            boxes.append(box)
    assert len(boxes) == 2
    rtl = root / "rtl"
    sources = sorted(rtl.glob("fx_*.sv")) + [p for p in sorted(rtl.glob("*.sv")) if not p.name.startswith("fx_")
                                             and p.name != "finn_design.sv"]
    lint([*sources, *boxes, rtl / "finn_design.sv"], "finn_design")


# ----------------------------------------------------------------------------- the stubs catch


def _sub(path: str, old: str, new: str = "", count: int = 1) -> Callable[[Path], None]:
    """Replace `old` (a regex) in root/path."""

    def edit(root: Path) -> None:
        f = root / path
        text = f.read_text()
        changed = re.sub(old, new, text, count=count, flags=re.MULTILINE)
        assert changed != text, (path, old)
        f.write_text(changed)

    return edit


def _rm(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


H1 = "hls/MVAU_hls_1"
MUTATIONS = {
    "bd vlnv differs": (_sub("vivado/make_project.tcl", r"-vlnv xilinx_finn:hls:MVAU_hls_1:1\.0", "-vlnv xilinx_finn:hls:MVAU_hls_1:1.1"),
                        r"IP xilinx_finn:hls:MVAU_hls_1:1\.1 is in no IP repository"),
    "export vlnv differs": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", "-vendor xilinx_finn", "-vendor xilinx"),
                            (r"create_bd_cell MVAU_hls_1: IP xilinx_finn:hls:MVAU_hls_1:1\.0 is in no IP repository "
                             r"\(catalogued: xilinx:hls:MVAU_hls_1:1\.0, xilinx_finn:hls:MVAU_hls_3:1\.0\)")),
    "missing hls script": (_rm(f"{H1}/hls_syn_MVAU_hls_1.tcl"),
                           (r"make_project\.tcl: HLS IP MVAU_hls_1 is not exported yet \(no \S+/hls/MVAU_hls_1/"
                            r"project_MVAU_hls_1/sol1/impl/ip/component\.xml\): run \S+/vivado/hls_synth\.sh first$")),
    "top name mismatch": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", "set_top MVAU_hls_1", "set_top MVAU_hls_01"),
                          r"hls_syn_MVAU_hls_1\.tcl: csynth_design: no definition of the top function 'void MVAU_hls_01\('"),
    "missing port": (_sub(f"{H1}/MVAU_hls_1.cpp", r", hls::stream<ap_uint<8>>& out0_V\) \{", ") {"),
                     r"MVAU_hls_1/out0_V: cell MVAU_hls_1 \(module xilinx_finn:hls:MVAU_hls_1:1\.0\) has no such pin"),
    "port width": (_sub(f"{H1}/MVAU_hls_1.cpp", r"hls::stream<ap_uint<8>>& in0_V,", "hls::stream<ap_uint<16>>& in0_V,"),
                   r"TDATA widths differ \(\S+/out0_V 8, MVAU_hls_1/in0_V 16\)"),
    "missing axis pragma": (_sub(f"{H1}/MVAU_hls_1.cpp", r"^#pragma HLS INTERFACE axis port = in0_V\n"),
                            r"port in0_V of MVAU_hls_1 has no '#pragma HLS INTERFACE axis'"),
    "no ap_ctrl_none": (_sub(f"{H1}/MVAU_hls_1.cpp", r"^#pragma HLS INTERFACE ap_ctrl_none port = return\n"),
                        r"MVAU_hls_1 has no '#pragma HLS INTERFACE ap_ctrl_none port=return'"),
    "csynth before part": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"^(set_part .*\n)((?:.*\n)*?)(csynth_design\n)", r"\3\1\2"),
                           r"csynth_design before set_part"),
    "export before csynth": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"^csynth_design\n(export_design .*\n)", r"\1csynth_design\n"),
                             r"export_design before csynth_design"),
    "not an ip_catalog": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", "-format ip_catalog", "-format syn_dcp"),
                          r"export_design: -format must be ip_catalog"),
    "unknown vitis command": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"^csynth_design$", "config_foo -bar\ncsynth_design"),
                              r"unknown command 'config_foo'"),
    "hls part differs": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"^set_part \S+$", "set_part xczu3eg-sbva484-1-e"),
                         r"IP cell MVAU_hls_1 was synthesised for part xczu3eg-sbva484-1-e, the project is xc7z020clg400-1"),
    "hls clock slower": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"-period 10 ", "-period 12.5 "),
                         r"IP cell MVAU_hls_1 was synthesised for a 12\.5 ns clock, the design runs at 100000000 Hz"),
    "source missing": (_rm(f"{H1}/MVAU_hls_1.cpp"), r"add_files: file not found: MVAU_hls_1\.cpp"),
    "include missing": (lambda root: shutil.rmtree(root / "hls" / "include"), r"include folder \.\./include .* does not exist"),
    "no exit": (_sub(f"{H1}/hls_syn_MVAU_hls_1.tcl", r"^exit\n"), r"never ran exit"),
    "ooc without the HLS Verilog": (_sub("vivado/synth_ooc.tcl", r"^    read_verilog \[lsort \[glob .*\n"),
                                    r"synth_ooc\.tcl: vivado-stub: synth_design: finn_design instantiates MVAU_hls_1, which is in no file read"),
    "driver skips a layer": (_sub("vivado/hls_synth.sh", "for layer in MVAU_hls_1 MVAU_hls_3;", "for layer in MVAU_hls_1;"),
                             r"hls_synth\.sh synthesises MVAU_hls_1, but make_project\.tcl instantiates MVAU_hls_1 MVAU_hls_3"),
    "driver wrong folder": (_sub("vivado/hls_synth.sh", r'cd "\$hls_dir/\$layer"', 'cd "$hls_dir"'),
                            r"hls_synth\.sh: vitis-stub: hls_syn_MVAU_hls_1\.tcl: couldn't read file"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_stubs_catch(builds, tmp_path, name):
    root = tmp_path / "build"
    shutil.copytree(builds["tfc_2w2a mixed"], root)
    check_tcl(root / "vivado")  # the copy is fine before the mutation
    mutate, message = MUTATIONS[name]
    mutate(root)
    with pytest.raises(FinnError, match=message) as e:
        check_tcl(root / "vivado")
    assert "\n" not in str(e.value)


def test_ooc_needs_the_hls_verilog(builds, tmp_path):
    """Without its script, an HLS layer's Verilog is never there: synth_ooc.tcl says what to run."""
    root = tmp_path / "build"
    shutil.copytree(builds["tfc_2w2a mixed"], root)
    (root / "hls" / "MVAU_hls_3" / "hls_syn_MVAU_hls_3.tcl").unlink()
    with pytest.raises(FinnError, match=r"synth_ooc\.tcl: HLS IP MVAU_hls_3 is not synthesised yet \(no \S+/"
                                        r"project_MVAU_hls_3/sol1/impl/verilog/MVAU_hls_3\.v\): run \S+hls_synth\.sh first"):
        run_stubbed(root / "vivado" / "synth_ooc.tcl")


def test_after_vitis_hls_ran(builds, tmp_path):
    """With vitis_hls's outputs really there (stand-ins: a component.xml, the top and a
    submodule's Verilog, a ROM file), both scripts still pass and still check each HLS script."""
    root = tmp_path / "build"
    shutil.copytree(builds["tfc_2w2a mixed"], root)
    for name in ("MVAU_hls_1", "MVAU_hls_3"):
        impl = root / "hls" / name / f"project_{name}" / "sol1" / "impl"
        (impl / "ip").mkdir(parents=True)
        (impl / "ip" / "component.xml").write_text("<spirit:component/>\n")
        (impl / "verilog").mkdir()
        (impl / "verilog" / f"{name}.v").write_text(f"module {name} (ap_clk);\ninput ap_clk;\nendmodule\n")
        (impl / "verilog" / f"{name}_rom.v").write_text(f"module {name}_rom (a);\ninput a;\nendmodule\n")
        (impl / "verilog" / f"{name}_rom.dat").write_text("0\n")
    check_tcl(root / "vivado")
    assert ": top finn_design, 24 files" in run_stubbed(root / "vivado" / "synth_ooc.tcl")  # 2 x (2 .v + .dat) more
    _sub("hls/MVAU_hls_3/hls_syn_MVAU_hls_3.tcl", "-library hls", "-library hlx")(root)
    with pytest.raises(FinnError, match=r"IP xilinx_finn:hls:MVAU_hls_3:1\.0 is in no IP repository"):
        check_tcl(root / "vivado")


# ----------------------------------------------------------------------------- bad input


def test_hls_dir_required(tmp_path):
    with pytest.raises(FinnError, match=r"^-t tcl: 2 HLS layers \(MVAU_hls_1, MVAU_hls_3\) need the option hls-dir "
                                        r"\(the folder -t hls writes\)$"):
        TclTarget(dir=str(tmp_path)).emit(None, _lowered("tfc_2w2a mixed"), io.StringIO())  # type: ignore[arg-type]


def test_foreign_vlnv_refused():
    module = _lowered("tfc_2w2a mixed")
    ext = next(op for op in module.ops if isinstance(op, hw.HWModuleExternOp) and "vlnv" in op.attributes)
    ext.attributes["vlnv"] = StringAttr("xilinx.com:hls:MVAU_hls_1:1.0")
    with pytest.raises(FinnError, match=r"^-t tcl: MVAU_hls_1: vlnv \"xilinx.com:hls:MVAU_hls_1:1.0\" of @MVAU_hls_1 "
                                        r"is not the IP -t hls exports \(xilinx_finn:hls:MVAU_hls_1:1.0\)$"):
        legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0, "../hls")


def test_vlnv_without_hls_layer_refused():
    """An extern marked as IP whose layer is RTL: -t hls would write no IP for it."""
    module = _lowered("tfc_2w2a mixed")
    ext = next(op for op in module.ops if isinstance(op, hw.HWModuleExternOp) and "vlnv" not in op.attributes
               and op.sym_name.data.startswith("MVAU"))
    name = ext.sym_name.data
    ext.attributes["vlnv"] = StringAttr(f"xilinx_finn:hls:{name}:1.0")
    with pytest.raises(FinnError, match=f"^-t tcl: {name}: no impl=hls layer of a dataflow.partition is named {name}"):
        legalize_tcl(module, "../rtl", "xc7z020clg400-1", 10.0, "../hls")
