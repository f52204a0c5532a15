"""
A layer's HLS plan: how the hls/ template realising a layer is called from its top function.

`HlsPlan` holds the template and its arguments, the per-frame count the call takes, the
generated constant arrays (weights, thresholds) with their storage pragmas, whether the
weights are streamed by a separate process (mem_mode internal_decoupled), and the glue
between the padded AXI words on the ports and the template's unpadded words (plus the
bipolar input widening and the 2p - MW popcount affine of a raw bipolar x bipolar MVAU).
Each layer spec derives it from the layer's recorded plan (`LayerPlan`): the hls/
templates are the C++ twins of the rtl/ modules with the same parameters and the same
memory words, so one plan serves both libraries and keeps HLS and RTL layers
interchangeable in a mixed design. `-t hls` only prints it.

Memory pragmas: ram_style of an MVAU's weights, ram_style_thresholds, and the ram_style of
Thresholding and ChannelwiseOp parameters become BIND_STORAGE on the generated ROMs. Ignored
(HLS decides): an MVAU's res_type (its multipliers sit inside fx_mvau_core, where no
BIND_OP from outside can name them) and an SWG's ram_style (its line buffer is local to
fx_swg); Thresholding's mem_mode (its thresholds are always a ROM here).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.kernels.plan import Port, Refusal, padded

# template parameters of type bool (printed true/false: int -> bool is no converted constant)
BOOL_PARAMS = {"IN_SIGNED", "W_SIGNED", "XNOR", "OUT_BIPOLAR", "DEPTHWISE", "SIGNED", "CEIL_MODE"}
# headers a header includes itself (so include/ is self-contained)
HEADER_DEPS = {"fx_mvau.hpp": ("fx_thresholding.hpp",)}
# ap_int's hard limit (ap_common.h: BIT_WIDTH_UPPER_LIMIT)
AP_INT_LIMIT = 1 << 15

# ram_style -> Vitis HLS BIND_STORAGE impl of a ROM ("auto" leaves the choice to HLS)
_ROM_IMPL = {"block": "bram", "distributed": "lutram", "ultra": "uram"}


@dataclass(frozen=True)
class Glue:
    """The conversion between a port's padded AXI words and the template's words, beat by
    beat: `lanes` lanes of `outer_bits` on the port side, `inner_bits` on the template side.
    `map` is "" (a lane copy: only the padding changes), "pm1" (a 1-bit bipolar code to the
    2-bit two's complement ±1 the template multiplies with) or "affine" (a popcount p to the
    ±1 dot product 2p - `mw`, the raw output of a bipolar x bipolar MVAU)."""

    port: Port
    inner: str  # the template-side stream's name ("in0", "out1", ...)
    beats: int  # beats per frame
    lanes: int
    outer_bits: int
    inner_bits: int
    map: str = ""
    mw: int = 0

    @property
    def inner_width(self) -> int:
        return self.lanes * self.inner_bits

    @property
    def needed(self) -> bool:
        """False when the template can use the port's stream itself."""
        return self.map != "" or self.inner_width != self.port.width


@dataclass(frozen=True)
class ConstArray:
    """A generated constant: `ctype name[dims...]` = values (ints, row-major), with storage
    pragmas for the function that reads it."""

    name: str
    ctype: str  # "ap_int<W>"
    bits: int
    dims: tuple[int, ...]
    values: tuple[int, ...]
    pragmas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rom:
    """The MVAU weight ROM: `words` of `bits` bits, each stored as `limbs` limbs of
    `limb_bits` (least significant first; limbs·limb_bits >= bits, at most 64 per limb).

    Under __SYNTHESIS__ a limb is an ap_uint<limb_bits>, so the ROM (reshaped along the
    limbs: one address, one word) is exactly as wide as the words. In C-simulation it is
    the plain integer `csim_type`: g++ constructs every ap_uint constant at start-up, and
    a few thousand of them cost ten seconds of compile time at -O2, plain integers none.
    The values are the same literals either way."""

    name: str
    bits: int
    words: tuple[int, ...]
    limbs: int
    limb_bits: int
    csim_type: str
    pragmas: tuple[str, ...] = ()


