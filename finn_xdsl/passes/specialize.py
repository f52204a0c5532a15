"""
specialize: choose every dataflow layer's implementation (`impl`: "hls" or "rtl") and give
the layers FINN's specialised names (FINN's SpecializeLayers followed by GiveUniqueNodeNames).

    specialize{prefer=rtl|hls|finn fpgapart=<part>}

`impl` IS the backend that realises the layer: `-t sv` writes RTL wrappers for the impl="rtl"
layers only, `-t hls` writes HLS C++ for the impl="hls" layers only. So the choice follows
what OUR libraries implement (the layer specs' capability checks, `kernels.library_blocker`),
not what FINN has — except under prefer=finn, which reproduces
FINN's names for conformance with FINN's reports.

Choice of `impl`, per layer, in this order:

1. A layer whose `impl` is already set keeps it (FINN only specialises abstract nodes), so
   the pass is idempotent.
2. A `preferred_impl_style` attribute on the layer ("hls" / "rtl"; "" = none) is honoured
   when that style can realise the layer; otherwise the layer FALLS BACK to the other style
   and a one-line warning names the node, the requested style, why, and the style used (as
   FINN does). Where neither style can, the requested one stays (its backend then reports
   the one-line error). Only malformed values (not "hls"/"rtl"/"") are errors.
3. `prefer=rtl` (the default) / `prefer=hls`: the preferred style wherever our library
   implements the layer (`library_blocker`), else the other style, else (neither can) the
   preferred one. Our rtl/ has every op but ChannelwiseOp and GlobalAccPool and refuses
   what its plans refuse (mem_mode external, runtime-writeable weights, a parallel_window
   SWG with SIMD < C, bipolar AddStreams, DuplicateStreams with more than 4 outputs, a raw
   MVAU with bipolar outputs); its DWC, unlike FINN's, takes any width ratio. Our hls/ has
   every op but StreamingFIFO and refuses parallel_window SWGs, runtime-writeable weights
   and mem_mode external. The DWCs folding inserts later take a style from folding_utils;
   `restyle_dwcs` (run by to-folded, and by apply-folding given `prefer`) gives every DWC
   the preferred style and renames it to match.
4. `prefer=finn`: FINN's SpecializeLayers rules without a preference (docs/finn_reference.md),
   over FINN's variants (each layer spec's `finn_variants`, not the dialect's IMPLS, which
   also list ours; their limits are the specs' `finn_blocker`):
   - StreamingDataWidthConverter: rtl iff one width is an integer multiple of the other,
     else hls;
   - MVAU: rtl iff A >= 4 and W >= 4 bits and `mvu_rtl_possible`, else hls;
   - any other op with an RTL variant in FINN -> rtl (ConvolutionInputGenerator, FMPadding,
     Thresholding, StreamingFIFO);
   - else hls (StreamingMaxPool, ChannelwiseOp, AddStreams, DuplicateStreams, LabelSelect,
     GlobalAccPool, ...).
   A `preferred_impl_style` under prefer=finn follows FINN's rules too: the style if FINN has
   it and the layer can use it (MVAU rtl needs `mvu_rtl_possible` — no A, W >= 4
   requirement —, RTL DWC an integer width ratio, HLS SWG a square non-dilated 2-D window
   or any 1-D one), else the other style, with the warning of rule 2.
   `mvu_rtl_possible`: no thresholds (noActivation), no xnor mode (binary_xnor or bipolar
   input × bipolar weights, which FINN always maps to binaryXnorMode), signed weights
   (bipolar/ternary count as signed), narrow-range weights (min(W) != min of the weight
   type) unless the part has DSP48E2/DSP58, A <= 8 (or A == 9 signed), W <= 8.
5. `dataflow.reshape` is a wire with no hardware (FINN deletes the flatten it stands for):
   its `impl` stays "" and it is named `Reshape_<k>`.

Conformance mode is recorded in the IR: under prefer=finn every `dataflow.partition` gets
the attribute `prefer = "finn"` (any other prefer removes it, the last specialize decides).
`-t report` reads it: layers of such a partition are estimated with FINN's formulas under
FINN's names, as FINN reports them; elsewhere an impl="rtl" layer is estimated with the
model of our rtl/ module (finn_xdsl/estimates/rtl).

Names: `<FINN_OP>_<impl>_<k>` (e.g. MVAU_rtl_0, ConvolutionInputGenerator_hls_3), k
counting per specialised op type (MVAU_hls and MVAU_rtl count separately) in graph order
over the whole module, as GiveUniqueNodeNames does. Re-running renumbers the same way, so
names are stable unless layers were added or removed.

Folding is chosen after this pass (to-folded runs set-folding next) and reads `impl` in two
places: an RTL SWG too slow at SIMD = C gets parallel_window, and an HLS MVAU keeps
SIMD >= MW/1024 (FINN's HLS ipgen assertion). tests/passes/test_specialize_invariants.py
shows what that changes between prefer=rtl and prefer=finn on the bundled models.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

from finn_xdsl.boards import DEFAULT_PART, dsp_block
from finn_xdsl.dialects.dataflow import (
    DataflowOperation,
    DWCOp,
    PartitionOp,
    ReshapeOp,
)
from finn_xdsl.dialects.dataflow_types import element_bits
from finn_xdsl.errors import FinnError, LoweringError
from finn_xdsl.kernels import library_blocker, spec_of
from finn_xdsl.utils.diagnostics import op_location, warn

PREFER = ("rtl", "hls", "finn")
# partition attribute recording conformance mode (read by -t report, see the docstring)
CONFORMANCE_ATTR = "prefer"
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
    """The implementation styles the dialect allows for the layer's op ("hls", "rtl")."""
    if isinstance(layer, WIRES):
        return ()
    return tuple(s for s in STYLES if s in layer.IMPLS)


