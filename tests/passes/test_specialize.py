"""specialize: impl = the backend that realises the layer, chosen by what our rtl/ and hls/
libraries implement (prefer=rtl|hls) or by FINN's SpecializeLayers rules (prefer=finn, checked
against FINN's own reports); preferred_impl_style falls back with a one-line warning; FINN's
specialised names (GiveUniqueNodeNames) on every bundled model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, MODEL_FILES
from pass_harness import model_inputs, run
from xdsl.dialects.builtin import StringAttr
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes import get_all_passes
from finn_xdsl.passes.specialize import WIRES, SpecializePass, library_blocker
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.utils.diagnostics import FinnWarning

BASELINE = DATA / "finn_baseline"
LIT = Path(__file__).parents[2] / "lit_tests" / "passes"
NAME = re.compile(r"^(?P<op>[A-Za-z]+)_(?P<impl>hls|rtl)_(?P<k>\d+)$")
WIRE_NAME = re.compile(r"^Reshape_\d+$")
ZU7EV = "xczu7ev-ffvc1156-2-e"


@pytest.fixture(scope="module")
def lowered(imported):
    """Each model after to-dataflow, computed once (clone before changing it)."""
    cache = {}

    def get(name):
        if name not in cache:
            module = imported(name).clone()
            ToDataflowPass().apply(make_context(), module)
            cache[name] = module
        return cache[name]

    return get


def layers(module) -> list[df.DataflowOperation]:
    return [op for op in module.walk() if isinstance(op, df.DataflowOperation)]


def names(module) -> list[str]:
    return [op.node_name.data for op in layers(module)]


def specialized(module, **options):
    module = module.clone()
    SpecializePass(**options).apply(make_context(), module)
    return module


def verify_layers(module) -> None:
    """Verify every op. The dialect's MVAU check `SIMD >= MW / 1024` for HLS is FINN's ipgen
    assertion and only holds after folding (FINN runs SpecializeLayers before SetFolding),
    so that one message is tolerated here."""
    for op in module.walk():
        try:
            op.verify_()
        except VerifyException as e:
            if "SIMD >= MW / 1024" not in str(e):
                raise


@pytest.mark.parametrize("prefer", ["finn", "rtl", "hls"])
@pytest.mark.parametrize("name", MODEL_FILES)
def test_names_unique_and_finn_shaped(name, prefer, lowered):
    module = specialized(lowered(name), prefer=prefer)
    got = names(module)
    assert len(got) == len(set(got)), got
    counts: dict[str, list[int]] = {}
    for op in layers(module):
        n = op.node_name.data
        if isinstance(op, df.ReshapeOp):
            assert WIRE_NAME.match(n) and op.impl.data == "", n
            continue
        m = NAME.match(n)
        assert m, n
        assert m["op"] == op.FINN_OP and m["impl"] == op.impl.data
        assert op.impl.data in op.IMPLS
        if prefer != "finn":
            # the preferred style wherever our library has the layer
            assert op.impl.data == prefer or library_blocker(op, prefer) is not None, n
        counts.setdefault(f"{m['op']}_{m['impl']}", []).append(int(m["k"]))
    # numbered 0, 1, 2, ... per specialised op type in graph order
    for ks in counts.values():
        assert ks == list(range(len(ks)))
    verify_layers(module)
    # idempotent: running again changes nothing
    again = specialized(module, prefer=prefer)
    assert names(again) == got
    assert [op.impl.data for op in layers(again)] == [op.impl.data for op in layers(module)]


@pytest.mark.parametrize(
    "model, folder",
    [("cnv_1w1a_ts_clean", "cnv_1w1a_fps10000"), ("tfc_2w2a_ts_clean", "tfc_2w2a_fps100000")],
)
def test_finn_rules_reproduce_finn_names(model, folder, lowered):
    expected = list(json.loads((BASELINE / folder / "estimate_layer_cycles.json").read_text()))
    module = specialized(lowered(model), prefer="finn")
    got = names(module)
    # FINN inserts DWCs only later (InsertDWC); ours around the 2-D maxpools are extra
    dwcs = [n for n in got if n.startswith("StreamingDataWidthConverter_")]
    assert [n for n in got if n not in dwcs] == expected
    assert dwcs == [f"StreamingDataWidthConverter_rtl_{k}" for k in range(len(dwcs))]
    # the folding config FINN wrote uses the same names
    config = json.loads((BASELINE / folder / "auto_folding_config.json").read_text())
    assert set(config) - {"Defaults"} <= set(got)


def test_prefer_modes_cnv(lowered):
    base = lowered("cnv_2w2a_ts_clean")
    finn = {op.node_name.data: op for op in layers(specialized(base, prefer="finn"))}
    assert "ConvolutionInputGenerator_rtl_0" in finn and "StreamingMaxPool_hls_1" in finn
    # FINN: A = 2 bits < 4 keeps even the unthresholded last layer an HLS MVAU
    assert "MVAU_hls_8" in finn and not any(n.startswith("MVAU_rtl") for n in finn)
    # ours: every CNV layer has both an RTL module and an HLS template
    hls = names(specialized(base, prefer="hls"))
    assert "ConvolutionInputGenerator_hls_0" in hls and "StreamingDataWidthConverter_hls_0" in hls
    assert not any("_rtl_" in n for n in hls)
    rtl = names(specialized(base, prefer="rtl"))
    assert "MVAU_rtl_8" in rtl and "StreamingMaxPool_rtl_1" in rtl
    assert not any("_hls_" in n for n in rtl)


def test_tfc_mvau_rules(lowered):
    base = lowered("tfc_2w2a_ts_clean")
    # FINN default: A = 2 bits < 4 -> HLS even where FINN's RTL MVU could do it
    assert names(specialized(base, prefer="finn"))[-1] == "MVAU_hls_3"
    # fx_mvu fuses thresholds: every TFC layer is an RTL MVAU
    assert names(specialized(base, prefer="rtl")) == [f"MVAU_rtl_{k}" for k in range(4)]
    assert names(specialized(base, prefer="rtl", fpgapart=ZU7EV)) == [f"MVAU_rtl_{k}" for k in range(4)]


@pytest.mark.parametrize("name", ["tfc_1w2a_ts_raw", "cnv_1w1a_ts_clean"])
def test_interpreter_output_unchanged(name, lowered):
    module = lowered(name)
    inputs = model_inputs(module, name, draws=0)
    before = run(module, inputs)
    for prefer in ("rtl", "hls"):
        after = run(specialized(module, prefer=prefer), inputs)
        for b, a in zip(before[0], after[0]):
            np.testing.assert_array_equal(a, b)


def _with_override(module, finn_op: str, style: str, index: int = 0, **props):
    module = module.clone()
    op = [o for o in layers(module) if o.FINN_OP == finn_op][index]
    op.attributes["preferred_impl_style"] = StringAttr(style)
    op.set_values(**props)
    return module


def test_override_wins(lowered):
    base = lowered("cnv_1w1a_ts_clean")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # honoured: no warning
        module = specialized(_with_override(base, "ConvolutionInputGenerator", "hls", 1), prefer="rtl")
    got = names(module)
    assert got[:3] == ["ConvolutionInputGenerator_rtl_0", "MVAU_rtl_0", "ConvolutionInputGenerator_hls_0"]
    assert got[7] == "ConvolutionInputGenerator_rtl_1"
    # idempotent with the override in place
    assert names(specialized(module, prefer="hls")) == got


FALLBACKS = [
    # (prefer, op, requested style, extra properties, expected impl, reason in the warning)
    ("rtl", "ConvolutionInputGenerator", "hls", {"parallel_window": True, "simd": 64}, "rtl",
     "parallel_window (a whole window per beat) has no HLS template"),
    ("hls", "ConvolutionInputGenerator", "hls", {"parallel_window": True, "simd": 64}, "rtl",
     "parallel_window (a whole window per beat) has no HLS template"),
    ("finn", "StreamingMaxPool", "rtl", {}, "hls", "FINN's StreamingMaxPool has hls"),
    ("finn", "MVAU", "rtl", {}, "hls", "the RTL MVU/VVU has no fused thresholds (needs noActivation)"),
]


@pytest.mark.parametrize("prefer, finn_op, style, props, impl, why", FALLBACKS)
def test_override_falls_back_with_warning(prefer, finn_op, style, props, impl, why, lowered):
    module = _with_override(lowered("cnv_1w1a_ts_clean"), finn_op, style, 1, **props)
    with pytest.warns(FinnWarning) as record:
        SpecializePass(prefer=prefer).apply(make_context(), module)
    (w,) = record
    op = [o for o in layers(module) if o.FINN_OP == finn_op][1]
    assert op.impl.data == impl and op.display_name.startswith(f"{finn_op}_{impl}_")
    message = str(w.message)
    assert "\n" not in message
    assert message == (f"specialize: {op.name} '{finn_op}_1': preferred_impl_style \"{style}\" cannot be used: "
                       f"{why}; using \"{impl}\"")


def test_override_neither_style_keeps_request(lowered):
    """runtime-writeable weights: neither library has them; the requested style stays and
    its backend reports the one-line error, no fallback warning."""
    module = _with_override(lowered("tfc_2w2a_ts_clean"), "MVAU", "hls", 0, runtime_writeable_weights=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SpecializePass(prefer="rtl").apply(make_context(), module)
    assert names(module)[0] == "MVAU_hls_0"


def test_override_errors(lowered):
    module = _with_override(lowered("cnv_1w1a_ts_clean"), "MVAU", "vhdl")
    with pytest.raises(FinnError, match='preferred_impl_style "vhdl" is not one of'):
        SpecializePass().apply(make_context(), module)
    module = _with_override(lowered("cnv_1w1a_ts_clean"), "MVAU", "hls")
    next(o for o in layers(module) if o.FINN_OP == "MVAU").impl = StringAttr("rtl")
    with pytest.raises(FinnError, match='"hls" conflicts with the already chosen impl "rtl"'):
        SpecializePass().apply(make_context(), module)


def test_warning_is_one_line_on_stderr():
    """finn-opt prints the fallback as a single `warning:` line (no Python source excerpt);
    lit_tests/passes/specialize.mlir has a FIFO asking for HLS."""
    done = subprocess.run([sys.executable, "-m", "finn_xdsl.tools.finn_opt", str(LIT / "specialize.mlir"),
                           "-p", "specialize"], capture_output=True, text=True, check=True)
    expected = ("warning: specialize: dataflow.fifo 'StreamingFIFO_0': preferred_impl_style \"hls\" cannot be used: "
                "no hls/ library template implements StreamingFIFO; using \"rtl\"")
    assert done.stderr.splitlines() == [expected]
    assert 'node_name = "StreamingFIFO_rtl_0"' in done.stdout


# ----------------------------------------------------------------------------- our libraries


def test_library_ops_match_backends():
    """The dialect's IMPLS of each op are the libraries the layer specs name."""
    from finn_xdsl.kernels import spec_of

    for cls in df.LAYERS:
        if cls in WIRES:
            continue
        assert ("rtl" in cls.IMPLS) == (spec_of(cls).rtl_module is not None), cls
        assert ("hls" in cls.IMPLS) == (spec_of(cls).hls_template is not None), cls


