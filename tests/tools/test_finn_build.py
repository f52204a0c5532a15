"""finn-build: errors, the build folder, determinism, and --verify (whole-design simulation).

The full Done-when matrix (every model × {1e3, 1e4, 1e5 fps, the fastest folding}, each
verified bit-exact on the sample and random inputs, throughput within 3 % of the analytic
bound) runs with FINN_XDSL_FULL_BUILD=1; it takes hours on two cores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import MODELS, model_path

from finn_xdsl.tools.finn_build import main

TFC = str(model_path("tfc_2w2a_ts_clean"))
FASTEST = 1e9  # beyond any model's reach: set-folding ends at its most parallel folding

LAYOUT = {
    "build_info.json", "build.log",
    "intermediate/00_import.mlir", "intermediate/01_to_folded.mlir", "intermediate/02_insert_dwc.mlir",
    "intermediate/03_insert_fifos.mlir", "intermediate/04_size_fifos.mlir",
    "intermediate/05_lower_to_hw.mlir", "intermediate/final.mlir",
    "rtl/finn_design.sv", "vivado/make_project.tcl", "vivado/synth_ooc.tcl",
    "report/estimate_layer_cycles.json", "report/estimate_network_performance.json",
    "report/estimate_layer_resources.json", "report/final_hw_config.json", "report/folding_config.json",
    "driver/driver.py", "driver/packing.py", "sim/design_case.json", "sim/run_sim.py",
}


def run(capsys, *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as e:
        main(list(argv))
    return e.value.code, capsys.readouterr().err


def files(d: Path) -> dict[str, bytes]:
    """The folder's files but the stage timings, which differ on every run."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and p.name != "time_per_step.json"}


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing.onnx"], "missing.onnx: no such file"),
        ([TFC, "--target-fps", "100", "--folding", "f.json"], "either a target fps or a folding file"),
        ([TFC, "--folding", "nonexistent.json"], "no such folding file"),
        ([TFC, "--board", "NoSuchBoard"], "unknown board 'NoSuchBoard'"),
        ([TFC, "--target-fps", "-5"], "target fps must be positive"),
        ([TFC, "--clock-ns", "0"], "clock period must be positive"),
        ([TFC, "--verify", "--input", "nope.npy"], "nope.npy: no such file"),
    ],
)
def test_errors_are_one_line_and_leave_nothing(capsys, tmp_path, argv, message):
    code, err = run(capsys, *argv, "-o", str(tmp_path / "out"))
    assert code == 1
    assert message in one_error_line(err)
    assert list(tmp_path.iterdir()) == []  # no build folder, no temporary left behind


def test_bad_folding_files(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, err = run(capsys, TFC, "--folding", str(bad), "-o", str(tmp_path / "out"))
    assert code == 1 and "not a JSON folding configuration" in one_error_line(err)
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"Defaults": {}, "MVAU_hls_9": {"PE": 2}}))
    code, err = run(capsys, TFC, "--folding", str(unknown), "-o", str(tmp_path / "out"))
    assert code == 1 and "MVAU_hls_9" in one_error_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "unknown.json"]


def test_refuses_to_replace_a_foreign_folder(capsys, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "precious.txt").write_text("keep")
    code, err = run(capsys, TFC, "-o", str(tmp_path / "out"))
    assert code == 1 and "not a finn-build folder" in one_error_line(err)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["precious.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_layout_and_determinism(capsys, tmp_path):
    """Two builds of the same model, into different folders, are byte-identical; a
    rebuild replaces an older build folder; the folding written back reproduces the build."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(capsys, TFC, "-o", str(a), "--target-fps", "10000")[0] == 0
    (b / "stale").mkdir(parents=True)
    (b / "build_info.json").write_text("{}")  # an older build: replaced as a whole
    assert run(capsys, TFC, "-o", str(b), "--target-fps", "10000")[0] == 0
    fa, fb = files(a), files(b)
    assert LAYOUT <= set(fa) and (a / "report" / "time_per_step.json").is_file()
    assert fa == fb
    info = json.loads(fa["build_info.json"])
    assert info["max_cycles"] == json.loads(fa["report/estimate_network_performance.json"])["max_cycles"]
    # the folding config written back gives the same hardware through --folding
    c = tmp_path / "c"
    assert run(capsys, TFC, "-o", str(c), "--folding", str(a / "report" / "folding_config.json"))[0] == 0
    fc = files(c)
    assert {k: v for k, v in fc.items() if k.startswith("rtl/")} == {
        k: v for k, v in fa.items() if k.startswith("rtl/")}


def _verify(capsys, tmp_path, model: str, fps: float) -> dict:
    out = tmp_path / "build"
    code, err = run(capsys, str(model_path(f"{model}_ts_clean")), "-o", str(out),
                    "--target-fps", f"{fps:g}", "--verify")
    assert code == 0, err
    assert "verify: bit-exact on 4 frames" in err
    perf = json.loads((out / "report" / "rtlsim_performance.json").read_text())
    info = json.loads((out / "build_info.json").read_text())
    assert perf["N"] == 4
    assert perf["steady_state_cycles"] <= 1.03 * info["max_cycles"], (perf, info)
    assert perf["stable_throughput[images/s]"] >= 1e9 / (1.03 * info["max_cycles"] * 10.0)
    return perf


def test_verify_tfc_2w2a(capsys, tmp_path):
    """--verify: the sample input and three random ones, bit-exact through the stitched
    RTL, at ≤ 1.03 × the analytic cycles per frame."""
    _verify(capsys, tmp_path, "tfc_2w2a", 1e4)


FULL = os.environ.get("FINN_XDSL_FULL_BUILD") == "1"


@pytest.mark.skipif(not FULL, reason="the full build matrix runs with FINN_XDSL_FULL_BUILD=1")
@pytest.mark.parametrize("fps", [1e3, 1e4, 1e5, FASTEST], ids=["1e3", "1e4", "1e5", "fastest"])
@pytest.mark.parametrize("model", MODELS)
def test_verify_matrix(capsys, tmp_path, model, fps):
    perf = _verify(capsys, tmp_path, model, fps)
    print(f"{model} @ {fps:g}: {perf}")
