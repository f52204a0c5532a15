"""
Resource models of OUR rtl/ library modules (not FINN's blocks), one file per module.

`finn_xdsl/estimates/rtl/<module>.py` (e.g. fx_mvu.py for rtl/fx_mvu.sv) exposes
`resources(params) -> {"LUT", "LUTRAM", "FF", "BRAM18", "DSP"}` for the module's Verilog
parameter dict exactly as `kernels.rtl_plan(layer).params` holds it (absent parameters take
the module's default). Each formula is fitted against Yosys (`synth_xilinx -family xc7`) over
the grid in `benchmarks/rtl_fit/<module>.py`; `benchmarks/rtl_estimates.py` re-runs the grid
and prints the error table. LUT counts LUT1..LUT6 cells, LUTRAM the distributed-RAM and SRL
cells, BRAM18 18-kbit block RAMs (a RAMB36 counts two).

`module_resources(module, params)` dispatches by name, importing the formula file only when
first asked. A module with no formula file yet gives None (not zeros, not an exception):
the caller decides what an unmodelled module means — the report (backends/report.py) falls
back to FINN's formula for that layer and says so in the layer's entry. An error inside an
existing formula file propagates: a broken model must not pass as a missing one.

Layering: this package is part of `estimates` and imports nothing of passes, backends or
tools; mapping a dataflow layer to (module, params) is the sv backend's job.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable

MODEL_KEYS = ("LUT", "LUTRAM", "FF", "BRAM18", "DSP")

_NAME = re.compile(r"fx_[a-z0-9_]+")
_cache: dict[str, Callable[[dict], dict] | None] = {}


def formula(module: str) -> Callable[[dict], dict] | None:
    """The `resources` function of `module`'s formula file, or None if there is none."""
    if module in _cache:
        return _cache[module]
    fn = None
    if _NAME.fullmatch(module):
        name = f"{__name__}.{module}"
        if importlib.util.find_spec(name) is not None:
            fn = importlib.import_module(name).resources
    _cache[module] = fn
    return fn


def has_model(module: str) -> bool:
    """Whether rtl/<module>.sv has a formula file here."""
    return formula(module) is not None


def module_resources(module: str, params: dict) -> dict[str, int] | None:
    """{"LUT", "LUTRAM", "FF", "BRAM18", "DSP"} (ints) of one instance of `module` at
    `params`, or None when the module has no formula file yet (see the module docstring)."""
    fn = formula(module)
    if fn is None:
        return None
    r = fn(dict(params))
    return {k: round(r.get(k, 0)) for k in MODEL_KEYS}


def add(a: dict[str, int], b: dict[str, int] | None) -> dict[str, int]:
    """The sum of two model results (b None counts as nothing)."""
    return {k: a.get(k, 0) + (b or {}).get(k, 0) for k in MODEL_KEYS}
