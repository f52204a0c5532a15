"""FINN's per-layer resource formulas (docs/finn_reference.md#resource-estimates), with
hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.boards import dsp_block
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_compute import ChannelwiseOp, MVAUOp, ThresholdingOp
from finn_xdsl.dialects.dataflow_layers import FMPaddingOp, StreamingMaxPoolOp, SWGOp
from finn_xdsl.dialects.dataflow_streams import DWCOp, FIFOOp, ReshapeOp
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.estimates import datatypes as dt
from finn_xdsl.estimates.resources import layer_resources, memutil_alternatives, mvau_depth_ladder
from finn_xdsl.kernels.mvau import mvau_resources
from finn_xdsl.kernels.thresholding import thresholding_rtl_memory

SI2 = IntegerType(2, Signedness.SIGNED)
SI8 = IntegerType(8, Signedness.SIGNED)
UI2 = IntegerType(2, Signedness.UNSIGNED)
UI8 = IntegerType(8, Signedness.UNSIGNED)
SI32 = IntegerType(32, Signedness.SIGNED)


def stream(shape, elem, lanes=1):
    return Block(arg_types=[StreamType.of(shape, elem, lanes)]).args[0]


def tfc_mvau0(**props):
    """tfc_2w2a MVAU_hls_0 as FINN folded it: 784 -> 64, PE 4, SIMD 16, INT2, thresholds."""
    rng = np.random.default_rng(0)
    w = rng.integers(-1, 2, (784, 64))
    t = np.tile(np.array([[-2, 2], ]), (64, 1))
    x = stream((1, 784), SI2, 16)
    props.setdefault("impl", "hls")
    return MVAUOp(x, w, SI2, SI2, node_name="MVAU_hls_0", thresholds=t, pe=4, simd=16, act_val=-1, **props)


# ----------------------------------------------------------------------------- MVAU


def test_mvau_hls_as_typed():
    # WMEM = 784, mem_width = 128 > 36 and WMEM > 512 -> ceil(784/1024)·ceil(128/18) = 8
    # LUT: mult 16·(2·1-1)·4 = 64, adder 4·31 = 124, acc = min(32, ceil(α+…+1)) with
    # α = log2(784)+2+2-1-1 = 11.61 -> 13; int(300 + 1.1·4·201) = 1184
    r = layer_resources(tfc_mvau0())
    assert r == {"BRAM_18K": 8, "BRAM_efficiency": 2 * 784 * 64 / (8 * 36 * 512), "LUT": 1184,
                 "URAM": 0, "URAM_efficiency": 1, "DSP": 0}


def test_mvau_hls_finn_golden_with_minimised_acc():
    # FINN's MinimizeAccumulatorWidth gave INT11 for tfc_2w2a MVAU_0: 300 + 4.4·199 = 1175.6
    assert mvau_resources(tfc_mvau0(), acc_bits=11)["LUT"] == 1175


def test_mvau_hls_dsp_restype():
    r = layer_resources(tfc_mvau0(res_type="dsp"))
    assert r["DSP"] == 4 * 16 * 1
    assert r["LUT"] == int(300 + 1.1 * 4 * (0 + 124 + 13))


def test_mvau_hls_distributed_weights():
    r = layer_resources(tfc_mvau0(ram_style="distributed"))
    assert r["BRAM_18K"] == 0 and r["BRAM_efficiency"] == 1
    assert r["LUT"] == int(300 + 1.1 * 4 * 201 + 4 * 16 * 2 * 13)  # c2 = P·Q·W·ceil(784/64)


def test_mvau_hls_distributed_thresholds():
    # thr = (2^B-1)·acc·ceil(TMEM/64) = 3·13·1, comp = 3·13
    r = layer_resources(tfc_mvau0(ram_style_thresholds="distributed"))
    assert r["LUT"] == int(300 + 1.1 * 4 * (201 + 39 + 39))


def test_mvau_uram_and_embedded_quirk():
    r = layer_resources(tfc_mvau0(ram_style="ultra"))
    assert (r["URAM"], r["BRAM_18K"]) == (2 * 1, 0)  # ceil(128/72)·ceil(784/4096)
    assert r["URAM_efficiency"] == pytest.approx(2 * 784 * 64 / (2 * 72 * 4096))
    # internal_embedded with WMEM > 128: FINN counts both BRAM and URAM
    r = layer_resources(tfc_mvau0(mem_mode="internal_embedded"))
    assert (r["URAM"], r["BRAM_18K"]) == (2, 8)
    r = layer_resources(tfc_mvau0(mem_mode="external"))
    assert (r["URAM"], r["BRAM_18K"]) == (0, 0)


def raw_mvau(**props):
    """tfc_mvau0 without thresholds and with narrow-range weights: FINN's RTL MVU can do it."""
    rng = np.random.default_rng(0)
    w = rng.integers(-1, 2, (784, 64))
    x = stream((1, 784), SI2, 16)
    return MVAUOp(x, w, SI2, SI32, node_name="MVAU_rtl_0", pe=4, simd=16,
                  impl="rtl", **props)


