"""
Pass registry: pass name -> factory returning the pass class, lazy as xDSL's own.

One pass per file, the file named after the pass with '-' replaced by '_'
(`insert-fifos` lives in `insert_fifos.py`).
"""

from collections.abc import Callable

from xdsl.passes import ModulePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Every finn-xdsl pass, by its command-line name."""
    return {}
