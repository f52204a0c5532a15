"""
FINN's folding-config schema against the dataflow dialect: which FINN node attribute is
which property (`FINN_TO_PROP`: resType -> res_type, PE -> pe, preferred_impl_style ->
impl, ...), whether a layer has it, and FINN's one exception (the PE of a 2-D
StreamingMaxPool, which FINN accepts and ignores: 2-D pooling streams whole pixels).
apply-folding reads configs by it, `-t folding_config` writes them by it.
"""

from __future__ import annotations

from xdsl.ir import Operation

from finn_xdsl.dialects import dataflow as df

FINN_TO_PROP = {
    "PE": "pe",
    "SIMD": "simd",
    "parallel_window": "parallel_window",
    "ram_style": "ram_style",
    "depth": "depth",
    "impl_style": "impl_style",
    "resType": "res_type",
    "mem_mode": "mem_mode",
    "runtime_writeable_weights": "runtime_writeable_weights",
    "ram_style_thresholds": "ram_style_thresholds",
    "preferred_impl_style": "impl",
}
PROP_TO_FINN = {v: k for k, v in FINN_TO_PROP.items()}


def has_prop(op: df.DataflowOperation, prop: str) -> bool:
    return prop in op.properties or prop in type(op).get_irdl_definition().properties


def is_2d_maxpool(op: Operation) -> bool:
    return isinstance(op, df.StreamingMaxPoolOp) and not op.is_1d()
