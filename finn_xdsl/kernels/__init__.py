"""
The layer library: one `LayerSpec` per `dataflow` layer op, the one place a layer's story is
told below the passes.

A spec names the layer's rtl/ module (and the rtl/ files it needs) and its hls/ template,
says which configurations each of our libraries implements (`blocker`) and which FINN's
own variants implement (`finn_variants`, `finn_blocker`: FINN's SpecializeLayers rules),
decides the layer's plan (`rtl`, `hls_decide`: every parameter value, the memory-file
names and contents, the wrapper glue; `hls`: how the template is called), and holds its
token model (`tokens`), its reference hook (`reference`), FINN's resource formula
(`finn_resources`) and its folding facts (`fold_dims`, `in_lanes`, `out_lanes`,
`finn_fold`); its cycle formula is the op's own `cycles()`. Passes, backends, estimates
and simulators look a layer up here (`spec_of`, `specs`) instead of keeping their own
per-op tables. Adding a layer therefore touches: its op in
`dialects/dataflow_<group>.py`, its `kernels/<layer>.py` (defining `SPEC`; the registry
finds the module by itself), its numpy kernel in `sim/dataflow_kernels.py`, its rtl/
module, its hls/ template and its tests (`tests/kernels/test_<layer>.py`). Optional: an
area model of the rtl/ module in `estimates/rtl/` (without one, `-t report` says so).

Decisions live in the IR: the `legalize-layers` pass records each layer's plan as the
attribute `plan` (see `kernels.attrs`); `plan_of` reads it back, or decides it when the IR
was not legalised (e.g. `finn-opt -t sv` straight after lower-to-hw).

Layering: kernels import dialects, estimates (FINN's shared formula helpers), sim (the
numpy kernels and the token-model protocol) and the base modules; never passes, backends,
verify, flow or tools.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.hls_plan import AP_INT_LIMIT, HlsPlan
from finn_xdsl.kernels.plan import LayerPlan, Port, Refusal, padded, stream_ports  # noqa: F401

# the modules of this package that are not a layer's (every other one defines SPEC)
_SHARED_MODULES = {"attrs", "hls_plan", "packing", "plan"}
# rtl/ modules that realise no layer by themselves but are instantiated by wrappers
_GLUE_LIBRARY = {"fx_memstream": ("fx_memstream",)}
STYLES = ("hls", "rtl")


def _never(op: Any, *args: Any) -> str | None:
    return None


@dataclass(frozen=True)
class LayerSpec:
    """Everything the package knows about one dataflow layer op, below the passes.

    `rtl_module`: the rtl/ module ("" for a wire, None when rtl/ has none); `library`: the
    rtl/ files a wrapper needs, by the module the plan picks (that module first).
    `hls_template`: the hls/ template function (None when hls/ has none), in
    `hls_header`, with `hls_params` its template parameters in order. `rtl(op)` decides the rtl plan (raising `Refusal`);
    `hls_decide(op)` the plan of an HLS layer (None: the rtl plan, the templates being
    the modules' twins), `hls(op, plan)` the template call; `memories(op, plan)` fills a
    plan read back from the IR with the memory contents. `blocker(op, style)` says why
    our rtl/ or hls/ library cannot realise the layer (None: it can), in the words
    specialize warns with; `finn_variants` and `finn_blocker(op, style, fpgapart)` are
    FINN's own (its <op>_hls / <op>_rtl classes and their limits). `tokens(op, depth)`
    builds the cycle-exact token model of the rtl/ module (sim.tokensim's nodes; None:
    no timing model, e.g. a wire). `reference(op, args)` is the layer's bit-exact
    semantics for sim.dataflow's interpreter (args: int64 tensors of the normal shapes),
    over the numpy kernels of sim.dataflow_kernels. `finn_resources(op, fpgapart,
    minimize=, last_node=)`: FINN's resource formula for the op (None: FINN's all-zero
    estimate). Folding: `fold_dims(op)` the folding factors (property -> (the dimension it
    must divide, its size)); `in_lanes(op, index)` the lanes operand `index` needs (None:
    it takes whatever comes; default: the layer's PE), `out_lanes(op, source_lanes)` its
    results' lanes (default: its input lanes, or the source's). `finn_fold`: "pe" when
    FINN's SetFolding raises the op's PE over its channels (its MVAU and SWG rules, and
    FMPadding's SIMD, are set-folding's own)."""

    op: type[df.DataflowOperation]
    rtl_module: str | None
    library: dict[str, tuple[str, ...]]
    hls_template: str | None
    hls_header: str
    hls_params: tuple[str, ...]
    rtl: Callable[[Any], LayerPlan] | None
    hls: Callable[[Any, LayerPlan], HlsPlan] | None
    finn_variants: tuple[str, ...] = ("hls",)
    hls_decide: Callable[[Any], LayerPlan] | None = None
    memories: Callable[[Any, LayerPlan], None] = _never
    blocker: Callable[[Any, str], str | None] = _never
    finn_blocker: Callable[[Any, str, str], str | None] = _never
    tokens: Callable[[Any, int | None], Any] | None = None
    reference: Callable[[Any, tuple], tuple] | None = None
    finn_resources: Callable[..., dict] | None = None
    fold_dims: Callable[[Any], dict[str, tuple[str, int]]] = lambda op: {}
    in_lanes: Callable[[Any, int], int | None] | None = None
    out_lanes: Callable[[Any, int], int] | None = None
    finn_fold: str = ""

    @property
    def complete(self) -> bool:
        """Every style the spec claims has its plan and its files."""
        rtl = self.rtl_module is None or (self.rtl is not None and (self.rtl_module == "" or bool(self.library)))
        hls = self.hls_template is None or (self.hls is not None and bool(self.hls_header))
        return rtl and hls and self.reference is not None


def pe_over_channels(op: df.DataflowOperation) -> dict[str, tuple[str, int]]:
    """The usual folding: PE lanes of the C channels."""
    return {"pe": ("C", op.in_type().channels)}


def simd_lanes(op: df.DataflowOperation, index: int = 0) -> int | None:
    return op.value_of("simd")


def any_lanes(op: df.DataflowOperation, index: int = 0) -> int | None:
    """A layer that takes whatever lanes come (width converters, FIFOs, wires)."""
    return None


_SPECS: dict[type, LayerSpec] = {}


def specs() -> dict[type, LayerSpec]:
    """Op class -> spec, for every layer (the per-layer modules are imported on first use)."""
    if not _SPECS:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if info.name not in _SHARED_MODULES:
                spec = importlib.import_module(f"{__name__}.{info.name}").SPEC
                _SPECS[spec.op] = spec
    return _SPECS


def spec_of(layer: df.DataflowOperation | type) -> LayerSpec:
    cls = layer if isinstance(layer, type) else type(layer)
    return specs()[cls]


def library_of(module: str) -> tuple[str, ...]:
    """The rtl/ files a wrapper around `module` needs (itself first)."""
    if module in _GLUE_LIBRARY:
        return _GLUE_LIBRARY[module]
    return next((s.library[module] for s in specs().values() if module in s.library), ())


def _template_spec(function: str) -> LayerSpec:
    return next(s for s in specs().values() if s.hls_template == function)


def template_header(function: str) -> str:
    return _template_spec(function).hls_header


def template_params(function: str) -> tuple[str, ...]:
    return _template_spec(function).hls_params


def library_blocker(layer: df.DataflowOperation, style: str) -> str | None:
    """Why our rtl/ ("rtl") or hls/ ("hls") library cannot realise this layer (None: it
    can); wires (reshape) need neither."""
    spec = spec_of(layer)
    if spec.rtl_module == "":
        return None
    if (spec.rtl_module if style == "rtl" else spec.hls_template) is None:
        what = "rtl/ library module" if style == "rtl" else "hls/ library template"
        return f"no {what} implements {layer.FINN_OP}"
    return spec.blocker(layer, style)


def finn_blocker(layer: df.DataflowOperation, style: str, fpgapart: str) -> str | None:
    """Why FINN's `style` variant of the layer's op cannot implement it (None: it can)."""
    return spec_of(layer).finn_blocker(layer, style, fpgapart)


# ----------------------------------------------------------------------------- plans

PLAN_ATTR = "plan"


def decide(layer: df.DataflowOperation, style: str) -> LayerPlan:
    """The plan of one layer for our rtl/ ("rtl") or hls/ ("hls") library; `Refusal` if the
    library cannot realise it."""
    spec = spec_of(layer) if type(layer) in specs() else None
    if style == "hls":
        if spec is None or spec.hls_template is None:
            raise Refusal(layer, f"no hls/ template implements {layer.FINN_OP or layer.name}")
        plan = spec.hls_decide(layer) if spec.hls_decide is not None else spec.rtl(layer)  # type: ignore[misc]
        plan.template = spec.hls_template
        hls_call(layer, plan)  # the template's limits are the library's too
        return plan
    if spec is None or spec.rtl is None:
        raise Refusal(layer, f"no rtl/ library module implements {layer.FINN_OP or layer.name}")
    return spec.rtl(layer)


def rtl_plan(layer: df.DataflowOperation) -> LayerPlan:
    """The plan of the layer's wrapper around our rtl/ library (`Refusal` if it has none)."""
    return decide(layer, "rtl")


