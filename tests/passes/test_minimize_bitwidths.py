"""minimize-bitwidths after to-dataflow: outputs bit-identical on every model, idempotent,
and the widths FINN chooses on TFC-w2a2 / CNV-w1a1 (checked against FINN's own LUT
estimates, which depend on the accumulator width)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import MODEL_FILES
from pass_harness import assert_pass_preserves, model_inputs
from xdsl.dialects.builtin import IntegerType, Signedness

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes.minimize_bitwidths import (
    MinimizeBitwidthsPass,
    accumulator_type,
    clip_thresholds,
    smallest_type,
)
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.utils.diagnostics import verify_module

BASELINE = Path("/work/shared/finn_baseline")


def si(n):
    return IntegerType(n, Signedness.SIGNED)


def ui(n):
    return IntegerType(n, Signedness.UNSIGNED)


def lowered(imported, name):
    module = imported(name).clone()
    ToDataflowPass().apply(make_context(), module)
    return module


def minimized(imported, name):
    module = lowered(imported, name)
    MinimizeBitwidthsPass().apply(make_context(), module)
    verify_module(module, name)
    return module


def mvaus(module):
    return [op for op in module.walk() if isinstance(op, df.MVAUOp)]


@pytest.mark.parametrize("name", MODEL_FILES)
def test_exact_and_idempotent(name, imported):
    module = lowered(imported, name)
    assert_pass_preserves(module, MinimizeBitwidthsPass(), model_inputs(module, name), name)
    once = str(module)
    MinimizeBitwidthsPass().apply(make_context(), module)
    assert str(module) == once
    for m in mvaus(module):
        assert m.weight_type == (m.weight_type if isinstance(m.weight_type, qt.BipolarType)
                                 else smallest_type(m.weight_values().min(), m.weight_values().max()))
        if m.thresholds is None:
            assert m.out_type().element_type == accumulator_type(m)
    # no si32 accumulator left anywhere
    assert "si32" not in once


def test_tfc_w2a2_widths(imported):
    module = minimized(imported, "tfc_2w2a_ts_clean")
    ms = mvaus(module)
    assert [m.weight_type for m in ms] == [si(2)] * 4
    assert [accumulator_type(m) for m in ms] == [si(11), si(8), si(7), si(8)]
    # the raw last layer leaves the partition: si8 (rounded to 8 bits), and so does the
    # partition's result
    assert ms[-1].out_type().element_type == si(8)
    part = next(op for op in module.walk() if isinstance(op, df.PartitionOp))
    assert part.results[0].type.element_type == si(8)


def test_cnv_w1a1_widths(imported):
    module = minimized(imported, "cnv_1w1a_ts_clean")
    ms = mvaus(module)
    assert all(isinstance(m.weight_type, qt.BipolarType) for m in ms)
    assert [accumulator_type(m) for m in ms] == [
        si(13), ui(10), ui(10), ui(11), ui(11), ui(12), ui(9), ui(10), si(16)]
    assert ms[-1].out_type().element_type == si(16)


def _finn_mvau_hls_lut(m: df.MVAUOp, pe: int, simd: int, acc: IntegerType) -> int:
    """FINN's MVAU_hls LUT estimate (ram_style auto, thresholds not distributed)."""
    w = 1 if isinstance(m.weight_type, qt.BipolarType) else m.weight_type.width.data
    x = m.in_type().element_type
    a = 1 if isinstance(x, qt.BipolarType) else x.width.data
    signed = qt.value_range(x)[0] < 0 and not m.value_of("binary_xnor")
    mult = simd * (2 * math.ceil((w + a) / 6) - 1) * (w + a)
    adder = (w + a) * (2 * simd - 1)
    alpha = math.log2(m.mw) + w + a - 1 - int(signed)
    acc_bits = min(acc.width.data, math.ceil(alpha + math.log2(1 + 2**-alpha) + 1))
    return int(300 + 1.1 * pe * (mult + adder + acc_bits))


@pytest.mark.skipif(not BASELINE.exists(), reason="no FINN baseline")
def test_tfc_w2a2_luts_match_finn(imported):
    """FINN's LUT estimates (after its minimize_bit_width) are reproduced with our
    accumulator widths; si32 would give different numbers for MVAU_1..3."""
    base = BASELINE / "tfc_2w2a_fps100000"
    folding = json.loads((base / "auto_folding_config.json").read_text())
    luts = json.loads((base / "estimate_layer_resources.json").read_text())
    module = minimized(imported, "tfc_2w2a_ts_clean")
    for i, m in enumerate(mvaus(module)):
        f = folding[f"MVAU_hls_{i}"]
        assert _finn_mvau_hls_lut(m, f["PE"], f["SIMD"], accumulator_type(m)) == luts[f"MVAU_hls_{i}"]["LUT"]


def test_thresholding_type_and_clip():
    assert smallest_type(-1, 0) == si(2) and smallest_type(0, 0) == ui(1)
    assert smallest_type(-8, 7) == si(4) and smallest_type(-8, 8) == si(5) and smallest_type(0, 8) == ui(4)
    t = np.array([[-100, 0, 100]])
    # values in [-8, 7]: a threshold <= -8 always fires, one > 7 never does
    c = clip_thresholds(t, -8, 7)
    assert c.tolist() == [[-8, 0, 8]]
    xs = np.arange(-8, 8)
    assert np.array_equal((xs[:, None] >= t).sum(1), (xs[:, None] >= c).sum(1))


LIT = Path(__file__).parents[2] / "lit_tests" / "passes" / "minimize_bitwidths.mlir"


@pytest.mark.parametrize("case", [0, 1])
def test_hand_written_exhaustive(case):
    """The lit cases (clipped thresholds on MVAU and Thresholding, narrowed raw
    accumulators): outputs identical on every input of the input type."""
    import itertools

    from xdsl.parser import Parser

    from finn_xdsl.sim.execute import execute, input_names

    text = LIT.read_text().split("// -----")[case].replace("@mlp", "@main").replace("@inner", "@main")
    module = Parser(make_context(), text).parse_module()
    name = input_names(module)[0]
    # case 0: the si4 range's edges and middle (7^4 inputs); case 1: all of ui2^3
    values, n = ((-8, -7, -1, 0, 1, 6, 7), 4) if case == 0 else (range(4), 3)
    inputs = [np.array([v], dtype=np.float32) for v in itertools.product(values, repeat=n)]
    before = [list(execute(module, {name: x}).values()) for x in inputs]
    MinimizeBitwidthsPass().apply(make_context(), module)
    verify_module(module, "lit")
    assert "si32" not in str(module)
    after = [list(execute(module, {name: x}).values()) for x in inputs]
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a[0], b[0])
