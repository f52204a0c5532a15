"""StreamingDataWidthConverter (`dataflow.dwc`): IN_LANES -> OUT_LANES lanes per beat, any
ratio; rtl/fx_dwc.sv, hls/fx_dwc.hpp (FINN's RTL DWC needs an integer width ratio)."""

from __future__ import annotations

import math

import numpy as np

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, any_lanes
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan
from finn_xdsl.sim.tokensim_layers import Node


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


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


def dwc_resources(op: df.DWCOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """FINN StreamingDataWidthConverter lut_estimation (base class, all impls)."""
    inw, outw = op.in_type().width_bits, op.out_type().width_bits
    intw = math.lcm(inw, outw)
    cnt = cset = 0
    if inw != intw:
        cnt += abs(math.ceil(math.log(inw / intw, 2)))
        cset += intw
    if intw != outw:
        cnt += abs(math.ceil(math.log(intw / outw, 2)))
        cset += outw
    return est.result(lut=int(cnt + cset))


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.DWCOp, args: tuple) -> tuple:
    return (args[0],)  # lanes do not change values


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class DWC(Node):
    """fx_dwc, by the lane ratio: "down" (IN = R·OUT) two input-word slots, ready while one
    is free, a slot freed with its R-th piece; "up" (OUT = R·IN) the R-th beat of a word
    loads the output register and waits while it is still full; "general" a lane buffer,
    ready below 2·OUT lanes, valid from OUT lanes."""

    def __init__(self, name: str, in_lanes: int, out_lanes: int):
        super().__init__(name)
        self.a, self.b = in_lanes, out_lanes
        if in_lanes % out_lanes == 0:
            self.kind, self.r = "down", in_lanes // out_lanes
        elif out_lanes % in_lanes == 0:
            self.kind, self.r = "up", out_lanes // in_lanes
        else:
            self.kind, self.r = "general", 0
        self.count = 0  # down: full slots; up: output register full; general: lanes held
        self.k = 0  # down: piece of the oldest slot; up: beats of the word taken

    def valid(self, k: int) -> bool:
        return self.count >= self.b if self.kind == "general" else self.count > 0

    def ready(self, k: int) -> bool:
        if self.kind == "down":
            return self.count < 2
        if self.kind == "up":
            return not (self.k == self.r - 1 and self.count)
        return self.count < 2 * self.b

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        if self.kind == "down":
            self.count += push
            if pop:
                self.k = (self.k + 1) % self.r
                self.count -= self.k == 0
        elif self.kind == "up":
            if push:
                self.k = (self.k + 1) % self.r
                self.count += self.k == 0
            self.count -= pop
        else:
            self.count += self.a * push - self.b * pop
        return push or pop


def tokens(op: df.DWCOp, fifo_depth: int | None = None) -> DWC:
    return DWC(op.display_name, op.in_type().num_lanes, op.out_type().num_lanes)


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
    tokens=tokens,
    reference=reference,
    finn_resources=dwc_resources,
    in_lanes=any_lanes,
)
