"""StreamingMaxPool (`dataflow.streaming_maxpool`): max pooling over kh x kw windows;
rtl/fx_streaming_maxpool.sv, hls/fx_streaming_maxpool.hpp. Bipolar codes order like their
values, so they compare as unsigned."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan


def rtl(op: df.StreamingMaxPoolOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    kh, kw = op.value_of("kernel")
    bits, sg, _ = elem(op.in_type())  # bipolar codes order like their values: unsigned
    plan = new_plan(op, "fx_streaming_maxpool")
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, PE=op.value_of("pe"), BITS=bits, SIGNED=int(sg),
                       CEIL_MODE=int(bool(op.value_of("ceil_mode"))))
    plan.summary = f"fx_streaming_maxpool {ih}x{iw}x{c} k{kh}x{kw}"
    return plan


def hls(op: df.StreamingMaxPoolOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


SPEC = LayerSpec(
    op=df.StreamingMaxPoolOp,
    rtl_module="fx_streaming_maxpool",
    library={"fx_streaming_maxpool": ("fx_streaming_maxpool",)},
    hls_template="fx_streaming_maxpool",
    hls_header="fx_streaming_maxpool.hpp",
    hls_params=("IH", "IW", "C", "KH", "KW", "PE", "BITS", "SIGNED", "CEIL_MODE"),
    rtl=rtl,
    hls=hls,
)
