"""Reshape (`dataflow.reshape`): a wire (the beats stay the same, only the shape changes);
no library module, its wrapper is three assigns."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec, any_lanes
from finn_xdsl.kernels.plan import LayerPlan, new_plan


def rtl(op: df.ReshapeOp) -> LayerPlan:
    return new_plan(op, "", summary="wire")


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.ReshapeOp, args: tuple) -> tuple:
    return (args[0].reshape(op.out_type().shape),)


SPEC = LayerSpec(
    op=df.ReshapeOp,
    rtl_module="",
    library={},
    hls_template=None,
    hls_header="",
    hls_params=(),
    rtl=rtl,
    hls=None,
    finn_variants=(),
    reference=reference,
    in_lanes=any_lanes,
    out_lanes=lambda op, source: source,
)