BLOCKED = [
    # (op, properties, styles library_blocker refuses)
    ("MVAU", {"runtime_writeable_weights": True}, ("rtl", "hls")),
    ("MVAU", {"mem_mode": "external"}, ("rtl", "hls")),
    ("ConvolutionInputGenerator", {"parallel_window": True, "simd": 8}, ("rtl", "hls")),
    ("ConvolutionInputGenerator", {"parallel_window": True, "simd": 64}, ("hls",)),
    ("ConvolutionInputGenerator", {"simd": 8}, ()),
    ("MVAU", {"mem_mode": "internal_embedded"}, ()),
]


@pytest.mark.parametrize("finn_op, props, refused", BLOCKED)
def test_library_blocker_agrees_with_backends(finn_op, props, refused, lowered):
    """Where library_blocker refuses a style, that backend's legaliser refuses the layer with
    its one-line error; where it accepts, the legaliser accepts."""
    from finn_xdsl.kernels import decide

    module = lowered("cnv_1w1a_ts_clean").clone()
    op = [o for o in layers(module) if o.FINN_OP == finn_op][1]
    op.set_values(**props)
    for style in ("rtl", "hls"):
        why = library_blocker(op, style)
        assert (why is not None) == (style in refused), (style, why)
        if why is None:
            decide(op, style)
        else:
            with pytest.raises(FinnError):
                decide(op, style)


