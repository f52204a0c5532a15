"""AddStreams (`dataflow.add_streams`): the lane-wise sum of two streams;
rtl/fx_add_streams.sv, hls/fx_add_streams.hpp (both add integer codes, so not bipolar)."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, Refusal, elem, new_plan
from finn_xdsl.sim.tokensim_layers import Node


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


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.AddStreamsOp, args: tuple) -> tuple:
    return (args[0] + args[1],)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class AddStreams(Node):
    """fx_add_streams: joins both inputs into a 2-deep queue (TREADY follows both input
    TVALIDs of the same cycle)."""

    joins = True

    def __init__(self, name: str):
        super().__init__(name)
        self.count = 0

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.ins[0].valid and self.ins[1].valid and self.count != 2

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        self.count += push - pop
        return push or pop


def tokens(op: df.AddStreamsOp, fifo_depth: int | None = None) -> AddStreams:
    return AddStreams(op.display_name)


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
    tokens=tokens,
    reference=reference,
    fold_dims=pe_over_channels,
    finn_fold="pe",
)
