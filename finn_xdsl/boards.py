"""
FINN's board / FPGA part table (`finn.util.basic`: pynq_part_map, alveo_part_map,
alveo_default_platform, pynq_native_port_width) and the part -> device family lookup.

    board("Pynq-Z1").part          -> "xc7z020clg400-1"
    part_family("xczu7ev-ffvc1156-2-e") -> "UltraScale+"
    dsp_block("xc7z020clg400-1")   -> "DSP48E1"   (FINN's get_dsp_block)

The default target is FINN's: Pynq-Z1 at a 10 ns clock (100 MHz).
"""

from __future__ import annotations

from dataclasses import dataclass

from finn_xdsl.errors import FinnError

SEVEN_SERIES = "7-series"
ULTRASCALE = "UltraScale"
ULTRASCALE_PLUS = "UltraScale+"
VERSAL = "Versal"

# device family -> DSP slice FINN's RTL cores target
DSP_BLOCKS = {
    SEVEN_SERIES: "DSP48E1",
    ULTRASCALE: "DSP48E2",
    ULTRASCALE_PLUS: "DSP48E2",
    VERSAL: "DSP58",
}

# FINN's is_versal() (xcvc, xcve, xcvp, xcvm, xqvc, xqvm, xqrvc, xcv80: the V80 card) and
# the HBM series xcvh: these part-name prefixes are Versal devices. The one list: the
# estimates (DSP58 or not) and specialize's capability checks both read it through
# is_versal / dsp_block.
_VERSAL_PREFIXES = ("xcvc", "xcve", "xcvp", "xcvm", "xcvh", "xqvc", "xqvm", "xqrvc", "xcv80")


@dataclass(frozen=True)
class Board:
    """One FINN board: its part, shell flow kind and what the part offers."""

    name: str
    part: str
    kind: str  # "zynq" (vivado_zynq shell flow) or "alveo" (vitis_alveo)
    has_uram: bool
    platform: str | None = None  # Vitis platform (Alveo only): alveo_default_platform
    axi_port_width: int = 128  # pynq_native_port_width (Zynq only; 64 on Pynq-Z1/Z2)

    @property
    def family(self) -> str:
        return part_family(self.part)

    @property
    def dsp(self) -> str:
        return DSP_BLOCKS[self.family]


BOARDS: dict[str, Board] = {
    b.name: b
    for b in (
        # Zynq-7000 (7-series fabric, DSP48E1, no URAM)
        Board("Pynq-Z1", "xc7z020clg400-1", "zynq", has_uram=False, axi_port_width=64),
        Board("Pynq-Z2", "xc7z020clg400-1", "zynq", has_uram=False, axi_port_width=64),
        # Zynq UltraScale+ MPSoC / RFSoC (DSP48E2); ZU3EG and ZU9EG have no UltraRAM
        Board("Ultra96", "xczu3eg-sbva484-1-e", "zynq", has_uram=False),
        Board("Ultra96-V2", "xczu3eg-sbva484-1-i", "zynq", has_uram=False),
        Board("ZCU102", "xczu9eg-ffvb1156-2-e", "zynq", has_uram=False),
        Board("ZCU104", "xczu7ev-ffvc1156-2-e", "zynq", has_uram=True),
        Board("ZCU111", "xczu28dr-ffvg1517-2-e", "zynq", has_uram=True),
        Board("RFSoC2x2", "xczu28dr-ffvg1517-2-e", "zynq", has_uram=True),
        Board("RFSoC4x2", "xczu48dr-ffvg1517-2-e", "zynq", has_uram=True),
        Board("KV260_SOM", "xck26-sfvc784-2LV-c", "zynq", has_uram=True),
        # Alveo (Virtex UltraScale+ based, DSP48E2, URAM)
        Board("U50", "xcu50-fsvh2104-2L-e", "alveo", has_uram=True,
              platform="xilinx_u50_gen3x16_xdma_201920_3"),
        Board("U200", "xcu200-fsgd2104-2-e", "alveo", has_uram=True,
              platform="xilinx_u200_xdma_201830_2"),
        Board("U250", "xcu250-figd2104-2L-e", "alveo", has_uram=True,
              platform="xilinx_u250_gen3x16_xdma_2_1_202010_1"),
        Board("U280", "xcu280-fsvh2892-2L-e", "alveo", has_uram=True,
              platform="xilinx_u280_xdma_201920_3"),
        Board("U55C", "xcu55c-fsvh2892-2L-e", "alveo", has_uram=True,
              platform="xilinx_u55c_gen3x16_xdma_3_202210_1"),
    )
}

DEFAULT_BOARD = "Pynq-Z1"
DEFAULT_CLK_NS = 10.0
DEFAULT_PART = BOARDS[DEFAULT_BOARD].part


def board(name: str) -> Board:
    """The board called `name` (FINN's spelling; case is ignored), else a FinnError
    listing the known boards."""
    found = BOARDS.get(name)
    if found is None:
        found = next((b for b in BOARDS.values() if b.name.lower() == str(name).lower()), None)
    if found is None:
        raise FinnError(f"unknown board '{name}'; known boards: {', '.join(BOARDS)}")
    return found


def is_versal(part: str) -> bool:
    """FINN's is_versal: the part name starts with a Versal prefix."""
    return part.lower().startswith(_VERSAL_PREFIXES)


def part_family(part: str) -> str:
    """The device family of a raw part name.

    xc7... (Zynq-7000, Artix/Kintex/Virtex-7) -> "7-series"; xczu..., xck26/xck24, Alveo
    xcu..., and xcku/xcvu parts ending in "p" (xcvu9p, xcku5p) -> "UltraScale+";
    other xcku/xcvu -> "UltraScale"; xcvc/xcve/xcvp/xcvm... -> "Versal".
    """
    p = str(part).strip().lower()
    device = p.split("-")[0]
    if is_versal(p):
        return VERSAL
    if p.startswith(("xc7", "xa7", "xq7")):
        return SEVEN_SERIES
    if p.startswith(("xczu", "xazu", "xqzu", "xck2", "xcu")):
        return ULTRASCALE_PLUS
    if p.startswith(("xcku", "xcvu", "xqku", "xqvu")):
        # UltraScale+ Kintex/Virtex devices carry a trailing "p" (xcku5p, xcvu9p)
        return ULTRASCALE_PLUS if device.endswith("p") else ULTRASCALE
    raise FinnError(
        f"unknown FPGA part '{part}': expected a Xilinx/AMD part name such as "
        f"xc7z020clg400-1 (7-series), xczu7ev-ffvc1156-2-e (UltraScale+) or "
        f"xcvc1902-vsva2197-2MP-e-S (Versal)"
    )


def dsp_block(part: str) -> str:
    """FINN's get_dsp_block: Versal -> DSP58, 7-series -> DSP48E1, else DSP48E2."""
    return DSP_BLOCKS[part_family(part)]


def board_of_part(part: str) -> Board | None:
    """The first board in the table with this part (Pynq-Z1 for xc7z020clg400-1), or None."""
    return next((b for b in BOARDS.values() if b.part.lower() == str(part).lower()), None)
