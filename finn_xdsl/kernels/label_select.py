"""LabelSelect (`dataflow.label_select`): the indices of the K largest of LABELS values;
rtl/fx_label_select.sv, hls/fx_label_select.hpp."""

from __future__ import annotations

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import NEVER, Node


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


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.LabelSelectOp, args: tuple) -> tuple:
    return (k.label_select(args[0], op.value_of("k")),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class LabelSelect(Node):
    """fx_label_select: NB input beats per frame, K output beats, two frames queued.

    PE > 1: a frame's lane lists pass M = clog2(PE) merge levels (sv[m]: level m's input
    holds a frame) before the queue; the levels move on together unless the last one has a
    frame and the queue is full, and a beat waits while the lane lists hold a frame that
    cannot move on. PE = 1: the last beat loads the queue directly."""

    def __init__(self, name: str, labels: int, pe: int, k: int):
        super().__init__(name)
        self.nb, self.k = labels // pe, k
        self.sv = [False] * (pe - 1).bit_length()
        self.beat = 0
        self.qcount = 0
        self.kpos = 0

    def _adv(self) -> bool:
        return not (self.sv and self.sv[-1] and self.qcount == 2)

    def valid(self, k: int) -> bool:
        return self.qcount > 0

    def ready(self, k: int) -> bool:
        if not self.sv:
            return self.beat != self.nb - 1 or self.qcount != 2
        return not self.sv[0] or self._adv()

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        last = self.beat == self.nb - 1
        if push:
            self.beat = 0 if last else self.beat + 1
        done = False
        if pop:
            done = self.kpos == self.k - 1
            self.kpos = 0 if done else self.kpos + 1
        if not self.sv:
            qpush = push and last
        else:
            adv = self._adv()
            qpush = self.sv[-1] and adv
            if adv:
                self.sv = [push and last] + self.sv[:-1]
            elif push and last:
                self.sv[0] = True
        self.qcount += qpush - done
        return push or pop or any(self.sv)

    def quiet(self, t: int) -> int:
        return 0 if any(self.sv) and self._adv() else NEVER


def tokens(op: df.LabelSelectOp, fifo_depth: int | None = None) -> LabelSelect:
    return LabelSelect(op.display_name, op.in_type().channels, op.value_of("pe"), op.value_of("k"))


SPEC = LayerSpec(
    op=df.LabelSelectOp,
    rtl_module="fx_label_select",
    library={"fx_label_select": ("fx_label_select",)},
    hls_template="fx_label_select",
    hls_header="fx_label_select.hpp",
    hls_params=("LABELS", "PE", "K", "IN_BITS", "IN_SIGNED", "OUT_BITS"),
    rtl=rtl,
    hls=hls,
    tokens=tokens,
    reference=reference,
    fold_dims=lambda op: {"pe": ("Labels", op.in_type().channels)},
    out_lanes=lambda op, source: 1,
    finn_fold="pe",
)
