"""specialize: impl choice per FINN's SpecializeLayers rules and FINN's specialised names
(GiveUniqueNodeNames), on every bundled model and against FINN's own reports."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import DATA, MODEL_FILES
from pass_harness import model_inputs, run
from xdsl.dialects.builtin import StringAttr
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.passes import get_all_passes
from finn_xdsl.passes.specialize import SpecializePass
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.tools.common import make_context

BASELINE = DATA / "finn_baseline"
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
    hls = names(specialized(base, prefer="hls"))
    assert "ConvolutionInputGenerator_hls_0" in hls and "StreamingDataWidthConverter_hls_0" in hls
    assert not any("_rtl_" in n for n in hls)
    # the last CNV-w2a2 layer (2-bit signed narrow weights, no thresholds) can be an RTL MVU
    rtl = names(specialized(base, prefer="rtl"))
    assert "MVAU_rtl_0" in rtl and "MVAU_hls_7" in rtl and "MVAU_hls_8" not in rtl
    assert "StreamingMaxPool_hls_0" in rtl  # no RTL maxpool in FINN


def test_tfc_mvau_rtl_rules(lowered):
    base = lowered("tfc_2w2a_ts_clean")
    # FINN default: A = 2 bits < 4 -> HLS even where the RTL MVU could do it
    assert names(specialized(base, prefer="finn"))[-1] == "MVAU_hls_3"
    assert names(specialized(base, prefer="rtl"))[-1] == "MVAU_rtl_0"
    # layers with thresholds never become RTL MVUs
    assert names(specialized(base, prefer="rtl", fpgapart=ZU7EV))[:3] == ["MVAU_hls_0", "MVAU_hls_1", "MVAU_hls_2"]


@pytest.mark.parametrize("name", ["tfc_1w2a_ts_raw", "cnv_1w1a_ts_clean"])
def test_interpreter_output_unchanged(name, lowered):
    module = lowered(name)
    inputs = model_inputs(module, name, draws=0)
    before = run(module, inputs)
    for prefer in ("rtl", "hls"):
        after = run(specialized(module, prefer=prefer), inputs)
        for b, a in zip(before[0], after[0]):
            np.testing.assert_array_equal(a, b)


def _with_override(module, finn_op: str, style: str, index: int = 0):
    module = module.clone()
    op = [o for o in layers(module) if o.FINN_OP == finn_op][index]
    op.attributes["preferred_impl_style"] = StringAttr(style)
    return module


def test_override_wins(lowered):
    base = lowered("cnv_1w1a_ts_clean")
    module = specialized(_with_override(base, "ConvolutionInputGenerator", "hls", 1), prefer="rtl")
    got = names(module)
    assert got[:3] == ["ConvolutionInputGenerator_rtl_0", "MVAU_hls_0", "ConvolutionInputGenerator_hls_0"]
    assert got[7] == "ConvolutionInputGenerator_rtl_1"
    # idempotent with the override in place
    assert names(specialized(module, prefer="hls")) == got


@pytest.mark.parametrize(
    "finn_op, style, message",
    [
        ("StreamingMaxPool", "rtl", "'StreamingMaxPool_0': preferred_impl_style \"rtl\" is not available: StreamingMaxPool has hls"),
        ("MVAU", "rtl", "'MVAU_0': preferred_impl_style \"rtl\" cannot be used: the RTL MVU/VVU has no fused thresholds"),
        ("MVAU", "vhdl", "is not one of"),
    ],
)
def test_override_errors(finn_op, style, message, lowered):
    module = _with_override(lowered("cnv_1w1a_ts_clean"), finn_op, style)
    with pytest.raises(FinnError, match=re.escape(message)):
        SpecializePass().apply(make_context(), module)


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
