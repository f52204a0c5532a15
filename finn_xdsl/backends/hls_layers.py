"""
The legalising half of `-t hls`: every decision about a layer's HLS C++ top function.

`legalize_hls(layer)` maps one impl="hls" `dataflow` layer to an `HlsPlan`: the hls/
template to call and its template arguments, the per-frame count the call takes, the
generated constant arrays (weights, thresholds) with their storage pragmas, whether the
weights are streamed by a separate process (mem_mode internal_decoupled), and the glue
between the padded AXI words on the ports and the template's unpadded words (plus the
bipolar input widening and the 2p - MW popcount affine of a raw bipolar x bipolar MVAU).
The printer (`hls.py`) only prints plans.

The numbers come from the RTL legalisation (`sv_layers.legalize`): the hls/ templates are
the C++ twins of the rtl/ modules with the same parameters and the same memory words, so
one derivation of widths, weight words and clipped thresholds serves both backends and
keeps HLS and RTL layers interchangeable in a mixed design (DuplicateStreams, which the
RTL caps at 4 outputs, and the HLS-only ChannelwiseOp and GlobalAccPool are derived here).
Anything the templates cannot do raises a one-line FinnError naming the layer and the reason.

Memory pragmas: ram_style of an MVAU's weights, ram_style_thresholds, and the ram_style of
Thresholding and ChannelwiseOp parameters become BIND_STORAGE on the generated ROMs. Ignored
(HLS decides): an MVAU's res_type (its multipliers sit inside fx_mvau_core, where no
BIND_OP from outside can name them) and an SWG's ram_style (its line buffer is local to
fx_swg); Thresholding's mem_mode (its thresholds are always a ROM here).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from finn_xdsl.backends.sv_layers import LayerPlan, Port, legalize, padded, signed_bits
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import FinnError
from finn_xdsl.sim.packing import decode

# template function -> (header, its template parameter names in order)
TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fx_mvau_core": ("fx_mvau.hpp", ("MW", "MH", "PE", "SIMD", "IN_BITS", "IN_SIGNED", "W_BITS", "W_SIGNED",
                                     "XNOR", "ACC_BITS")),
    "fx_thresholding": ("fx_thresholding.hpp", ("C", "PE", "N", "IN_BITS", "IN_SIGNED", "T_BITS", "OUT_BITS",
                                                "BIAS", "OUT_BIPOLAR")),
    "fx_swg": ("fx_swg.hpp", ("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "SIMD", "BITS", "DEPTHWISE")),
    "fx_fmpadding": ("fx_fmpadding.hpp", ("IH", "IW", "C", "PT", "PL", "PB", "PR", "SIMD", "BITS", "PAD_VALUE")),
    "fx_streaming_maxpool": ("fx_streaming_maxpool.hpp", ("IH", "IW", "C", "KH", "KW", "PE", "BITS", "SIGNED",
                                                          "CEIL_MODE")),
    "fx_dwc": ("fx_dwc.hpp", ("IN_LANES", "OUT_LANES", "BITS", "TOTAL")),
    "fx_label_select": ("fx_label_select.hpp", ("LABELS", "PE", "K", "IN_BITS", "IN_SIGNED", "OUT_BITS")),
    "fx_add_streams": ("fx_add_streams.hpp", ("C", "PE", "IN_BITS", "IN_SIGNED", "OUT_BITS")),
    "fx_duplicate_streams": ("fx_duplicate_streams.hpp", ("C", "PE", "BITS", "N_OUT")),
    "fx_channelwise": ("fx_channelwise.hpp", ("C", "PE", "NP", "IN_BITS", "IN_SIGNED", "P_BITS", "OUT_BITS",
                                              "FUNC")),
    "fx_global_acc_pool": ("fx_global_acc_pool.hpp", ("C", "PE", "PIXELS", "IN_BITS", "IN_SIGNED", "OUT_BITS")),
}
# template parameters of type bool (printed true/false: int -> bool is no converted constant)
BOOL_PARAMS = {"IN_SIGNED", "W_SIGNED", "XNOR", "OUT_BIPOLAR", "DEPTHWISE", "SIGNED", "CEIL_MODE"}
# headers a header includes itself (so include/ is self-contained)
HEADER_DEPS = {"fx_mvau.hpp": ("fx_thresholding.hpp",)}

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
        head = TEMPLATES[self.function][0]
        return (*HEADER_DEPS.get(head, ()), head)

    @property
    def inputs(self) -> list[Glue]:
        return [g for g in self.glue if g.port.direction == "in"]

    @property
    def outputs(self) -> list[Glue]:
        return [g for g in self.glue if g.port.direction == "out"]


# ----------------------------------------------------------------------------- helpers


def _fail(layer: df.DataflowOperation, why: str) -> FinnError:
    return FinnError(f"-t hls: {layer.name} '{layer.display_name}': {why}")


def _rtl_plan(layer: df.DataflowOperation) -> LayerPlan:
    """The RTL legalisation's numbers for this layer; its errors re-labelled for -t hls."""
    try:
        return legalize(layer)
    except FinnError as err:
        raise FinnError(str(err).replace("-t sv:", "-t hls:", 1)) from None


