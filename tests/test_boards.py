"""FINN's board / part table."""

from __future__ import annotations

import pytest

from finn_xdsl import boards
from finn_xdsl.errors import FinnError


@pytest.mark.parametrize(
    "name, part, family, dsp, uram",
    [
        ("Pynq-Z1", "xc7z020clg400-1", "7-series", "DSP48E1", False),
        ("Pynq-Z2", "xc7z020clg400-1", "7-series", "DSP48E1", False),
        ("Ultra96", "xczu3eg-sbva484-1-e", "UltraScale+", "DSP48E2", False),
        ("Ultra96-V2", "xczu3eg-sbva484-1-i", "UltraScale+", "DSP48E2", False),
        ("ZCU102", "xczu9eg-ffvb1156-2-e", "UltraScale+", "DSP48E2", False),
        ("ZCU104", "xczu7ev-ffvc1156-2-e", "UltraScale+", "DSP48E2", True),
        ("KV260_SOM", "xck26-sfvc784-2LV-c", "UltraScale+", "DSP48E2", True),
        ("U50", "xcu50-fsvh2104-2L-e", "UltraScale+", "DSP48E2", True),
        ("U200", "xcu200-fsgd2104-2-e", "UltraScale+", "DSP48E2", True),
        ("U250", "xcu250-figd2104-2L-e", "UltraScale+", "DSP48E2", True),
        ("U280", "xcu280-fsvh2892-2L-e", "UltraScale+", "DSP48E2", True),
        ("U55C", "xcu55c-fsvh2892-2L-e", "UltraScale+", "DSP48E2", True),
    ],
)
def test_board_table(name, part, family, dsp, uram):
    b = boards.board(name)
    assert (b.name, b.part, b.family, b.dsp, b.has_uram) == (name, part, family, dsp, uram)
    assert b.kind == ("alveo" if name.startswith("U") and name[1].isdigit() else "zynq")
    assert (b.platform is not None) == (b.kind == "alveo")


def test_defaults():
    assert boards.DEFAULT_BOARD == "Pynq-Z1" and boards.DEFAULT_CLK_NS == 10.0
    assert boards.DEFAULT_PART == "xc7z020clg400-1"
    assert boards.board("Pynq-Z1").axi_port_width == 64 and boards.board("ZCU104").axi_port_width == 128


def test_lookup_ignores_case():
    assert boards.board("pynq-z2").name == "Pynq-Z2"
    assert boards.board("u250").part == "xcu250-figd2104-2L-e"


def test_unknown_board_lists_known_ones():
    with pytest.raises(FinnError, match="unknown board 'Zedboard'; known boards: Pynq-Z1, Pynq-Z2, .*U55C"):
        boards.board("Zedboard")


@pytest.mark.parametrize(
    "part, family, dsp",
    [
        ("xc7z020clg400-1", "7-series", "DSP48E1"),
        ("xc7a100tcsg324-1", "7-series", "DSP48E1"),
        ("xczu9eg-ffvb1156-2-e", "UltraScale+", "DSP48E2"),
        ("xcvu9p-flga2104-2L-e", "UltraScale+", "DSP48E2"),
        ("xcku040-ffva1156-2-e", "UltraScale", "DSP48E2"),
        ("xcvc1902-vsva2197-2MP-e-S", "Versal", "DSP58"),
        ("xcve2802-vsvh1760-2MP-e-S", "Versal", "DSP58"),
        ("xcv80-lsva4737-2MHP-e-S", "Versal", "DSP58"),
        ("xqrvc1902-vsqa2197-1M-m", "Versal", "DSP58"),
        ("xcvh1582-vsva3697-2MP-e-S", "Versal", "DSP58"),
    ],
)
def test_part_family(part, family, dsp):
    assert boards.part_family(part) == family
    assert boards.dsp_block(part) == dsp
    assert boards.is_versal(part) == (family == "Versal")


def test_unknown_part():
    with pytest.raises(FinnError, match="unknown FPGA part 'ep4ce22f17c6'"):
        boards.part_family("ep4ce22f17c6")


def test_board_of_part():
    assert boards.board_of_part("xc7z020clg400-1").name == "Pynq-Z1"
    assert boards.board_of_part("xc7a35t") is None
