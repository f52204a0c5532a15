"""qonnx-to-thresholds alone on every model: outputs bit-identical before and after."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import MODEL_FILES
from pass_harness import assert_pass_preserves, model_inputs

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.passes.qonnx_to_thresholds import QonnxToThresholdsPass
from finn_xdsl.passes.threshold_search import f32_key, key_f32


@pytest.mark.parametrize("name", MODEL_FILES)
def test_pass_alone_is_exact(name, imported):
    module = imported(name).clone()
    assert_pass_preserves(module, QonnxToThresholdsPass(), model_inputs(module, name), name)
    kinds = {type(op) for op in module.walk()}
    assert not kinds & {q.QuantOp, q.BipolarQuantOp, q.BatchNormOp}
    assert q.MultiThresholdOp in kinds


def test_float_key_order_round_trips():
    values = np.array([-np.inf, -3.5, -1e-30, -0.0, 0.0, 1e-45, 1.0, np.inf], np.float32)
    keys = f32_key(values)
    assert np.all(np.diff(keys) > 0)
    np.testing.assert_array_equal(key_f32(keys).view(np.uint32), values.view(np.uint32))
