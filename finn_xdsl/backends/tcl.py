"""
`-t tcl{dir=vivado rtl-dir=rtl hls-dir=hls fpgapart=... clock-ns=10}`: Vivado scripts for the
stitched design.

Reads the hw level (`lower-to-hw`: one `hw.module.extern` per layer, one top `hw.module` of
`hw.instance`s) and writes into DIR:

- `make_project.tcl`: a Vivado project with the RTL sources `-t sv` wrote into RTL-DIR, an
  IP-integrator block design "finn_design" with one cell per layer, the AXI-Stream nets
  between them, external `s_axis_<i>`/`m_axis_<j>` ports and the clock and reset; it
  validates the design, makes its wrapper and packages the whole as the IP
  xilinx_finn:finn:finn_design:1.0.
- `synth_ooc.tcl` (+ `finn_design_ooc.xdc`): out-of-context synthesis of the SystemVerilog
  top `-t sv` writes (`finn_design.sv`), with utilisation and timing reports.
- `hls_synth.sh` (only when the design has HLS layers): runs `vitis_hls -f hls_syn_<L>.tcl`
  in HLS-DIR/<L> for every HLS layer, the scripts `-t hls` wrote. As in FINN, HLS synthesis
  is a separate step before Vivado: run `sh vivado/hls_synth.sh`, then
  `vivado -mode batch -source vivado/make_project.tcl`. It stops at the first failure.
- `hdl/<layer>_bd.v`: one Verilog shell per layer around its SystemVerilog wrapper, because
  IP integrator refuses a SystemVerilog file as the top of a module reference. The shell
  carries the X_INTERFACE attributes that make Vivado see `in<k>_V`/`out<k>_V` as
  AXI-Stream interfaces clocked by ap_clk (FREQ_HZ from clock-ns) with the active-low
  reset ap_rst_n, instead of relying on name inference alone.

Paths inside the scripts are relative to the script's own directory (`[file dirname [info
script]]`), so the build folder can move as a whole. The block design stays named
"finn_design" as FINN names it, so the project leaves out the SystemVerilog top of the same
name (the block design is the stitching there); the OOC script uses that top instead.

Cells come in two kinds: `module` (an RTL module reference, through its shell) and `ip`
(an HLS layer: its extern carries the attribute `vlnv = "xilinx_finn:hls:<L>:1.0"`, see
lower-to-hw). An ip cell is the IP vitis_hls exports into
HLS-DIR/<L>/project_<L>/sol1/impl/ip; make_project.tcl adds those folders as IP
repositories, and stops with a one-line error naming hls_synth.sh when one has no
component.xml yet. Vitis HLS gives the IP exactly the ports of an RTL wrapper (ap_clk,
ap_rst_n, in<k>_V/out<k>_V AXI-Stream interfaces), so both kinds are wired alike. For
synth_ooc.tcl the same top `finn_design.sv` instantiates the Verilog module Vitis HLS
generated for each HLS layer (HLS-DIR/<L>/project_<L>/sol1/impl/verilog/*.v, read along
with its ROM `.dat` files, which $readmemh finds among the design's files).
`legalize_tcl` takes every decision; the printers only print. Output is deterministic.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import IO

from xdsl.context import Context
from xdsl.dialects import hw
from xdsl.dialects.builtin import IntegerType, ModuleOp, StringAttr
from xdsl.ir import BlockArgument, OpResult, SSAValue
from xdsl.utils.target import Target

from finn_xdsl.backends.sv import legalize_module
from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import partition_layers
from finn_xdsl.layer_libraries import hls_vlnv

BD_NAME = "finn_design"
PROJECT_NAME = "finn_vivado_stitch_proj"
IP_VLNV = ("xilinx_finn", "finn", "finn_design", "1.0")  # vendor, library, name, version
AXIS_VLNV = "xilinx.com:interface:axis_rtl:1.0"

_LAYER_PIN = re.compile(r"(in|out)(\d+)_V_(TDATA|TVALID|TREADY)$")
_TOP_PIN = re.compile(r"([sm])_axis_(\d+)_(tdata|tvalid|tready)$")


@dataclass(frozen=True)
class Cell:
    """One block-design cell: instance `name`, `kind` "module" (RTL reference) or "ip"."""

    name: str
    kind: str
    ref: str  # the referenced module: the wrapper (kind "module") or the HLS top (kind "ip")
    ports: tuple[tuple[str, str, int], ...]  # (name, "in"/"out", width) as the extern has them
    vlnv: str = ""  # kind "ip": the IP's vendor:library:name:version


@dataclass(frozen=True)
class ExtPort:
    """An external AXI-Stream port of the block design."""

    name: str  # s_axis_<i> / m_axis_<j>
    mode: str  # "Slave" / "Master"
    tdata_bytes: int


@dataclass
class TclPlan:
    """Everything the printers print."""

    top: str
    part: str
    clock_ns: float
    rtl_rel: str  # RTL-DIR relative to DIR, "/"-separated
    hls_rel: str = ""  # HLS-DIR relative to DIR, "/"-separated ("" without HLS layers)
    cells: list[Cell] = field(default_factory=list)
    ports: list[ExtPort] = field(default_factory=list)
    nets: list[tuple[str, str]] = field(default_factory=list)  # (source, sink): "cell/pin" or "port"
    library: list[str] = field(default_factory=list)  # library .sv files
    wrappers: list[str] = field(default_factory=list)  # per-layer .sv files, layer order
    mem_files: list[str] = field(default_factory=list)  # memory-init files ($readmemh)

    @property
    def freq_hz(self) -> int:
        return round(1e9 / self.clock_ns)

    @property
    def busifs(self) -> str:
        return ":".join(p.name for p in self.ports)

    @property
    def modules(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "module"]

    @property
    def ips(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "ip"]


# ----------------------------------------------------------------------------- legalise


def _fail(why: str) -> FinnError:
    return FinnError(f"-t tcl: {why}")


def _width(t) -> int:
    if not isinstance(t, IntegerType):
        raise _fail(f"port type {t} is not a signless integer")
    return t.width.data


def _ports(mt: hw.ModuleType) -> list[tuple[str, str, int]]:
    return [(p.port_name.data, "in" if p.dir.data.is_input_like() else "out", _width(p.type))
            for p in mt.ports.data]


def _endpoint(value: SSAValue, top_inputs: list[str]) -> tuple[str, str]:
    """(cell or "", signal name) driving `value`: a top input port or an instance output."""
    if isinstance(value, BlockArgument):
        return "", top_inputs[value.index]
    if isinstance(value, OpResult) and isinstance(value.op, hw.InstanceOp):
        inst = value.op
        return inst.instance_name.data, inst.result_names.data[value.index].data
    raise _fail(f"a stream is driven by {value.owner.name}, not by a port or an hw.instance")


def _intf(end: tuple[str, str]) -> str:
    """The interface pin ("cell/out0_V") or external port ("s_axis_0") of one signal."""
    cell, sig = end
    if cell:
        m = _LAYER_PIN.match(sig)
        if m is None:
            raise _fail(f"{cell}.{sig} is not an AXI-Stream signal in<k>_V_*/out<k>_V_*")
        return f"{cell}/{m[1]}{m[2]}_V"
    m = _TOP_PIN.match(sig)
    if m is None:
        raise _fail(f"top port {sig} is not an AXI-Stream signal s_axis_<i>_*/m_axis_<j>_*")
    return f"{m[1]}_axis_{m[2]}"


def _top(module: ModuleOp) -> hw.HWModuleOp:
    tops = [op for op in module.ops if isinstance(op, hw.HWModuleOp)]
    if not tops:
        raise _fail("no hw.module in the input: run lower-to-hw first")
    if len(tops) > 1:
        names = ", ".join(t.sym_name.data for t in tops)
        raise _fail(f"{len(tops)} top modules ({names}): one block design per partition is not supported yet")
    return tops[0]


def legalize_tcl(module: ModuleOp, rtl_rel: str, part: str, clock_ns: float, hls_rel: str = "") -> TclPlan:
    """Cells, nets, external ports and source files of the (single) top hw.module."""
    top = _top(module)
    externs = {op.sym_name.data: op for op in module.ops if isinstance(op, hw.HWModuleExternOp)}
    layer_plans = {p.name: p for p in legalize_module(module)}
    hls_names = {layer.display_name for layer in partition_layers(module, "hls")}
    plan = TclPlan(top.sym_name.data, part, clock_ns, rtl_rel, hls_rel)
    top_ports = _ports(top.module_type)
    top_inputs = [n for n, d, _ in top_ports if d == "in"]
    for name, d, w in top_ports:
        m = _TOP_PIN.match(name)
        if m and m[3] == "tdata":
            plan.ports.append(ExtPort(f"{m[1]}_axis_{m[2]}", "Slave" if m[1] == "s" else "Master", w // 8))
        elif not m and name not in ("ap_clk", "ap_rst_n"):
            raise _fail(f"top port {name} is neither ap_clk, ap_rst_n nor an AXI-Stream signal")

    # a stream is one interface net when its three signals run between the same two ends
    streams: dict[tuple[str, str], set[str]] = {}  # (source intf, sink intf) -> signals seen

    def connect(src: tuple[str, str], dst: tuple[str, str], sig: str) -> None:
        streams.setdefault((_intf(src), _intf(dst)), set()).add(sig)

    library: set[str] = set()
    for inst in top.body.block.ops:
        if isinstance(inst, hw.OutputOp):
            continue
        if not isinstance(inst, hw.InstanceOp):
            raise _fail(f"{inst.name} in the top module: only hw.instance ops can become block-design cells")
        name, ref = inst.instance_name.data, inst.module_name.root_reference.data
        ext = externs.get(ref)
        if ext is None:
            raise _fail(f"instance {name} refers to @{ref}, which is no hw.module.extern")
        vlnv = ext.attributes.get("vlnv")
        if vlnv is not None:  # an HLS layer: the IP -t hls's vitis_hls script exports
            if not isinstance(vlnv, StringAttr) or vlnv.data != hls_vlnv(ref):
                raise _fail(f"{name}: vlnv {vlnv} of @{ref} is not the IP -t hls exports ({hls_vlnv(ref)})")
            if ref not in hls_names:
                raise _fail(f"{name}: no impl=hls layer of a dataflow.partition is named {ref}, "
                            "so -t hls writes no IP for it")
            plan.cells.append(Cell(name, "ip", ref, tuple(_ports(ext.module_type)), vlnv.data))
        else:
            layer = layer_plans.get(ref)
            if layer is None:
                raise _fail(f"{name}: no RTL layer of a dataflow.partition is named {ref}, "
                            "so -t sv writes no wrapper for it")
            plan.cells.append(Cell(name, "module", ref, tuple(_ports(ext.module_type))))
            # -t sv writes the wrapper and, per layer, memory-init files (and any extra HDL)
            plan.wrappers += [f"{ref}.sv"] + sorted(f for f in layer.files if f.endswith((".sv", ".v")))
            plan.mem_files += sorted(f for f in layer.files if not f.endswith((".sv", ".v")))
            library.update(f"{lib}.sv" for lib in layer.library)
        for arg, value in zip(inst.arg_names.data, inst.inputs, strict=True):
            src = _endpoint(value, top_inputs)
            if arg.data in ("ap_clk", "ap_rst_n"):
                if src != ("", arg.data):
                    raise _fail(f"{name}.{arg.data} is not driven by the top port {arg.data}")
                continue
            m = _LAYER_PIN.match(arg.data)
            if m is None:
                raise _fail(f"{name}.{arg.data} is not an AXI-Stream signal")
            if m[3] == "TREADY":  # out<k>_V_TREADY: driven by the consumer
                connect((name, arg.data), src, m[3])
            else:
                connect(src, (name, arg.data), m[3])
    out = top.body.block.last_op
    assert isinstance(out, hw.OutputOp)
    top_outputs = [n for n, d, _ in top_ports if d == "out"]
    for port, value in zip(top_outputs, out.operands, strict=True):
        src = _endpoint(value, top_inputs)
        sig = port.rsplit("_", 1)[1].upper()
        if sig == "TREADY":  # s_axis_<i>_tready: driven by the first layer
            connect(("", port), src, sig)
        else:
            connect(src, ("", port), sig)
    _check_streams(plan, streams)
    plan.library = sorted(library)
    if plan.ips and not hls_rel:
        names = ", ".join(c.ref for c in plan.ips)
        raise _fail(f"{len(plan.ips)} HLS layers ({names}) need the option hls-dir (the folder -t hls writes)")
    return plan


def _check_streams(plan: TclPlan, streams: dict[tuple[str, str], set[str]]) -> None:
    """Every stream's TDATA, TVALID and TREADY run between the same two ends."""
    for (src, dst), sigs in streams.items():
        if sigs != {"TDATA", "TVALID", "TREADY"}:
            missing = ", ".join(sorted({"TDATA", "TVALID", "TREADY"} - sigs))
            raise _fail(f"{src} -> {dst} lacks {missing}: not one AXI-Stream interface")
        if "/" not in src and "/" not in dst:
            raise _fail(f"{src} feeds {dst} directly: a block design needs at least one cell between ports")
        plan.nets.append((src, dst))
    ends = [e for net in plan.nets for e in net]
    dup = sorted({e for e in ends if ends.count(e) > 1})
    if dup:
        raise _fail(f"{dup[0]} is connected to more than one stream")


