"""AddStreams (`dataflow.add_streams`): the lane-wise sum of two streams;
rtl/fx_add_streams.sv, hls/fx_add_streams.hpp (both add integer codes, so not bipolar)."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, Refusal, elem, new_plan


def rtl(op: df.AddStreamsOp) -> LayerPlan:
    x = op.in_type()
    ib, isg, bip = elem(x)
    if bip:
        raise Refusal(op, "adding bipolar streams needs their ±1 values; fx_add_streams adds integer codes")
    ob, _, _ = elem(op.out_type())
    plan = new_plan(op, "fx_add_streams")
    plan.params.update(C=x.channels, PE=op.value_of("pe"), IN_BITS=ib, IN_SIGNED=int(isg), OUT_BITS=ob)
    plan.summary = f"fx_add_streams C={x.channels}"
    return plan


def hls(op: df.AddStreamsOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "vectors")


def blocker(op: df.AddStreamsOp, style: str) -> str | None:
    if style == "rtl" and isinstance(op.in_type().element_type, qt.BipolarType):
        return "fx_add_streams adds integer codes, not bipolar values"
    return None


SPEC = LayerSpec(
    op=df.AddStreamsOp,
    rtl_module="fx_add_streams",
    library={"fx_add_streams": ("fx_add_streams",)},
    hls_template="fx_add_streams",
    hls_header="fx_add_streams.hpp",
    hls_params=("C", "PE", "IN_BITS", "IN_SIGNED", "OUT_BITS"),
    rtl=rtl,
    hls=hls,
    blocker=blocker,
)
