"""ChannelwiseOp (`dataflow.channelwise`): y = x <func> p[c] per channel (add, mul, cmp
...); hls/fx_channelwise.hpp only."""

from __future__ import annotations

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import (
    ConstArray,
    HlsPlan,
    lane_input,
    out_glue,
    storage,
    template_args,
)
from finn_xdsl.kernels.plan import LayerPlan, Memory, new_plan, signed_bits
from finn_xdsl.kernels.thresholding import thresholding_hls_like
from finn_xdsl.sim import dataflow_kernels as k


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


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


def channelwise_resources(op: df.ChannelwiseOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    if op.impl.data != "hls":
        return est.result()
    P = op.value_of("pe")
    tmem = op.in_type().channels // P
    bram, lut = thresholding_hls_like(op.in_type().element_bits, P, tmem, op.value_of("ram_style"))
    return est.result(bram=bram, lut=lut)


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.ChannelwiseOp, args: tuple) -> tuple:
    return (k.channelwise(args[0], op.param_values(), op.func.data),)


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
    reference=reference,
    finn_resources=channelwise_resources,
    fold_dims=pe_over_channels,
    finn_fold="pe",
)
