"""
FINN's analytical resource estimates (LUT, BRAM_18K, URAM, DSP and the two memory
efficiencies) for every dataflow layer and implementation style, formula for formula as
FINN main's `node_res_estimation` (docs/finn_reference.md#resource-estimates).

Entry point: `layer_resources(op, fpgapart, minimize=...)` -> dict with FINN's keys in
FINN's order. Each op's formula is its layer spec's (`finn_xdsl/kernels/<layer>.py`,
`LayerSpec.finn_resources`); this file holds what they share. A layer with impl "" is estimated as its abstract FINN op (FINN's base
class: everything 0) except where FINN's base class itself implements the estimate
(MVAU BRAM/URAM, FIFO, DWC ...). `minimize` picks the data-type policy (see
`finn_xdsl.estimates.datatypes`).

`impl` is our backend (see passes/specialize.py), so some RTL layers have no FINN RTL
counterpart and hence no FINN formula. Stand-ins, until our own RTL is characterised:
- MVAU rtl that FINN's RTL MVU could not realise (fused thresholds, xnor mode, unsigned or
  wide-range weights on DSP48E1, > 8-bit operands; `kernels.finn_blocker`): FINN's HLS
  formula (LUT compute, no DSPs), the closer model of our fx_mvu in those configurations —
  its XNOR popcount and narrow products are LUT logic, its thresholds LUT comparators.
- StreamingMaxPool, LabelSelect, AddStreams, DuplicateStreams rtl: FINN's HLS model, which
  is all zeros for these ops (they are small next to MVAUs and SWGs).
"""

from __future__ import annotations

import math

from finn_xdsl.boards import DEFAULT_PART

KEYS = ("BRAM_18K", "BRAM_efficiency", "LUT", "URAM", "URAM_efficiency", "DSP")


def result(bram: int = 0, lut: int = 0, uram: int = 0, dsp: int = 0,
            bram_eff: float = 1, uram_eff: float = 1) -> dict:
    return {
        "BRAM_18K": bram,
        "BRAM_efficiency": bram_eff,
        "LUT": lut,
        "URAM": uram,
        "URAM_efficiency": uram_eff,
        "DSP": dsp,
    }


def ceil(x: float) -> int:
    return math.ceil(x)


def mvau_depth_ladder(omega: float, mem_width: int) -> int:
    """FINN's MVAU BRAM_18K ladder (SDP RAMB18 geometries, FINN-R)."""
    if mem_width == 1:
        return ceil(omega / 16384)
    if mem_width == 2:
        return ceil(omega / 8192)
    if mem_width <= 4:
        return ceil(omega / 4096) * ceil(mem_width / 4)
    if mem_width <= 9:
        return ceil(omega / 2048) * ceil(mem_width / 9)
    if mem_width <= 18 or omega > 512:
        return ceil(omega / 1024) * ceil(mem_width / 18)
    return ceil(omega / 512) * ceil(mem_width / 36)


# ----------------------------------------------------------------------------- memories

# Versal memory primitives (FINN's mem_primitives_versal): name -> (width, depth)
MEM_PRIMITIVES_VERSAL = {
    "URAM_72x4096": (72, 4096),
    "URAM_36x8192": (36, 8192),
    "URAM_18x16384": (18, 16384),
    "URAM_9x32768": (9, 32768),
    "BRAM18_36x512": (36, 512),
    "BRAM18_18x1024": (18, 1024),
    "BRAM18_9x2048": (9, 2048),
    "LUTRAM": (1, 64),
}


def memutil_alternatives(width: int, depth: float, primitives: dict) -> list:
    """FINN get_memutil_alternatives: (name, (count, efficiency, waste)) by least waste."""
    out = []
    for name, (pw, pd) in primitives.items():
        count = ceil(width / pw) * ceil(depth / pd)
        waste = count * pw * pd - width * depth
        eff = (width * depth) / (count * pw * pd)
        out.append((name, (count, eff, waste)))
    return sorted(out, key=lambda a: a[1][2])


# ----------------------------------------------------------------------------- dispatch


def zero_resources(op, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """Layers FINN has no resource model for (all 0)."""
    return result()


def layer_resources(op, fpgapart: str = DEFAULT_PART, *, minimize: bool = False,
                    last_node: bool = False) -> dict:
    """FINN's node_res_estimation(fpgapart) for one dataflow layer.

    `minimize`: use the widths FINN's minimize_bit_width step gives (see datatypes);
    `last_node`: the layer ends the graph (FINN rounds a raw MVAU's acc type to bytes).
    """
    from finn_xdsl.kernels import specs  # the formulas are the layer specs'

    spec = specs().get(type(op))
    fn = spec.finn_resources if spec is not None and spec.finn_resources is not None else zero_resources
    return fn(op, fpgapart, minimize=minimize, last_node=last_node)
