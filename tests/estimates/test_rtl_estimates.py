"""The models of our rtl/ modules and how -t report uses them (no Yosys here: the fit against
Yosys is benchmarks/rtl_estimates.py's job).

- the dispatcher finn_xdsl.estimates.rtl.module_resources: by module name, None without a
  formula file, every formula file answering its own fit grid with the five keys;
- the report on a built model (tfc_2w2a at 1e5 fps): every impl="rtl" layer priced by our
  models when its wrapper's modules all have one (stand-in formulas injected, so the test
  does not depend on which formula files exist yet), FINN's formula with a "model" note
  otherwise, and under specialize{prefer=finn} FINN's entries untouched.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest
from conftest import model_path
from xdsl.dialects.builtin import StringAttr

import finn_xdsl.estimates.rtl as rtl_models
from finn_xdsl.backends.report import ReportTarget, conformance_mode, finn_entry, plan_model
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.network import is_last_node
from finn_xdsl.estimates.resources import KEYS, layer_resources
from finn_xdsl.estimates.rtl import MODEL_KEYS, module_resources
from finn_xdsl.frontend.load import make_context
from finn_xdsl.frontend.qonnx import import_onnx
from finn_xdsl.kernels import rtl_plan as legalize
from finn_xdsl.passes.to_folded import ToFoldedPass

FIT = Path(__file__).resolve().parents[2] / "benchmarks" / "rtl_fit"
MODULES = ("fx_mvu", "fx_memstream", "fx_thresholding", "fx_swg", "fx_swg_parallel", "fx_fmpadding",
           "fx_streaming_maxpool", "fx_dwc", "fx_label_select", "fx_fifo", "fx_add_streams", "fx_duplicate_streams")


def test_dispatch_unknown_module_is_none():
    assert module_resources("fx_no_such_module", {}) is None
    assert module_resources("os", {}) is None  # only fx_* names are looked up
    assert not rtl_models.has_model("fx_no_such_module")


def test_dispatch_by_name(monkeypatch):
    monkeypatch.setitem(rtl_models._cache, "fx_fake", lambda p: {"LUT": p["N"] * 1.6, "DSP": 1})
    assert module_resources("fx_fake", {"N": 10}) == {"LUT": 16, "LUTRAM": 0, "FF": 0, "BRAM18": 0, "DSP": 1}


def _grids():
    return sorted(FIT.glob("fx_*.py")) if FIT.is_dir() else []


@pytest.mark.parametrize("grid", _grids(), ids=lambda p: p.stem)
def test_formula_answers_its_grid(grid):
    spec = importlib.util.spec_from_file_location(f"rtl_fit_{grid.stem}", grid)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert len(mod.CASES) >= 20, "fit grids have at least 20 configurations"
    for label, params, _ in mod.CASES:
        r = module_resources(grid.stem, params)
        assert r is not None, f"{grid.stem}: a grid without a formula file"
        assert set(r) == set(MODEL_KEYS) and all(isinstance(v, int) and v >= 0 for v in r.values()), label


def _tfc(prefer: str):
    module = import_onnx(model_path("tfc_2w2a_ts_clean"))
    ToFoldedPass(target_fps=100000, prefer=prefer).apply(make_context(), module)
    return module


def _report(module, tmp_path) -> dict:
    ReportTarget(dir=str(tmp_path)).emit(make_context(), module, io.StringIO())
    return json.loads((tmp_path / "estimate_layer_resources.json").read_text())


def _layers(module):
    return [op for p in module.walk() if isinstance(p, df.PartitionOp) for op in p.layers()
            if not isinstance(op, df.ReshapeOp)]


@pytest.fixture
def stand_in_models(monkeypatch):
    """Every module priced 100 LUT, 10 LUTRAM, 1 BRAM18, 2 DSP."""
    for m in MODULES:
        monkeypatch.setitem(rtl_models._cache, m, lambda p: {"LUT": 100, "LUTRAM": 10, "FF": 5, "BRAM18": 1, "DSP": 2})


def test_report_prices_rtl_layers_with_our_models(tmp_path, stand_in_models):
    module = _tfc("rtl")
    res = _report(module, tmp_path)
    rtl = [op for op in _layers(module) if op.impl.data == "rtl"]
    assert rtl, "tfc_2w2a at prefer=rtl has rtl layers"
    for op in rtl:
        entry = res[op.display_name]
        plan = legalize(op)
        n = 1 + (plan.memstream is not None)
        assert entry["model"].startswith("rtl model: " + plan.module)
        assert list(entry)[:len(KEYS)] == list(KEYS)  # FINN's keys, FINN's order, then "model"
        assert entry["LUT"] == 110 * n and entry["BRAM_18K"] == n and entry["DSP"] == 2 * n
        assert entry["URAM"] == 0
        assert {k: entry[k] for k in KEYS} == finn_entry(plan_model(plan)[0])
    for k in ("LUT", "BRAM_18K", "DSP"):
        assert res["total"][k] == sum(float(v[k]) for n, v in res.items() if n != "total")


def test_report_falls_back_to_finn_without_a_model(tmp_path, monkeypatch):
    for m in MODULES:
        monkeypatch.setitem(rtl_models._cache, m, None)
    module = _tfc("rtl")
    res = _report(module, tmp_path)
    for op in _layers(module):
        if op.impl.data == "rtl":
            entry = res[op.display_name]
            assert entry["model"].startswith("FINN formula (no model of fx_")
            finn = layer_resources(op, minimize=True, last_node=is_last_node(op))
            assert {k: entry[k] for k in KEYS} == finn


def test_prefer_finn_keeps_finn_formulas(tmp_path, stand_in_models):
    module = _tfc("finn")
    parts = [p for p in module.walk() if isinstance(p, df.PartitionOp)]
    assert parts and all(conformance_mode(p) for p in parts)
    assert all(list(e) == list(KEYS) for n, e in _report(module, tmp_path).items() if n != "total")
    assert not any(conformance_mode(p) for p in _tfc("rtl").walk() if isinstance(p, df.PartitionOp))
    # the report reads the mark: our rtl design marked as FINN's keeps FINN's formulas
    module = _tfc("rtl")
    for p in module.walk():
        if isinstance(p, df.PartitionOp):
            p.attributes["prefer"] = StringAttr("finn")
    res = _report(module, tmp_path)
    assert any(op.impl.data == "rtl" for op in _layers(module))
    for op in _layers(module):
        entry = res[op.display_name]
        assert list(entry) == list(KEYS)  # no "model": FINN's entry as FINN writes it
        assert entry == layer_resources(op, minimize=True, last_node=is_last_node(op))
