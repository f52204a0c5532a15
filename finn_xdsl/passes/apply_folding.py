"""
`apply-folding{file=path.json}`: set layer attributes from a FINN folding configuration
(FINN's ApplyConfig), then retype the streams and insert / remove DWCs.

The file is FINN's format: `{"Defaults": {attr: [value, op_types | "all", ...]},
"<node_name>": {"PE": 4, "SIMD": 16, "ram_style": "auto", ...}}`. Nodes are matched by
`node_name`; FINN attribute names map to our properties (`FINN_TO_PROP`: resType ->
res_type, PE -> pe, preferred_impl_style -> impl, ...). FIFO sizing results
(inFIFODepths / outFIFODepths, in FINN's final_hw_config.json) are kept on the layers for
insert-fifos; entries for StreamingFIFO / StreamingDataWidthConverter nodes the IR does not
have yet (a finished build's config fed back) are skipped, since later passes make them. FINN's PE of a
2-D StreamingMaxPool is accepted and ignored, as in FINN (2-D pooling streams whole pixels).

`preferred_impl_style` ("hls" / "rtl") is honoured when that backend can realise the layer
as configured (after all its attributes are applied: parallel_window, mem_mode, ... count);
otherwise the layer falls back to the other style with a one-line warning, as
`specialize` does (`specialize.resolve_style`; `prefer=finn` judges by FINN's variants, any
other value by our rtl/ and hls/ libraries). The node keeps its name (the config's key).
With `prefer=rtl|hls` the width converters that retyping inserts get that style
(`specialize.restyle_dwcs`), as to-folded gives them; without it they stay as retyping
made them.

Errors are one-line FinnErrors naming the node and the rule: an unknown node, an
attribute the layer does not have, a value of the wrong type or out of its choices, or a
folding that breaks a constraint ("apply-folding: MVAU_rtl_1: PE=5 does not divide MH=64").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow_base import to_attr
from finn_xdsl.errors import FinnError
from finn_xdsl.estimates.folding import FINN_TO_PROP, has_prop, is_2d_maxpool
from finn_xdsl.passes.folding_utils import (
    check_folding,
    layers_by_name,
    retype_partition,
    verify_partition,
)
from finn_xdsl.passes.specialize import PREFER, STYLES, resolve_style, restyle_dwcs

# FINN node attribute -> our property
_INTS = {"pe", "simd", "depth"}
_BOOLS = {"parallel_window", "runtime_writeable_weights"}
# nodes that insert-fifos / folding create themselves: entries for absent ones are skipped
GENERATED_NODES = ("StreamingFIFO", "StreamingDataWidthConverter")

# FINN's FIFO depths per input / output port -> discardable layer attributes (insert-fifos)
FIFO_DEPTH_ATTRS = {"inFIFODepths": "in_fifo_depths", "outFIFODepths": "out_fifo_depths"}

PASS = "apply-folding"


def _convert(op: df.DataflowOperation, attr: str, prop: str, value: Any) -> Any:
    where = f"{PASS}: {op.display_name}"
    if prop in _INTS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FinnError(f"{where}: {attr} must be an integer, got {json.dumps(value)}")
        if value < 1:
            raise FinnError(f"{where}: {attr}={value} must be >= 1")
        return value
    if prop in _BOOLS:
        if value in (0, 1) and not isinstance(value, float):
            return bool(value)
        raise FinnError(f"{where}: {attr} must be 0 or 1, got {json.dumps(value)}")
    if not isinstance(value, str):
        raise FinnError(f"{where}: {attr} must be a string, got {json.dumps(value)}")
    if prop == "impl":
        if value and value not in STYLES:
            raise FinnError(f"{where}: preferred_impl_style \"{value}\" is not one of "
                            + ", ".join(f'"{c}"' for c in STYLES))
        return value
    choices = op.CHOICES.get(prop)
    if choices is not None and value not in choices:
        raise FinnError(f"{where}: {attr} \"{value}\" is not one of " + ", ".join(f'"{c}"' for c in choices))
    return value


def apply_attr(op: df.DataflowOperation, attr: str, value: Any) -> str:
    """Set one FINN attribute on a layer (checked; folding constraints are checked later).
    Returns the requested impl style for `preferred_impl_style` (resolved by the caller once
    every attribute is in place), else ""."""
    if attr in FIFO_DEPTH_ATTRS:
        ports = len(op.operands) if attr == "inFIFODepths" else len(op.results)
        if (not isinstance(value, list) or len(value) != ports
                or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value)):
            raise FinnError(f"{PASS}: {op.display_name}: {attr} must be a list of {ports} integers >= 1, "
                            f"got {json.dumps(value)}")
        op.attributes[FIFO_DEPTH_ATTRS[attr]] = to_attr(value)
        return ""
    prop = FINN_TO_PROP.get(attr)
    if prop is None or (prop != "impl" and not has_prop(op, prop)):
        raise FinnError(f"{PASS}: {op.display_name}: unknown attribute \"{attr}\" for {op.finn_op_type()}")
    value = _convert(op, attr, prop, value)
    if prop == "impl":
        return value
    if prop == "pe" and is_2d_maxpool(op):
        return ""  # FINN ignores PE of 2-D pooling; ours is fixed to C
    if prop == "depth" and value < 2:
        raise FinnError(f"{PASS}: {op.display_name}: depth={value} must be >= 2")
    op.set_values(**{prop: value})
    return ""


def _defaults(config: dict, path: str) -> list[tuple[str, Any, Any]]:
    """FINN's Defaults: attr -> [value, op_types or "all", value, op_types, ...]."""
    raw = config.get("Defaults", {})
    if not isinstance(raw, dict):
        raise FinnError(f"{PASS}: {path}: \"Defaults\" must be an object")
    out = []
    for attr, spec in raw.items():
        if not isinstance(spec, list) or len(spec) % 2:
            raise FinnError(f"{PASS}: {path}: Defaults[\"{attr}\"] must be a list [value, op_types or \"all\", ...]")
        for value, ops in zip(spec[::2], spec[1::2]):
            if ops == "all" and len(spec) > 2:
                raise FinnError(f"{PASS}: {path}: Defaults[\"{attr}\"] with \"all\" takes one value")
            out.append((attr, value, ops))
    return out


