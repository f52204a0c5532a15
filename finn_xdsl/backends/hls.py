"""
`-t hls{dir=DIR clock-ns=10 fpgapart=...}`: one Vitis HLS C++ top function per impl="hls" layer.

For every impl="hls" layer `L` of every `dataflow.partition` writes `DIR/L/`:

- `L.cpp`: the top function `void L(hls::stream<ap_uint<W>>& in0_V, ..., out0_V, ...)` with
  `#pragma HLS INTERFACE axis` on each port and `ap_ctrl_none` on return, so the exported
  IP has exactly the ports ap_clk, ap_rst_n, in<i>_V_T*/out<j>_V_T* of our RTL wrappers and
  either can sit in the stitched design. TDATA widths are padded to bytes (docs/architecture.md);
  the hls/ templates work on unpadded words, so the top is a DATAFLOW region of small glue
  processes (padding, bipolar widening, the popcount affine), an optional weight-streamer
  process (mem_mode internal_decoupled: the const ROM read into an hls::stream, as FINN's
  decoupled MVAU, so the IP still has only in0_V/out0_V) and the template call.
  One call processes exactly one frame. Everything but the top function lives in
  `namespace L_impl`, so several layers' .cpp files can share one translation unit (the
  batched C-simulation does exactly that).
- `L_params.hpp`: the generated constants (weights, thresholds) and the per-frame count.
- `hls_syn_L.tcl`: the vitis_hls script (run from `DIR/L`) that synthesises the top and
  exports it as the IP `xilinx_finn:hls:L:1.0`.

plus `DIR/include/`: copies of the hls/ headers the layers use, so DIR is self-contained.

Every decision is in the layers' plans (recorded by `legalize-layers`, see
`kernels.plan_of`), read for all layers before anything is written; this printer only
prints. Output is byte-identical across runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import hls_plans
from finn_xdsl.kernels.hls_plan import Glue, HlsPlan, Rom
from finn_xdsl.layer_libraries import HLS_VLNV, hls_dir, hls_vlnv

VENDOR, LIBRARY, VERSION = HLS_VLNV


@dataclass(frozen=True)
class HlsLayer:
    """One generated layer: its top function `name`, ports as (name, padded TDATA bits) in
    call order, and the folder holding L.cpp, L_params.hpp and hls_syn_L.tcl."""

    name: str
    inputs: tuple[tuple[str, int], ...]
    outputs: tuple[tuple[str, int], ...]
    directory: Path

    @property
    def vlnv(self) -> str:
        return hls_vlnv(self.name)


def legalize_module(module: ModuleOp) -> list[HlsPlan]:
    """Plans of every impl="hls" layer, in graph order (FinnError for the first bad one)."""
    return hls_plans(module, "-t hls")


# ----------------------------------------------------------------------------- printing


def _word(bits: int) -> str:
    return f"ap_uint<{bits}>"


def _stream(bits: int) -> str:
    return f"hls::stream<{_word(bits)}>"


def _rows(items: list[str], per_line: int, indent: str) -> str:
    rows = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "{\n" + ",\n".join(indent + r for r in rows) + "}"


def _initializer(values: tuple[int, ...], dims: tuple[int, ...], indent: str) -> str:
    """A 1-D (16 values a line) or 2-D (a row a line) initializer."""
    items = [str(v) for v in values]
    if len(dims) == 1:
        return _rows(items, 16, indent)
    step = len(values) // dims[0]
    return _rows(["{" + ", ".join(items[i:i + step]) + "}" for i in range(0, len(items), step)], 1, indent)


def _rom_lines(rom: Rom) -> list[str]:
    t = f"{rom.name}_limb_t"
    out = [f"// {len(rom.words)} words of {rom.bits} bits"
           + (f", {rom.limbs} limbs of {rom.limb_bits} bits each (least significant first)" if rom.limbs > 1 else ""),
           "#if defined(__SYNTHESIS__) || defined(FX_AP_ROM)  // FX_AP_ROM: C-simulate the synthesised types",
           f"typedef ap_uint<{rom.limb_bits}> {t};", "#else",
           f"typedef {rom.csim_type} {t};  // C-simulation: plain integers compile fast", "#endif"]
    mask = (1 << rom.limb_bits) - 1
    digits = -(-rom.limb_bits // 4)
    if rom.limbs == 1:
        items = [f"0x{w:0{digits}x}" for w in rom.words]
        return out + [f"const {t} {rom.name}[{len(rom.words)}] = {_rows(items, 8, '    ')};"]
    items = ["{" + ", ".join(f"0x{(w >> (k * rom.limb_bits)) & mask:0{digits}x}" for k in range(rom.limbs)) + "}"
             for w in rom.words]
    return out + [f"const {t} {rom.name}[{len(rom.words)}][{rom.limbs}] = {_rows(items, 1, '    ')};"]


def print_params(plan: HlsPlan) -> str:
    """L_params.hpp: the layer's generated constants."""
    out = [f"// {plan.name}_params.hpp: generated constants of {plan.name} (finn-xdsl -t hls; do not edit)",
           "#pragma once", "", *(["#include <cstdint>", ""] if plan.rom is not None else []), "#include <ap_int.h>", "",
           f"namespace {plan.name}_impl {{",
           "", "// the template's vectors / images argument for one frame", f"constexpr unsigned COUNT = {plan.count};"]
    if plan.rom is not None:
        out += ["", *_rom_lines(plan.rom)]
    for a in plan.arrays:
        dims = "".join(f"[{d}]" for d in a.dims)
        out += ["", f"const {a.ctype} {a.name}{dims} = {_initializer(a.values, a.dims, '    ')};"]
    out += ["", f"}}  // namespace {plan.name}_impl", ""]
    return "\n".join(out)


