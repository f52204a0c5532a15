"""
Target registry (`finn-opt -t NAME`): target name -> factory returning the Target class.

Each backend is a legalising pass plus a plain printer; the printer decides nothing.
"""

from collections.abc import Callable

from xdsl.utils.target import Target


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    """Every finn-xdsl output target, by its command-line name."""
    return {}
