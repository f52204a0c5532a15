"""convert-to-dataflow alone (after the passes it needs) on every model, and the whole
to-dataflow pipeline: outputs exact, all compute in hardware, integer tensors inside the
partition equal to the quant level's."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import MODEL_FILES
from pass_harness import assert_pass_preserves, model_inputs

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import LoweringError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes.convert_to_dataflow import ConvertToDataflowPass
from finn_xdsl.passes.lower_conv import LowerConvPass
from finn_xdsl.passes.qonnx_to_thresholds import QonnxToThresholdsPass
from finn_xdsl.passes.streamline import StreamlinePass
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.sim.execute import execute, input_names

PREREQUISITES = (QonnxToThresholdsPass(), StreamlinePass(), LowerConvPass(), StreamlinePass())


@pytest.mark.parametrize("name", MODEL_FILES)
def test_pass_alone_is_exact(name, imported):
    module = imported(name).clone()
    for p in PREREQUISITES:
        p.apply(make_context(), module)
    assert_pass_preserves(module, ConvertToDataflowPass(), model_inputs(module, name), name)


class _Quantized:
    """Listener collecting integer activations: quantizer outputs at the quant level,
    thresholded layer outputs inside a partition (in execution order)."""

    def __init__(self, dataflow: bool):
        self.dataflow = dataflow
        self.values: list[np.ndarray] = []

    def will_interpret_op(self, op, args):
        pass

    def did_interpret_op(self, op, results):
        if self.dataflow:
            if isinstance(op, df.ThresholdingOp) or isinstance(op, df.MVAUOp) and op.thresholds is not None:
                self.values.append(np.asarray(results[0]))
        elif isinstance(op, q.QuantOp | q.BipolarQuantOp) and q.constant_value(op.x) is None:
            if qt.is_quantized(q.elem_of(op.output)):
                self.values.append(np.asarray(results[0]))


@pytest.mark.parametrize("name", MODEL_FILES)
def test_to_dataflow(name, imported):
    reference = imported(name)
    module = reference.clone()
    ToDataflowPass().apply(make_context(), module)
    # all MatMul/Conv/MaxPool/threshold work is inside a partition
    assert not [op for op in module.walk() if isinstance(op, q.MatMulOp | q.ConvOp | q.MaxPoolOp)]
    outside = [op for op in module.walk() if isinstance(op, q.MultiThresholdOp)]
    assert len(outside) == 1 and not qt.is_quantized(q.elem_of(outside[0].x))  # the float input quantizer
    partitions = [op for op in module.walk() if isinstance(op, df.PartitionOp)]
    assert len(partitions) == 1
    names = [layer.display_name for layer in partitions[0].layers()]
    assert len(names) == len(set(names))
    iname = input_names(module)[0]
    for x in model_inputs(module, name, draws=1, seed=3):
        ref, low = _Quantized(False), _Quantized(True)
        expected = list(execute(reference, {iname: x}, ref).values())
        got = list(execute(module, {iname: x}, low).values())
        for e, g in zip(expected, got):
            np.testing.assert_array_equal(g, e)
        # every activation after the input quantizer (integer-typed only when its scale
        # is 1), level for level (NCHW -> NHWC)
        assert len(low.values) >= 2 and len(ref.values) - len(low.values) in (0, 1)
        for r, d in zip(ref.values[len(ref.values) - len(low.values) :], low.values):
            r = np.moveaxis(r, 1, -1) if r.ndim == 4 else r
            np.testing.assert_array_equal(d.reshape(r.shape), r)


def test_unlowered_matmul_is_reported(imported):
    """convert-to-dataflow without the passes before it: say why, do not leave it in float."""
    module = imported("tfc_2w2a_ts_clean").clone()
    with pytest.raises(LoweringError, match=r"convert-to-dataflow: qonnx.matmul 'MatMul_0': the weights are not a constant"):
        ConvertToDataflowPass().apply(make_context(), module)


def test_layer_names_are_stable(imported):
    outs = []
    for _ in range(2):
        module = imported("cnv_1w1a_ts_clean").clone()
        ToDataflowPass().apply(make_context(), module)
        outs.append(str(module))
    assert outs[0] == outs[1]
    assert "MVAU_8" in outs[0] and "MVAU_9" not in outs[0]
    assert "ConvolutionInputGenerator_5" in outs[0] and "StreamingMaxPool_1" in outs[0]