# ----------------------------------------------------------------------------- print


def _word(s: str) -> str:
    """`s` as one Tcl word: braced when it holds anything but plain path characters."""
    if re.fullmatch(r"[\w./+:-]+", s):
        return s
    if re.search(r"[{}\\\n]", s):
        raise _fail(f"{s!r} cannot be written as one Tcl word (braces, backslash or newline)")
    return "{" + s + "}"


def _pin(end: str) -> str:
    if "/" in end:
        return f"[get_bd_intf_pins {end}]"
    return f"[get_bd_intf_ports {end}]"


def _file_list(var: str, files: list[tuple[str, str]]) -> list[str]:
    """`set var [list ...]` of (directory words, file name): Vivado's file arguments are
    Tcl lists, so a path with spaces must be one list element, never a bare word."""
    return [f"set {var} [list \\"] + [f"    [file join {d} {_word(f)}] \\" for d, f in files] + ["]"]


def _header(what: str) -> list[str]:
    return [f"# {what} (generated by finn-xdsl -t tcl; do not edit)",
            "set script_dir [file normalize [file dirname [info script]]]"]


def print_make_project(plan: TclPlan) -> str:
    """The project + block design + IP packaging script."""
    vendor, library, name, version = IP_VLNV
    o = _header(f"Vivado project and block design of {plan.top}: {len(plan.cells)} cells, {len(plan.nets)} streams")
    o += [f"set rtl_dir [file normalize [file join $script_dir {_word(plan.rtl_rel)}]]"]
    if plan.ips:
        o.append(f"set hls_dir [file normalize [file join $script_dir {_word(plan.hls_rel)}]]")
    o += [f"set part {_word(plan.part)}",
          f"set proj_name {PROJECT_NAME}",
          "set proj_dir [file join $script_dir $proj_name]",
          "create_project $proj_name $proj_dir -part $part -force",
          "set_property target_language Verilog [current_project]",
          ""]
    if plan.modules:
        o.append("# sources: the rtl/ library, the per-layer wrappers (-t sv), their Verilog shells")
        o += _file_list("sources", [("$rtl_dir", f) for f in plan.library + plan.wrappers]
                        + [("$script_dir hdl", f"{c.ref}_bd.v") for c in plan.modules])
        o.append("add_files -norecurse $sources")
    if plan.mem_files:
        o.append("# memory-init files read by $readmemh")
        o += _file_list("mem_files", [("$rtl_dir", f) for f in plan.mem_files])
        o.append("add_files -norecurse $mem_files")
        o.append("set_property file_type {Memory Initialization Files} [get_files $mem_files]")
    if plan.modules:
        o.append("update_compile_order -fileset sources_1")
    if plan.ips:
        o += [""] * bool(plan.modules) + ["# the HLS layers' IP, as vitis_hls exports it (hls_synth.sh, next to this script)"]
        o += _hls_dirs(plan, "ip_repos", "ip", "component.xml", "exported")
        o += ["set_property ip_repo_paths $ip_repos [current_project]", "update_ip_catalog"]
    o += ["",
          f"create_bd_design {BD_NAME}",
          "# one cell per layer: module references (RTL), packaged IP (HLS)" if plan.ips
          else "# one module-reference cell per layer"]
    for c in plan.cells:
        if c.kind == "ip":
            o.append(f"create_bd_cell -type ip -vlnv {c.vlnv} {c.name}")
        else:
            o.append(f"create_bd_cell -type module -reference {c.ref}_bd {c.name}")
    o += ["", "# clock and active-low reset, to every cell"]
    o.append(f"create_bd_port -dir I -type clk -freq_hz {plan.freq_hz} ap_clk")
    o.append("create_bd_port -dir I -type rst ap_rst_n")
    o.append("set_property CONFIG.POLARITY ACTIVE_LOW [get_bd_ports ap_rst_n]")
    o.append(f"set_property -dict [list CONFIG.ASSOCIATED_BUSIF {{{plan.busifs}}} "
             "CONFIG.ASSOCIATED_RESET {ap_rst_n}] [get_bd_ports ap_clk]")
    for sig in ("ap_clk", "ap_rst_n"):
        pins = " ".join(f"{c.name}/{sig}" for c in plan.cells)
        o.append(f"connect_bd_net [get_bd_ports {sig}] [get_bd_pins {{{pins}}}]")
    o += ["", "# external AXI-Stream ports"]
    for p in plan.ports:
        o.append(f"create_bd_intf_port -mode {p.mode} -vlnv {AXIS_VLNV} {p.name}")
        o.append(f"set_property -dict [list CONFIG.TDATA_NUM_BYTES {{{p.tdata_bytes}}} CONFIG.HAS_TREADY {{1}} "
                 f"CONFIG.FREQ_HZ {{{plan.freq_hz}}}] [get_bd_intf_ports {p.name}]")
    o += ["", "# AXI-Stream nets, producer -> consumer"]
    for src, dst in plan.nets:
        o.append(f"connect_bd_intf_net {_pin(src)} {_pin(dst)}")
    o += ["",
          "validate_bd_design",
          "save_bd_design",
          f"set bd_file [file join $proj_dir $proj_name.srcs sources_1 bd {BD_NAME} {BD_NAME}.bd]",
          "make_wrapper -files [get_files [list $bd_file]] -top",
          f"add_files -norecurse [list [file join $proj_dir $proj_name.gen sources_1 bd {BD_NAME} hdl {BD_NAME}_wrapper.v]]",
          f"set_property top {BD_NAME}_wrapper [current_fileset]",
          "update_compile_order -fileset sources_1",
          "",
          f"# package the stitched design as the IP {':'.join(IP_VLNV)}",
          (f"ipx::package_project -root_dir [file join $script_dir ip] -vendor {vendor} -library {library} "
           f"-taxonomy /UserIP -module {BD_NAME} -import_files"),
          "set core [ipx::current_core]",
          f"set_property name {name} $core",
          f"set_property display_name {name} $core",
          f"set_property version {version} $core",
          "ipx::create_xgui_files $core",
          "ipx::update_checksums $core",
          "ipx::check_integrity $core",
          "ipx::save_core $core",
          "close_project",
          ""]
    return "\n".join(o)