def _copy_glue(layer: df.DataflowOperation) -> list[Glue]:
    """Lane-copy glue for every port, inputs then outputs: the template's words are the
    ports' words without their padding."""
    glue = []
    for kind, types in (("in", [layer.in_type(i) for i in range(len(layer.operands))]),
                        ("out", [layer.out_type(j) for j in range(len(layer.results))])):
        for i, t in enumerate(types):
            port = Port(f"{kind}{i}_V", kind, padded(t.width_bits))
            glue.append(Glue(port, f"{kind}{i}", t.beats(), t.num_lanes, t.element_bits, t.element_bits))
    return glue


def _args(function: str, params: dict) -> list[tuple[str, int | bool | str]]:
    names = TEMPLATES[function][1]
    return [(k, params[k] if isinstance(params[k], str) else bool(params[k]) if k in BOOL_PARAMS
             else int(params[k])) for k in names]


def _hex_words(text: str) -> tuple[int, ...]:
    return tuple(int(line, 16) for line in text.split())


def _signed_words(text: str, bits: int) -> tuple[int, ...]:
    return tuple(int(v) for v in decode(np.array(_hex_words(text), dtype=np.int64), bits, signed=True))


def _storage(variable: str, style: str, what: str) -> tuple[str, ...]:
    """A ROM's BIND_STORAGE pragma for a ram_style ("auto": none, HLS decides)."""
    impl = _ROM_IMPL.get(style)
    if impl is None:
        return ()
    return (f"#pragma HLS BIND_STORAGE variable = {variable} type = rom_2p impl = {impl}  // {what}",)


# ----------------------------------------------------------------------------- layers


def _mvau(op: df.MVAUOp) -> HlsPlan:
    """fx_mvau_core with the weight ROM read through a generated accessor (embedded) or a
    streamer process feeding FxMvauWeightStream (decoupled); the activation is FxMvauRaw
    or FxMvauThresholds. The word layout is fx_mvu's WEIGHTS_FILE, one word per step, so
    the ROM needs no partitioning whatever PE and SIMD are: one wide word per address."""
    if op.value_of("mem_mode") == "external":
        raise _fail(op, 'mem_mode "external" (weights streamed in from outside the layer) has no HLS top yet')
    if op.value_of("runtime_writeable_weights"):
        raise _fail(op, "runtime-writeable weights (s_axilite) are not implemented by hls/fx_mvau.hpp")
    rtl = _rtl_plan(op)
    p = rtl.params
    thresholded = bool(p["USE_THRESHOLDS"])
    decoupled = bool(p["WEIGHT_STREAM"])
    glue = _copy_glue(op)
    gin, gout = glue
    if rtl.bipolar_in_lanes:
        glue[0] = replace(gin, inner_bits=2, map="pm1")
    out_bits = p["OUT_BITS"] if thresholded else p["ACC_BITS"]
    if rtl.affine_out is not None:
        _, pbits, mw, obits = rtl.affine_out
        glue[1] = replace(gout, outer_bits=obits, inner_bits=pbits, map="affine", mw=mw)
    elif out_bits != gout.outer_bits:
        glue[1] = replace(gout, inner_bits=out_bits)
    word_bits = p["PE"] * p["SIMD"] * p["W_BITS"]
    words = _hex_words(rtl.files[f"{op.display_name}_weights.dat"])
    ram = op.value_of("ram_style")
    rom = rom_of("weights", word_bits, words, _storage("weights", ram, f"ram_style {ram}"))
    arrays, pragmas = [], []
    weights = f"FxMvauWeightStream<{word_bits}>{{w}}" if decoupled else "WeightRom{}"
    if thresholded:
        tb, n = p["T_BITS"], p["N"]
        values = _signed_words(rtl.files[f"{op.display_name}_thresholds.dat"], tb)
        style = op.value_of("ram_style_thresholds")
        arrays.append(ConstArray("thresholds", f"ap_int<{tb}>", tb, (p["MH"], n), values,
                                 _storage("thresholds", style, f"ram_style_thresholds {style}")))
        # as fx_mvau_thr: all PE lanes' N thresholds readable in one cycle
        pragmas += [f"#pragma HLS ARRAY_PARTITION variable = thresholds cyclic factor = {p['PE']} dim = 1",
                    "#pragma HLS ARRAY_PARTITION variable = thresholds complete dim = 2"]
        activation = (f"FxMvauThresholds<{p['MH']}, {n}, {tb}, {p['OUT_BITS']}, {p['BIAS']}, "
                      f"{'true' if p['OUT_BIPOLAR'] else 'false'}>{{thresholds}}")
    else:
        activation = f"FxMvauRaw<{p['ACC_BITS']}>{{}}"
    plan = HlsPlan(op.display_name, op.name, "fx_mvau_core", _args("fx_mvau_core", p), op.vectors(), glue, arrays,
                   rom=rom, weight_stream=decoupled, call_args=[weights, activation, "COUNT"], pragmas=pragmas)
    how = "weights streamed by a ROM reader process" if decoupled else "weights in a ROM"
    plan.summary = rtl.summary.replace("fx_mvu ", "fx_mvau_core ", 1).replace(
        "weights streamed by fx_memstream", how) + ("" if decoupled else f", {how}")
    plan.summary += f"; res_type {op.value_of('res_type')} ignored" if op.value_of("res_type") != "auto" else ""
    return plan


