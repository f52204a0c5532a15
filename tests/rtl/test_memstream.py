"""fx_memstream: lint over depths/widths/RAM_STYLEs, and cocotb + Verilator simulation of
cyclic order, hold under back-pressure, 1 word/cycle throughput and TVALID timing after reset
(memstream_cocotb.py) for a 1-word ROM (read address never moves), a 2-word ROM, an odd-depth
ROM of words wider than 64 bits with padded TDATA, in both memory styles, and one ROM large
enough for "auto" to pick block RAM."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent
SRC = [rtl_dir() / "fx_memstream.sv"]


STYLES = ("auto", "distributed", "block", "ultra")


def resolved(style: str | None, depth: int, width: int) -> str:
    """The generate block fx_memstream builds: g_block or g_dist (rule in its header)."""
    style = style or "auto"
    if style == "auto":
        return "dist" if depth <= 128 or depth * width <= 4096 else "block"
    return "dist" if style == "distributed" else "block"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("depth", "width"), [(1, 1), (2, 8), (5, 13), (64, 72), (1000, 3)])
def test_memstream_lint(depth, width, style):
    lint(SRC, "fx_memstream", {"DEPTH": depth, "WIDTH": width, "RAM_STYLE": f'"{style}"'})


def test_memstream_rejects_bad_style():
    with pytest.raises(AssertionError, match="RAM_STYLE must be"):
        lint(SRC, "fx_memstream", {"DEPTH": 4, "WIDTH": 8, "RAM_STYLE": '"lutram"'})


SIM_CASES = [(1, 3, "block"), (2, 8, "distributed"), (13, 70, "block"), (13, 70, None),
             (300, 20, None)]


@pytest.mark.parametrize(("depth", "width", "style"), SIM_CASES,
                         ids=[f"{d}x{w}-{s or 'default'}" for d, w, s in SIM_CASES])
def test_memstream_sim(depth, width, style, tmp_path):
    import random

    rng = random.Random(zlib.crc32(f"{depth}x{width}".encode()))
    words = [rng.getrandbits(width) for _ in range(depth)]
    init = tmp_path / "rom.hex"
    init.write_text("".join(f"{w:0{(width + 3) // 4}x}\n" for w in words))
    params = {"DEPTH": depth, "WIDTH": width, "INIT_FILE": f'"{init}"'}
    if style is not None:
        params["RAM_STYLE"] = f'"{style}"'
    simulate(SRC, "fx_memstream", "memstream_cocotb", HERE, tmp_path / "build", params,
             extra_env={"INIT": init, "SEED": rng.getrandbits(16),
                        "STYLE": resolved(style, depth, width)})
