"""Whole-design simulation of a stitched build (cocotb + Verilator on finn_design)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import DATA, model_path

from finn_xdsl.errors import FinnError
from finn_xdsl.verify.design_sim import (
    DesignSimResult,
    max_layer_cycles,
    run_case,
    simulate_design,
    write_bench,
)
from finn_xdsl.sim.host import split_host


@pytest.fixture(scope="module")
def tfc_build(tmp_path_factory):
    """tfc_2w2a built at 1e4 fps (no verify): its folder and its final IR."""
    from finn_xdsl.build import build
    from finn_xdsl.frontend.load import load_module

    out = tmp_path_factory.mktemp("design_sim") / "build"
    build(model_path("tfc_2w2a_ts_clean"), out, target_fps=10000)
    return out, load_module(str(out / "intermediate" / "final.mlir"))


def _frames(module, n: int, seed: int) -> list[np.ndarray]:
    split = split_host(module)
    x = np.load(DATA / "tfc_2w2a_input.npy").astype(np.float32)
    rng = np.random.default_rng(seed)
    xs = [x] + [rng.uniform(0, 1, x.shape).astype(np.float32) for _ in range(n - 1)]
    return [split.run_pre([v])[0] for v in xs]


def test_random_gaps_and_backpressure(tfc_build, tmp_path):
    """TVALID gaps on s_axis_0 and TREADY back-pressure on m_axis_0: still bit-exact, and
    slower than the design's own pace."""
    out, module = tfc_build
    res = simulate_design(module, out / "rtl", tmp_path / "sim", _frames(module, 3, 7),
                          valid_prob=0.6, ready_prob=0.5, seed=3)
    assert res.frames == 3
    assert res.steady_cycles > max_layer_cycles(module)
    assert res.frame_start == sorted(res.frame_start) and res.frame_end == sorted(res.frame_end)


def test_full_rate_meets_the_analytic_bound(tfc_build, tmp_path):
    """Back to back at full rate the steady state is the slowest layer's cycles (≤ 1.03 ×)."""
    out, module = tfc_build
    res = simulate_design(module, out / "rtl", tmp_path / "sim", _frames(module, 5, 8))
    bound = max_layer_cycles(module)
    assert bound <= res.steady_cycles <= 1.03 * bound
    perf = res.performance(10.0)
    assert set(perf) >= {"cycles", "N", "latency_cycles", "throughput[images/s]",
                         "stable_throughput[images/s]", "fclk[mhz]"}
    assert perf["N"] == 5 and 0 < perf["latency_cycles"] < perf["cycles"]


def test_a_wrong_expected_beat_fails(tfc_build, tmp_path):
    """The bench really compares: one flipped bit in the expected output is reported with
    its frame and beat."""
    out, module = tfc_build
    simulate_design(module, out / "rtl", tmp_path / "sim", _frames(module, 2, 9))
    case_path = tmp_path / "sim" / "design_case.json"
    case = json.loads(case_path.read_text())
    case["outputs"][1][3] ^= 1
    case_path.write_text(json.dumps(case))
    with pytest.raises(FinnError, match="frame 1 beat 3"):
        run_case(out / "rtl", case_path)


def test_missing_top_is_an_error(tfc_build, tmp_path):
    _, module = tfc_build
    case = write_bench(module, tmp_path / "sim", _frames(module, 1, 0))
    (tmp_path / "rtl").mkdir()
    with pytest.raises(FinnError, match="no finn_design.sv"):
        run_case(tmp_path / "rtl", case)


def test_measurements():
    """cycles / latency / steady state from recorded beat times (cycle numbers made up)."""
    r = DesignSimResult(frames=4, frame_start=[0, 100, 200, 300], frame_end=[250, 350, 460, 560],
                        first_output=240)
    assert r.latency_cycles == 240
    assert r.cycles == 561
    assert r.steady_cycles == (560 - 350) / 2
    perf = r.performance(5.0)
    assert perf["fclk[mhz]"] == 200.0
    assert perf["stable_throughput[images/s]"] == pytest.approx(1e9 / (105 * 5))
    assert perf["throughput[images/s]"] == pytest.approx(4 / (561 * 5e-9))