def _thresholding(op: df.ThresholdingOp) -> HlsPlan:
    if op.value_of("runtime_writeable_weights"):
        raise _fail(op, "runtime-writeable thresholds (s_axilite) are not implemented by hls/fx_thresholding.hpp")
    rtl = _rtl_plan(op)
    p = rtl.params
    # channel-major, as fx_thresholding.hpp indexes them (the RTL file holds search trees)
    values = tuple(int(v) for v in rtl.tables["thresholds"].reshape(-1))
    style = op.value_of("ram_style")
    arrays = [ConstArray("thresholds", f"ap_int<{p['T_BITS']}>", p["T_BITS"], (p["C"], p["N"]), values,
                         _storage("thresholds", style, f"ram_style {style}"))]
    plan = HlsPlan(op.display_name, op.name, "fx_thresholding", _args("fx_thresholding", p), op.vectors(),
                   _copy_glue(op), arrays)
    # fx_thresholding reads a const array: mem_mode internal_decoupled has no separate memory here
    plan.summary = f"{rtl.summary}, thresholds in a ROM"
    return plan


def _simple(function: str, count: str):
    """Layers whose template takes exactly the RTL module's parameters; `count` says what
    one call of the template counts: "vectors" (Π shape[:-1]: pixels, label vectors),
    "images" (the batch dimension of an NHWC image) or "frames" (whole tensors)."""

    def legalize_simple(op: df.DataflowOperation) -> HlsPlan:
        rtl = _rtl_plan(op)
        n = {"vectors": op.vectors(), "images": op.in_type().shape[0], "frames": 1}[count]
        plan = HlsPlan(op.display_name, op.name, function, _args(function, rtl.params), n, _copy_glue(op))
        if function == "fx_dwc":  # its shift register holds IN_LANES + OUT_LANES lanes
            plan.wide_bits = (rtl.params["IN_LANES"] + rtl.params["OUT_LANES"]) * rtl.params["BITS"]
        plan.summary = rtl.summary.replace(rtl.module, function, 1)
        return plan

    return legalize_simple


def _swg(op: df.SWGOp) -> HlsPlan:
    if op.value_of("parallel_window"):
        raise _fail(op, "parallel_window (a whole window per beat) has no HLS template; use impl rtl")
    return _simple("fx_swg", "images")(op)


def _duplicate(op: df.DuplicateStreamsOp) -> HlsPlan:
    """Not from the RTL plan: fx_duplicate_streams.sv has at most 4 outputs, the template any.
    The template writes an array of streams, so every output goes through glue."""
    x = op.in_type()
    n = len(op.results)
    params = {"C": x.channels, "PE": op.value_of("pe"), "BITS": x.element_bits, "N_OUT": n}
    glue = [g if g.port.direction == "in" else replace(g, inner=f"out[{g.port.name[3:-2]}]") for g in _copy_glue(op)]
    plan = HlsPlan(op.display_name, op.name, "fx_duplicate_streams", _args("fx_duplicate_streams", params),
                   op.vectors(), glue, array_outputs=True)
    plan.summary = f"fx_duplicate_streams x{n}"
    return plan


