"""
specialize: choose every dataflow layer's implementation (HLS or RTL) and give the layers
FINN's specialised names — FINN's SpecializeLayers followed by GiveUniqueNodeNames.

    specialize{prefer=rtl|hls|finn fpgapart=<part>}

Choice of `impl`, per layer, in this order:

1. A layer whose `impl` is already set keeps it (FINN only specialises abstract nodes), so
   the pass is idempotent.
2. A `preferred_impl_style` attribute on the layer ("hls" / "rtl"; "" = none) wins. It must
   name a variant the op has and that this layer can use (e.g. no RTL MVAU with fused
   thresholds), else a FinnError naming the node. (FINN warns and falls back instead; an
   explicit per-layer request is honoured exactly or rejected here.)
3. `prefer=finn`: FINN's SpecializeLayers rules without a preference (FINN_REFERENCE §3.4):
   - StreamingDataWidthConverter: rtl iff one width is an integer multiple of the other,
     else hls;
   - MVAU: rtl iff A >= 4 and W >= 4 bits and `mvu_rtl_possible`, else hls;
   - VVAU: rtl iff A >= 4 and W >= 4 bits and `vvu_rtl_possible`, else hls;
   - any other op with an RTL variant -> rtl (ConvolutionInputGenerator, FMPadding,
     Thresholding, StreamingFIFO);
   - else hls (StreamingMaxPool, ChannelwiseOp, AddStreams, DuplicateStreams, LabelSelect,
     GlobalAccPool, ...).
   `prefer=rtl` / `prefer=hls`: FINN's rules with `preferred_impl_style` set to that style
   on every layer: the preferred style where the op has it and this layer can use it
   (MVAU/VVAU rtl needs `mvu/vvu_rtl_possible` — no A, W >= 4 requirement —, RTL DWC an
   integer width ratio, HLS SWG a square non-dilated 2-D window or any 1-D one), else the
   other style.
   `mvu_rtl_possible`: no thresholds (noActivation), no xnor mode (binary_xnor or bipolar
   input × bipolar weights, which FINN always maps to binaryXnorMode), signed weights
   (bipolar/ternary count as signed), narrow-range weights (min(W) != min of the weight
   type) unless the part has DSP48E2/DSP58, A <= 8 (or A == 9 signed), W <= 8.
   `vvu_rtl_possible`: the same width and signed-weight limits, noActivation, Versal part.
4. `dataflow.reshape` is a wire with no hardware (FINN deletes the flatten it stands for):
   its `impl` stays "" and it is named `Reshape_<k>`. A layer with no HLS/RTL variant at all
   (none in the dialect today) likewise keeps "" and is named `<FINN_OP>_<k>`.

Names: `<FINN_OP>_<impl>_<k>` (e.g. MVAU_hls_0, ConvolutionInputGenerator_rtl_3), k
counting per specialised op type (MVAU_hls and MVAU_rtl count separately) in graph order
over the whole module, as GiveUniqueNodeNames does. Re-running renumbers the same way, so
names are stable unless layers were added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness, StringAttr
from xdsl.passes import ModulePass

from finn_xdsl.boards import DEFAULT_PART, dsp_block, is_versal
from finn_xdsl.dialects import quant_types as qt
from finn_xdsl.dialects.dataflow import DataflowOperation, DWCOp, ReshapeOp, SWGOp
from finn_xdsl.dialects.dataflow_base import from_attr
from finn_xdsl.dialects.dataflow_types import element_bits
from finn_xdsl.errors import FinnError, LoweringError

PREFER = ("rtl", "hls", "finn")
STYLES = ("hls", "rtl")
# layers that are wires, not hardware: never specialised
WIRES: tuple[type[DataflowOperation], ...] = (ReshapeOp,)


# ----------------------------------------------------------------------------- helpers


def preferred_impl_style(layer: DataflowOperation) -> str:
    """The layer's `preferred_impl_style` ("" if unset), a property or a plain attribute."""
    attr = layer.properties.get("preferred_impl_style") or layer.attributes.get("preferred_impl_style")
    if attr is None:
        return ""
    if not isinstance(attr, StringAttr):
        raise LoweringError("specialize", layer, f"preferred_impl_style must be a string, got {attr}")
    return attr.data


def variants(layer: DataflowOperation) -> tuple[str, ...]:
    """The implementation styles FINN has for the layer's op ("hls", "rtl")."""
    if isinstance(layer, WIRES):
        return ()
    return tuple(s for s in STYLES if s in layer.IMPLS)


def _signed(elem) -> bool:
    if isinstance(elem, qt.BipolarType | qt.TernaryType):
        return True
    return isinstance(elem, IntegerType) and elem.signedness.data == Signedness.SIGNED


def _prop(layer: DataflowOperation, name: str):
    return from_attr(layer.properties.get(name))


def _matmul_rtl_blocker(layer: DataflowOperation, fpgapart: str, vvau: bool) -> str | None:
    """Why FINN's RTL MVU/VVU cannot implement this layer (None: it can)."""
    if layer.properties.get("thresholds") is not None:
        return "the RTL MVU/VVU has no fused thresholds (needs noActivation)"
    in_elem = layer.in_type().element_type
    wdt = layer.properties.get("weight_type")
    xnor = bool(_prop(layer, "binary_xnor")) or (
        isinstance(in_elem, qt.BipolarType) and isinstance(wdt, qt.BipolarType)
    )
    if xnor:
        return "the RTL MVU/VVU has no binary xnor mode"
    if wdt is None or not _signed(wdt):
        return f"the RTL MVU/VVU needs signed weights, got {wdt}"
    a, w = element_bits(in_elem), element_bits(wdt)
    if not (a <= 8 or (a == 9 and _signed(in_elem))):
        return f"the RTL MVU/VVU takes inputs of at most 8 bits (9 signed), got {a}"
    if w > 8:
        return f"the RTL MVU/VVU takes weights of at most 8 bits, got {w}"
    if vvau:
        if not is_versal(fpgapart):
            return f"the RTL VVU needs a Versal part (DSP58), got {fpgapart}"
        return None
    weights = _prop(layer, "weights")
    narrow = weights is None or np.size(weights) == 0 or int(np.min(weights)) != qt.value_range(wdt)[0]
    if not narrow and dsp_block(fpgapart) == "DSP48E1":
        return f"the RTL MVU on DSP48E1 ({fpgapart}) needs narrow-range weights"
    return None


