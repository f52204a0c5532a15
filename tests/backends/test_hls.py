"""`-t hls`: the generated HLS C++ of every layer, C-simulated with g++ against the interpreter.

Each model is lowered with `to-folded{target-fps=10000 prefer=hls}` and every dataflow layer
but FIFOs and reshapes is set to impl="hls" (independent of what specialize picks); the
reference interpreter records every layer's input and output beats (finn_xdsl.sim.layer_io)
for two frames (the bundled sample input and its mirror image), `emit_hls` writes the
layers, and `csim_layers` builds ONE g++ binary per model that includes every layer's
L.cpp (g++ -Wall, any warning in generated code fails), calls each top function once per
frame and must give exactly the recorded output beats.

A hand-written partition ("synthetic") covers layers and configurations the bundled models
do not reach: FMPadding with a negative pad value, DuplicateStreams with 6 outputs (rtl/ has
at most 4), AddStreams, Thresholding to bipolar and from bipolar, a raw bipolar x bipolar
MVAU with its weights in a ROM (popcount glue 2p - MW), a bipolar-input MVAU with integer
weights (±1 widening glue), LabelSelect, ChannelwiseOp, GlobalAccPool, StreamingMaxPool in
ceil mode, a dilated SWG and a DWC of general ratio; plus a FIFO left to rtl. (A depthwise
SWG is not here: the interpreter and layer_io model stream tensors in im2col order, not the
depthwise beat order; tests/hls/test_swg_csim.py covers the template's depthwise mode.)

Default: synthetic, tfc_1w1a, tfc_2w2a, cnv_1w1a, tfc_2w2a at 100000 fps. FINN_XDSL_FULL_RTL=1
adds tfc_1w2a, cnv_1w2a and cnv_2w2a.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from ir_text import dense, stream

from finn_xdsl.backends import get_all_targets
from finn_xdsl.backends.hls import HLSTarget, emit_hls, legalize_module, print_tcl
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import decide, hls_call, specs
from finn_xdsl.kernels.plan import Refusal
from finn_xdsl.sim.layer_io import record_layer_io
from finn_xdsl.verify.csim_layer import csim_layer, csim_layers

HERE = Path(__file__).parent
DATA = HERE.parent / "data"
FULL = os.environ.get("FINN_XDSL_FULL_RTL") == "1"
DEFAULT_MODELS = ["tfc_1w1a", "tfc_2w2a", "cnv_1w1a", "tfc_2w2a@100000"]
FULL_MODELS = [*DEFAULT_MODELS, "tfc_1w2a", "cnv_1w2a", "cnv_2w2a"]
SYNTHETIC = "synthetic"
FRAMES = 2


# ----------------------------------------------------------------------------- synthetic


@functools.cache
def _synthetic_module() -> str:
    rng = np.random.default_rng(7)
    img = "1x6x6x4"
    s3, s4, bip = stream(img, "si3", 2), stream(img, "si4", 2), stream(img, "!qonnx.bipolar", 2)
    t5 = np.sort(rng.integers(-6, 7, size=(4, 1)), axis=1)
    wa = rng.choice([-1, 1], size=(4, 4))
    wb = rng.integers(-4, 4, size=(4, 6))
    tb = np.sort(rng.integers(-8, 9, size=(6, 3)), axis=1)
    outs = [stream(img, "si4", 2), stream("1x6x6x2", "ui3", 1), stream(img, "ui2", 2), stream(img, "si5", 2),
            stream("1x1x1x4", "si9", 2), stream("1x2x2x4", "si3", 4), stream("1x2x2x36", "si3", 3)]
    tensors = ["tensor<1x6x6x4xsi4>", "tensor<1x6x6x2xui3>", "tensor<1x6x6x4xui2>", "tensor<1x6x6x4xsi5>",
               "tensor<1x1x1x4xsi9>", "tensor<1x2x2x4xsi3>", "tensor<1x2x2x36xsi3>"]
    t = ", ".join(tensors)
    return f"""
