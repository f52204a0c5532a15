"""ChannelwiseOp (`dataflow.channelwise`): y = x <func> p[c] per channel (add, mul, cmp
...); hls/fx_channelwise.hpp only."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import (
    ConstArray,
    HlsPlan,
    lane_input,
    out_glue,
    storage,
    template_args,
)
from finn_xdsl.kernels.plan import LayerPlan, Memory, new_plan, signed_bits


def memories(op: df.ChannelwiseOp, plan: LayerPlan) -> None:
    values = tuple(int(v) for v in op.param_values().reshape(-1))
    plan.memories["params"] = Memory((), int(plan.params["P_BITS"]), values)


def hls_decide(op: df.ChannelwiseOp) -> LayerPlan:
    _, in_bits, in_signed = lane_input(op)
    gout = out_glue(op)
    values = tuple(int(v) for v in op.param_values().reshape(-1))
    c = op.in_type().channels
    plan = new_plan(op, "")
    plan.params.update(C=c, PE=op.value_of("pe"), NP=len(values), IN_BITS=in_bits, IN_SIGNED=int(in_signed),
                       P_BITS=signed_bits(min(values), max(values)), OUT_BITS=gout.outer_bits,
                       FUNC=f"FX_{op.value_of('func').upper()}")
    memories(op, plan)
    plan.summary = f"fx_channelwise {op.value_of('func')} C={c} PE={plan.params['PE']} NP={len(values)}"
    return plan


def hls(op: df.ChannelwiseOp, plan: LayerPlan) -> HlsPlan:
    gin, _, _ = lane_input(op)
    p = plan.params
    values = plan.memories["params"].values
    style = op.value_of("ram_style")
    arrays = [ConstArray("params", f"ap_int<{p['P_BITS']}>", int(p["P_BITS"]), (len(values),), values,
                         storage("params", style, f"ram_style {style}"))]
    call = HlsPlan(op.display_name, op.name, "fx_channelwise", template_args("fx_channelwise", p), op.vectors(),
                   [gin, out_glue(op)], arrays)
    call.summary = plan.summary
    return call


SPEC = LayerSpec(
    op=df.ChannelwiseOp,
    rtl_module=None,
    library={},
    hls_template="fx_channelwise",
    hls_header="fx_channelwise.hpp",
    hls_params=("C", "PE", "NP", "IN_BITS", "IN_SIGNED", "P_BITS", "OUT_BITS", "FUNC"),
    rtl=None,
    hls=hls,
    hls_decide=hls_decide,
    memories=memories,
)