def finn_variants(layer: DataflowOperation) -> tuple[str, ...]:
    """The implementation styles FINN has for the layer's op (FINN_VARIANTS)."""
    if isinstance(layer, WIRES):
        return ()
    return spec_of(layer).finn_variants


def blocker(layer: DataflowOperation, style: str, fpgapart: str) -> str | None:
    """Why FINN's `style` variant (which FINN has for the op) cannot implement this layer."""
    return spec_of(layer).finn_blocker(layer, style, fpgapart)


def finn_default(layer: DataflowOperation, fpgapart: str) -> str:
    """FINN's SpecializeLayers choice without preference."""
    have = finn_variants(layer)
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


# ----------------------------------------------------------------------------- the choice


def _other(style: str) -> str:
    return "hls" if style == "rtl" else "rtl"


def _why_not(layer: DataflowOperation, style: str, prefer: str, fpgapart: str) -> str | None:
    """Why `style` cannot realise the layer under the rules of `prefer` (None: it can)."""
    if prefer == "finn":
        if style not in finn_variants(layer):
            have = ", ".join(finn_variants(layer)) or "no hls/rtl variant"
            return f"FINN's {layer.FINN_OP} has {have}"
        return blocker(layer, style, fpgapart)
    why = library_blocker(layer, style)
    if why is None and style not in variants(layer):
        return f"{layer.FINN_OP} has no {style} variant"
    return why


def resolve_style(layer: DataflowOperation, style: str, prefer: str = "rtl",
                  fpgapart: str = DEFAULT_PART, source: str = "specialize") -> str:
    """`style` if it can realise the layer, else the other style with a one-line warning
    (`source: op 'node': preferred_impl_style "x" cannot be used: why; using "y"`); `style`
    again when neither can (its backend gives the error)."""
    why = _why_not(layer, style, prefer, fpgapart)
    if why is None:
        return style
    other = _other(style)
    if _why_not(layer, other, prefer, fpgapart) is not None:
        return style
    warn(f'{source}: {op_location(layer)}: preferred_impl_style "{style}" cannot be used: {why}; '
         f'using "{other}"')
    return other


def choose_impl(layer: DataflowOperation, prefer: str, fpgapart: str) -> str:
    """The `impl` the layer gets (see the module docstring for the rules)."""
    current = layer.impl.data
    override = preferred_impl_style(layer)
    if isinstance(layer, WIRES):
        return current
    if override:
        if override not in STYLES:
            raise LoweringError(
                "specialize", layer, f'preferred_impl_style "{override}" is not one of "hls", "rtl", ""'
            )
        chosen = resolve_style(layer, override, prefer, fpgapart)
        if current and current != chosen:
            raise LoweringError(
                "specialize", layer,
                f'preferred_impl_style "{override}" conflicts with the already chosen impl "{current}"',
            )
        return chosen
    if current or not variants(layer):
        return current
    if prefer == "finn":
        return finn_default(layer, fpgapart)
    if library_blocker(layer, prefer) is None or library_blocker(layer, _other(prefer)) is not None:
        return prefer
    return _other(prefer)


def restyle_dwcs(module: ModuleOp, prefer: str) -> None:
    """Give every DWC the preferred style (both our libraries convert any width ratio),
    renamed StreamingDataWidthConverter_<impl>_<n> with its number n kept (folding numbers
    DWCs per partition across both styles, so names stay unique). prefer=finn (or "")
    leaves the DWCs as folding made them."""
    if prefer not in STYLES:
        return
    for op in module.walk():
        if isinstance(op, DWCOp) and op.impl.data and op.impl.data != prefer:
            op.impl = StringAttr(prefer)
            stem, _, n = op.display_name.rpartition("_")
            if stem.endswith(("_hls", "_rtl")):
                op.node_name = StringAttr(f"{stem[:-3]}{prefer}_{n}")


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
        for part in op.walk():
            if isinstance(part, PartitionOp):
                if self.prefer == "finn":
                    part.attributes[CONFORMANCE_ATTR] = StringAttr("finn")
                else:
                    part.attributes.pop(CONFORMANCE_ATTR, None)
