"""LabelSelect (`dataflow.label_select`): the indices of the K largest of LABELS values;
rtl/fx_label_select.sv, hls/fx_label_select.hpp."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan


def rtl(op: df.LabelSelectOp) -> LayerPlan:
    x, y = op.in_type(), op.out_type()
    ib, isg, _ = elem(x)
    ob, _, _ = elem(y)
    plan = new_plan(op, "fx_label_select")
    plan.params.update(LABELS=x.channels, PE=op.value_of("pe"), K=op.value_of("k"), IN_BITS=ib,
                       IN_SIGNED=int(isg), OUT_BITS=ob)
    plan.summary = f"fx_label_select {x.channels} labels, K={op.value_of('k')}"
    return plan


def hls(op: df.LabelSelectOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "vectors")


SPEC = LayerSpec(
    op=df.LabelSelectOp,
    rtl_module="fx_label_select",
    library={"fx_label_select": ("fx_label_select",)},
    hls_template="fx_label_select",
    hls_header="fx_label_select.hpp",
    hls_params=("LABELS", "PE", "K", "IN_BITS", "IN_SIGNED", "OUT_BITS"),
    rtl=rtl,
    hls=hls,
)
