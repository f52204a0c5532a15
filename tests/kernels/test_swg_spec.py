"""
kernels/swg.py: the sliding-window generator's spec — which module a configuration gets,
what each library refuses (and specialize's words for it), FINN's HLS limits, the token
model, the reference and the folding facts.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow import StreamType, SWGOp
from finn_xdsl.kernels import decide, library_blocker, spec_of
from finn_xdsl.kernels.plan import Refusal
from finn_xdsl.kernels.swg import SWG, SWGParallel
from finn_xdsl.sim import dataflow_kernels as k

SI4 = IntegerType(4, Signedness.SIGNED)


def _swg(lanes: int, **props) -> SWGOp:
    x = Block(arg_types=[StreamType.of((1, 6, 6, 4), SI4, lanes)]).args[0]
    return SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_0", **props)


def test_plan_and_module():
    plan = decide(_swg(2, impl="rtl"), "rtl")
    assert plan.module == "fx_swg" and plan.library == ("fx_swg",)
    assert [plan.params[p] for p in ("IH", "C", "KH", "SIMD", "BITS", "DEPTHWISE")] == [6, 4, 3, 2, 4, 0]
    assert [(p.name, p.width) for p in plan.ports] == [("in0_V", 8), ("out0_V", 8)]
    par = decide(_swg(4, parallel_window=True), "rtl")
    assert par.module == "fx_swg_parallel" and par.library == ("fx_swg_parallel", "fx_fifo")


def test_refusals_match_the_capability_check():
    """parallel_window: no HLS template; fx_swg_parallel only with SIMD == C."""
    narrow = _swg(2, parallel_window=True, depthwise=True)
    assert library_blocker(narrow, "rtl") == "fx_swg_parallel takes whole pixels: parallel_window with SIMD=2 < C=4"
    with pytest.raises(Refusal, match="parallel_window with SIMD=2 < C=4 is not implemented"):
        decide(narrow, "rtl")
    whole = _swg(4, parallel_window=True)
    assert library_blocker(whole, "rtl") is None
    assert library_blocker(whole, "hls") == "parallel_window (a whole window per beat) has no HLS template"
    with pytest.raises(Refusal, match="has no HLS template; use impl rtl"):
        decide(whole, "hls")
    assert decide(_swg(2), "hls").template == "fx_swg"


def test_finn_hls_limits():
    spec = spec_of(SWGOp)
    assert spec.finn_variants == ("hls", "rtl")
    assert spec.finn_blocker(_swg(2), "hls", "") is None  # square, stride 1, no dilation
    x = Block(arg_types=[StreamType.of((1, 6, 8, 4), SI4, 2)]).args[0]
    assert "square kernel" in spec.finn_blocker(SWGOp(x, (3, 3), node_name="C_0"), "hls", "")


def test_token_model_reference_and_folding():
    op = _swg(2)
    spec = spec_of(op)
    assert isinstance(spec.tokens(op, None), SWG)
    assert isinstance(spec.tokens(_swg(4, parallel_window=True), None), SWGParallel)
    x = np.arange(6 * 6 * 4).reshape(1, 6, 6, 4)
    (y,) = spec.reference(op, (x,))
    assert np.array_equal(y, k.im2col(x, *op.window()))
    assert spec.fold_dims(op) == {"simd": ("C", 4)}
    assert spec.out_lanes(op, 2) == 2 and spec.out_lanes(_swg(4, parallel_window=True), 4) == 36