def style_of(layer: df.DataflowOperation) -> str:
    """The library realising the layer: "hls" for impl="hls", else "rtl" (wires included)."""
    return "hls" if layer.impl.data == "hls" else "rtl"


def plan_of(layer: df.DataflowOperation) -> LayerPlan:
    """The layer's plan: the one `legalize-layers` recorded, or decided now."""
    from finn_xdsl.kernels.attrs import plan_from_attr

    if PLAN_ATTR in layer.attributes:
        return plan_from_attr(layer, spec_of(layer))
    return decide(layer, style_of(layer))


def hls_call(layer: df.DataflowOperation, plan: LayerPlan) -> HlsPlan:
    """How an HLS layer's top function calls its template, from the layer's plan."""
    spec = spec_of(layer)
    assert spec.hls is not None
    call = spec.hls(layer, plan)
    if call.ap_int_max_w > AP_INT_LIMIT:
        raise Refusal(layer, f"words of up to {call.ap_int_max_w} bits exceed ap_int's limit of {AP_INT_LIMIT}; "
                      "lower PE/SIMD")
    return call


def hls_plan_of(layer: df.DataflowOperation) -> HlsPlan:
    return hls_call(layer, plan_of(layer))


def partition_layers(module: ModuleOp, style: str | None = None) -> list[df.DataflowOperation]:
    """The layers of every partition in IR order; only those `style` realises when given
    ("rtl": every layer but the impl="hls" ones, wires included)."""
    return [layer for part in df.partitions(module) for layer in part.layers()
            if style is None or style_of(layer) == style]


