"""Network estimates and the report target; conformance with FINN 0.10.1's own reports."""

from __future__ import annotations

import json

import numpy as np
import pytest
from estimate_helpers import folded_design, load_baseline
from xdsl.dialects.builtin import IntegerType, Signedness, TensorType
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow_compute import ThresholdingOp
from finn_xdsl.dialects.dataflow_graph import PartitionOp
from finn_xdsl.dialects.dataflow_streams import AddStreamsOp, DuplicateStreamsOp
from finn_xdsl.estimates import critical_path_cycles, estimate_reports, network_performance

SI4 = IntegerType(4, Signedness.SIGNED)
SI5 = IntegerType(5, Signedness.SIGNED)

RUNS = [("tfc_2w2a_ts_clean", "tfc_2w2a_fps100000"), ("cnv_1w1a_ts_clean", "cnv_1w1a_fps10000")]


@pytest.fixture(scope="module", params=RUNS, ids=[r[1] for r in RUNS])
def finn_run(request):
    model, run = request.param
    module = folded_design(model, load_baseline(run, "auto_folding_config.json"))
    return run, module, estimate_reports(module, 10.0, "xc7z020clg400-1")


def test_layer_cycles_match_finn(finn_run):
    run, _, rep = finn_run
    finn = load_baseline(run, "estimate_layer_cycles.json")
    ours = {k: v for k, v in rep["estimate_layer_cycles.json"].items() if k in finn}
    assert list(ours) == list(finn)  # same nodes, same (graph) order
    assert ours == finn


def test_layer_resources_match_finn(finn_run):
    run, _, rep = finn_run
    finn = load_baseline(run, "estimate_layer_resources.json")
    ours = rep["estimate_layer_resources.json"]
    for name, expected in finn.items():
        if name == "total":
            continue
        assert ours[name] == pytest.approx(expected), name
    # FINN's estimate-only flow inserts no DWCs; ours has some (0 BRAM, a few LUTs)
    total = {k: sum(float(ours[n][k]) for n in finn if n != "total") for k in finn["total"]}
    assert total == finn["total"]


def test_network_performance_matches_finn(finn_run):
    run, _module, rep = finn_run
    assert rep["estimate_network_performance.json"] == load_baseline(run, "estimate_network_performance.json")


def test_op_and_param_counts_tfc():
    module = folded_design("tfc_2w2a_ts_clean", load_baseline("tfc_2w2a_fps100000", "auto_folding_config.json"))
    counts = estimate_reports(module)["op_and_param_counts.json"]
    assert counts["MVAU_hls_0"] == {"op_mac_2bx2b": 784 * 64, "param_weight_2b": 784 * 64,
                                    "param_threshold_11b": 64}
    assert counts["MVAU_hls_3"] == {"op_mac_2bx2b": 640, "param_weight_2b": 640}
    assert counts["total"]["op_mac_2bx2b"] == 784 * 64 + 2 * 64 * 64 + 640


def test_critical_path_is_longest_path_not_sum():
    # dup (32) -> thrA (PE 2: 16) -> add (32);  dup -> thrB (PE 1: 32) -> add
    outer = Block(arg_types=[TensorType(SI4, (1, 4, 8))])

    def body(x):
        a, b = DuplicateStreamsOp(x, 2, node_name="dup", pe=1).results
        t = np.tile(np.array([[0]]), (8, 1))
        ta = ThresholdingOp(a, t, SI4, node_name="thrA", pe=1)
        ta.set_values(pe=2)
        tb = ThresholdingOp(b, t, SI4, node_name="thrB", pe=1)
        return [AddStreamsOp(ta, tb, SI5, node_name="add", pe=1)]

    part = PartitionOp.wrap([outer.args[0]], "p", body)
    outer.add_op(part)
    assert critical_path_cycles(part) == 32 + 32 + 32
    perf = network_performance(part, 5.0)
    assert perf["max_cycles"] == 32 and perf["max_cycles_node_name"] == "dup"
    assert perf["estimated_throughput_fps"] == pytest.approx(2e8 / 32)
    assert perf["estimated_latency_ns"] == 96 * 5.0


def test_report_target_writes_files(tmp_path):
    import io

    from finn_xdsl.backends.report import ReportTarget
    from finn_xdsl.frontend.load import make_context

    module = folded_design("tfc_2w2a_ts_clean", load_baseline("tfc_2w2a_fps100000", "auto_folding_config.json"))
    out = io.StringIO()
    ReportTarget(dir=str(tmp_path / "rep"), clock_ns=10).emit(make_context(), module, out)
    files = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert files == ["estimate_fifo_sizes.json", "estimate_layer_cycles.json", "estimate_layer_resources.json",
                     "estimate_network_performance.json", "op_and_param_counts.json"]
    # no FIFOs in this design: the FIFO report is empty
    assert json.loads((tmp_path / "rep" / "estimate_fifo_sizes.json").read_text()) == {"total_bits": 0}
    for f in ("estimate_layer_cycles.json", "estimate_layer_resources.json", "estimate_network_performance.json"):
        assert json.loads((tmp_path / "rep" / f).read_text()) == load_baseline("tfc_2w2a_fps100000", f)
    text = (tmp_path / "rep" / "estimate_layer_cycles.json").read_text()
    assert text == json.dumps(load_baseline("tfc_2w2a_fps100000", "estimate_layer_cycles.json"), indent=2)
    assert "max_cycles 784 (MVAU_hls_0)" in out.getvalue()