def _rom_reader(rom: Rom) -> list[str]:
    """`<name>_word(t)`: word t of the ROM, its limbs concatenated (the loop is wiring:
    one reshaped address holds all limbs)."""
    w, lb, n = rom.bits, rom.limb_bits, rom.name
    out = [f"// word t of the {n} ROM", f"ap_uint<{w}> {n}_word(unsigned t) {{", "#pragma HLS INLINE"]
    if rom.limbs == 1:
        out.append(f"    return ap_uint<{w}>({n}[t]);")
    else:
        out += [f"    ap_uint<{rom.limbs * lb}> word = 0;",
                f"    for (unsigned k = 0; k < {rom.limbs}; k++) {{", "#pragma HLS UNROLL",
                f"        word.range({lb} * k + {lb - 1}, {lb} * k) = ap_uint<{lb}>({n}[t][k]);", "    }",
                f"    return ap_uint<{w}>(word);"]
    out += ["}", ""]
    return out


def _glue_process(g: Glue) -> list[str]:
    """A process between a port and the template: input ports -> narrow words, template
    words -> output ports."""
    inbound = g.port.direction == "in"
    src_w, dst_w = (g.port.width, g.inner_width) if inbound else (g.inner_width, g.port.width)
    name = f"glue_{g.port.name}"
    what = {"": "padding only", "pm1": "bipolar codes -> 2-bit +-1",
            "affine": f"popcount p -> 2p - {g.mw}"}[g.map]
    out = [(f"// {g.port.name}: {src_w}-bit words -> {dst_w}-bit words, {g.lanes} lanes, {g.beats} beats per frame "
           f"({what})"),
           f"void {name}({_stream(src_w)}& src, {_stream(dst_w)}& dst) {{",
           f"    for (unsigned i = 0; i < {g.beats}; i++) {{",
           "#pragma HLS PIPELINE II = 1",
           f"        const {_word(src_w)} word = src.read();"]
    if g.map == "":
        if inbound:
            out.append(f"        dst.write({_word(dst_w)}(word.range({dst_w - 1}, 0)));")
        else:
            out.append(f"        dst.write({_word(dst_w)}(word));  // zero-extended")
    else:
        ib, ob = (g.outer_bits, g.inner_bits) if inbound else (g.inner_bits, g.outer_bits)
        out += [f"        {_word(dst_w)} y = 0;",
                f"        for (unsigned l = 0; l < {g.lanes}; l++) {{",
                "#pragma HLS UNROLL"]
        if g.map == "pm1":
            out.append(f"            y.range({ob} * l + {ob - 1}, {ob} * l) = ap_uint<{ob}>(word[l] ? 1 : 3);")
        else:
            out += [f"            const ap_uint<{ib}> p = word.range({ib} * l + {ib - 1}, {ib} * l);",
                    f"            const ap_int<{ib + 2}> v = ap_int<{ib + 2}>(p) * 2 - {g.mw};",
                    f"            y.range({ob} * l + {ob - 1}, {ob} * l) = ap_uint<{ob}>(ap_int<{ob + ib + 2}>(v));"]
        out += ["        }", "        dst.write(y);"]
    out += ["    }", "}", ""]
    return out


def _arg_value(v: int | bool | str) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _inner_decl(g: Glue, plan: HlsPlan) -> str:
    """How the top refers to the template side of a port."""
    return g.inner if _glued(g, plan) else g.port.name


def _glued(g: Glue, plan: HlsPlan) -> bool:
    return g.needed or (plan.array_outputs and g.port.direction == "out")


