"""StreamingMaxPool (`dataflow.streaming_maxpool`): max pooling over kh x kw windows;
rtl/fx_streaming_maxpool.sv, hls/fx_streaming_maxpool.hpp. Bipolar codes order like their
values, so they compare as unsigned."""

from __future__ import annotations

import numpy as np

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.folding import is_2d_maxpool
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import Node


def rtl(op: df.StreamingMaxPoolOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    kh, kw = op.value_of("kernel")
    bits, sg, _ = elem(op.in_type())  # bipolar codes order like their values: unsigned
    plan = new_plan(op, "fx_streaming_maxpool")
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, PE=op.value_of("pe"), BITS=bits, SIGNED=int(sg),
                       CEIL_MODE=int(bool(op.value_of("ceil_mode"))))
    plan.summary = f"fx_streaming_maxpool {ih}x{iw}x{c} k{kh}x{kw}"
    return plan


def hls(op: df.StreamingMaxPoolOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.StreamingMaxPoolOp, args: tuple) -> tuple:
    return (k.maxpool(args[0], op.value_of("kernel"), op.value_of("ceil_mode")),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class MaxPool(Node):
    """fx_streaming_maxpool: takes a beat whenever its output FIFO has room; the last beat
    of each window (cut at the image edge in ceil mode) pushes an output."""

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, pe: int):
        super().__init__(name)
        cf = c // pe
        y, x, _ = np.meshgrid(np.arange(ih), np.arange(iw), np.arange(cf), indexing="ij")
        last_y = (y % kh == kh - 1) | (y == ih - 1)
        last_x = (x % kw == kw - 1) | (x == iw - 1)
        self.pushes = (last_y & last_x).ravel().tolist()
        self.i = 0
        self.ocount = 0

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.ocount < 2

    def tick(self, t: int) -> bool:
        take, pop = self.ins[0].fire, self.outs[0].fire
        if take:
            self.ocount += self.pushes[self.i]
            self.i = self.i + 1 if self.i + 1 < len(self.pushes) else 0
        self.ocount -= pop
        return take or pop


def tokens(op: df.StreamingMaxPoolOp, fifo_depth: int | None = None) -> MaxPool:
    _, ih, iw, c = op.in_type().shape
    kh, kw = op.value_of("kernel")
    return MaxPool(op.display_name, ih, iw, c, kh, kw, op.value_of("pe"))


def fold_dims(op: df.StreamingMaxPoolOp) -> dict[str, tuple[str, int]]:
    """2-D pooling streams whole pixels (PE is fixed to C, FINN ignores it); 1-D: PE of C."""
    return {} if is_2d_maxpool(op) else pe_over_channels(op)


SPEC = LayerSpec(
    op=df.StreamingMaxPoolOp,
    rtl_module="fx_streaming_maxpool",
    library={"fx_streaming_maxpool": ("fx_streaming_maxpool",)},
    hls_template="fx_streaming_maxpool",
    hls_header="fx_streaming_maxpool.hpp",
    hls_params=("IH", "IW", "C", "KH", "KW", "PE", "BITS", "SIGNED", "CEIL_MODE"),
    rtl=rtl,
    hls=hls,
    tokens=tokens,
    reference=reference,
    fold_dims=fold_dims,
)
