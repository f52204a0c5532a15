"""finn_xdsl.verify.layer_rtlsim: every RTL layer of tfc_2w2a (to-folded{target-fps=10000}) passes
per-layer Verilator simulation on the beats the interpreter records for three frames (the
sample input and two random ones), under random TVALID gaps and TREADY back-pressure; one
corrupted expected beat, input the layer never takes, missing files or beats, or a layer
without RTL each give a one-line FinnError naming the layer (and the beat). One Verilator
build per layer, reused by its corrupted-beat run."""

from __future__ import annotations

import io

import numpy as np
import pytest
from conftest import DATA, model_path

from finn_xdsl.backends.sv import SVTarget, legalize_module
from finn_xdsl.errors import FinnError
from finn_xdsl.sim.layer_io import record_layer_io
from finn_xdsl.verify.layer_rtlsim import rtlsim_layer

MODEL = "tfc_2w2a"


def _lower():
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(model_path(f"{MODEL}_ts_clean"))
    ToFoldedPass(target_fps=10000).apply(make_context(), module)
    return module


LAYERS = [plan.name for plan in legalize_module(_lower())]


@pytest.fixture(scope="module")
def tfc(tmp_path_factory):
    """(module, folder -t sv wrote, recorded beats by layer, work folder)."""
    module = _lower()
    rtl = tmp_path_factory.mktemp("layer_rtlsim_sv")
    SVTarget(dir=str(rtl)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
    x = np.load(DATA / f"{MODEL}_input.npy").astype(np.float32)
    rng = np.random.default_rng(7)
    xs = [x] + [rng.uniform(0, 1, x.shape).astype(np.float32) for _ in range(2)]
    return module, rtl, record_layer_io(module, [[v] for v in xs]), tmp_path_factory.mktemp("layer_rtlsim_work")


def test_every_layer_is_rtl():
    """The default lowering leaves tfc_2w2a all-RTL, so the cases below cover every layer."""
    from finn_xdsl.dialects import dataflow as df

    layers = [op for op in _lower().walk() if isinstance(op, df.DataflowOperation) and not isinstance(op, df.PartitionOp)]
    assert len(LAYERS) >= 4 and {op.display_name for op in layers} <= set(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_passes_and_a_corrupted_beat_fails(layer, tfc):
    """The recorded beats pass; then, on the same build, one expected beat with a flipped
    bit gives the one-line error naming the layer, the port and that beat."""
    module, rtl, rec, work = tfc
    rtlsim_layer(module, layer, rtl, work / layer, rec[layer].inputs, rec[layer].outputs, seed=3)
    outputs = {k: list(v) for k, v in rec[layer].outputs.items()}
    k = len(outputs["out0_V"]) // 2 + 1
    outputs["out0_V"][k] ^= 1
    with pytest.raises(FinnError) as info:
        rtlsim_layer(module, layer, rtl, work / layer, rec[layer].inputs, outputs, seed=4)
    msg = str(info.value)
    assert "\n" not in msg
    assert f"RTL simulation of {layer} failed: out0_V beat {k} is {rec[layer].outputs['out0_V'][k]:#x}, " in msg
    assert f"expected {outputs['out0_V'][k]:#x} (1 beats differ)" in msg


def test_unread_inputs_fail(tfc):
    """Three frames more input than the expected output accounts for: once the outputs are
    collected the layer back-pressures, the extra beats stay unread, and that is reported."""
    module, rtl, rec, work = tfc
    layer = LAYERS[-1]
    beats = rec[layer].inputs["in0_V"]
    inputs = {"in0_V": beats + beats}
    with pytest.raises(FinnError, match=f"RTL simulation of {layer} failed: in0_V: input beats left unread"):
        rtlsim_layer(module, layer, rtl, work / layer, inputs, rec[layer].outputs, seed=5)


def test_missing_beats_and_non_rtl_layer_are_one_line_errors(tfc, tmp_path):
    module, rtl, rec, _ = tfc
    layer = LAYERS[0]
    with pytest.raises(FinnError, match=f"no RTL layer named nope in the module .*{layer}"):
        rtlsim_layer(module, "nope", rtl, tmp_path, {}, {})
    with pytest.raises(FinnError, match=f"{layer}: output beats given for \\[\\], .* \\['out0_V'\\]"):
        rtlsim_layer(module, layer, rtl, tmp_path, rec[layer].inputs, {})
    with pytest.raises(FinnError, match=f"{layer}: .* lacks .*{layer}.sv"):
        rtlsim_layer(module, layer, tmp_path, tmp_path, rec[layer].inputs, rec[layer].outputs)
