"""
Where the shipped hardware libraries live: `rtl/` (SystemVerilog) and `hls/` (HLS C++).

In a source checkout they are the repository's top-level folders; in an installed wheel
they are data files under `<prefix>/share/finn_xdsl/`. Code finds them only through these
helpers, never through relative paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _library(name: str) -> Path:
    for candidate in (_REPO / name, Path(sys.prefix) / "share" / "finn_xdsl" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"finn-xdsl's {name}/ library is not installed (looked in {_REPO} and {sys.prefix})")


def rtl_dir() -> Path:
    """The SystemVerilog layer library."""
    return _library("rtl")


def hls_dir() -> Path:
    """The HLS C++ layer library."""
    return _library("hls")


# vendor, library, version of the IP each HLS layer is exported as: -t hls's vitis_hls
# scripts export it, lower-to-hw records it on the layer's hw.module.extern, -t tcl
# instantiates it
HLS_VLNV = ("xilinx_finn", "hls", "1.0")


def hls_vlnv(name: str) -> str:
    """The VLNV of the HLS layer `name` (its IP name is the layer name)."""
    vendor, library, version = HLS_VLNV
    return f"{vendor}:{library}:{name}:{version}"