def test_mvau_rtl_dsp_families():
    op = raw_mvau()
    assert layer_resources(op, "xc7z020clg400-1")["DSP"] == 1 * 16  # DSP48E1: ceil(P/4)·Q
    assert layer_resources(op, "xczu7ev-ffvc1156-2-e")["DSP"] == 16  # DSP48E2
    assert layer_resources(op, "xcvc1902-vsva2197-2MP-e-S")["DSP"] == 4 * 6  # DSP58: P·ceil(Q/3)
    assert layer_resources(op)["LUT"] == 0
    assert dsp_block("xc7z020clg400-1") == "DSP48E1"
    assert dsp_block("xcu250-figd2104-2L-e") == "DSP48E2"


def test_mvau_rtl_without_finn_counterpart_uses_hls_formula():
    """Our fx_mvu fuses thresholds (FINN's RTL MVU cannot): estimated with FINN's HLS
    formula as a documented stand-in (LUT compute, no DSPs)."""
    for part in ("xc7z020clg400-1", "xczu7ev-ffvc1156-2-e"):
        assert layer_resources(tfc_mvau0(impl="rtl"), part) == layer_resources(tfc_mvau0(impl="hls"), part)


def test_mvau_base_has_only_memory():
    r = layer_resources(tfc_mvau0(impl=""))
    assert (r["LUT"], r["DSP"], r["BRAM_18K"]) == (0, 0, 8)


@pytest.mark.parametrize(
    "omega, width, expected",
    [(20000, 1, 2), (9000, 2, 2), (5000, 3, 2), (3000, 8, 2), (2000, 18, 2),
     (600, 40, 1 * 3), (512, 72, 1 * 2), (100, 37, 2)],
)
def test_mvau_depth_ladder(omega, width, expected):
    assert mvau_depth_ladder(omega, width) == expected


def test_minimise_weight_bits_quirk():
    # ±1 weights in a non-xnor MVAU: FINN picks smallest(-w_max-1) = INT2
    x = stream((1, 27), UI8, 27)
    w = np.where(np.arange(27 * 64).reshape(27, 64) % 2 == 0, 1, -1)
    op = MVAUOp(x, w, qt.BipolarType(), SI32, node_name="m", pe=8)
    assert dt.mvau_weight_bits(op, minimize=False) == 1
    assert dt.mvau_weight_bits(op, minimize=True) == 2


def test_minimise_acc_bits_raw_last_node():
    x = stream((1, 4), SI2)
    w = np.array([[1, 0], [1, 1], [-1, 0], [1, 1]])
    op = MVAUOp(x, w, SI2, SI8, node_name="m")
    # x in [-2, 1]; column 0 (1, 1, -1, 1): min -2-2-1-2 = -7, max 1+1+2+1 = 5
    lo, hi = dt.matvec_acc_range(w, SI2)
    assert (lo, hi) == (-7, 5)
    # signed: ceil(log2(max(7, 6)) + 1) = 4 bits
    assert dt.mvau_minimized_acc_bits(op) == 4
    assert dt.mvau_minimized_acc_bits(op, last_node=True) == 8
    assert dt.mvau_acc_bits(op) == 8  # as typed: the raw output type


# ----------------------------------------------------------------------------- thresholds


def thresholding(impl, ram_style="distributed", pe=4):
    x = stream((1, 64), SI8, pe)
    t = np.tile(np.array([[-100, 0, 100]]), (64, 1))
    return ThresholdingOp(x, t, UI2, node_name="t", pe=pe, impl=impl, ram_style=ram_style)


