"""StreamingDataWidthConverter (`dataflow.dwc`): IN_LANES -> OUT_LANES lanes per beat, any
ratio; rtl/fx_dwc.sv, hls/fx_dwc.hpp (FINN's RTL DWC needs an integer width ratio)."""

from __future__ import annotations

import numpy as np

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan


def rtl(op: df.DWCOp) -> LayerPlan:
    x, y = op.in_type(), op.out_type()
    bits, _, _ = elem(x)
    total = int(np.prod(x.shape))
    a, b = x.num_lanes, y.num_lanes
    plan = new_plan(op, "fx_dwc")
    plan.params.update(IN_LANES=a, OUT_LANES=b, BITS=bits, TOTAL=total)
    plan.summary = f"fx_dwc {a} -> {b} lanes of {bits}b"
    return plan


def hls(op: df.DWCOp, plan: LayerPlan) -> HlsPlan:
    call = simple_call(op, plan, "frames")
    # its shift register holds IN_LANES + OUT_LANES lanes
    call.wide_bits = (plan.params["IN_LANES"] + plan.params["OUT_LANES"]) * plan.params["BITS"]  # type: ignore[operator]
    return call


def finn_blocker(op: df.DWCOp, style: str, fpgapart: str) -> str | None:
    a, b = op.in_type().width_bits, op.out_type().width_bits
    if style == "rtl" and a % b and b % a:
        return f"the RTL DWC needs an integer width ratio, got {a} and {b} bits"
    return None


SPEC = LayerSpec(
    op=df.DWCOp,
    rtl_module="fx_dwc",
    library={"fx_dwc": ("fx_dwc",)},
    hls_template="fx_dwc",
    hls_header="fx_dwc.hpp",
    hls_params=("IN_LANES", "OUT_LANES", "BITS", "TOTAL"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    finn_blocker=finn_blocker,
)
