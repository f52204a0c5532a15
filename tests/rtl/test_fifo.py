"""fx_fifo: lint and cocotb + Verilator simulation over depths and widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent


@pytest.mark.parametrize(("width", "depth"), [(8, 2), (13, 17), (64, 256)])
def test_fifo(width, depth, tmp_path):
    src = [rtl_dir() / "fx_fifo.sv"]
    params = {"WIDTH": width, "DEPTH": depth}
    lint(src, "fx_fifo", params)
    simulate(src, "fx_fifo", "fifo_cocotb", HERE, tmp_path / "build", params,
             extra_env={"WIDTH": width, "SEED": depth})