def _hls_dirs(plan: TclPlan, var: str, sub: str, marker: str, what: str) -> list[str]:
    """A loop over the HLS layers collecting in `var` their impl/`sub` folders, that stops
    with one clear line when vitis_hls has not produced `marker` in one yet."""
    return [f"set hls_ips [list {' '.join(c.ref for c in plan.ips)}]",
            f"set {var} [list]",
            "foreach ip $hls_ips {",
            f"    set repo [file join $hls_dir $ip project_$ip sol1 impl {sub}]",
            f"    set marker [file join $repo {marker}]",
            "    if {![file exists $marker]} {",
            f'        error "HLS IP $ip is not {what} yet (no $marker): run [file join $script_dir hls_synth.sh] first"',
            "    }",
            f"    lappend {var} $repo",
            "}"]


def print_synth_ooc(plan: TclPlan) -> str:
    """The out-of-context synthesis script of the SystemVerilog top."""
    o = _header(f"out-of-context synthesis of {plan.top}")
    o += [f"set rtl_dir [file normalize [file join $script_dir {_word(plan.rtl_rel)}]]"]
    if plan.ips:
        o.append(f"set hls_dir [file normalize [file join $script_dir {_word(plan.hls_rel)}]]")
    o.append(f"set part {_word(plan.part)}")
    o += _file_list("sources", [("$rtl_dir", f) for f in plan.library + plan.wrappers + [f"{plan.top}.sv"]])
    o.append("read_verilog -sv $sources")
    if plan.ips:
        o += ["# the Verilog vitis_hls generated for each HLS layer (hls_synth.sh) and its ROM files"]
        o += _hls_dirs(plan, "hls_verilog", "verilog", "$ip.v", "synthesised")
        o += ["foreach vdir $hls_verilog {",
              "    read_verilog [lsort [glob -directory $vdir *.v]]",
              "    set roms [lsort [glob -nocomplain -directory $vdir *.dat]]",
              "    if {[llength $roms]} { add_files -norecurse $roms }",
              "}"]
    o += [f"read_xdc -mode out_of_context [list [file join $script_dir {plan.top}_ooc.xdc]]",
          "# $readmemh finds the memory-init files by their bare names",
          "cd $rtl_dir",
          f"synth_design -mode out_of_context -part $part -top {plan.top}",
          f"report_utilization -file [file join $script_dir {plan.top}_ooc_utilization.rpt]",
          f"report_timing_summary -file [file join $script_dir {plan.top}_ooc_timing.rpt]",
          f"write_checkpoint -force [file join $script_dir {plan.top}_ooc.dcp]",
          ""]
    return "\n".join(o)