def load_config(path: str) -> dict:
    try:
        with open(path) as f:
            config = json.load(f)
    except OSError as e:
        raise FinnError(f"{PASS}: cannot read {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise FinnError(f"{PASS}: {path}: invalid JSON: {e.msg} (line {e.lineno})") from None
    if not isinstance(config, dict):
        raise FinnError(f"{PASS}: {path}: expected a JSON object {{\"Defaults\": ..., node: {{attr: value}}}}")
    return config


def apply_folding_config(module: ModuleOp, config: dict, path: str = "<config>", prefer: str = "") -> None:
    """Apply `config` (see the module docstring); `prefer` as specialize's (or "")."""
    layers = layers_by_name(module)
    defaults = _defaults(config, path)
    for name, attrs in config.items():
        if name == "Defaults":
            continue
        if name not in layers and name.startswith(GENERATED_NODES):
            continue  # a FIFO / DWC of a finished build (final_hw_config.json): made again by later passes
        if name not in layers:
            raise FinnError(f"{PASS}: {path}: unknown node \"{name}\" (no layer has this node_name)")
        if not isinstance(attrs, dict):
            raise FinnError(f"{PASS}: {name}: expected an object of attributes")
    styles: dict[str, str] = {}
    for name, op in layers.items():
        node_attrs = config.get(name, {})
        for attr, value, ops in defaults:
            if attr in node_attrs:
                continue
            if ops == "all":
                prop = FINN_TO_PROP.get(attr)
                if prop is None or (prop != "impl" and not has_prop(op, prop)):
                    continue
            elif op.finn_op_type() not in ops:
                continue
            styles[name] = apply_attr(op, attr, value) or styles.get(name, "")
        for attr, value in node_attrs.items():
            styles[name] = apply_attr(op, attr, value) or styles.get(name, "")
    for name, op in layers.items():
        try:
            check_folding(op)
        except FinnError as e:
            raise FinnError(f"{PASS}: {e}") from None
    rules = "finn" if prefer == "finn" else "rtl"
    for name, style in styles.items():
        if style and not isinstance(layers[name], df.ReshapeOp):
            layers[name].impl = StringAttr(resolve_style(layers[name], style, rules, source=PASS))
    for part in df.partitions(module):
        retype_partition(part)
        verify_partition(part, PASS)
    restyle_dwcs(module, prefer)


@dataclass(frozen=True)
class ApplyFoldingPass(ModulePass):
    """Apply a FINN folding configuration file (see the module docstring)."""

    name = "apply-folding"

    file: str = ""
    prefer: str = ""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.file:
            raise FinnError(f"{PASS}: give the configuration file: apply-folding{{file=path.json}}")
        if self.prefer not in ("", *PREFER):
            raise FinnError(f'{PASS}: prefer must be one of rtl, hls, finn, got "{self.prefer}"')
        apply_folding_config(op, load_config(self.file), self.file, self.prefer)