def _lane_input(op: df.DataflowOperation) -> tuple[Glue, int, bool]:
    """The input glue, bits and signedness of a layer computing on its input values:
    bipolar codes are widened to 2-bit ±1 on the way in (the templates take integers)."""
    x = op.in_type()
    g = _copy_glue(op)[0]
    if isinstance(x.element_type, qt.BipolarType):
        return replace(g, inner_bits=2, map="pm1"), 2, True
    return g, x.element_bits, qt.value_range(x.element_type)[0] < 0


def _out_glue(op: df.DataflowOperation) -> Glue:
    if isinstance(op.out_type().element_type, qt.BipolarType):
        raise _fail(op, "a bipolar output needs the +-1 codes the template does not produce")
    return _copy_glue(op)[-1]


def _channelwise(op: df.ChannelwiseOp) -> HlsPlan:
    gin, in_bits, in_signed = _lane_input(op)
    gout = _out_glue(op)
    values = tuple(int(v) for v in op.param_values().reshape(-1))
    p_bits = signed_bits(min(values), max(values))
    c = op.in_type().channels
    params = {"C": c, "PE": op.value_of("pe"), "NP": len(values), "IN_BITS": in_bits, "IN_SIGNED": in_signed,
              "P_BITS": p_bits, "OUT_BITS": gout.outer_bits, "FUNC": f"FX_{op.value_of('func').upper()}"}
    style = op.value_of("ram_style")
    arrays = [ConstArray("params", f"ap_int<{p_bits}>", p_bits, (len(values),), values,
                         _storage("params", style, f"ram_style {style}"))]
    plan = HlsPlan(op.display_name, op.name, "fx_channelwise", _args("fx_channelwise", params), op.vectors(),
                   [gin, gout], arrays)
    plan.summary = f"fx_channelwise {op.value_of('func')} C={c} PE={params['PE']} NP={len(values)}"
    return plan


def _global_acc_pool(op: df.GlobalAccPoolOp) -> HlsPlan:
    gin, in_bits, in_signed = _lane_input(op)
    gout = _out_glue(op)
    images, h, w, c = op.in_type().shape
    params = {"C": c, "PE": op.value_of("pe"), "PIXELS": h * w, "IN_BITS": in_bits, "IN_SIGNED": in_signed,
              "OUT_BITS": gout.outer_bits}
    plan = HlsPlan(op.display_name, op.name, "fx_global_acc_pool", _args("fx_global_acc_pool", params), images,
                   [gin, gout])
    plan.summary = f"fx_global_acc_pool {h}x{w}x{c} PE={params['PE']}"
    return plan


_LEGALIZERS = {
    df.MVAUOp: _mvau,
    df.ThresholdingOp: _thresholding,
    df.SWGOp: _swg,
    df.FMPaddingOp: _simple("fx_fmpadding", "images"),
    df.StreamingMaxPoolOp: _simple("fx_streaming_maxpool", "images"),
    df.DWCOp: _simple("fx_dwc", "frames"),
    df.LabelSelectOp: _simple("fx_label_select", "vectors"),
    df.AddStreamsOp: _simple("fx_add_streams", "vectors"),
    df.DuplicateStreamsOp: _duplicate,
    df.ChannelwiseOp: _channelwise,
    df.GlobalAccPoolOp: _global_acc_pool,
}


# ap_int's hard limit (ap_common.h: BIT_WIDTH_UPPER_LIMIT)
AP_INT_LIMIT = 1 << 15


def legalize_hls(layer: df.DataflowOperation) -> HlsPlan:
    """The HLS plan of one layer; FinnError if the hls/ library cannot implement it."""
    fn = _LEGALIZERS.get(type(layer))
    if fn is None:
        raise _fail(layer, f"no hls/ template implements {layer.FINN_OP or layer.name}")
    plan = fn(layer)  # type: ignore[arg-type]
    if plan.ap_int_max_w > AP_INT_LIMIT:
        raise _fail(layer, f"words of up to {plan.ap_int_max_w} bits exceed ap_int's limit of {AP_INT_LIMIT}; "
                    "lower PE/SIMD")
    return plan
