"""`-t sv`: per-layer verification of the generated wrappers against the interpreter.

Each model is lowered with `to-folded{target-fps=10000 prefer=rtl}`, the reference
interpreter runs the bundled sample input with a listener recording every layer's input
and output stream values, `-t sv` writes the wrappers, and each wrapper is built with
Verilator (one build per layer) and driven by the generic cocotb test layer_cocotb.py:
the recorded input beats (two frames) with random TVALID gaps in, random TREADY
back-pressure out, bit-exact comparison with the recorded output beats.

A hand-written partition ("synthetic", `_synthetic_module`) covers the layers and
configurations the bundled models do not reach; it goes through the same machinery.

Default run (one Verilator build per layer, ~7 s each): every synthetic layer, every layer
of tfc_1w1a and tfc_2w2a, and of cnv_1w1a the first layer of each configuration variant
(`_variant`: module, XNOR/thresholds/affine/widths for MVAUs, up/down/general ratio for
DWCs, ...), plus one parallel-window SWG (fx_swg_parallel) of cnv_1w1a folded for
100000 fps. FINN_XDSL_FULL_RTL=1 runs every layer of tfc_1w1a, tfc_1w2a, tfc_2w2a,
cnv_1w1a, cnv_1w2a and cnv_2w2a (all folded for 10000 fps).
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import zlib
from pathlib import Path

import numpy as np
import pytest
from ir_text import dense, stream

from finn_xdsl.backends import get_all_targets
from finn_xdsl.backends.sv import SVTarget, legalize_module, sources_for
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import rtl_plan as legalize
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.kernels.plan import LayerPlan
from finn_xdsl.sim.execute import execute

HERE = Path(__file__).parent
DATA = HERE.parent / "data"
FULL = os.environ.get("FINN_XDSL_FULL_RTL") == "1"
DEFAULT_MODELS = ["tfc_1w1a", "tfc_2w2a", "cnv_1w1a"]
FULL_MODELS = ["tfc_1w1a", "tfc_1w2a", "tfc_2w2a", "cnv_1w1a", "cnv_1w2a", "cnv_2w2a"]
FRAMES = 2
SYNTHETIC = "synthetic"
PARALLEL_WINDOW_MODEL = "cnv_1w1a@100000"


# ----------------------------------------------------------------------------- synthetic


@functools.cache
def _synthetic_module() -> str:
    """Layers and configurations the bundled models do not reach: FMPadding (negative pad),
    DuplicateStreams (2 and 3 outputs), AddStreams, FIFO, Thresholding (to bipolar, and
    from a bipolar input), an MVAU with bipolar input and si3 weights (wrapper widens the
    codes to +-1), a raw bipolar x bipolar MVAU with PE 2 (wrapper 2p - MW) and its weights in
    fx_mvu's ROM (mem_mode internal_embedded; every model MVAU streams them), LabelSelect."""
    rng = np.random.default_rng(7)
    img = "1x6x6x4"
    t5 = np.sort(rng.integers(-6, 7, size=(4, 1)), axis=1)
    wa = rng.choice([-1, 1], size=(4, 4))
    wb = rng.integers(-4, 4, size=(4, 6))
    tb = np.sort(rng.integers(-8, 9, size=(6, 3)), axis=1)
    return f"""
builtin.module {{
  func.func @main(%x: tensor<1x4x4x4xsi3>) -> (tensor<{img}xsi4>, tensor<1x6x6x2xui3>, tensor<{img}xui2>) {{
    %r:3 = dataflow.partition %x {{node_name = "StreamingDataflowPartition_0"}} : (tensor<1x4x4x4xsi3>) -> (tensor<{img}xsi4>, tensor<1x6x6x2xui3>, tensor<{img}xui2>) {{
    ^bb0(%0: {stream("1x4x4x4", "si3", 2)}):
      %1 = dataflow.fmpadding %0 {{node_name = "FMPadding_rtl_0", impl = "rtl", padding = array<i64: 1, 1, 1, 1>, pad_value = -3 : i64, simd = 2 : i64}} : ({stream("1x4x4x4", "si3", 2)}) -> {stream(img, "si3", 2)}
      %2, %3 = dataflow.duplicate_streams %1 {{node_name = "DuplicateStreams_rtl_0", impl = "rtl", pe = 2 : i64}} : ({stream(img, "si3", 2)}) -> ({stream(img, "si3", 2)}, {stream(img, "si3", 2)})
      %4 = dataflow.add_streams %2, %3 {{node_name = "AddStreams_rtl_0", impl = "rtl", pe = 2 : i64}} : ({stream(img, "si3", 2)}, {stream(img, "si3", 2)}) -> {stream(img, "si4", 2)}
      %5 = dataflow.fifo %4 {{node_name = "StreamingFIFO_rtl_0", impl = "rtl", depth = 5 : i64}} : ({stream(img, "si4", 2)}) -> {stream(img, "si4", 2)}
      %6 = dataflow.thresholding %5 {{node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = {dense(t5, 64)}}} : ({stream(img, "si4", 2)}) -> {stream(img, "!qonnx.bipolar", 2)}
      %7, %8, %9 = dataflow.duplicate_streams %6 {{node_name = "DuplicateStreams_rtl_1", impl = "rtl", pe = 2 : i64}} : ({stream(img, "!qonnx.bipolar", 2)}) -> ({stream(img, "!qonnx.bipolar", 2)}, {stream(img, "!qonnx.bipolar", 2)}, {stream(img, "!qonnx.bipolar", 2)})
      %10 = dataflow.mvau %7 {{node_name = "MVAU_rtl_1", impl = "rtl", mem_mode = "internal_embedded", pe = 2 : i64, simd = 2 : i64, weights = {dense(wa, 32)}, weight_type = !qonnx.bipolar}} : ({stream(img, "!qonnx.bipolar", 2)}) -> {stream(img, "si4", 2)}
      %11 = dataflow.mvau %8 {{node_name = "MVAU_rtl_0", impl = "rtl", pe = 3 : i64, simd = 2 : i64, weights = {dense(wb, 32)}, weight_type = si3, thresholds = {dense(tb, 64)}}} : ({stream(img, "!qonnx.bipolar", 2)}) -> {stream("1x6x6x6", "ui2", 3)}
      %12 = dataflow.label_select %11 {{node_name = "LabelSelect_rtl_0", impl = "rtl", k = 2 : i64, pe = 3 : i64}} : ({stream("1x6x6x6", "ui2", 3)}) -> {stream("1x6x6x2", "ui3", 1)}
      %13 = dataflow.thresholding %9 {{node_name = "Thresholding_rtl_1", impl = "rtl", pe = 2 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>}} : ({stream(img, "!qonnx.bipolar", 2)}) -> {stream(img, "ui2", 2)}
      dataflow.yield %10, %12, %13 : {stream(img, "si4", 2)}, {stream("1x6x6x2", "ui3", 1)}, {stream(img, "ui2", 2)}
    }}
    func.return %r#0, %r#1, %r#2 : tensor<{img}xsi4>, tensor<1x6x6x2xui3>, tensor<{img}xui2>
  }}
}}
"""


