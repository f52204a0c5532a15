"""
kernels/mvau.py: the MVAU's spec — its plan (product path, widths, where the weights
live, the memory words), what each library refuses, FINN's RTL limits, the token model and
the reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow import MVAUOp, StreamType
from finn_xdsl.kernels import decide, hls_call, library_blocker, spec_of
from finn_xdsl.kernels.mvau import MVU
from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.kernels.plan import Refusal

SI2 = IntegerType(2, Signedness.SIGNED)
SI8 = IntegerType(8, Signedness.SIGNED)
W = np.array([[1, -1], [1, 1], [-2, 1], [1, 0]])  # (MW=4, MH=2)


def _mvau(**props) -> MVAUOp:
    x = Block(arg_types=[StreamType.of((1, 4), SI2, 2)]).args[0]
    return MVAUOp(x, W, SI2, SI8, node_name="MVAU_0", pe=1, simd=2, **props)


def test_plan():
    op = _mvau(impl="rtl")
    plan = decide(op, "rtl")
    p = plan.params
    assert plan.module == "fx_mvu" and (p["MW"], p["MH"], p["PE"], p["SIMD"]) == (4, 2, 1, 2)
    assert (p["IN_BITS"], p["W_BITS"], p["XNOR"], p["USE_THRESHOLDS"]) == (2, 2, 0, 0)
    # weights: word nf·SF + sf, lane s = W[sf·SIMD + s][nf]
    words = [pack_beats(W[sf * 2:sf * 2 + 2, nf], 2, 2)[0] for nf in range(2) for sf in range(2)]
    mem = plan.memories["MVAU_0_weights.dat"]
    assert list(mem.words) == words and mem.bits == 4
    assert plan.memstream is not None and p["WEIGHT_STREAM"] == 1  # internal_decoupled by default
    embedded = decide(_mvau(mem_mode="internal_embedded"), "rtl")
    assert embedded.memstream is None and [q.name for q in embedded.idle_inputs] == ["in1_V"]
    # the embedded memory's primitive follows ram_style ("auto" is fx_mvu's own default)
    assert "RAM_STYLE" not in embedded.params
    block = decide(_mvau(mem_mode="internal_embedded", ram_style="block"), "rtl")
    assert block.params["RAM_STYLE"] == "block"
    call = hls_call(op, decide(op, "hls"))
    assert call.function == "fx_mvau_core" and call.rom.words == mem.words


def test_refusals_match_the_capability_check():
    for props, why in (({"mem_mode": "external"}, 'mem_mode "external"'),
                       ({"runtime_writeable_weights": True}, "runtime-writeable weights")):
        op = _mvau(**props)
        for style in ("rtl", "hls"):
            assert why in library_blocker(op, style)
            with pytest.raises(Refusal, match=why):
                decide(op, style)


def test_finn_rtl_limits_tokens_reference():
    spec = spec_of(MVAUOp)
    op = _mvau()
    assert spec.finn_blocker(op, "rtl", "xczu7ev-ffvc1156-2-e") is None
    assert spec.finn_blocker(op, "hls", "xczu7ev-ffvc1156-2-e") is None
    model = spec.tokens(op, None)
    assert isinstance(model, MVU)
    x = np.array([[1, -2, 0, 1]])
    (y,) = spec.reference(op, (x,))
    assert np.array_equal(y, x @ W)
    assert spec.fold_dims(op) == {"pe": ("MH", 2), "simd": ("MW", 4)}
