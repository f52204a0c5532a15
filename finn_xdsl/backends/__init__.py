"""
Target registry (`finn-opt -t NAME`): target name -> factory returning the Target class.

Each backend is a legalising pass plus a plain printer; the printer decides nothing.
"""

from collections.abc import Callable
from importlib import import_module

from xdsl.utils.target import Target

# target name -> (module in finn_xdsl/backends, class name)
_TARGETS = {
    "report": ("report", "ReportTarget"),
    "folding-config": ("folding_config", "FoldingConfigTarget"),
    "sv": ("sv", "SVTarget"),
    "hls": ("hls", "HLSTarget"),
    "tcl": ("tcl", "TclTarget"),
    "driver": ("driver", "DriverTarget"),
}


def _factory(module: str, cls: str) -> Callable[[], type[Target]]:
    def load() -> type[Target]:
        return getattr(import_module(f"finn_xdsl.backends.{module}"), cls)

    return load


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    """Every finn-xdsl output target, by its command-line name."""
    return {name: _factory(module, cls) for name, (module, cls) in _TARGETS.items()}