def _synthetic_input() -> np.ndarray:
    return np.random.default_rng(11).integers(-4, 4, size=(1, 4, 4, 4)).astype(np.float32)


class _Streams:
    """Listener: every dataflow layer's operand and result values, by node name."""

    def __init__(self):
        self.ins: dict[str, tuple] = {}
        self.outs: dict[str, tuple] = {}

    def will_interpret_op(self, op, args):
        if isinstance(op, df.DataflowOperation):
            self.ins[op.display_name] = tuple(np.asarray(a) for a in args)

    def did_interpret_op(self, op, results):
        if isinstance(op, df.DataflowOperation):
            self.outs[op.display_name] = tuple(np.asarray(r) for r in results)


def _parse(text: str):
    from xdsl.parser import Parser

    from finn_xdsl.frontend.load import make_context

    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


def _lower(model: str):
    """`model` or `model@fps`: the bundled model folded for 10000 fps, or for `fps`."""
    if model == SYNTHETIC:
        return _parse(_synthetic_module())
    model, _, fps = model.partition("@")
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ToFoldedPass(target_fps=int(fps or 10000), prefer="rtl").apply(make_context(), module)
    return module


def _variant(plan: LayerPlan) -> tuple:
    """What distinguishes one configuration of a library module from another."""
    p = plan.params
    if plan.module == "fx_mvu":
        return (plan.module, p["XNOR"], p["USE_THRESHOLDS"], plan.affine_out is not None,
                plan.bipolar_in_lanes > 0, p["IN_BITS"], p["W_BITS"], p["PE"] > 1, p["SIMD"] > 1)
    if plan.module == "fx_dwc":
        a, b = p["IN_LANES"], p["OUT_LANES"]
        return (plan.module, "up" if b % a == 0 else "down" if a % b == 0 else "general")
    if plan.module == "fx_swg":
        return (plan.module, p["SIMD"] == p["C"], p["BITS"])
    return (plan.module, p.get("BITS", p.get("IN_BITS")))