builtin.module {{
  func.func @main(%x: tensor<1x4x4x4xsi3>) -> ({t}) {{
    %r:7 = dataflow.partition %x {{node_name = "StreamingDataflowPartition_0"}} : (tensor<1x4x4x4xsi3>) -> ({t}) {{
    ^bb0(%0: {stream("1x4x4x4", "si3", 2)}):
      %1 = dataflow.fmpadding %0 {{node_name = "FMPadding_hls_0", impl = "hls", padding = array<i64: 1, 1, 1, 1>, pad_value = -3 : i64, simd = 2 : i64}} : ({stream("1x4x4x4", "si3", 2)}) -> {s3}
      %2, %3, %4, %5, %6, %7 = dataflow.duplicate_streams %1 {{node_name = "DuplicateStreams_hls_0", impl = "hls", pe = 2 : i64}} : ({s3}) -> ({s3}, {s3}, {s3}, {s3}, {s3}, {s3})
      %8 = dataflow.add_streams %2, %3 {{node_name = "AddStreams_hls_0", impl = "hls", pe = 2 : i64}} : ({s3}, {s3}) -> {s4}
      %9 = dataflow.fifo %8 {{node_name = "StreamingFIFO_rtl_0", impl = "rtl", depth = 5 : i64}} : ({s4}) -> {s4}
      %10 = dataflow.thresholding %9 {{node_name = "Thresholding_hls_0", impl = "hls", pe = 2 : i64, thresholds = {dense(t5, 64)}}} : ({s4}) -> {bip}
      %11, %12, %13 = dataflow.duplicate_streams %10 {{node_name = "DuplicateStreams_hls_1", impl = "hls", pe = 2 : i64}} : ({bip}) -> ({bip}, {bip}, {bip})
      %14 = dataflow.mvau %11 {{node_name = "MVAU_hls_0", impl = "hls", mem_mode = "internal_embedded", ram_style = "distributed", pe = 2 : i64, simd = 2 : i64, weights = {dense(wa, 32)}, weight_type = !qonnx.bipolar}} : ({bip}) -> {outs[0]}
      %15 = dataflow.mvau %12 {{node_name = "MVAU_hls_1", impl = "hls", pe = 3 : i64, simd = 2 : i64, weights = {dense(wb, 32)}, weight_type = si3, thresholds = {dense(tb, 64)}, ram_style = "block", ram_style_thresholds = "distributed"}} : ({bip}) -> {stream("1x6x6x6", "ui2", 3)}
      %16 = dataflow.label_select %15 {{node_name = "LabelSelect_hls_0", impl = "hls", k = 2 : i64, pe = 3 : i64}} : ({stream("1x6x6x6", "ui2", 3)}) -> {outs[1]}
      %17 = dataflow.thresholding %13 {{node_name = "Thresholding_hls_1", impl = "hls", pe = 2 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>}} : ({bip}) -> {outs[2]}
      %18 = dataflow.channelwise %4 {{node_name = "ChannelwiseOp_hls_0", impl = "hls", func = "mul", params = dense<[-2, 1, 2, -1]> : tensor<4xi64>, pe = 2 : i64}} : ({s3}) -> {outs[3]}
      %19 = dataflow.global_acc_pool %5 {{node_name = "GlobalAccPool_hls_0", impl = "hls", pe = 2 : i64}} : ({s3}) -> {outs[4]}
      %23 = dataflow.dwc %6 {{node_name = "StreamingDataWidthConverter_hls_1", impl = "hls"}} : ({s3}) -> {stream(img, "si3", 4)}
      %20 = dataflow.streaming_maxpool %23 {{node_name = "StreamingMaxPool_hls_0", impl = "hls", kernel = array<i64: 4, 4>, ceil_mode = true, pe = 4 : i64}} : ({stream(img, "si3", 4)}) -> {outs[5]}
      %21 = dataflow.swg %7 {{node_name = "ConvolutionInputGenerator_hls_0", impl = "hls", kernel = array<i64: 3, 3>, dilation = array<i64: 2, 2>, simd = 2 : i64}} : ({s3}) -> {stream("1x2x2x36", "si3", 2)}
      %22 = dataflow.dwc %21 {{node_name = "StreamingDataWidthConverter_hls_0", impl = "hls"}} : ({stream("1x2x2x36", "si3", 2)}) -> {outs[6]}
      dataflow.yield %14, %16, %17, %18, %19, %20, %22 : {", ".join(outs)}
    }}
    func.return %r#0, %r#1, %r#2, %r#3, %r#4, %r#5, %r#6 : {t}
  }}
}}
"""


def _parse(text: str):
    from xdsl.parser import Parser

    from finn_xdsl.frontend.load import make_context

    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


def _lower(model: str):
    """`model` or `model@fps`, folded for 10000 fps (or fps), every layer but FIFOs and
    reshapes set to impl="hls"."""
    if model == SYNTHETIC:
        return _parse(_synthetic_module())
    name, _, fps = model.partition("@")
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(DATA / f"{name}_ts_clean.onnx")
    ToFoldedPass(target_fps=int(fps or 10000), prefer="hls").apply(make_context(), module)
    for op in module.walk():
        if isinstance(op, df.DataflowOperation) and not isinstance(op, df.FIFOOp | df.ReshapeOp):
            op.set_values(impl="hls")
    return module


def _frames(model: str) -> list[np.ndarray]:
    if model == SYNTHETIC:
        rng = np.random.default_rng(11)
        return [rng.integers(-4, 4, size=(1, 4, 4, 4)).astype(np.float32) for _ in range(FRAMES)]
    x = np.load(DATA / f"{model.partition('@')[0]}_input.npy")
    return [x, np.flip(x, axis=-1).copy()]


def _model_id(model: str) -> str:
    return model.replace("@", "-")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """model -> (module, hls dir, layers, recorded beats by layer)."""
    cache: dict[str, tuple] = {}

    def get(model: str):
        if model not in cache:
            module = _lower(model)
            io_ = record_layer_io(module, [[x] for x in _frames(model)])
            out_dir = tmp_path_factory.mktemp(f"hls_{_model_id(model)}")
            layers = emit_hls(module, out_dir)
            cache[model] = (module, out_dir, layers, io_)
        return cache[model]

    return get


# ----------------------------------------------------------------------------- C-simulation


@pytest.mark.parametrize("model", [SYNTHETIC] + (FULL_MODELS if FULL else DEFAULT_MODELS), ids=_model_id)
def test_layers_bit_exact(model, generated, tmp_path):
    """Every impl="hls" layer of the model, one binary, two frames, bit-exact; the FIFOs
    (always rtl) and reshapes (wires) are the only layers not generated."""
    module, _, layers, io_ = generated(model)
    ops = [op for op in module.walk() if isinstance(op, df.DataflowOperation)]
    assert [layer.name for layer in layers] == [
        op.display_name for op in ops if not isinstance(op, df.FIFOOp | df.ReshapeOp)]
    got = csim_layers(layers, tmp_path, {layer.name: io_[layer.name].inputs for layer in layers}, FRAMES)
    bad = []
    for layer in layers:
        want = io_[layer.name].outputs
        for port, _ in layer.outputs:
            if got[layer.name][port] != want[port]:
                g, w = got[layer.name][port], want[port]
                first = next((i for i, (a, b) in enumerate(zip(g, w)) if a != b), min(len(g), len(w)))
                bad.append(f"{layer.name}.{port}: {len(g)} beats vs {len(w)}, first difference at beat {first}")
    assert not bad, "; ".join(bad)


def test_synthetic_covers_every_template(generated):
    """The synthetic partition reaches every hls/ template and every kind of glue."""
    module, _, _, _ = generated(SYNTHETIC)
    plans = legalize_module(module)
    assert {p.function for p in plans} == {s.hls_template for s in specs().values() if s.hls_template}
    assert {g.map for p in plans for g in p.glue} == {"", "pm1", "affine"}
    mvau = {p.name: p for p in plans if p.rom is not None}
    assert not mvau["MVAU_hls_0"].weight_stream and mvau["MVAU_hls_1"].weight_stream
    assert max(len(p.outputs) for p in plans) == 6


def test_synthesis_rom_types(generated, tmp_path):
    """With FX_AP_ROM the weight ROMs take the ap_uint limb types synthesis uses instead of
    plain integers, and with FX_BITWISE_POPCOUNT the XNOR popcount is the synthesised sum of
    bits, still bit-exact: a decoupled MVAU with 3072-bit words in 48 limbs of
    64 bits and an embedded one with 4-bit words. (Layers of different -t hls folders
    cannot share a binary.)"""
    _, _, layers, io_ = generated("cnv_1w1a")
    wide = next(x for x in layers if x.name == "MVAU_hls_1")
    assert "weights[12][48]" in (wide.directory / "MVAU_hls_1_params.hpp").read_text()
    _, _, syn_layers, syn_io = generated(SYNTHETIC)
    embedded = next(x for x in syn_layers if x.name == "MVAU_hls_0")
    with pytest.raises(FinnError, match="2 different -t hls folders"):
        csim_layers([wide, embedded], tmp_path / "mixed", {}, FRAMES)
    for x, src in ((wide, io_), (embedded, syn_io)):
        got = csim_layers([x], tmp_path / x.name, {x.name: src[x.name].inputs}, FRAMES, defines=["FX_AP_ROM", "FX_BITWISE_POPCOUNT"])
        assert got[x.name] == src[x.name].outputs


# ----------------------------------------------------------------------------- files


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_deterministic_and_self_contained(generated, tmp_path):
    """Two emissions are byte-identical; include/ holds exactly the headers the layers use."""
    module, out_dir, layers, _ = generated(SYNTHETIC)
    again = tmp_path / "again"
    assert [x.name for x in emit_hls(module, again)] == [x.name for x in layers]
    assert _tree(again) == _tree(out_dir)
    used = set()
    for layer in layers:
        text = (layer.directory / f"{layer.name}.cpp").read_text()
        used |= {line.split('"')[1] for line in text.splitlines() if line.startswith('#include "fx_')}
    assert {p.name for p in (again / "include").iterdir()} == used | {"fx_thresholding.hpp"}


def test_top_function_contract(generated):
    """One top function with the padded port types and the interface pragmas, everything
    else in namespace L_impl; HlsLayer ports match (6 outputs of DuplicateStreams)."""
    _, _, layers, _ = generated(SYNTHETIC)
    dup = next(x for x in layers if x.name == "DuplicateStreams_hls_0")
    assert dup.inputs == (("in0_V", 8),) and dup.outputs == tuple((f"out{j}_V", 8) for j in range(6))
    add = next(x for x in layers if x.name == "AddStreams_hls_0")
    assert add.inputs == (("in0_V", 8), ("in1_V", 8)) and add.vlnv == "xilinx_finn:hls:AddStreams_hls_0:1.0"
    for layer in layers:
        text = (layer.directory / f"{layer.name}.cpp").read_text()
        ports = [*layer.inputs, *layer.outputs]
        sig = ", ".join(f"hls::stream<ap_uint<{w}>>& {p}" for p, w in ports)
        assert f"\nvoid {layer.name}({sig}) {{\n" in text
        for p, _ in ports:
            assert f"#pragma HLS INTERFACE axis port = {p}\n" in text
        assert "#pragma HLS INTERFACE ap_ctrl_none port = return" in text
        outside = text.split(f"}}  // namespace {layer.name}_impl\n")[1]
        assert outside.count("\nvoid ") == 1 and text.count(f"namespace {layer.name}_impl {{") == 1


def test_pragmas(generated):
    """ram_style / ram_style_thresholds become BIND_STORAGE, wide ROM words are reshaped."""
    _, _, layers, _ = generated(SYNTHETIC)
    by = {x.name: (x.directory / f"{x.name}.cpp").read_text() for x in layers}
    assert "BIND_STORAGE variable = weights type = rom_2p impl = lutram" in by["MVAU_hls_0"]
    assert "BIND_STORAGE variable = weights type = rom_2p impl = bram" in by["MVAU_hls_1"]
    assert "BIND_STORAGE variable = thresholds type = rom_2p impl = lutram" in by["MVAU_hls_1"]
    assert "#pragma HLS DATAFLOW" in by["MVAU_hls_1"] and "weight_streamer(w);" in by["MVAU_hls_1"]
    _, _, cnv, _ = generated("cnv_1w1a")
    text = next((x.directory / f"{x.name}.cpp").read_text() for x in cnv if x.name == "MVAU_hls_1")
    assert "ARRAY_RESHAPE variable = weights complete dim = 2" in text
    # 3072-bit weight words: ap_int's 1024-bit default raised before the first ap_int.h
    assert text.index("#define AP_INT_MAX_W 3072") < text.index("#include <ap_int.h>")


def test_too_wide_for_ap_int():
    """Words beyond ap_int's 32768-bit limit are a one-line error, not a C++ one."""
    module = _lower("tfc_2w2a")
    op = _first(module, df.MVAUOp)
    op.set_values(pe=64, simd=784)  # one 64·784·2-bit weight word
    with pytest.raises(FinnError, match=r"'MVAU_hls_0': words of up to 100352 bits exceed ap_int's limit of 32768"):
        legalize_hls(op)