def test_bad_options(lowered):
    module = lowered("tfc_1w1a_ts_clean").clone()
    with pytest.raises(FinnError, match="prefer must be one of"):
        SpecializePass(prefer="vivado").apply(make_context(), module)
    with pytest.raises(FinnError, match="unknown FPGA part"):
        SpecializePass(fpgapart="ep4ce22f17c6").apply(make_context(), module)
    assert names(module) == names(lowered("tfc_1w1a_ts_clean"))  # untouched


def test_registered():
    cls = get_all_passes()["specialize"]()
    assert cls is SpecializePass
    assert SpecializePass().prefer == "rtl" and SpecializePass().fpgapart == "xc7z020clg400-1"


# ----------------------------------------------------------------------------- apply-folding


@pytest.fixture(scope="module")
def folded_cnv(imported):
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = imported("cnv_1w1a_ts_clean").clone()
    ToFoldedPass(target_fps=10000).apply(make_context(), module)
    return module


def test_apply_folding_preferred_impl_style(folded_cnv):
    """A folding config's preferred_impl_style is honoured where the library can, after all
    of the node's attributes are in place; else the other style with the one-line warning.
    Names stay (they are the config's keys)."""
    from finn_xdsl.passes.apply_folding import apply_folding_config

    module = folded_cnv.clone()
    config = {"MVAU_rtl_2": {"preferred_impl_style": "hls"},
              "ConvolutionInputGenerator_rtl_1": {"SIMD": 64, "parallel_window": 1, "preferred_impl_style": "hls"}}
    with pytest.warns(FinnWarning) as record:
        apply_folding_config(module, config)
    expected = ("apply-folding: dataflow.swg 'ConvolutionInputGenerator_rtl_1': preferred_impl_style \"hls\" cannot "
                "be used: parallel_window (a whole window per beat) has no HLS template; using \"rtl\"")
    assert [str(w.message) for w in record] == [expected]
    ops = {op.display_name: op for op in layers(module)}
    assert ops["MVAU_rtl_2"].impl.data == "hls"
    assert ops["ConvolutionInputGenerator_rtl_1"].impl.data == "rtl"
    assert ops["ConvolutionInputGenerator_rtl_1"].value_of("parallel_window")


