"""
Sliding-window generator (`dataflow.swg`, FINN's ConvolutionInputGenerator): rtl/fx_swg.sv
(SIMD lanes of one pixel per beat) or rtl/fx_swg_parallel.sv (parallel_window: one whole
(kh, kw, C) window per beat); hls/fx_swg.hpp (no parallel_window).
"""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, Refusal, elem, new_plan


def _swg_parallel(op: df.SWGOp) -> LayerPlan:
    """parallel_window: fx_swg_parallel, one whole (kh, kw, C) window per beat. It takes one
    pixel (SIMD = C) per beat; a depthwise SWG may keep SIMD < C with parallel_window in
    FINN, a beat layout fx_swg_parallel does not produce."""
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    simd = op.value_of("simd")
    if simd != c:
        raise Refusal(op, f"fx_swg_parallel takes whole pixels: parallel_window with SIMD={simd} < C={c} "
                      "is not implemented")
    bits, _, _ = elem(op.in_type())
    plan = new_plan(op, "fx_swg_parallel")
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, BITS=bits)
    plan.summary = f"fx_swg_parallel {ih}x{iw}x{c} k{kh}x{kw} (window per beat)"
    return plan


def rtl(op: df.SWGOp) -> LayerPlan:
    if op.value_of("parallel_window"):
        return _swg_parallel(op)
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    bits, _, _ = elem(op.in_type())
    simd = op.value_of("simd")
    plan = new_plan(op, "fx_swg")
    depthwise = bool(op.value_of("depthwise"))
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, SIMD=simd, BITS=bits,
                       DEPTHWISE=int(depthwise), RAM_STYLE=op.value_of("ram_style"))
    plan.summary = f"fx_swg {ih}x{iw}x{c} k{kh}x{kw} SIMD={simd}{' depthwise' if depthwise else ''}"
    return plan


def hls_decide(op: df.SWGOp) -> LayerPlan:
    if op.value_of("parallel_window"):
        raise Refusal(op, "parallel_window (a whole window per beat) has no HLS template; use impl rtl")
    return rtl(op)


def hls(op: df.SWGOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


def blocker(op: df.SWGOp, style: str) -> str | None:
    if not op.value_of("parallel_window"):
        return None
    if style == "hls":
        return "parallel_window (a whole window per beat) has no HLS template"
    c, simd = op.in_type().channels, op.value_of("simd")
    return f"fx_swg_parallel takes whole pixels: parallel_window with SIMD={simd} < C={c}" if simd != c else None


def finn_blocker(op: df.SWGOp, style: str, fpgapart: str) -> str | None:
    """Why FINN's HLS sliding-window generator cannot implement this layer (None: it can)."""
    if style != "hls":
        return None
    if op.value_of("dynamic_mode"):
        return "the HLS ConvolutionInputGenerator has no dynamic mode"
    _, ih, iw, _ = op.in_type().shape
    _, oh, ow, _ = op.out_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    if (ih == 1 and kh == 1) or (iw == 1 and kw == 1):
        return None  # 1-D: the HLS variants have no restrictions
    if kh == kw and ih == iw and oh == ow and sh == sw and dh == dw == 1:
        return None
    return "the 2-D HLS ConvolutionInputGenerator needs a square kernel, image and output, equal strides and no dilation"


SPEC = LayerSpec(
    op=df.SWGOp,
    rtl_module="fx_swg",
    library={"fx_swg": ("fx_swg",), "fx_swg_parallel": ("fx_swg_parallel", "fx_fifo")},
    hls_template="fx_swg",
    hls_header="fx_swg.hpp",
    hls_params=("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "SIMD", "BITS", "DEPTHWISE"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    hls_decide=hls_decide,
    blocker=blocker,
    finn_blocker=finn_blocker,
)