def print_cpp(plan: HlsPlan) -> str:
    """L.cpp: the glue, weight streamer and compute processes and the top function."""
    ns = f"{plan.name}_impl"
    out = [f"// {plan.name}: {plan.kind} -> {plan.function} (generated by finn-xdsl -t hls; do not edit)",
           f"// {plan.summary}"]
    if plan.ap_int_max_w:
        out += [f"// words up to {plan.ap_int_max_w} bits: raise ap_int's 1024-bit default (before any ap_int.h)",
                "#ifndef AP_INT_MAX_W", f"#define AP_INT_MAX_W {plan.ap_int_max_w}", "#endif"]
    out += ["#include <ap_int.h>", "#include <hls_stream.h>", ""]
    out += [f'#include "{h}"' for h in plan.headers]
    out += [f'#include "{plan.name}_params.hpp"', "", f"namespace {ns} {{", ""]
    for g in plan.glue:
        if _glued(g, plan):
            out += _glue_process(g)
    if plan.rom is not None:
        out += _rom_reader(plan.rom)
    rom_bits = plan.rom.bits if plan.rom is not None else 0
    out += _weight_access(plan)
    # the compute process: the template call on the template-side streams
    params = [f"{_stream(g.inner_width)}& {g.inner}" for g in plan.inputs]
    if plan.weight_stream:
        params.append(f"{_stream(rom_bits)}& w")
    if plan.array_outputs:
        params.append(f"{_stream(plan.outputs[0].inner_width)} out[{len(plan.outputs)}]")
    else:
        params += [f"{_stream(g.inner_width)}& {g.inner}" for g in plan.outputs]
    call = [g.inner for g in plan.inputs]
    call += ["out"] if plan.array_outputs else [g.inner for g in plan.outputs]
    call += plan.call_args if plan.call_args is not None else [*(a.name for a in plan.arrays), "COUNT"]
    targs = ", ".join(_arg_value(v) for _, v in plan.args)
    out += [f"// template arguments: {', '.join(k for k, _ in plan.args)}",
            f"void compute({', '.join(params)}) {{"]
    if plan.rom is not None and not plan.weight_stream:
        out += list(plan.rom.pragmas)
    for a in plan.arrays:
        out += list(a.pragmas)
    out += plan.pragmas
    out += [f"    {plan.function}<{targs}>({', '.join(call)});", "}", "", f"}}  // namespace {ns}", ""]
    return "\n".join(out + _top_function(plan, ns))


def _weight_access(plan: HlsPlan) -> list[str]:
    """The weight streamer process (internal_decoupled) or the ROM as an array (embedded)."""
    if plan.rom is None:
        return []
    rom_bits = plan.rom.bits
    if plan.weight_stream:
        return ["// the weight ROM read in order, once per input vector (mem_mode internal_decoupled)",
                f"void weight_streamer({_stream(rom_bits)}& w) {{", *plan.rom.pragmas,
                "    unsigned t = 0;",
                f"    for (unsigned i = 0; i < COUNT * {len(plan.rom.words)}; i++) {{",
                "#pragma HLS PIPELINE II = 1",
                f"        w.write({plan.rom.name}_word(t));",
                f"        t = t == {len(plan.rom.words) - 1} ? 0 : t + 1;",
                "    }", "}", ""]
    return ["// the ROM as the array fx_mvau_core indexes (mem_mode internal_embedded)",
            "struct WeightRom {",
            f"    ap_uint<{rom_bits}> operator[](unsigned t) const {{",
            "#pragma HLS INLINE",
            f"        return {plan.rom.name}_word(t);", "    }", "};", ""]


def _top_function(plan: HlsPlan, ns: str) -> list[str]:
    """The top function: AXI-Stream ports, the DATAFLOW region of glue, streamer and compute."""
    rom_bits = plan.rom.bits if plan.rom is not None else 0
    out = []
    ports = [f"{_stream(g.port.width)}& {g.port.name}" for g in plan.glue]
    out.append(f"void {plan.name}({', '.join(ports)}) {{")
    out += [f"#pragma HLS INTERFACE axis port = {g.port.name}" for g in plan.glue]
    out.append("#pragma HLS INTERFACE ap_ctrl_none port = return")
    processes = sum(_glued(g, plan) for g in plan.glue) + 1 + plan.weight_stream
    if processes > 1:
        out.append("#pragma HLS DATAFLOW")
    for g in plan.inputs:
        if _glued(g, plan):
            out.append(f'    {_stream(g.inner_width)} {g.inner}("{plan.name}.{g.inner}");')
    if plan.weight_stream:
        out.append(f'    {_stream(rom_bits)} w("{plan.name}.w");')
    if plan.array_outputs:
        out.append(f"    {_stream(plan.outputs[0].inner_width)} out[{len(plan.outputs)}];")
    else:
        for g in plan.outputs:
            if _glued(g, plan):
                out.append(f'    {_stream(g.inner_width)} {g.inner}("{plan.name}.{g.inner}");')
    for g in plan.inputs:
        if _glued(g, plan):
            out.append(f"    {ns}::glue_{g.port.name}({g.port.name}, {g.inner});")
    if plan.weight_stream:
        out.append(f"    {ns}::weight_streamer(w);")
    args = [_inner_decl(g, plan) for g in plan.inputs] + (["w"] if plan.weight_stream else [])
    args += ["out"] if plan.array_outputs else [_inner_decl(g, plan) for g in plan.outputs]
    out.append(f"    {ns}::compute({', '.join(args)});")
    for g in plan.outputs:
        if _glued(g, plan):
            out.append(f"    {ns}::glue_{g.port.name}({g.inner}, {g.port.name});")
    return out + ["}", ""]