def test_apply_folding_prefer_restyles_dwcs(folded_cnv, tmp_path):
    """Told the build's preference, apply-folding gives every DWC that style and the
    matching name, whatever ratio retyping left it with (64 -> 36 lanes here: FINN's RTL
    DWC could not, ours can)."""
    from finn_xdsl.passes.apply_folding import ApplyFoldingPass

    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({"MVAU_rtl_1": {"SIMD": 36}}))
    for prefer in ("rtl", "hls"):
        module = folded_cnv.clone()
        ApplyFoldingPass(file=str(path), prefer=prefer).apply(make_context(), module)
        dwcs = [op for op in layers(module) if isinstance(op, df.DWCOp)]
        assert any(op.in_type().num_lanes == 64 and op.out_type().num_lanes == 36 for op in dwcs)
        assert all(op.impl.data == prefer and op.display_name.startswith(f"StreamingDataWidthConverter_{prefer}_")
                   for op in dwcs)
        names_ = [op.display_name for op in dwcs]
        assert len(set(names_)) == len(names_)
    with pytest.raises(FinnError, match='apply-folding: prefer must be one of rtl, hls, finn, got "x"'):
        ApplyFoldingPass(file=str(path), prefer="x").apply(make_context(), folded_cnv.clone())


def test_finn_build_shows_fallback_as_one_line(folded_cnv, tmp_path):
    """finn-build --folding: the fallback is one `warning:` line among the stage lines."""
    from finn_xdsl.backends.folding_config import folding_config

    config = folding_config(folded_cnv)
    config["ConvolutionInputGenerator_rtl_1"].update(SIMD=64, parallel_window=1, preferred_impl_style="hls")
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(config))
    done = subprocess.run([sys.executable, "-m", "finn_xdsl.tools.finn_build", str(DATA / "cnv_1w1a_ts_clean.onnx"),
                           "-o", str(tmp_path / "build"), "--folding", str(path)],
                          capture_output=True, text=True, check=True)
    warned = [line for line in done.stderr.splitlines() if "warning" in line]
    expected = ("warning: apply-folding: dataflow.swg 'ConvolutionInputGenerator_rtl_1': preferred_impl_style "
                "\"hls\" cannot be used: parallel_window (a whole window per beat) has no HLS template; using \"rtl\"")
    assert warned == [expected]