def test_vitis_tcl_script(generated):
    """hls_syn_L.tcl: the contract's commands, in order."""
    _, _, layers, _ = generated(SYNTHETIC)
    layer = layers[0]
    n = layer.name
    script = (layer.directory / f"hls_syn_{n}.tcl").read_text()
    commands = [ln for ln in script.splitlines() if ln and not ln.startswith("#")]
    assert commands == [
        f"open_project -reset project_{n}",
        f"set_top {n}",
        f'add_files {n}.cpp -cflags "-std=c++14 -I../include"',
        "open_solution -reset sol1",
        "set_part xc7z020clg400-1",
        "create_clock -period 10 -name default",
        "csynth_design",
        f"export_design -format ip_catalog -vendor xilinx_finn -library hls -version 1.0 -ipname {n} -display_name {n}",
        "exit",
    ]
    plan = legalize_module(_lower(SYNTHETIC))[0]
    assert "set_part xczu7ev-ffvc1156-2-e\ncreate_clock -period 3.3 -name default" in print_tcl(
        plan, 3.3, "xczu7ev-ffvc1156-2-e")


# ----------------------------------------------------------------------------- errors


def _first(module, cls):
    return next(op for op in module.walk() if isinstance(op, cls))


@pytest.mark.parametrize("case", ["runtime_writeable", "external", "parallel_window", "fifo"])
def test_unsupported_is_one_line(case, tmp_path):
    module = _lower(SYNTHETIC)
    if case == "runtime_writeable":
        op = _first(module, df.MVAUOp)
        op.set_values(runtime_writeable_weights=True)
        want = r"-t hls: dataflow.mvau 'MVAU_hls_0': runtime-writeable weights"
    elif case == "external":
        op = _first(module, df.MVAUOp)
        op.set_values(mem_mode="external")
        want = r"-t hls: dataflow.mvau 'MVAU_hls_0': mem_mode \"external\""
    elif case == "parallel_window":
        op = _first(module, df.SWGOp)
        op.set_values(parallel_window=True)
        want = r"'ConvolutionInputGenerator_hls_0': parallel_window .* has no HLS template"
    else:
        op = _first(module, df.FIFOOp)
        want = r"-t hls: dataflow.fifo 'StreamingFIFO_rtl_0': no hls/ template implements StreamingFIFO"
    with pytest.raises(FinnError, match=want) as info:
        legalize_hls(op)
    assert "\n" not in str(info.value)
    if case != "fifo":  # (the FIFO is impl="rtl": emit_hls skips it)
        with pytest.raises(FinnError, match=want):
            emit_hls(module, tmp_path / "hls")
        assert not (tmp_path / "hls").exists()  # every layer legalised before anything is written


