"""fx_fifo: lint over the whole style × depth × width grid (cheap), and cocotb + Verilator
simulation (one build per case, ~10 s each) over a diagonal of it that still gives every
style each depth (1, 2, 3, 17, 32, 33, 256) and every width (1, 8, 13, 64); the "auto" and
"dist" cases check the style chosen (srl up to 32, ram above, bram from 256 entries and
8192 bits for "auto"; fifo_cocotb.py), and every case checks TREADY/TVALID cycle by cycle
against the count model."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent
SRC = [rtl_dir() / "fx_fifo.sv"]
DEPTHS = (1, 2, 3, 17, 32, 33, 256)
WIDTHS = (1, 8, 13, 64)

# (STYLE parameter or None for the default, resolved style, depth, width)
SIM_CASES = [
    ("srl", "srl", 1, 13),
    ("srl", "srl", 2, 1),
    ("srl", "srl", 3, 64),
    ("srl", "srl", 17, 8),
    (None, "srl", 32, 13),
    ("srl", "srl", 33, 1),
    ("srl", "srl", 256, 64),
    ("ram", "ram", 1, 8),
    ("ram", "ram", 2, 64),
    ("ram", "ram", 3, 13),
    ("ram", "ram", 17, 1),
    ("ram", "ram", 32, 64),
    ("auto", "ram", 33, 8),
    (None, "ram", 256, 13),
    ("bram", "bram", 1, 8),
    ("bram", "bram", 2, 13),
    ("bram", "bram", 3, 1),
    ("bram", "bram", 17, 64),
    ("bram", "bram", 33, 8),
    (None, "bram", 256, 32),
    ("dist", "srl", 32, 8),
    ("dist", "ram", 256, 64),
]


def params(style: str | None, depth: int, width: int) -> dict[str, object]:
    p: dict[str, object] = {"WIDTH": width, "DEPTH": depth}
    if style is not None:
        p["STYLE"] = f'"{style}"'  # a string parameter reaches -G quoted
    return p


@pytest.mark.parametrize("style", ["srl", "ram", "bram", "dist", "auto", None])
def test_fifo_lint_grid(style):
    for depth, width in itertools.product(DEPTHS, WIDTHS):
        lint(SRC, "fx_fifo", params(style, depth, width))


@pytest.mark.parametrize("bad", [{"STYLE": '"lut"'}, {"DEPTH": 0}])
def test_fifo_rejects_bad_parameters(bad):
    with pytest.raises(AssertionError, match="STYLE must be|DEPTH must be"):
        lint(SRC, "fx_fifo", {"WIDTH": 8, "DEPTH": 4, **bad})


@pytest.mark.parametrize(("style", "resolved", "depth", "width"), SIM_CASES,
                         ids=[f"{s or 'default'}-d{d}-w{w}" for s, _, d, w in SIM_CASES])
def test_fifo(style, resolved, depth, width, tmp_path):
    simulate(SRC, "fx_fifo", "fifo_cocotb", HERE, tmp_path / "build", params(style, depth, width),
             extra_env={"WIDTH": width, "DEPTH": depth, "STYLE": resolved, "SEED": depth * 100 + width})
