"""FMPadding (`dataflow.fmpadding`): pad_value borders around an NHWC image;
rtl/fx_fmpadding.sv, hls/fx_fmpadding.hpp. A bipolar pad value is stored as its code."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan


def rtl(op: df.FMPaddingOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    pt, pl, pb, pr = op.value_of("padding")
    bits, _, bip = elem(op.in_type())
    value = int(op.value_of("pad_value"))
    if bip:
        value = 1 if value > 0 else 0
    plan = new_plan(op, "fx_fmpadding")
    plan.params.update(IH=ih, IW=iw, C=c, PT=pt, PL=pl, PB=pb, PR=pr, SIMD=op.value_of("simd"),
                       BITS=bits, PAD_VALUE=value)
    plan.summary = f"fx_fmpadding {ih}x{iw}x{c} pad {pt},{pl},{pb},{pr}"
    return plan


def hls(op: df.FMPaddingOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


SPEC = LayerSpec(
    op=df.FMPaddingOp,
    rtl_module="fx_fmpadding",
    library={"fx_fmpadding": ("fx_fmpadding",)},
    hls_template="fx_fmpadding",
    hls_header="fx_fmpadding.hpp",
    hls_params=("IH", "IW", "C", "PT", "PL", "PB", "PR", "SIMD", "BITS", "PAD_VALUE"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
)