@functools.cache
def _layers(model: str) -> tuple[tuple[str, tuple], ...]:
    """(node name, configuration variant) of every layer, in IR order (for parametrisation)."""
    return tuple((plan.name, _variant(plan)) for plan in legalize_module(_lower(model)))


def _cases():
    """Synthetic: every layer. Default: every TFC layer, the first CNV layer of each
    configuration variant. FINN_XDSL_FULL_RTL=1: every layer of every bundled model."""
    cases = []
    for model in [SYNTHETIC] + (FULL_MODELS if FULL else DEFAULT_MODELS):
        seen: set[tuple] = set()
        for name, variant in _layers(model):
            if FULL or model == SYNTHETIC or model.startswith("tfc") or variant not in seen:
                cases.append(pytest.param(model, name, id=f"{model}-{name}"))
            seen.add(variant)
    # parallel_window (fx_swg_parallel, a whole window per beat): set-folding picks it for the
    # first CNV SWGs only beyond 10000 fps
    cases.append(pytest.param(PARALLEL_WINDOW_MODEL, "ConvolutionInputGenerator_rtl_1",
                              id=f"{PARALLEL_WINDOW_MODEL}-ConvolutionInputGenerator_rtl_1"))
    return cases


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """model -> (output dir, plans by name, recorded streams, layer ops by name)."""
    cache: dict[str, tuple] = {}

    def get(model: str):
        if model not in cache:
            module = _lower(model)
            streams = _Streams()
            x = _synthetic_input() if model == SYNTHETIC else np.load(DATA / f"{model.partition('@')[0]}_input.npy")
            execute(module, [x], streams)
            out_dir = tmp_path_factory.mktemp(f"sv_{model}")
            SVTarget(dir=str(out_dir)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
            ops = {op.display_name: op for op in module.walk() if isinstance(op, df.DataflowOperation)}
            plans = {p.name: p for p in legalize_module(module)}
            cache[model] = (out_dir, plans, streams, ops, module)
        return cache[model]

    return get


def _beats(value: np.ndarray, stream: df.StreamType) -> list[int]:
    bip = isinstance(stream.element_type, qt.BipolarType)
    return pack_beats(np.asarray(value).reshape(stream.shape), stream.element_bits, stream.num_lanes, bip)


@pytest.mark.parametrize(("model", "layer"), _cases())
def test_layer_rtlsim(model, layer, generated, tmp_path):
    from finn_xdsl.verify.rtlsim import simulate

    out_dir, plans, streams, ops, _ = generated(model)
    op, plan = ops[layer], plans[layer]
    case = {
        "inputs": {f"in{i}_V": _beats(v, op.in_type(i)) * FRAMES for i, v in enumerate(streams.ins[layer])},
        "outputs": {f"out{j}_V": _beats(v, op.out_type(j)) * FRAMES for j, v in enumerate(streams.outs[layer])},
        "seed": zlib.crc32(f"{model}/{layer}".encode()) & 0xFFFF,
    }
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(case))
    params = {k: f'"{out_dir / v}"' for k, v in plan.file_params.items()}
    simulate([Path(s) for s in sources_for(plan, str(out_dir))], layer, "layer_cocotb", HERE,
             tmp_path / "build", params, extra_env={"LAYER_CASE": str(case_file)})


# ----------------------------------------------------------------------------- no simulator


def test_sv_target_is_registered():
    assert get_all_targets()["sv"]() is SVTarget


def test_output_is_deterministic(tmp_path):
    texts = []
    for i in range(2):
        d = tmp_path / str(i)
        out = io.StringIO()
        SVTarget(dir=str(d)).emit(None, _lower("tfc_1w1a"), out)  # type: ignore[arg-type]
        texts.append((out.getvalue().replace(str(d), "DIR"),
                      {f.name: f.read_text() for f in sorted(d.iterdir())}))
    assert texts[0] == texts[1]
    files = texts[0][1]
    assert set(files) >= {"MVAU_rtl_0.sv", "MVAU_rtl_0_weights.dat", "MVAU_rtl_0_thresholds.dat", "fx_mvu.sv"}


