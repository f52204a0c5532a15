"""streamline after qonnx-to-thresholds on every model: exact, and the integer datapath
between thresholds is free of float ops."""

from __future__ import annotations

import pytest
from conftest import MODEL_FILES
from pass_harness import assert_pass_preserves, model_inputs

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes.qonnx_to_thresholds import QonnxToThresholdsPass
from finn_xdsl.passes.streamline import StreamlinePass


@pytest.mark.parametrize("name", MODEL_FILES)
def test_pass_alone_is_exact(name, imported):
    module = imported(name).clone()
    QonnxToThresholdsPass().apply(make_context(), module)
    assert_pass_preserves(module, StreamlinePass(), model_inputs(module, name), name)
    thresholds = [op for op in module.walk() if isinstance(op, q.MultiThresholdOp)]
    # the first quantizer sees the float input; every other one an integer accumulator
    # with integer thresholds
    for mt in thresholds[1:]:
        assert qt.is_quantized(q.elem_of(mt.x)), mt
        assert q.constant_value(mt.thresholds).dtype.kind == "i"
    # BatchNorm scales are gone: no Mul/Add is left between two thresholds
    for op in module.walk():
        if isinstance(op, q.MulOp | q.AddOp):
            assert not any(isinstance(u.operation, q.MultiThresholdOp) for u in op.results[0].uses)


@pytest.mark.parametrize("name", ["tfc_2w2a_ts_clean", "cnv_1w2a_ts_raw"])
def test_idempotent(name, imported):
    module = imported(name).clone()
    QonnxToThresholdsPass().apply(make_context(), module)
    StreamlinePass().apply(make_context(), module)
    once = str(module)
    StreamlinePass().apply(make_context(), module)
    assert str(module) == once
