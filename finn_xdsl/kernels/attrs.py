"""
A layer's plan as an IR attribute, and back.

`legalize-layers` records every decision of a `LayerPlan` on the layer op as the attribute
`plan`, a dictionary in the plan's own order (xDSL keeps a dictionary's order when printing
and parsing it), e.g.

    plan = {module = "fx_swg", params = {IH = 8 : i64, ..., RAM_STYLE = "auto"},
            summary = "fx_swg 8x8x3 k3x3 SIMD=3"}

with, where they apply, `template` (the hls/ function of an HLS layer), `files` (wrapper
parameter -> memory-file name), `bipolar_in_lanes`, `affine_out`, `n_out`, `memstream` and
`idle_inputs`. Ports come from the stream types and memory contents from the op's constants
(`LayerSpec.memories`), so neither is copied into the IR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, IntegerAttr, StringAttr, i64
from xdsl.ir import Attribute

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.kernels.plan import LayerPlan, MemStream, Port, new_plan

if TYPE_CHECKING:
    from finn_xdsl.kernels import LayerSpec


def _value(v: int | str) -> Attribute:
    return StringAttr(v) if isinstance(v, str) else IntegerAttr(int(v), i64)


def _py(a: Attribute) -> int | str:
    if isinstance(a, StringAttr):
        return a.data
    assert isinstance(a, IntegerAttr), a
    return a.value.data


def _dict(d: dict) -> DictionaryAttr:
    return DictionaryAttr({k: _value(v) for k, v in d.items()})


def plan_to_attr(plan: LayerPlan) -> DictionaryAttr:
    """The decisions of `plan` as the `plan` attribute."""
    out: dict[str, Attribute] = {"module": StringAttr(plan.module)}
    if plan.template:
        out["template"] = StringAttr(plan.template)
    out["params"] = _dict(plan.params)
    if plan.file_params:
        out["files"] = _dict(plan.file_params)
    if plan.bipolar_in_lanes:
        out["bipolar_in_lanes"] = _value(plan.bipolar_in_lanes)
    if plan.affine_out is not None:
        out["affine_out"] = ArrayAttr([_value(v) for v in plan.affine_out])
    if plan.n_out != 1:
        out["n_out"] = _value(plan.n_out)
    if (ms := plan.memstream) is not None:
        out["memstream"] = _dict({"depth": ms.depth, "width": ms.width, "file_param": ms.file_param,
                                  "ram_style": ms.ram_style})
    if plan.idle_inputs:
        out["idle_inputs"] = _dict({p.name: p.width for p in plan.idle_inputs})
    out["summary"] = StringAttr(plan.summary)
    return DictionaryAttr(out)


def plan_from_attr(layer: df.DataflowOperation, spec: LayerSpec) -> LayerPlan:
    """The plan `legalize-layers` recorded on `layer`, with its memories refilled."""
    attr = layer.attributes["plan"]
    assert isinstance(attr, DictionaryAttr), attr
    d = attr.data

    def py(key: str, default=None):
        return _py(d[key]) if key in d else default

    def pydict(key: str) -> dict:
        a = d.get(key)
        return {k: _py(v) for k, v in a.data.items()} if isinstance(a, DictionaryAttr) else {}

    plan = new_plan(layer, str(py("module")), params=pydict("params"), summary=str(py("summary", "")),
                    template=str(py("template", "")), bipolar_in_lanes=int(py("bipolar_in_lanes", 0)),
                    n_out=int(py("n_out", 1)))
    if isinstance(a := d.get("affine_out"), ArrayAttr):
        plan.affine_out = tuple(int(_py(v)) for v in a.data)  # type: ignore[assignment]
    if ms := pydict("memstream"):
        plan.memstream = MemStream(int(ms["depth"]), int(ms["width"]), str(ms["file_param"]), str(ms["ram_style"]))
    plan.idle_inputs = tuple(Port(k, "in", int(w)) for k, w in pydict("idle_inputs").items())
    plan.file_params = {k: str(v) for k, v in pydict("files").items()}
    spec.memories(layer, plan)  # the contents of the files the plan names, and its tables
    return plan
