"""fx_memstream: lint over depths/widths, and cocotb + Verilator simulation of cyclic order,
hold under back-pressure and 1 word/cycle throughput (memstream_cocotb.py) for a 1-word ROM
(read address never moves), a 2-word ROM (the prefetch buffer's depth) and an odd-depth ROM
of words wider than 64 bits with padded TDATA."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent
SRC = [rtl_dir() / "fx_memstream.sv"]


@pytest.mark.parametrize(("depth", "width"), [(1, 1), (2, 8), (5, 13), (64, 72), (1000, 3)])
def test_memstream_lint(depth, width):
    lint(SRC, "fx_memstream", {"DEPTH": depth, "WIDTH": width})


@pytest.mark.parametrize(("depth", "width"), [(1, 3), (2, 8), (13, 70)])
def test_memstream_sim(depth, width, tmp_path):
    import random

    rng = random.Random(zlib.crc32(f"{depth}x{width}".encode()))
    words = [rng.getrandbits(width) for _ in range(depth)]
    init = tmp_path / "rom.hex"
    init.write_text("".join(f"{w:0{(width + 3) // 4}x}\n" for w in words))
    params = {"DEPTH": depth, "WIDTH": width, "INIT_FILE": f'"{init}"'}
    simulate(SRC, "fx_memstream", "memstream_cocotb", HERE, tmp_path / "build", params,
             extra_env={"INIT": init, "SEED": rng.getrandbits(16)})