def print_xdc(plan: TclPlan) -> str:
    return (f"# clock of {plan.top} (generated by finn-xdsl -t tcl; do not edit)\n"
            f"create_clock -name ap_clk -period {plan.clock_ns:.3f} [get_ports ap_clk]\n")


def print_shell(cell: Cell, plan: TclPlan) -> str:
    """The Verilog shell of one layer: same ports, AXI-Stream and clock attributes."""
    streams = sorted({m[1] + m[2] + "_V" for n, _, _ in cell.ports if (m := _LAYER_PIN.match(n))})
    o = [f"// {cell.ref}_bd: Verilog shell of {cell.ref} for an IP-integrator module reference",
         "// (generated by finn-xdsl -t tcl; do not edit)",
         f"module {cell.ref}_bd ("]
    decls = []
    for n, d, w in cell.ports:
        rng = f"[{w - 1}:0] " if w > 1 else ""
        attrs = ""
        if n == "ap_clk":
            attrs = (f'(* X_INTERFACE_INFO = "xilinx.com:signal:clock:1.0 ap_clk CLK", '
                     f'X_INTERFACE_PARAMETER = "ASSOCIATED_BUSIF {":".join(streams)}, '
                     f'ASSOCIATED_RESET ap_rst_n, FREQ_HZ {plan.freq_hz}" *) ')
        elif n == "ap_rst_n":
            attrs = ('(* X_INTERFACE_INFO = "xilinx.com:signal:reset:1.0 ap_rst_n RST", '
                     'X_INTERFACE_PARAMETER = "POLARITY ACTIVE_LOW" *) ')
        elif m := _LAYER_PIN.match(n):
            attrs = f'(* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 {m[1]}{m[2]}_V {m[3]}" *) '
        decls.append(f"    {attrs}{'input ' if d == 'in' else 'output'} wire {rng}{n}")
    o += [d + ("," if i < len(decls) - 1 else "") for i, d in enumerate(decls)]
    o += [");", f"    {cell.ref} inner ("]
    conns = [f"        .{n}({n})" for n, _, _ in cell.ports]
    o += [c + ("," if i < len(conns) - 1 else "") for i, c in enumerate(conns)]
    o += ["    );", "endmodule", ""]
    return "\n".join(o)