def rom_of(name: str, bits: int, words: tuple[int, ...], pragmas: tuple[str, ...] = ()) -> Rom:
    limbs = -(-bits // 64)
    limb_bits = -(-bits // limbs)
    csim = next(f"uint{w}_t" for w in (8, 16, 32, 64) if limb_bits <= w)
    if limbs > 1:
        pragmas = (f"#pragma HLS ARRAY_RESHAPE variable = {name} complete dim = 2  // one word per address",
                   *pragmas)
    return Rom(name, bits, words, limbs, limb_bits, csim, pragmas)


@dataclass
class HlsPlan:
    """Everything the printer prints for one layer."""

    name: str  # the top function and folder name (the layer's node_name)
    kind: str  # the dataflow op name
    function: str  # the hls/ template function
    args: list[tuple[str, int | bool | str]]  # template arguments in order (str: a C++ constant)
    count: int  # the template's vectors / images / frames argument for one frame
    glue: list[Glue] = field(default_factory=list)  # inputs then outputs, in port order
    arrays: list[ConstArray] = field(default_factory=list)  # after the streams in the call
    rom: Rom | None = None  # MVAU weights
    # internal_decoupled: a streamer process sends the ROM's words `count` times per frame
    # on the stream "w"; else the template reads the ROM itself
    weight_stream: bool = False
    array_outputs: bool = False  # the template takes its outputs as one array of streams
    # the call's arguments after the streams when not simply the arrays then COUNT
    call_args: list[str] | None = None
    pragmas: list[str] = field(default_factory=list)  # for the compute process
    wide_bits: int = 0  # the widest ap_uint inside the template beyond its streams (fx_dwc's buffer)
    summary: str = ""

    @property
    def ap_int_max_w(self) -> int:
        """AP_INT_MAX_W the layer needs (0: ap_int's 1024-bit default will do): the widest
        word, rounded up to whole KiB as ap_int counts them."""
        widest = max([self.wide_bits, *(g.port.width for g in self.glue), *(g.inner_width for g in self.glue),
                      self.rom.bits if self.rom is not None else 0])
        return 0 if widest <= 1024 else -(-widest // 1024) * 1024

    @property
    def headers(self) -> tuple[str, ...]:
        from finn_xdsl.kernels import template_header

        head = template_header(self.function)
        return (*HEADER_DEPS.get(head, ()), head)

    @property
    def inputs(self) -> list[Glue]:
        return [g for g in self.glue if g.port.direction == "in"]

    @property
    def outputs(self) -> list[Glue]:
        return [g for g in self.glue if g.port.direction == "out"]


# ----------------------------------------------------------------------------- helpers


def copy_glue(layer: df.DataflowOperation) -> list[Glue]:
    """Lane-copy glue for every port, inputs then outputs: the template's words are the
    ports' words without their padding."""
    glue = []
    for kind, types in (("in", [layer.in_type(i) for i in range(len(layer.operands))]),
                        ("out", [layer.out_type(j) for j in range(len(layer.results))])):
        for i, t in enumerate(types):
            port = Port(f"{kind}{i}_V", kind, padded(t.width_bits))
            glue.append(Glue(port, f"{kind}{i}", t.beats(), t.num_lanes, t.element_bits, t.element_bits))
    return glue


def template_args(function: str, params: dict) -> list[tuple[str, int | bool | str]]:
    from finn_xdsl.kernels import template_params

    names = template_params(function)
    return [(k, params[k] if isinstance(params[k], str) else bool(params[k]) if k in BOOL_PARAMS
             else int(params[k])) for k in names]


def storage(variable: str, style: str, what: str) -> tuple[str, ...]:
    """A ROM's BIND_STORAGE pragma for a ram_style ("auto": none, HLS decides)."""
    impl = _ROM_IMPL.get(style)
    if impl is None:
        return ()
    return (f"#pragma HLS BIND_STORAGE variable = {variable} type = rom_2p impl = {impl}  // {what}",)


def lane_input(op: df.DataflowOperation) -> tuple[Glue, int, bool]:
    """The input glue, bits and signedness of a layer computing on its input values:
    bipolar codes are widened to 2-bit ±1 on the way in (the templates take integers)."""
    x = op.in_type()
    g = copy_glue(op)[0]
    if isinstance(x.element_type, qt.BipolarType):
        return replace(g, inner_bits=2, map="pm1"), 2, True
    return g, x.element_bits, qt.value_range(x.element_type)[0] < 0


def out_glue(op: df.DataflowOperation) -> Glue:
    if isinstance(op.out_type().element_type, qt.BipolarType):
        raise Refusal(op, "a bipolar output needs the +-1 codes the template does not produce")
    return copy_glue(op)[-1]


def simple_call(op: df.DataflowOperation, plan, count: str) -> HlsPlan:
    """The call of a template taking exactly its rtl/ twin's parameters; `count` says what
    one call counts: "vectors" (Π shape[:-1]: pixels, label vectors), "images" (the batch
    dimension of an NHWC image) or "frames" (whole tensors)."""
    function = plan.template
    n = {"vectors": op.vectors(), "images": op.in_type().shape[0], "frames": 1}[count]
    call = HlsPlan(op.display_name, op.name, function, template_args(function, plan.params), n, copy_glue(op))
    call.summary = plan.summary.replace(plan.module, function, 1)
    return call
