"""impl is the backend, not a folding decision: choosing our libraries' styles
(specialize{prefer=rtl}, the default) instead of FINN's (prefer=finn) changes layer impls and
names only — set-folding's choices and size-fifos' depths stay what FINN's rules give.

Folding reads impl in two places (set_folding.py): an RTL SWG still too slow at SIMD = C gets
parallel_window = 1, and an HLS MVAU keeps SIMD >= MW/1024. With prefer=rtl every layer of the
bundled models is RTL, and FINN's rules already make every SWG RTL and never hit the MW/1024
limit, so nothing changes. prefer=hls does change the folding where an SWG needs
parallel_window (our HLS SWG has no parallel mode): the CNVs at 1e5 fps, whose HLS SWG then
is the bottleneck (8196 instead of 1026 cycles for cnv_1w1a), tested below.
"""

from __future__ import annotations

import re
import warnings

import pytest
from conftest import MODELS

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow import partitions
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes.insert_fifos import InsertFifosPass
from finn_xdsl.passes.size_fifos import SizeFifosPass
from finn_xdsl.passes.to_folded import ToFoldedPass

RATES = [1e3, 1e4, 1e5]
SUFFIX = re.compile(r"_(hls|rtl)_(\d+)$")


def folded(imported, model: str, fps: float, prefer: str):
    module = imported(f"{model}_ts_clean").clone()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback happens on the bundled models
        ToFoldedPass(target_fps=fps, prefer=prefer).apply(make_context(), module)
    return module


def layers(module) -> list[df.DataflowOperation]:
    return [op for op in module.walk() if isinstance(op, df.DataflowOperation)]


def folding(op: df.DataflowOperation) -> tuple:
    """Everything about a layer but its impl and name: op, properties, stream types."""
    props = {k: str(v) for k, v in op.properties.items() if k not in ("impl", "node_name")}
    return (op.name, sorted(props.items()), [str(v.type) for v in (*op.operands, *op.results)])


def stem(name: str) -> str:
    """MVAU_rtl_3 -> MVAU (the name without impl and number)."""
    return SUFFIX.sub("", name)


@pytest.mark.parametrize("fps", RATES, ids=lambda f: f"{f:g}")
@pytest.mark.parametrize("model", MODELS)
def test_rtl_folding_equals_finn_folding(imported, model, fps):
    finn = layers(folded(imported, model, fps, "finn"))
    rtl = layers(folded(imported, model, fps, "rtl"))
    assert [folding(op) for op in rtl] == [folding(op) for op in finn]
    assert [stem(op.display_name) for op in rtl] == [stem(op.display_name) for op in finn]
    # every layer of these models is realised by our RTL library, width converters included
    assert {op.impl.data for op in rtl if not isinstance(op, df.ReshapeOp)} == {"rtl"}
    names = [op.display_name for op in rtl]
    assert len(set(names)) == len(names)
    assert all(op.display_name.startswith(f"{op.FINN_OP}_rtl_") for op in rtl if not isinstance(op, df.ReshapeOp))


@pytest.mark.parametrize("fps", RATES, ids=lambda f: f"{f:g}")
@pytest.mark.parametrize("model", MODELS)
def test_hls_folding(imported, model, fps):
    """prefer=hls: every layer HLS (DWCs too). The folding equals FINN's except where FINN's
    RTL SWG takes parallel_window: our HLS SWG cannot, so it stays at SIMD = C and the
    rest of the pipeline is balanced around that slower bottleneck."""
    finn_mod = folded(imported, model, fps, "finn")
    hls_mod = folded(imported, model, fps, "hls")
    hls = layers(hls_mod)
    assert {op.impl.data for op in hls if not isinstance(op, df.ReshapeOp)} == {"hls"}
    assert not any(op.value_of("parallel_window") for op in hls if isinstance(op, df.SWGOp))
    windows = [op for op in layers(finn_mod) if isinstance(op, df.SWGOp) and op.value_of("parallel_window")]
    if not windows:
        assert [folding(op) for op in hls] == [folding(op) for op in layers(finn_mod)]
    else:
        assert model.startswith("cnv") and fps == 1e5
        slowest = max(hls, key=lambda op: op.cycles())
        assert isinstance(slowest, df.SWGOp)
        assert slowest.cycles() > max(op.cycles() for op in layers(finn_mod))


