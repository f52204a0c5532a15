"""
`finn-opt -t folding-config`: the effective folding of every layer in FINN's folding
configuration format (what FINN writes as auto_folding_config.json / final_hw_config.json
and reads with ApplyConfig): `{"Defaults": {}, "<node_name>": {attr: value, ...}}`.

Per layer, the FINN attributes it has, in FINN's key order (PE, SIMD, parallel_window,
ram_style, depth, impl_style, resType, mem_mode, runtime_writeable_weights), booleans as
0/1; ram_style_thresholds is added only when it is not "auto". As FINN: parallel_window
only for non-HLS SWGs, PE of a 2-D StreamingMaxPool as FINN's unused default 1; DWCs and
reshapes carry no folding and are left out. Layers in block order, JSON with indent 2:
deterministic, and `apply-folding` of the output reproduces it exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.folding import FINN_TO_PROP, has_prop, is_2d_maxpool

KEY_ORDER = ("PE", "SIMD", "parallel_window", "ram_style", "depth", "impl_style", "resType",
             "mem_mode", "runtime_writeable_weights")
_SKIPPED = (df.DWCOp, df.ReshapeOp)


def layer_config(op: df.DataflowOperation) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    for key in KEY_ORDER:
        prop = FINN_TO_PROP[key]
        if not has_prop(op, prop):
            continue
        if key == "parallel_window" and op.impl.data == "hls":
            continue
        value = op.value_of(prop)
        if key == "PE" and is_2d_maxpool(op):
            value = 1
        cfg[key] = int(value) if isinstance(value, bool) else value
    if isinstance(op, df.MVAUOp) and op.value_of("ram_style_thresholds") != "auto":
        cfg["ram_style_thresholds"] = op.value_of("ram_style_thresholds")
    return cfg


def folding_config(module: ModuleOp) -> dict[str, Any]:
    config: dict[str, Any] = {"Defaults": {}}
    for part in df.partitions(module):
        for op in part.layers():
            if isinstance(op, _SKIPPED):
                continue
            cfg = layer_config(op)
            if cfg:
                config[op.display_name] = cfg
    return config


@dataclass(frozen=True)
class FoldingConfigTarget(Target):
    """Print the effective folding configuration (FINN's JSON format)."""

    name = "folding-config"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        output.write(json.dumps(folding_config(module), indent=2) + "\n")