def print_tcl(plan: HlsPlan, clock_ns: float, fpgapart: str) -> str:
    """hls_syn_L.tcl: synthesise the top and export it as IP xilinx_finn:hls:L:1.0.
    -std=c++14: the standard Vitis HLS compiles by default; the templates and the C-sim
    harness stay within it (no `if constexpr`: branches on template constants fold anyway)."""
    n = plan.name
    return "\n".join([
        f"# {n}: Vitis HLS synthesis and IP export (generated by finn-xdsl -t hls; do not edit)",
        f"# run from this folder: vitis_hls -f hls_syn_{n}.tcl",
        f"open_project -reset project_{n}",
        f"set_top {n}",
        f'add_files {n}.cpp -cflags "-std=c++14 -I../include"',
        "open_solution -reset sol1",
        f"set_part {fpgapart}",
        f"create_clock -period {clock_ns:g} -name default",
        "csynth_design",
        (f"export_design -format ip_catalog -vendor {VENDOR} -library {LIBRARY} -version {VERSION} "
        f"-ipname {n} -display_name {n}"),
        "exit",
        "",
    ])


def _write(path: Path, text: str) -> None:
    with open(path, "w", newline="\n") as f:
        f.write(text)


def layer_of(plan: HlsPlan, out_dir: Path) -> HlsLayer:
    return HlsLayer(plan.name, tuple((g.port.name, g.port.width) for g in plan.inputs),
                    tuple((g.port.name, g.port.width) for g in plan.outputs), Path(out_dir) / plan.name)


def _emit(module: ModuleOp, out_dir: Path, clock_ns: float, fpgapart: str) -> list[tuple[HlsPlan, HlsLayer]]:
    if float(clock_ns) <= 0:
        raise FinnError(f"-t hls: clock-ns must be positive, got {clock_ns}")
    plans = legalize_module(module)  # every layer legal before anything is written
    out_dir = Path(out_dir)
    include = out_dir / "include"
    include.mkdir(parents=True, exist_ok=True)
    for header in sorted({h for plan in plans for h in plan.headers}):
        _write(include / header, (hls_dir() / header).read_text())
    done = []
    for plan in plans:
        layer = layer_of(plan, out_dir)
        layer.directory.mkdir(exist_ok=True)
        _write(layer.directory / f"{plan.name}.cpp", print_cpp(plan))
        _write(layer.directory / f"{plan.name}_params.hpp", print_params(plan))
        _write(layer.directory / f"hls_syn_{plan.name}.tcl", print_tcl(plan, float(clock_ns), fpgapart))
        done.append((plan, layer))
    return done


def emit_hls(module: ModuleOp, out_dir: Path, clock_ns: float = 10.0, fpgapart: str = DEFAULT_PART) -> list[HlsLayer]:
    """Write every impl="hls" layer of every partition into `out_dir`; the layers in graph order."""
    return [layer for _, layer in _emit(module, out_dir, clock_ns, fpgapart)]


@dataclass(frozen=True)
class HLSTarget(Target):
    name = "hls"

    dir: str = "hls"
    clock_ns: float | int = 10.0
    fpgapart: str = DEFAULT_PART

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        done = _emit(module, Path(self.dir), float(self.clock_ns), self.fpgapart)
        headers = sorted({h for plan, _ in done for h in plan.headers})
        print(f"hls: {len(done)} layer top functions, {len(headers)} library headers -> {self.dir}", file=output)
        for plan, layer in done:
            ports = ", ".join(f"{p}[{w}]" for p, w in layer.inputs + layer.outputs)
            print(f"  {layer.name}/: {plan.summary}; {ports}; IP {layer.vlnv}", file=output)
        if headers:
            print("include: " + ", ".join(headers), file=output)
