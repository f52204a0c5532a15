"""
A layer's plan: every decision about how one library module realises one `dataflow` layer.

`LayerPlan` is what the layer specs (`kernels/<layer>.py`) decide and what the
`legalize-layers` pass records on the IR (`kernels.attrs`): the library module, every
parameter value, the memory-file names, the ports and the small amount of wrapper-side
glue some configurations need (bipolar input lanes widened to ±1 in two bits, the affine
acc = 2p - MW of a raw bipolar×bipolar MVAU computed from an XNOR popcount). The memory
contents (`files`, `tables`) are not decisions: they are the op's constants packed as the
plan's parameters say, and are rebuilt from the op whenever a plan is read back.

Conventions: lane i at bits [(i+1)w-1 : iw], two's complement, BIPOLAR as {-1 -> 0,
+1 -> 1}; ports padded to multiples of 8 bits; memory files are `$readmemh` hex.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import StreamType, element_bits
from finn_xdsl.errors import FinnError


class Refusal(FinnError):
    """A library cannot realise a layer: "<op> '<node>': why". Whoever asked (a target, a
    pass) puts its own name in front, so the reason is written once, here."""

    def __init__(self, layer: df.DataflowOperation, why: str):
        super().__init__(f"{layer.name} '{layer.display_name}': {why}")


def padded(bits: int) -> int:
    return -(-bits // 8) * 8


def signed_bits(lo: int, hi: int) -> int:
    """The fewest two's complement bits holding [lo, hi] (at least 2)."""
    b = 2
    while not (-(1 << (b - 1)) <= lo and hi <= (1 << (b - 1)) - 1):
        b += 1
    return b


def hex_lines(words, bits: int) -> str:
    digits = max(1, (bits + 3) // 4)
    return "".join(f"{int(w):0{digits}x}\n" for w in words)


@dataclass(frozen=True)
class Port:
    """One AXI-Stream port of a layer: `name` ("in0_V"), direction, padded width."""

    name: str
    direction: str  # "in" (slave) or "out" (master)
    width: int


def stream_ports(layer: df.DataflowOperation) -> list[Port]:
    """A layer's AXI-Stream ports from its stream types (padded TDATA widths), in the order
    every wrapper and HLS top function has them: inputs in<k>_V, then outputs out<k>_V."""
    ports = [Port(f"in{i}_V", "in", padded(layer.in_type(i).width_bits)) for i in range(len(layer.operands))]
    ports += [Port(f"out{i}_V", "out", padded(layer.out_type(i).width_bits)) for i in range(len(layer.results))]
    return ports


@dataclass(frozen=True)
class MemStream:
    """Wrapper glue: an fx_memstream streaming the $readmemh file named by the wrapper
    parameter `file_param` (DEPTH words of WIDTH bits, cyclically) into the library
    module's in1_V, so the layer's weights live in their own memory (FINN's
    "internal_decoupled") while the wrapper's ports stay in0_V/out0_V. `ram_style` is the
    layer's (FINN's values; fx_memstream's RAM_STYLE takes them as they are)."""

    depth: int
    width: int
    file_param: str
    ram_style: str = "auto"


@dataclass(frozen=True)
class Memory:
    """One memory's contents: `words` of `bits` bits (unsigned codes, as the file holds
    them) and, for tables of signed values, those values in the same order."""

    words: tuple[int, ...]
    bits: int
    values: tuple[int, ...] = ()


@dataclass
class LayerPlan:
    """Everything a printer prints for one layer."""

    name: str  # the wrapper module and file name (the layer's node_name)
    kind: str  # the dataflow op name
    module: str  # rtl/ library module, or "" for a plain wire (reshape)
    params: dict[str, int | str] = field(default_factory=dict)  # str values print quoted
    ports: list[Port] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # file name -> text
    file_params: dict[str, str] = field(default_factory=dict)  # wrapper parameter -> file name
    # wrapper glue: input lanes of 1-bit bipolar codes widened to 2-bit ±1 (lanes count)
    bipolar_in_lanes: int = 0
    # wrapper glue: raw output lanes y = 2p - MW from popcount p (lanes, p bits, MW, out bits)
    affine_out: tuple[int, int, int, int] | None = None
    # DuplicateStreams: live outputs of the 4 the module has
    n_out: int = 1
    # wrapper glue: an fx_memstream instance feeding the library module's in1_V
    memstream: MemStream | None = None
    # integer tables in their natural (channel-major) order for the HLS backend, where the
    # RTL's memory file holds another layout (fx_thresholding's search trees)
    tables: dict[str, np.ndarray] = field(default_factory=dict)
    # library input streams the wrapper ties off (never valid), e.g. fx_mvu's in1_V with its ROM
    idle_inputs: tuple[Port, ...] = ()
    summary: str = ""
    # the hls/ template function realising the layer (impl "hls" only)
    template: str = ""
    # the memory contents behind `files`, by file name
    memories: dict[str, Memory] = field(default_factory=dict)

    @property
    def library(self) -> tuple[str, ...]:
        from finn_xdsl.kernels import library_of

        deps = library_of(self.module)
        deps = deps + library_of("fx_memstream") if self.memstream is not None else deps
        return tuple(dict.fromkeys(deps))  # fx_mvu brings its own fx_memstream

    def add_memory(self, param: str, memory: Memory, suffix: str) -> None:
        """The memory file the wrapper parameter `param` names (`<node>_<suffix>.dat` unless
        the plan already names one)."""
        fname = self.file_params.setdefault(param, f"{self.name}_{suffix}.dat")
        self.memories[fname] = memory
        self.files[fname] = hex_lines(memory.words, memory.bits)


def new_plan(layer: df.DataflowOperation, module: str, **kw) -> LayerPlan:
    return LayerPlan(layer.display_name, layer.name, module, ports=stream_ports(layer), **kw)


def elem(t: StreamType) -> tuple[int, bool, bool]:
    """(bits, signed, bipolar) of a stream's elements on the wire."""
    e = t.element_type
    if isinstance(e, qt.BipolarType):
        return 1, False, True
    lo, _ = qt.value_range(e)
    return t.element_bits, lo < 0, False


def int_bits(layer: df.DataflowOperation, e) -> int:
    try:
        return element_bits(e)
    except ValueError:
        raise Refusal(layer, f"type {e} has no hardware bit width") from None


def thresholds_full(t: np.ndarray, channels: int) -> np.ndarray:
    return np.repeat(t, channels, axis=0) if t.shape[0] == 1 and channels != 1 else t
