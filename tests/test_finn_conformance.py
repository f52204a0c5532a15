"""FINN conformance, end to end, as a FINN user would check it.

The model goes through our whole front half with FINN's choices — to-dataflow,
specialize{prefer=finn}, apply-folding of the config FINN 0.10.1 chose, minimize-bitwidths —
and `-t report` must give FINN's own estimate reports (tests/data/finn_baseline/). Our
design has DWCs around 2-D max pools that FINN inserts only later (insert_dwc): those are
the only extra nodes, and FINN's totals are compared over FINN's nodes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, model_path

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.network import dataflow_layers, estimate_reports
from finn_xdsl.frontend.load import make_context
from finn_xdsl.frontend.qonnx import import_onnx
from finn_xdsl.passes.apply_folding import ApplyFoldingPass
from finn_xdsl.passes.minimize_bitwidths import MinimizeBitwidthsPass
from finn_xdsl.passes.set_folding import SetFoldingPass
from finn_xdsl.passes.specialize import SpecializePass
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.passes.to_folded import ToFoldedPass
from finn_xdsl.sim.execute import execute

BASELINE = DATA / "finn_baseline"
RUNS = {"tfc_2w2a_fps100000": "tfc_2w2a_ts_clean", "cnv_1w1a_fps10000": "cnv_1w1a_ts_clean"}


def _baseline(run: str, name: str) -> dict:
    return json.loads((BASELINE / run / name).read_text())


def _finn_flow(model: str, config: Path):
    module = import_onnx(model_path(model))
    ctx = make_context()
    for p in (ToDataflowPass(), SpecializePass(prefer="finn"), ApplyFoldingPass(file=str(config)),
              MinimizeBitwidthsPass()):
        p.apply(ctx, module)
    module.verify()
    return module


@pytest.mark.parametrize("run", sorted(RUNS))
def test_reports_equal_finn(run):
    module = _finn_flow(RUNS[run], BASELINE / run / "auto_folding_config.json")
    reports = estimate_reports(module, clk_ns=10.0)
    cycles = reports["estimate_layer_cycles.json"]
    finn_cycles = _baseline(run, "estimate_layer_cycles.json")
    # FINN's nodes, in FINN's order, with FINN's cycles; ours only adds 0-cycle DWCs
    assert {k: v for k, v in cycles.items() if k in finn_cycles} == finn_cycles
    assert list(k for k in cycles if k in finn_cycles) == list(finn_cycles)
    extra = {k: v for k, v in cycles.items() if k not in finn_cycles}
    assert all(k.startswith("StreamingDataWidthConverter_") and v == 0 for k, v in extra.items())

    resources = reports["estimate_layer_resources.json"]
    finn_resources = _baseline(run, "estimate_layer_resources.json")
    for node, finn in finn_resources.items():
        if node == "total":
            continue
        assert resources[node] == finn, node
    for key in ("LUT", "BRAM_18K", "URAM", "DSP"):
        ours = sum(resources[n][key] for n in finn_resources if n != "total")
        assert ours == finn_resources["total"][key], key

    perf = reports["estimate_network_performance.json"]
    finn_perf = _baseline(run, "estimate_network_performance.json")
    assert perf["max_cycles"] == finn_perf["max_cycles"]
    assert perf["max_cycles_node_name"] == finn_perf["max_cycles_node_name"]
    assert perf["estimated_throughput_fps"] == pytest.approx(finn_perf["estimated_throughput_fps"], rel=1e-12)
    assert perf["critical_path_cycles"] == finn_perf["critical_path_cycles"]


@pytest.mark.parametrize("run", sorted(RUNS))
def test_set_folding_chooses_finns_folding(run, tmp_path):
    """Our set-folding with relax-wwidth=false at FINN's target picks FINN's folding."""
    from finn_xdsl.backends.folding_config import folding_config

    fps = int(run.rsplit("fps", 1)[1])
    module = import_onnx(model_path(RUNS[run]))
    ctx = make_context()
    for p in (ToDataflowPass(), SpecializePass(prefer="finn"),
              SetFoldingPass(target_fps=fps, clock_ns=10, relax_wwidth=False)):
        p.apply(ctx, module)
    assert folding_config(module) == _baseline(run, "auto_folding_config.json")


def test_cnv_reaches_10k_fps_beyond_finn():
    """FINN stalls at 7,972 fps (the weight-stream cap); relaxing it reaches the target."""
    module = import_onnx(model_path("cnv_1w1a_ts_clean"))
    ToFoldedPass(target_fps=10000, clock_ns=10, prefer="finn").apply(make_context(), module)
    perf = estimate_reports(module, clk_ns=10.0)["estimate_network_performance.json"]
    assert perf["estimated_throughput_fps"] >= 10000
    x = np.load(DATA / "cnv_1w1a_input.npy")
    (y,) = execute(module, [x]).values()
    np.testing.assert_array_equal(y, np.load(DATA / "cnv_1w1a_output.npy"))


def test_cybsec_mlp_golden(tmp_path):
    """FINN's worked check (docs/finn_reference.md#worked-checks): 600->64->64->64->1, INT2,
    1e6 fps at 10 ns: MVAU cycles 80 and 64 (SIMD 15 / PE 32, then SIMD 16 / PE 4)."""
    sys.path.insert(0, str(Path(__file__).parent / "passes"))
    from qonnx_models import Spec, build

    spec = Spec(kind="mlp", image=(1, 1, 600), fcs=(64, 64, 64), classes=1, weight_bits=2, act_bits=2,
                in_bits=2, final="none", seed=1)
    module = import_onnx(build(spec, tmp_path))
    ctx = make_context()
    for p in (ToDataflowPass(), SpecializePass(prefer="finn"),
              SetFoldingPass(target_fps=1000000, clock_ns=10, relax_wwidth=False)):
        p.apply(ctx, module)
    mvaus = [op for op in dataflow_layers(module) if isinstance(op, df.MVAUOp)]
    assert [m.cycles() for m in mvaus[:2]] == [80, 64]
    assert [(m.value_of("simd"), m.value_of("pe")) for m in mvaus[:2]] == [(15, 32), (16, 4)]


def test_tfc_hand_folding_golden(tmp_path):
    """FINN's TFC-w1a1 hand folding (docs/finn_reference.md#worked-checks): (PE, SIMD) =
    (16,49), (8,8), (8,8), (10,8) gives 64, 64, 64, 8 cycles; max 64 -> 1.5625 M fps at
    100 MHz. (The input Thresholding at PE 49 = 784/49 = 16 cycles and LabelSelect at PE 1
    = 10 cycles are below it.)"""
    module = import_onnx(model_path("tfc_1w1a_ts_clean"))
    ctx = make_context()
    ToDataflowPass().apply(ctx, module)
    SpecializePass(prefer="finn").apply(ctx, module)
    config = {"Defaults": {}}
    for name, (pe, simd) in zip(["MVAU_hls_0", "MVAU_hls_1", "MVAU_hls_2", "MVAU_hls_3"],
                                [(16, 49), (8, 8), (8, 8), (10, 8)]):
        config[name] = {"PE": pe, "SIMD": simd}
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(config))
    ApplyFoldingPass(file=str(path)).apply(ctx, module)
    perf = estimate_reports(module, clk_ns=10.0)
    cycles = perf["estimate_layer_cycles.json"]
    assert [v for k, v in cycles.items() if k.startswith("MVAU")] == [64, 64, 64, 8]
    # PE 16 -> SIMD 8 between the first two layers needs a width converter (0 cycles)
    assert [v for k, v in cycles.items() if not k.startswith("MVAU")] == [0]
    assert perf["estimate_network_performance.json"]["max_cycles"] == 64
    assert perf["estimate_network_performance.json"]["estimated_throughput_fps"] == pytest.approx(1.5625e6)