def test_weight_file_layout(tmp_path):
    """MVAU words as docs/architecture.md#streams-and-packing lays them out: word nf·SF + sf,
    lane (pe, s) = W[sf·SIMD+s][nf·PE+pe]."""
    module = _lower("cnv_1w1a")
    op = next(o for o in module.walk() if isinstance(o, df.MVAUOp) and o.value_of("pe") > 1
              and o.value_of("simd") > 1)
    plan = legalize(op)
    pe, simd, wb = op.value_of("pe"), op.value_of("simd"), plan.params["W_BITS"]
    w = op.weight_values()
    words = [int(line, 16) for line in plan.files[f"{op.display_name}_weights.dat"].split()]
    sf_n = op.mw // simd
    assert len(words) == op.mw * op.mh // (pe * simd)
    mask = (1 << wb) - 1
    for nf in (0, op.mh // pe - 1):
        for sf in (0, sf_n - 1):
            for p in range(pe):
                for s in range(simd):
                    code = (words[nf * sf_n + sf] >> ((p * simd + s) * wb)) & mask
                    value = w[sf * simd + s][nf * pe + p]
                    expected = (value > 0) if wb == 1 else value & mask
                    assert code == expected


def _mvau_partition(weight_type: str, xnor: bool) -> str:
    return f"""
builtin.module {{
  func.func @main(%x: tensor<1x4x!qonnx.bipolar>) -> tensor<1x2xsi4> {{
    %y = dataflow.partition %x {{node_name = "P"}} : (tensor<1x4x!qonnx.bipolar>) -> tensor<1x2xsi4> {{
    ^bb0(%0: !dataflow.stream<tensor<1x4x!qonnx.bipolar>, 2>):
      %1 = dataflow.mvau %0 {{node_name = "MVAU_rtl_0", impl = "rtl", pe = 1 : i64, simd = 2 : i64, binary_xnor = {str(xnor).lower()}, weights = dense<1> : tensor<4x2xi32>, weight_type = {weight_type}}} : (!dataflow.stream<tensor<1x4x!qonnx.bipolar>, 2>) -> !dataflow.stream<tensor<1x2xsi4>, 1>
      dataflow.yield %1 : !dataflow.stream<tensor<1x2xsi4>, 1>
    }}
    func.return %y : tensor<1x2xsi4>
  }}
}}
"""


def test_bipolar_input_int_weights_is_widened():
    (plan,) = legalize_module(_parse(_mvau_partition("si2", False)))
    assert plan.bipolar_in_lanes == 2 and plan.params["IN_BITS"] == 2 and plan.params["IN_SIGNED"] == 1


def test_raw_bipolar_product_uses_wrapper_affine():
    (plan,) = legalize_module(_parse(_mvau_partition("!qonnx.bipolar", False)))
    assert plan.params["XNOR"] == 1 and plan.affine_out == (1, 4, 4, 4)


def test_unsupported_layer_names_layer_and_reason():
    text = _mvau_partition("si2", False).replace('"rtl", pe', '"rtl", mem_mode = "external", pe')
    with pytest.raises(FinnError, match=re.escape("-t sv: dataflow.mvau 'MVAU_rtl_0': mem_mode \"external\"")):
        legalize_module(_parse(text))


def test_wrappers_lint_clean(tmp_path):
    """`verilator --lint-only -Wall` reports nothing in the generated wrappers (warnings
    inside the rtl/ library modules are theirs, not the wrapper's)."""
    import subprocess

    from finn_xdsl.verify.rtlsim import setup_verilator_env

    setup_verilator_env()
    module = _lower(SYNTHETIC)
    SVTarget(dir=str(tmp_path)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    for plan in legalize_module(module):
        cmd = ["verilator", "--lint-only", "-Wall", "-Wno-fatal", "--top-module", plan.name,
               *sources_for(plan, str(tmp_path))]
        result = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=tmp_path)
        mine = [line for line in result.stderr.splitlines()
                if line.startswith("%") and f"{plan.name}.sv" in line]
        assert not mine, "\n".join(mine)
        assert "%Error" not in result.stderr.replace("%Error: Exiting due to", ""), result.stderr
