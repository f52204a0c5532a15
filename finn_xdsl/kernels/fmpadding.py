"""FMPadding (`dataflow.fmpadding`): pad_value borders around an NHWC image;
rtl/fx_fmpadding.sv, hls/fx_fmpadding.hpp. A bipolar pad value is stored as its code."""

from __future__ import annotations

import numpy as np

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels import LayerSpec, simd_lanes
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, elem, new_plan
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import NEVER, Node


def rtl(op: df.FMPaddingOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    pt, pl, pb, pr = op.value_of("padding")
    bits, _, bip = elem(op.in_type())
    value = int(op.value_of("pad_value"))
    if bip:
        value = 1 if value > 0 else 0
    plan = new_plan(op, "fx_fmpadding")
    plan.params.update(IH=ih, IW=iw, C=c, PT=pt, PL=pl, PB=pb, PR=pr, SIMD=op.value_of("simd"),
                       BITS=bits, PAD_VALUE=value)
    plan.summary = f"fx_fmpadding {ih}x{iw}x{c} pad {pt},{pl},{pb},{pr}"
    return plan


def hls(op: df.FMPaddingOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.FMPaddingOp, args: tuple) -> tuple:
    return (k.fmpadding(args[0], op.value_of("padding"), op.value_of("pad_value")),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class FMPadding(Node):
    """fx_fmpadding: one output beat per cycle; padding beats need no input."""

    def __init__(self, name: str, ih: int, iw: int, c: int, pads: tuple[int, int, int, int], simd: int):
        super().__init__(name)
        pt, pl, pb, pr = pads
        oh, ow, cf = pt + ih + pb, pl + iw + pr, c // simd
        y, x, _ = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(cf), indexing="ij")
        self.in_img = ((y >= pt) & (y < pt + ih) & (x >= pl) & (x < pl + iw)).ravel().tolist()
        self.j = 0
        self.ocount = 0
        # the edge that releases ap_rst_n already pushes a leading padding beat (cf. MVU)
        if not self.in_img[0]:
            self.j, self.ocount = 1 % len(self.in_img), 1

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.ocount < 2 and self.in_img[self.j]

    def tick(self, t: int) -> bool:
        push = self.ocount < 2 and (not self.in_img[self.j] or self.ins[0].fire)
        if push:
            self.j = self.j + 1 if self.j + 1 < len(self.in_img) else 0
            self.ocount += 1
        if self.outs[0].fire:
            self.ocount -= 1
        return push or self.outs[0].fire

    def quiet(self, t: int) -> int:
        return 0 if self.ocount < 2 and not self.in_img[self.j] else NEVER


def tokens(op: df.FMPaddingOp, fifo_depth: int | None = None) -> FMPadding:
    _, ih, iw, c = op.in_type().shape
    return FMPadding(op.display_name, ih, iw, c, op.value_of("padding"), op.value_of("simd"))


SPEC = LayerSpec(
    op=df.FMPaddingOp,
    rtl_module="fx_fmpadding",
    library={"fx_fmpadding": ("fx_fmpadding",)},
    hls_template="fx_fmpadding",
    hls_header="fx_fmpadding.hpp",
    hls_params=("IH", "IW", "C", "PT", "PL", "PB", "PR", "SIMD", "BITS", "PAD_VALUE"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    tokens=tokens,
    reference=reference,
    fold_dims=lambda op: {"simd": ("C", op.in_type().channels)},
    in_lanes=simd_lanes,
    out_lanes=lambda op, source: op.value_of("simd"),
)
