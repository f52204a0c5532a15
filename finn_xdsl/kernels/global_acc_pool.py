"""GlobalAccPool (`dataflow.global_acc_pool`): the per-channel sum over all pixels;
hls/fx_global_acc_pool.hpp only."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import HlsPlan, lane_input, out_glue, template_args
from finn_xdsl.kernels.plan import LayerPlan, new_plan
from finn_xdsl.sim import dataflow_kernels as k


def hls_decide(op: df.GlobalAccPoolOp) -> LayerPlan:
    _, in_bits, in_signed = lane_input(op)
    gout = out_glue(op)
    _, h, w, c = op.in_type().shape
    plan = new_plan(op, "")
    plan.params.update(C=c, PE=op.value_of("pe"), PIXELS=h * w, IN_BITS=in_bits, IN_SIGNED=int(in_signed),
                       OUT_BITS=gout.outer_bits)
    plan.summary = f"fx_global_acc_pool {h}x{w}x{c} PE={plan.params['PE']}"
    return plan


def hls(op: df.GlobalAccPoolOp, plan: LayerPlan) -> HlsPlan:
    gin, _, _ = lane_input(op)
    return HlsPlan(op.display_name, op.name, "fx_global_acc_pool", template_args("fx_global_acc_pool", plan.params),
                   op.in_type().shape[0], [gin, out_glue(op)], summary=plan.summary)


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.GlobalAccPoolOp, args: tuple) -> tuple:
    return (k.global_acc_pool(args[0]),)


SPEC = LayerSpec(
    op=df.GlobalAccPoolOp,
    rtl_module=None,
    library={},
    hls_template="fx_global_acc_pool",
    hls_header="fx_global_acc_pool.hpp",
    hls_params=("C", "PE", "PIXELS", "IN_BITS", "IN_SIGNED", "OUT_BITS"),
    rtl=None,
    hls=hls,
    hls_decide=hls_decide,
    reference=reference,
    fold_dims=pe_over_channels,
    finn_fold="pe",
)
