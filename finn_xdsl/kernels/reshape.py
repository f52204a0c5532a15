"""Reshape (`dataflow.reshape`): a wire (the beats stay the same, only the shape changes);
no library module, its wrapper is three assigns."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.plan import LayerPlan, new_plan


def rtl(op: df.ReshapeOp) -> LayerPlan:
    return new_plan(op, "", summary="wire")


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
)
