"""The RTL tests' parameter grids, for the C-simulation tests to reuse (one grid per layer)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def rtl_test_module(name: str):
    """A module of tests/rtl loaded by path (tests/ has no packages), for its grid tables."""
    spec = importlib.util.spec_from_file_location(f"_rtl_{name}", Path(__file__).parents[1] / "rtl" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