def plans(module: ModuleOp, style: str, target: str) -> list[LayerPlan]:
    """The plans of every layer `style` realises, in IR order; the first refusal as a
    FinnError of `target` ("-t sv", ...)."""
    return [_labelled(plan_of, layer, target) for layer in partition_layers(module, style)]


def hls_plans(module: ModuleOp, target: str = "-t hls") -> list[HlsPlan]:
    return [_labelled(hls_plan_of, layer, target) for layer in partition_layers(module, "hls")]


def record_plans(module: ModuleOp, style: str | None = None, label: str = "legalize-layers") -> None:
    """Decide the plan of every layer (those `style` realises, when given) and record it as
    the layer's `plan` attribute; every plan is decided before any is recorded, so a
    refusal (a FinnError of `label`) leaves the IR as it was."""
    from finn_xdsl.kernels.attrs import plan_to_attr

    layers = partition_layers(module, style)
    attrs = [_labelled(lambda layer: plan_to_attr(decide(layer, style_of(layer))), layer, label) for layer in layers]
    for layer, attr in zip(layers, attrs, strict=True):
        layer.attributes[PLAN_ATTR] = attr


def _labelled(fn: Callable[[df.DataflowOperation], Any], layer: df.DataflowOperation, label: str) -> Any:
    try:
        return fn(layer)
    except Refusal as e:
        raise FinnError(f"{label}: {e}") from None
