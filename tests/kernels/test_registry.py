"""
The layer library's registry: every dataflow layer op has a complete spec whose library
files exist, and a plan recorded on the IR by legalize-layers reads back as the very plan
the library decides (so the printers print the same whether the pass ran or not).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.frontend.load import make_context
from finn_xdsl.kernels import (
    PLAN_ATTR,
    decide,
    hls_call,
    library_of,
    partition_layers,
    plan_of,
    spec_of,
    specs,
    style_of,
)
from finn_xdsl.kernels.plan import LayerPlan
from finn_xdsl.layer_libraries import hls_dir, rtl_dir
from finn_xdsl.passes.legalize_layers import LegalizeLayersPass


@pytest.mark.parametrize("op", df.LAYERS, ids=lambda c: c.name)
def test_every_layer_has_a_complete_spec(op):
    spec = spec_of(op)
    assert spec.op is op and spec.complete
    assert spec.rtl_module is not None or spec.hls_template is not None, "a layer no library realises"
    for files in spec.library.values():
        assert all((rtl_dir() / f"{f}.sv").is_file() for f in files), files
    if spec.hls_template is not None:
        assert (hls_dir() / spec.hls_header).is_file() and spec.hls_params
    assert set(spec.finn_variants) <= {"hls", "rtl"}


def test_registry_is_the_dialect():
    assert set(specs()) == set(df.LAYERS)
    assert library_of("fx_memstream") == ("fx_memstream",)
    assert library_of("fx_swg_parallel") == ("fx_swg_parallel", "fx_fifo")


def _same(a: LayerPlan, b: LayerPlan) -> None:
    skip = {"tables", "memories"}
    for k in a.__dataclass_fields__:
        if k not in skip:
            assert getattr(a, k) == getattr(b, k), (a.name, k)
    assert a.memories == b.memories, a.name
    assert a.tables.keys() == b.tables.keys() and all(np.array_equal(a.tables[k], b.tables[k]) for k in a.tables)


@pytest.fixture(scope="module", params=[("tfc_2w2a", "rtl"), ("cnv_1w1a", "rtl"), ("cnv_2w2a", "hls"),
                                        ("tfc_1w1a", "hls")], ids=lambda p: f"{p[0]}-{p[1]}")
def folded(request):
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    model, prefer = request.param
    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ToFoldedPass(target_fps=10000, prefer=prefer).apply(make_context(), module)
    return module


def test_recorded_plans_read_back_as_decided(folded):
    module = folded.clone()
    LegalizeLayersPass().apply(make_context(), module)
    for layer in partition_layers(module):
        assert PLAN_ATTR in layer.attributes
        decided = decide(layer, style_of(layer))
        read = plan_of(layer)
        _same(read, decided)
        if style_of(layer) == "hls":
            assert hls_call(layer, read) == hls_call(layer, decided)


def test_legalize_layers_is_idempotent(folded):
    once = folded.clone()
    LegalizeLayersPass().apply(make_context(), once)
    twice = once.clone()
    LegalizeLayersPass().apply(make_context(), twice)
    assert str(once) == str(twice)
