"""finn-build with HLS layers: `--impl`, the layer-by-layer `--verify`, `--csim`.

A design with any impl="hls" layer cannot be RTL-simulated as a whole without Vitis, so
`--verify` checks it layer by layer (HLS layers by g++ C-simulation of the generated top
functions, RTL layers by Verilator) and `--csim` C-simulates the whole dataflow graph.
By default tfc_2w2a and cnv_1w1a go through `--impl hls --verify --csim`; with
FINN_XDSL_FULL_BUILD=1 every model in tests/data does. Simulation builds are cached by
content (~/.cache/finn_xdsl/layers or $FINN_XDSL_CACHE), so a second run costs seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MODELS, model_path

from finn_xdsl.build import (
    build,
    execute_shape,
    sample_input_path,
    verification_inputs,
)
from finn_xdsl.errors import FinnError
from finn_xdsl.verify.layer_verify import verify_layers
from finn_xdsl.tools.finn_build import main

FULL = os.environ.get("FINN_XDSL_FULL_BUILD") == "1"
DEFAULT_MODELS = ["tfc_2w2a", "cnv_1w1a"]
TFC = str(model_path("tfc_2w2a_ts_clean"))


def run(capsys, *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as e:
        main(list(argv))
    return e.value.code, capsys.readouterr().err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def read(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text())


def is_fifo(name: str) -> bool:
    return name.startswith("StreamingFIFO")


def check_all_hls(out: Path, err: str) -> None:
    """An --impl hls --verify --csim build: every layer but the FIFOs in HLS, every layer
    checked bit-exact by the right method, the whole graph C-simulated, no RTL bench."""
    info = read(out, "build_info.json")
    layers = list(read(out, "report/estimate_layer_cycles.json"))
    assert info["impl"] == "hls"
    assert info["hls_layers"] == [n for n in layers if not is_fifo(n)]
    assert info["rtl_layers"] == [n for n in layers if is_fifo(n)]
    for name in info["hls_layers"]:
        assert (out / "hls" / name / f"{name}.cpp").is_file()
    assert "verify: bit-exact layer by layer on 4 frames" in err and "no cycle check" in err
    report = read(out, "report/layer_verification.json")
    assert report["frames"] == 4 and report["cycles_checked"] is False
    assert list(report["layers"]) == layers
    for name, entry in report["layers"].items():
        assert entry["ok"] and entry["frames"] == 4, (name, entry)
        assert (entry["impl"], entry["method"]) == (("rtl", "rtlsim") if is_fifo(name) else ("hls", "csim"))
    perf = read(out, "report/csim_performance.json")
    assert perf["frames"] == 4 and perf["frames_per_second"] > 0 and perf["compile_seconds"] >= 0
    assert "csim: bit-exact on 4 frames through the whole graph" in err
    # the stitched design needs Vitis's Verilog of the HLS layers: no RTL bench, no rtlsim report
    assert not (out / "sim").exists() and not (out / "report" / "rtlsim_performance.json").exists()


@pytest.mark.parametrize("model", MODELS if FULL else DEFAULT_MODELS)
def test_impl_hls_verify_csim(capsys, tmp_path, model):
    """--impl hls --verify --csim through the CLI: every layer C-simulated (FIFOs under
    Verilator) and the whole graph C-simulated, bit-exact on the sample and 3 random inputs."""
    out = tmp_path / "build"
    t = time.perf_counter()
    code, err = run(capsys, str(model_path(f"{model}_ts_clean")), "-o", str(out), "--target-fps", "10000",
                    "--impl", "hls", "--verify", "--csim")
    assert code == 0, err
    check_all_hls(out, err)
    print(f"{model}: --impl hls --verify --csim in {time.perf_counter() - t:.1f} s")


@pytest.fixture(scope="module")
def tfc_hls(tmp_path_factory) -> Path:
    """tfc_2w2a built with --impl hls (no verification: the tests below run their own)."""
    out = tmp_path_factory.mktemp("tfc_hls") / "build"
    build(TFC, out, target_fps=10000, prefer="hls")
    return out


def test_hls_build_is_deterministic(tmp_path, tfc_hls):
    """A second --impl hls build into another folder is byte-identical, hls/ included, and
    build_info / the build log say which layers are HLS without naming the temporary folder."""
    again = tmp_path / "again"
    build(TFC, again, target_fps=10000, prefer="hls")

    def files(d: Path) -> dict[str, bytes]:  # but the stage timings, which differ on every run
        return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
                if p.is_file() and p.name != "time_per_step.json"}

    fa, fb = files(tfc_hls), files(again)
    assert fa == fb
    info = json.loads(fa["build_info.json"])
    assert info["impl"] == "hls" and info["hls_layers"] == [f"MVAU_hls_{i}" for i in range(4)]
    assert {f"hls/MVAU_hls_{i}/MVAU_hls_{i}.cpp" for i in range(4)} <= set(fa)
    log = fa["build.log"].decode()
    assert "hls: 4 layer top functions -> hls" in log and ".tmp-" not in log


def test_a_wrong_hls_layer_is_caught(tmp_path, tfc_hls):
    """The layer-by-layer check can fail: a copy of the build whose second MVAU has its +1
    weights turned into -1 in the generated constants is reported for that layer only,
    with the first differing beat."""
    from finn_xdsl.backends.hls import emit_hls
    from finn_xdsl.frontend.load import load_module

    out = tmp_path / "copy"
    shutil.copytree(tfc_hls, out)
    module = load_module(str(out / "intermediate" / "final.mlir"))
    records = [replace(r, directory=out / "hls" / r.name) for r in emit_hls(module, tmp_path / "scratch")]
    victim = [r.name for r in records if r.name.startswith("MVAU")][1]
    params = out / "hls" / victim / f"{victim}_params.hpp"
    text = params.read_text()
    start = text.index("weights[")
    end = text.index("};", start)
    # 2-bit two's complement weights: 1 (+1) -> 3 (-1), however the literal is spelled
    flipped, n = re.subn(r"(?<![\w])(0x)?1(ULL)?(?![\w])", r"\g<1>3\g<2>", text[start:end])
    assert n > 100
    params.write_text(text[:start] + flipped + text[end:])
    shape = execute_shape(module)
    xs = verification_inputs(shape, _sample(shape), 3, 0)
    report = verify_layers(module, out, records, xs)
    bad = {name: entry for name, entry in report["layers"].items() if not entry["ok"]}
    assert list(bad) == [victim]
    assert "out0_V frame 0 beat" in bad[victim]["error"] and "expected" in bad[victim]["error"]


def _sample(shape):
    import numpy as np

    return np.load(sample_input_path(Path(TFC))).reshape(shape)


def test_mixed_design_layer_by_layer(capsys, tmp_path):
    """A folding config asking for HLS on the first and third MVAU and RTL on the others
    gives a mixed design: -t hls writes only the HLS layers, -t sv wraps only the RTL ones,
    --verify checks each layer by its own method; --csim refuses it in one line and leaves
    the previous build in place."""
    base = tmp_path / "base"
    assert run(capsys, TFC, "-o", str(base), "--target-fps", "10000")[0] == 0
    cfg = read(base, "report/folding_config.json")
    mvaus = sorted((n for n in cfg if n.startswith("MVAU")), key=lambda n: int(n.rsplit("_", 1)[1]))
    assert len(mvaus) == 4
    style = dict(zip(mvaus, ["hls", "rtl", "hls", "rtl"], strict=True))
    for name, s in style.items():
        cfg[name]["preferred_impl_style"] = s
    folding = tmp_path / "mixed.json"
    folding.write_text(json.dumps(cfg))
    out = tmp_path / "mixed"
    code, err = run(capsys, TFC, "-o", str(out), "--folding", str(folding), "--verify")
    assert code == 0, err
    info = read(out, "build_info.json")
    hls = [n for n in mvaus if style[n] == "hls"]
    rtl = [n for n in mvaus if style[n] == "rtl"]
    assert info["hls_layers"] == hls
    assert [n for n in info["rtl_layers"] if not is_fifo(n)] == rtl
    assert sorted(p.name for p in (out / "hls").iterdir()) == sorted([*hls, "include"])
    for name in hls:
        assert not (out / "rtl" / f"{name}.sv").exists()
    for name in rtl:
        assert (out / "rtl" / f"{name}.sv").is_file()
    report = read(out, "report/layer_verification.json")
    methods = {n: (e["impl"], e["method"], e["ok"]) for n, e in report["layers"].items()}
    assert methods == {n: ("hls", "csim", True) if n in hls else ("rtl", "rtlsim", True) for n in methods}
    assert set(rtl) <= set(methods) and set(hls) <= set(methods)
    assert "verify: bit-exact layer by layer on 4 frames (2 C-simulated" in err
    assert not (out / "sim").exists()
    before = sorted(p.name for p in out.rglob("*"))
    code, err = run(capsys, TFC, "-o", str(out), "--folding", str(folding), "--csim")
    assert code == 1
    line = one_error_line(err)
    assert "--csim" in line and "--impl hls" in line and rtl[0] in line
    assert sorted(p.name for p in out.rglob("*")) == before


@pytest.mark.skipif(not FULL, reason="runs with FINN_XDSL_FULL_BUILD=1")
def test_impl_finn_cnv_layer_by_layer(capsys, tmp_path):
    """FINN's own choice for cnv_1w1a mixes the styles (RTL SWGs, HLS MVAUs and pooling):
    --verify checks it layer by layer, each layer by its own method."""
    out = tmp_path / "build"
    code, err = run(capsys, str(model_path("cnv_1w1a_ts_clean")), "-o", str(out), "--impl", "finn", "--verify")
    assert code == 0, err
    info = read(out, "build_info.json")
    assert info["impl"] == "finn"
    assert any(n.startswith("ConvolutionInputGenerator_rtl") for n in info["rtl_layers"])
    assert any(n.startswith("MVAU_hls") for n in info["hls_layers"])
    report = read(out, "report/layer_verification.json")
    for name, entry in report["layers"].items():
        assert entry["ok"] and entry["method"] == {"hls": "csim", "rtl": "rtlsim"}[entry["impl"]], (name, entry)
    assert set(report["layers"]) == set(info["hls_layers"]) | set(info["rtl_layers"])


@pytest.mark.parametrize(
    "model, argv, message",
    [
        ("tfc_2w2a", ["--csim"], "MVAU_rtl_0 is RTL"),  # the default, --impl rtl
        ("cnv_1w1a", ["--impl", "finn", "--csim"], "ConvolutionInputGenerator_rtl_0 is RTL"),  # FINN's RTL SWG
    ],
)
def test_csim_needs_hls_layers(capsys, tmp_path, model, argv, message):
    """--csim alone runs the whole-graph C-simulation; on a design with RTL layers (other
    than FIFOs) it is refused before anything is written, pointing at --impl hls."""
    code, err = run(capsys, str(model_path(f"{model}_ts_clean")), "-o", str(tmp_path / "out"), *argv)
    assert code == 1
    line = one_error_line(err)
    assert message in line and "--impl hls" in line
    assert list(tmp_path.iterdir()) == []


def test_unknown_impl(capsys, tmp_path):
    with pytest.raises(SystemExit) as e:
        main([TFC, "-o", str(tmp_path / "out"), "--impl", "vhdl"])
    assert e.value.code == 2 and "invalid choice: 'vhdl'" in capsys.readouterr().err
    with pytest.raises(FinnError, match="unknown implementation 'vhdl'"):
        build(TFC, tmp_path / "out", prefer="vhdl")
    assert list(tmp_path.iterdir()) == []
