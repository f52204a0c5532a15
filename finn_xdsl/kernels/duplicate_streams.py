"""DuplicateStreams (`dataflow.duplicate_streams`): one stream to N identical ones;
rtl/fx_duplicate_streams.sv (at most 4 outputs), hls/fx_duplicate_streams.hpp (any N)."""

from __future__ import annotations

from dataclasses import replace

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import HlsPlan, copy_glue, template_args
from finn_xdsl.kernels.plan import LayerPlan, Refusal, elem, new_plan
from finn_xdsl.sim.tokensim_layers import Node


def rtl(op: df.DuplicateStreamsOp) -> LayerPlan:
    n = len(op.outputs)
    if n > 4:
        raise Refusal(op, f"fx_duplicate_streams has at most 4 outputs, the layer has {n}")
    x = op.in_type()
    bits, _, _ = elem(x)
    plan = new_plan(op, "fx_duplicate_streams", n_out=n)
    plan.params.update(C=x.channels, PE=op.value_of("pe"), BITS=bits, N_OUT=n)
    plan.summary = f"fx_duplicate_streams x{n}"
    return plan


def hls_decide(op: df.DuplicateStreamsOp) -> LayerPlan:
    """Not the RTL plan: the template has any number of outputs."""
    x = op.in_type()
    n = len(op.results)
    plan = new_plan(op, "", n_out=n, summary=f"fx_duplicate_streams x{n}")
    plan.params.update(C=x.channels, PE=op.value_of("pe"), BITS=x.element_bits, N_OUT=n)
    return plan


def hls(op: df.DuplicateStreamsOp, plan: LayerPlan) -> HlsPlan:
    """The template writes an array of streams, so every output goes through glue."""
    glue = [g if g.port.direction == "in" else replace(g, inner=f"out[{g.port.name[3:-2]}]") for g in copy_glue(op)]
    call = HlsPlan(op.display_name, op.name, "fx_duplicate_streams", template_args("fx_duplicate_streams", plan.params),
                   op.vectors(), glue, array_outputs=True)
    call.summary = plan.summary
    return call


def blocker(op: df.DuplicateStreamsOp, style: str) -> str | None:
    if style == "rtl" and len(op.results) > 4:
        return f"fx_duplicate_streams has at most 4 outputs, the layer has {len(op.results)}"
    return None


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.DuplicateStreamsOp, args: tuple) -> tuple:
    return tuple(args[0].copy() for _ in op.outputs)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class Duplicate(Node):
    """fx_duplicate_streams: one 2-deep queue per output; takes a beat when all have room."""

    def __init__(self, name: str, n: int):
        super().__init__(name)
        self.counts = [0] * n

    def valid(self, k: int) -> bool:
        return self.counts[k] > 0

    def ready(self, k: int) -> bool:
        return all(c != 2 for c in self.counts)

    def tick(self, t: int) -> bool:
        push = self.ins[0].fire
        moved = push
        for i, e in enumerate(self.outs):
            self.counts[i] += push - e.fire
            moved = moved or e.fire
        return moved


def tokens(op: df.DuplicateStreamsOp, fifo_depth: int | None = None) -> Duplicate:
    return Duplicate(op.display_name, len(op.results))


SPEC = LayerSpec(
    op=df.DuplicateStreamsOp,
    rtl_module="fx_duplicate_streams",
    library={"fx_duplicate_streams": ("fx_duplicate_streams",)},
    hls_template="fx_duplicate_streams",
    hls_header="fx_duplicate_streams.hpp",
    hls_params=("C", "PE", "BITS", "N_OUT"),
    rtl=rtl,
    hls=hls,
    hls_decide=hls_decide,
    blocker=blocker,
    tokens=tokens,
    reference=reference,
    fold_dims=pe_over_channels,
    finn_fold="pe",
)