def _sh_word(s: str) -> str:
    """`s` as one POSIX shell word (single-quoted, a quote inside closed and escaped)."""
    return "'" + s.replace("'", "'\\''") + "'"


def print_hls_synth(plan: TclPlan) -> str:
    """The driver running vitis_hls on every HLS layer's script, each from its own folder
    (the scripts use paths relative to it), stopping at the first failure."""
    names = " ".join(c.ref for c in plan.ips)
    return "\n".join([
        "#!/bin/sh",
        f"# vitis_hls on the {len(plan.ips)} HLS layers of {plan.top}: exports each as the IP",
        "# xilinx_finn:hls:<layer>:1.0 make_project.tcl instantiates and synth_ooc.tcl reads",
        "# (generated by finn-xdsl -t tcl; do not edit). Run before make_project.tcl.",
        "set -e",
        f"hls_dir=\"$(cd \"$(dirname \"$0\")\" && cd {_sh_word(plan.hls_rel)} && pwd)\"",
        f"for layer in {names}; do",
        "    echo \"hls_synth.sh: vitis_hls $layer\"",
        "    if ! (cd \"$hls_dir/$layer\" && vitis_hls -f \"hls_syn_$layer.tcl\"); then",
        "        echo \"hls_synth.sh: vitis_hls failed on $layer (see $hls_dir/$layer/vitis_hls.log)\" >&2",
        "        exit 1",
        "    fi",
        "done",
        ""])


