"""StreamingFIFO (`dataflow.fifo`): rtl/fx_fifo.sv only (the HLS flow's FIFOs are the
streams between the top functions)."""

from __future__ import annotations

import math

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, any_lanes
from finn_xdsl.kernels.plan import LayerPlan, new_plan, padded
from finn_xdsl.sim.tokensim_layers import Node

# FINN's FIFO ram_style -> fx_fifo's STYLE: "distributed" stays in LUTs (SRL or LUT RAM by
# depth), "block" and "ultra" (xc7 has no UltraRAM) are block RAM, "auto" is fx_fifo's own
# size rule. impl_style only decides the depth ("vivado": a power of two, adjusted_depth).
FIFO_STYLE = {"auto": "auto", "distributed": "dist", "block": "bram", "ultra": "bram"}


def rtl(op: df.FIFOOp) -> LayerPlan:
    width = padded(op.in_type().width_bits)
    plan = new_plan(op, "fx_fifo")
    style = FIFO_STYLE[op.value_of("ram_style")]
    plan.params.update(WIDTH=width, DEPTH=op.adjusted_depth(), STYLE=style)
    plan.summary = f"fx_fifo depth {op.adjusted_depth()}, {style}"
    return plan


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


def fifo_resources(op: df.FIFOOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """FINN StreamingFIFO estimates on the adjusted depth."""
    D = op.adjusted_depth()
    W = op.in_type().width_bits
    style, ram = op.value_of("impl_style"), op.value_of("ram_style")
    bram = 0
    if style == "vivado" and ram == "block":
        bram = est.mvau_depth_ladder(D, W)
    uram = est.ceil(D / 4096) * est.ceil(W / 72) if style == "vivado" and ram == "ultra" else 0
    addr = math.ceil(math.log(D, 2)) if D > 1 else 0
    lut = 2 * addr
    if style == "rtl" or (style == "vivado" and ram == "distributed"):
        lut += est.ceil(D / 32) * est.ceil(W / 2)
    return est.result(bram=bram, lut=int(lut), uram=uram)


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.FIFOOp, args: tuple) -> tuple:
    return (args[0],)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class FIFO(Node):
    """fx_fifo: DEPTH entries, no fall-through of TREADY; records its peak occupancy."""

    def __init__(self, name: str, depth: int):
        super().__init__(name)
        self.depth = depth
        self.count = 0
        self.peak = 0

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.count < self.depth

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        self.count += push - pop
        self.peak = max(self.peak, self.count)
        return push or pop


def tokens(op: df.FIFOOp, fifo_depth: int | None = None) -> FIFO:
    """`fifo_depth` overrides the layer's depth (FIFO sizing tries depths)."""
    return FIFO(op.display_name, fifo_depth if fifo_depth is not None else op.adjusted_depth())


SPEC = LayerSpec(
    op=df.FIFOOp,
    rtl_module="fx_fifo",
    library={"fx_fifo": ("fx_fifo",)},
    hls_template=None,
    hls_header="",
    hls_params=(),
    rtl=rtl,
    hls=None,
    finn_variants=("rtl",),
    tokens=tokens,
    reference=reference,
    finn_resources=fifo_resources,
    in_lanes=any_lanes,
    out_lanes=lambda op, source: source,
)