def test_thresholding_hls():
    # A·P + P·A·ceil(TMEM/64) with TMEM = 16
    assert layer_resources(thresholding("hls"))["LUT"] == 32 + 32
    r = layer_resources(thresholding("hls", "block"))
    assert (r["BRAM_18K"], r["LUT"]) == (2 * 1, 32)  # ceil(32/16)·ceil(16/1024)


def test_thresholding_rtl():
    # geometries (8, 16), (8, 32): LUTRAM 8 each (least waste), × PE 4
    op = thresholding("rtl")
    assert thresholding_rtl_memory(op) == {"LUTRAM": 64}
    r = layer_resources(op)
    assert (r["LUT"], r["BRAM_18K"], r["URAM"]) == (64, 0, 0)
    assert memutil_alternatives(36, 512, {"B": (36, 512), "L": (1, 64)})[0][0] == "B"


def test_channelwise_hls():
    x = stream((1, 16), SI8, 2)
    op = ChannelwiseOp(x, "add", np.arange(16), IntegerType(9, Signedness.SIGNED), node_name="c", pe=2, impl="hls")
    assert layer_resources(op)["LUT"] == 16 + 2 * 8 * 1


# ----------------------------------------------------------------------------- SWG


def swg(impl, ram_style="distributed"):
    x = stream((1, 32, 32, 3), UI8, 3)
    return SWGOp(x, (3, 3), node_name="s", simd=3, impl=impl, ram_style=ram_style)


def test_swg_rtl():
    # buffer depth ((3-1)·32 + 2 + 1)·1 = 67, width 24: 300 + 24·ceil(67/38) = 348 (FINN cnv SWG_rtl_0)
    assert layer_resources(swg("rtl"))["LUT"] == 348
    r = layer_resources(swg("rtl", "block"))
    assert (r["BRAM_18K"], r["LUT"]) == (1, 300)
    assert layer_resources(swg("rtl", "ultra"))["URAM"] == 1


def test_swg_hls_2d():
    # (k+stride)·Q·A·ceil(IW·C/Q/64) = 4·3·8·1
    assert layer_resources(swg("hls"))["LUT"] == 300 + 96
    r = layer_resources(swg("hls", "block"))
    assert (r["BRAM_18K"], r["LUT"]) == (4, 300)  # depth 32 -> width 36: 4·ceil(24/36)·1


# ----------------------------------------------------------------------------- streams


def test_dwc():
    x = stream((1, 48), SI8, 2)  # 16 bits -> 24 bits: lcm 48
    assert layer_resources(DWCOp(x, 3, node_name="d"))["LUT"] == 1 + 1 + 48 + 24


def test_fifo():
    x = stream((1, 64), SI8, 1)
    assert layer_resources(FIFOOp(x, 32, node_name="f"))["LUT"] == 2 * 5 + 1 * 4
    r = layer_resources(FIFOOp(x, 100, node_name="f", impl_style="vivado", ram_style="block"))
    assert (r["BRAM_18K"], r["LUT"]) == (1, 14)  # depth 128: ceil(128/2048)·ceil(8/9)
    r = layer_resources(FIFOOp(x, 100, node_name="f", impl_style="vivado", ram_style="ultra"))
    assert (r["URAM"], r["BRAM_18K"]) == (1, 0)


def test_no_model_layers_are_zero():
    x = stream((1, 4, 4, 8), SI8, 8)
    zero = {"BRAM_18K": 0, "BRAM_efficiency": 1, "LUT": 0, "URAM": 0, "URAM_efficiency": 1, "DSP": 0}
    assert layer_resources(StreamingMaxPoolOp(x, (2, 2), node_name="p", impl="hls")) == zero
    # our RTL maxpool (no FINN counterpart) takes FINN's HLS model as its stand-in
    assert layer_resources(StreamingMaxPoolOp(x, (2, 2), node_name="p", impl="rtl")) == zero
    assert layer_resources(FMPaddingOp(x, (1, 1, 1, 1), node_name="p", impl="hls")) == zero
    assert layer_resources(ReshapeOp(x, (1, 128), node_name="r")) == zero