def test_finn_opt_target(tmp_path):
    """`finn-opt -t hls{dir=...}` writes the folder and a summary; a bad layer is one line."""
    assert get_all_targets()["hls"]() is HLSTarget
    src = tmp_path / "synthetic.mlir"
    src.write_text(_synthetic_module())
    out = tmp_path / "hls"
    target = f'hls{{dir="{out}" clock-ns=4 fpgapart="xczu3eg-sbva484-1-e"}}'
    done = subprocess.run([sys.executable, "-m", "finn_xdsl.tools.finn_opt", str(src), "-t", target],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tcl = (out / "MVAU_hls_1" / "hls_syn_MVAU_hls_1.tcl").read_text()
    assert "set_part xczu3eg-sbva484-1-e\ncreate_clock -period 4 -name default" in tcl
    assert done.stdout.startswith("hls: 15 layer top functions, 11 library headers -> ")
    assert (out / "MVAU_hls_1" / "MVAU_hls_1.cpp").is_file() and not (out / "StreamingFIFO_rtl_0").exists()
    bad = tmp_path / "bad.mlir"
    bad.write_text(_synthetic_module().replace('mem_mode = "internal_embedded"', 'mem_mode = "external"'))
    done = subprocess.run([sys.executable, "-m", "finn_xdsl.tools.finn_opt", str(bad), "-t", target],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert 'mem_mode "external"' in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_summary_stream(tmp_path):
    buf = io.StringIO()
    HLSTarget(dir=str(tmp_path)).emit(None, _lower(SYNTHETIC), buf)  # type: ignore[arg-type]
    assert "MVAU_hls_0/: fx_mvau_core MW=4 MH=4 PE=2 SIMD=2 xnor" in buf.getvalue()


def test_csim_uses_the_folder_and_rebuilds(generated, tmp_path):
    """C-simulation compiles the folder's own include/ copies (not hls/), and an edited
    generated file is rebuilt, not served from the cached binary."""
    import shutil

    _, out_dir, _, io_ = generated(SYNTHETIC)
    folder = tmp_path / "hls"
    shutil.copytree(out_dir, folder)
    layer = next(x for x in emit_hls(_lower(SYNTHETIC), folder) if x.name == "Thresholding_hls_1")
    inputs = io_[layer.name].inputs
    assert csim_layer(layer, tmp_path / "b", inputs, FRAMES) == io_[layer.name].outputs
    header = folder / "include" / "fx_thresholding.hpp"
    header.write_text('#error "the include/ copy"\n' + header.read_text())
    with pytest.raises(FinnError, match="the include/ copy"):
        csim_layer(layer, tmp_path / "b", inputs, FRAMES)
    header.write_text(header.read_text().split("\n", 1)[1])
    params = layer.directory / f"{layer.name}_params.hpp"
    text = params.read_text()
    assert "{0, 1, 1}" in text  # [-1, 0, 1] in the bipolar code domain: ceil((T + 1) / 2)
    params.write_text(text.replace("{0, 1, 1}", "{0, 0, 1}"))
    assert csim_layer(layer, tmp_path / "b", inputs, FRAMES) != io_[layer.name].outputs


def test_cpp14_as_the_vitis_script_compiles(generated, tmp_path):
    """hls_syn_L.tcl compiles with -std=c++14: every generated file of the synthetic
    partition (all templates) in one translation unit passes g++ -std=c++14 -pedantic -Wall
    without a warning (the templates use no C++17, e.g. no `if constexpr`)."""
    from finn_xdsl.verify.csim import _compiler, ap_types_dir, own_warnings

    _, out_dir, layers, _ = generated(SYNTHETIC)
    tu = tmp_path / "all.cpp"
    tu.write_text("".join(f'#include "{x.directory / x.name}.cpp"\n' for x in layers))
    done = subprocess.run([_compiler(), "-std=c++14", "-pedantic", "-fsyntax-only", "-Wall", "-Wno-unknown-pragmas", "-isystem",
                           str(ap_types_dir()), "-I", str(out_dir / "include"), str(tu)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not own_warnings(done.stderr, ap_types_dir()), done.stderr[-2000:]


def legalize_hls(op: df.DataflowOperation):
    """One layer's HLS call as -t hls reads it (its refusal labelled as -t hls's)."""
    try:
        return hls_call(op, decide(op, "hls"))
    except Refusal as e:
        raise FinnError(f"-t hls: {e}") from None