def _swg_hls_blocker(layer: SWGOp) -> str | None:
    """Why FINN's HLS sliding-window generator cannot implement this layer (None: it can)."""
    if _prop(layer, "dynamic_mode"):
        return "the HLS ConvolutionInputGenerator has no dynamic mode"
    _, ih, iw, _ = layer.in_type().shape
    _, oh, ow, _ = layer.out_type().shape
    (kh, kw), (sh, sw), (dh, dw) = layer.window()
    if (ih == 1 and kh == 1) or (iw == 1 and kw == 1):
        return None  # 1-D: the HLS variants have no restrictions
    if kh == kw and ih == iw and oh == ow and sh == sw and dh == dw == 1:
        return None
    return "the 2-D HLS ConvolutionInputGenerator needs a square kernel, image and output, equal strides and no dilation"


def blocker(layer: DataflowOperation, style: str, fpgapart: str) -> str | None:
    """Why `style` (which the op has) cannot implement this layer, or None."""
    op = layer.FINN_OP
    if style == "rtl":
        if op in ("MVAU", "VVAU"):
            return _matmul_rtl_blocker(layer, fpgapart, vvau=op == "VVAU")
        if isinstance(layer, DWCOp):
            a, b = layer.in_type().width_bits, layer.out_type().width_bits
            if a % b and b % a:
                return f"the RTL DWC needs an integer width ratio, got {a} and {b} bits"
    elif isinstance(layer, SWGOp):
        return _swg_hls_blocker(layer)
    return None


def finn_default(layer: DataflowOperation, fpgapart: str) -> str:
    """FINN's SpecializeLayers choice without preference."""
    have = variants(layer)
    if "rtl" not in have:
        return "hls"
    if layer.FINN_OP in ("MVAU", "VVAU"):
        in_bits = element_bits(layer.in_type().element_type)
        wdt = layer.properties.get("weight_type")
        w_bits = element_bits(wdt) if wdt is not None else 0
        if in_bits >= 4 and w_bits >= 4 and blocker(layer, "rtl", fpgapart) is None:
            return "rtl"
        return "hls" if "hls" in have else "rtl"
    if blocker(layer, "rtl", fpgapart) is not None and "hls" in have:
        return "hls"  # DWC with a non-integer width ratio
    return "rtl"


def with_preference(layer: DataflowOperation, style: str, fpgapart: str) -> str:
    """FINN's choice with preferred_impl_style = style: style if possible, else the other."""
    have = variants(layer)
    if style in have and blocker(layer, style, fpgapart) is None:
        return style
    other = "hls" if style == "rtl" else "rtl"
    return other if other in have else style


def choose_impl(layer: DataflowOperation, prefer: str, fpgapart: str) -> str:
    """The `impl` the layer gets (see the module docstring for the rules)."""
    have = variants(layer)
    current = layer.impl.data
    override = preferred_impl_style(layer)
    if override:
        if override not in STYLES:
            raise LoweringError(
                "specialize", layer, f'preferred_impl_style "{override}" is not one of "hls", "rtl", ""'
            )
        if override not in have:
            has = ", ".join(have) if have else "no hls/rtl variant"
            raise LoweringError(
                "specialize", layer,
                f'preferred_impl_style "{override}" is not available: {layer.FINN_OP} has {has}',
            )
        why = blocker(layer, override, fpgapart)
        if why is not None:
            raise LoweringError("specialize", layer, f'preferred_impl_style "{override}" cannot be used: {why}')
        if current and current != override:
            raise LoweringError(
                "specialize", layer,
                f'preferred_impl_style "{override}" conflicts with the already chosen impl "{current}"',
            )
        return override
    if current or not have:
        return current
    if prefer == "finn":
        return finn_default(layer, fpgapart)
    return with_preference(layer, prefer, fpgapart)


def specialized_name(finn_op_type: str, counters: dict[str, int]) -> str:
    k = counters.get(finn_op_type, 0)
    counters[finn_op_type] = k + 1
    return f"{finn_op_type}_{k}"


# ----------------------------------------------------------------------------- the pass


@dataclass(frozen=True)
class SpecializePass(ModulePass):
    """Pick hls/rtl for every dataflow layer and name the layers as FINN does."""

    name = "specialize"

    prefer: str = "rtl"
    fpgapart: str = DEFAULT_PART

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.prefer not in PREFER:
            raise FinnError(f'specialize: prefer must be one of rtl, hls, finn, got "{self.prefer}"')
        dsp_block(self.fpgapart)  # an unknown part is an error before anything changes
        layers = [o for o in op.walk() if isinstance(o, DataflowOperation)]
        impls = [choose_impl(layer, self.prefer, self.fpgapart) for layer in layers]
        counters: dict[str, int] = {}
        for layer, impl in zip(layers, impls):
            layer.impl = StringAttr(impl)
            layer.node_name = StringAttr(specialized_name(layer.finn_op_type(), counters))