def _write(path: str, text: str) -> None:
    with open(path, "w", newline="\n") as f:
        f.write(text)


@dataclass(frozen=True)
class TclTarget(Target):
    name = "tcl"

    dir: str = "vivado"
    rtl_dir: str = "rtl"
    hls_dir: str = ""  # the -t hls folder; needed when the design has HLS layers
    fpgapart: str = DEFAULT_PART
    clock_ns: float | int = 10.0

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        if float(self.clock_ns) <= 0:
            raise _fail(f"clock-ns must be positive, got {self.clock_ns}")
        def rel(d: str) -> str:
            return os.path.relpath(os.path.abspath(d), os.path.abspath(self.dir)).replace(os.sep, "/")

        plan = legalize_tcl(module, rel(self.rtl_dir), self.fpgapart, float(self.clock_ns),
                            rel(self.hls_dir) if self.hls_dir else "")
        os.makedirs(os.path.join(self.dir, "hdl"), exist_ok=True)
        _write(os.path.join(self.dir, "make_project.tcl"), print_make_project(plan))
        _write(os.path.join(self.dir, "synth_ooc.tcl"), print_synth_ooc(plan))
        _write(os.path.join(self.dir, f"{plan.top}_ooc.xdc"), print_xdc(plan))
        for cell in plan.modules:
            _write(os.path.join(self.dir, "hdl", f"{cell.ref}_bd.v"), print_shell(cell, plan))
        driver = os.path.join(self.dir, "hls_synth.sh")
        if plan.ips:
            _write(driver, print_hls_synth(plan))
            os.chmod(driver, 0o755)
        elif os.path.exists(driver):  # a stale driver of an earlier, mixed design
            os.remove(driver)
        print(f"tcl: {len(plan.cells)} cells, {len(plan.nets)} streams, part {plan.part}, "
              f"clock {plan.clock_ns:g} ns -> {self.dir}", file=output)
        print(f"  make_project.tcl: block design {BD_NAME}, IP {':'.join(IP_VLNV)}", file=output)
        print(f"  synth_ooc.tcl: top {plan.top}, {len(plan.library) + len(plan.wrappers) + 1} sources, "
              f"{len(plan.mem_files)} memory files", file=output)
        print(f"  sources from {plan.rtl_rel}", file=output)
        if plan.ips:
            print(f"  hls_synth.sh: vitis_hls on {len(plan.ips)} HLS layers in {plan.hls_rel} "
                  "(run it before make_project.tcl)", file=output)