def _fifo_depths(module) -> list[tuple[str, int]]:
    return [(stem(op.display_name), op.value_of("depth")) for op in layers(module) if isinstance(op, df.FIFOOp)]


@pytest.mark.parametrize("model", ["tfc_2w2a", "cnv_1w1a"])
def test_fifo_depths_unchanged(imported, model):
    """size-fifos simulates our RTL's token models, which depend on the folding only; the
    analytic bound it aims at is the slowest layer's cycles(), which the new RTL variants
    (StreamingMaxPool: IH·IW·C/PE + 1 instead of FINN's HLS formula) leave unchanged here."""
    depths = {}
    for prefer in ("finn", "rtl"):
        module = folded(imported, model, 1e4, prefer)
        for p in (InsertFifosPass(), SizeFifosPass()):
            p.apply(make_context(), module)
        (part,) = partitions(module)
        depths[prefer] = _fifo_depths(module)
        assert all(op.impl.data == "rtl" for op in part.layers() if isinstance(op, df.FIFOOp))
    assert depths["rtl"] == depths["finn"]
    assert depths["rtl"]


# ----------------------------------------------------------------------------- the new RTL variants


def _stream(shape, lanes, bits=4):
    from xdsl.dialects.builtin import IntegerType, Signedness
    from xdsl.ir import Block

    elem = IntegerType(bits, Signedness.SIGNED)
    return Block(arg_types=[df.StreamType.of(shape, elem, lanes)]).args[0]


@pytest.mark.parametrize("impl", ["hls", "rtl"])
def test_new_rtl_variants_cycles(impl):
    """cycles() of the variants only our rtl/ has (FINN: HLS only), as the RTL runs
    (tests/rtl/test_maxpool.py, tests/rtl/test_streams.py measure them); HLS keeps FINN's."""
    from xdsl.dialects.builtin import IntegerType, Signedness

    pool = df.StreamingMaxPoolOp(_stream((1, 8, 8, 3), 3), (2, 2), node_name="P", impl=impl)
    pool_1d = df.StreamingMaxPoolOp(_stream((1, 1, 12, 4), 2), (1, 3), node_name="P", impl=impl)
    labels = df.LabelSelectOp(_stream((1, 12), 4), 5, IntegerType(4, Signedness.UNSIGNED), node_name="L", impl=impl)
    add = df.AddStreamsOp(_stream((1, 4, 4, 8), 2), _stream((1, 4, 4, 8), 2),
                          IntegerType(5, Signedness.SIGNED), node_name="A", impl=impl)
    dup = df.DuplicateStreamsOp(_stream((1, 4, 4, 8), 2), 3, node_name="D", impl=impl)
    for op in (pool, pool_1d, labels, add, dup):
        op.verify()
    if impl == "rtl":  # one beat a cycle in (+1 latency for the pool); LabelSelect: max(Labels/PE, k)
        assert [pool.cycles(), pool_1d.cycles(), labels.cycles()] == [8 * 8 * 1 + 1, 12 * 2 + 1, max(3, 5)]
    else:  # FINN: 2-D int(IW·IW·(1 + 1/kw²)), 1-D OW·CF·(kw + 1), Labels/PE
        assert [pool.cycles(), pool_1d.cycles(), labels.cycles()] == [int(64 * 1.25), 4 * 2 * 4, 3]
    assert add.cycles() == dup.cycles() == 16 * 8 // 2


def test_dwc_any_ratio_verifies_as_rtl():
    """Our RTL DWC converts any width ratio (tests/rtl/test_streams.py's LCM cases), so the
    dialect no longer rejects an impl="rtl" DWC of 4 -> 6 lanes (FINN's RTL DWC would)."""
    dwc = df.DWCOp(_stream((1, 12), 4), 6, node_name="D", impl="rtl")
    dwc.verify()
