"""
The legalising half of `-t sv`: every decision about a layer's SystemVerilog wrapper.

`legalize(layer)` maps one `dataflow` layer to a `LayerPlan`: the rtl/ library module to
instantiate, every parameter value, the memory-init files (already formatted), the
wrapper's ports and the small amount of wrapper-side glue some configurations need
(bipolar input lanes widened to ±1 in two bits, the affine acc = 2p - MW of a raw
bipolar×bipolar MVAU computed from an XNOR popcount). Unsupported configurations raise
FinnError naming the layer and the reason. The printer (`sv.py`) only prints plans.

Conventions (ARCHITECTURE §4): lane i at bits [(i+1)w-1 : iw], two's complement, BIPOLAR as
{-1 -> 0, +1 -> 1}; ports padded to multiples of 8 bits; MVAU weight word t = nf·SF + sf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels.packing import encode, pack_beats

# library modules each top module needs (itself first)
LIBRARY_DEPS = {
    "fx_mvu": ("fx_mvu", "fx_mvu_dsp", "fx_mvu_lut", "fx_mvu_act", "fx_mvu_addtree", "fx_mvu_delay",
               "fx_memstream", "fx_threshold_search"),
    "fx_memstream": ("fx_memstream",),
    "fx_thresholding": ("fx_thresholding", "fx_threshold_search", "fx_fifo"),
    "fx_swg": ("fx_swg",),
    "fx_swg_parallel": ("fx_swg_parallel", "fx_fifo"),
    "fx_fmpadding": ("fx_fmpadding",),
    "fx_streaming_maxpool": ("fx_streaming_maxpool",),
    "fx_dwc": ("fx_dwc",),
    "fx_label_select": ("fx_label_select",),
    "fx_fifo": ("fx_fifo",),
    "fx_add_streams": ("fx_add_streams",),
    "fx_duplicate_streams": ("fx_duplicate_streams",),
}


def padded(bits: int) -> int:
    return -(-bits // 8) * 8


def signed_bits(lo: int, hi: int) -> int:
    """The fewest two's complement bits holding [lo, hi] (at least 2)."""
    b = 2
    while not (-(1 << (b - 1)) <= lo and hi <= (1 << (b - 1)) - 1):
        b += 1
    return b


def hex_lines(words: list[int], bits: int) -> str:
    digits = max(1, (bits + 3) // 4)
    return "".join(f"{int(w):0{digits}x}\n" for w in words)


@dataclass(frozen=True)
class Port:
    """One AXI-Stream port of the wrapper: `name` ("in0_V"), direction, padded width."""

    name: str
    direction: str  # "in" (slave) or "out" (master)
    width: int


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


@dataclass
class LayerPlan:
    """Everything the printer prints for one layer."""

    name: str  # the wrapper module and file name (the layer's node_name)
    kind: str  # the dataflow op name
    module: str  # library module, or "" for a plain wire (reshape)
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

    @property
    def library(self) -> tuple[str, ...]:
        deps = LIBRARY_DEPS.get(self.module, ())
        deps = deps + LIBRARY_DEPS["fx_memstream"] if self.memstream is not None else deps
        return tuple(dict.fromkeys(deps))  # fx_mvu brings its own fx_memstream


# ----------------------------------------------------------------------------- helpers


def _elem(t: StreamType) -> tuple[int, bool, bool]:
    """(bits, signed, bipolar) of a stream's elements on the wire."""
    e = t.element_type
    if isinstance(e, qt.BipolarType):
        return 1, False, True
    lo, _ = qt.value_range(e)
    return t.element_bits, lo < 0, False


def _fail(layer: df.DataflowOperation, why: str) -> FinnError:
    return FinnError(f"-t sv: {layer.name} '{layer.display_name}': {why}")


def _io_ports(layer: df.DataflowOperation) -> list[Port]:
    ports = [Port(f"in{i}_V", "in", padded(layer.in_type(i).width_bits)) for i in range(len(layer.operands))]
    ports += [Port(f"out{i}_V", "out", padded(layer.out_type(i).width_bits)) for i in range(len(layer.results))]
    return ports


def _thresholds_full(t: np.ndarray, channels: int) -> np.ndarray:
    return np.repeat(t, channels, axis=0) if t.shape[0] == 1 and channels != 1 else t


# ----------------------------------------------------------------------------- layers


def _mvau_weights(plan: LayerPlan, op: df.MVAUOp, wcodes, w_bits: int) -> str:
    """The weight memory file of an MVAU plan and where fx_mvu reads it from (its own ROM, or
    an fx_memstream in the wrapper for internal_decoupled); returns the summary's suffix."""
    name, mw, mh = op.display_name, op.mw, op.mh
    pe, simd, mem_mode = op.value_of("pe"), op.value_of("simd"), op.value_of("mem_mode")
    how = ""
    # weights: word nf·SF + sf, lane (pe, s) = W[sf·SIMD + s][nf·PE + pe]
    sf_n, nf_n = mw // simd, mh // pe
    tiles = np.asarray(wcodes, dtype=np.int64).reshape(sf_n, simd, nf_n, pe).transpose(2, 0, 3, 1)
    words = pack_beats(tiles.reshape(-1, pe * simd), w_bits, pe * simd)
    fname = f"{name}_weights.dat"
    word_bits = pe * simd * w_bits
    plan.files[fname] = hex_lines(words, word_bits)
    plan.file_params["WEIGHTS_FILE"] = fname
    if mem_mode == "internal_decoupled":
        # the same words from an fx_memstream (its own BRAM) into fx_mvu's in1_V
        plan.params["WEIGHT_STREAM"] = 1
        plan.memstream = MemStream(sf_n * nf_n, word_bits, "WEIGHTS_FILE", op.value_of("ram_style"))
        how = ", weights streamed by fx_memstream"
    else:
        plan.params["WEIGHT_STREAM"] = 0  # internal_embedded: fx_mvu's own ROM, in1_V idle
        plan.idle_inputs = (Port("in1_V", "in", padded(word_bits)),)
    return how


def _mvau(op: df.MVAUOp) -> LayerPlan:
    name = op.display_name
    x, y = op.in_type(), op.out_type()
    ib, isg, ibip = _elem(x)
    wt = op.weight_type
    wbip = isinstance(wt, qt.BipolarType)
    mw, mh, pe, simd = op.mw, op.mh, op.value_of("pe"), op.value_of("simd")
    w = op.weight_values()
    thr = op.threshold_values()
    xnor = bool(op.value_of("binary_xnor"))
    mem_mode = op.value_of("mem_mode")
    if mem_mode == "external":
        raise _fail(op, 'mem_mode "external" (weights streamed in from outside the layer) is not supported '
                    "by -t sv yet")
    if op.value_of("runtime_writeable_weights"):
        raise _fail(op, "runtime-writeable weights (s_axilite) are not implemented by fx_mvu")
    plan = LayerPlan(name, op.name, "fx_mvu", ports=_io_ports(op))
    # the hardware's product path and accumulator domain
    affine = False
    if ibip and wbip:
        # XNOR popcount p = #(x_j == w_j) = (acc + MW) / 2
        hw_xnor, in_bits, in_signed, w_bits, w_signed = True, 1, False, 1, False
        affine = not xnor  # raw ±1 products: acc = 2p - MW, in the wrapper or in thresholds
        lo, hi = 0, mw
        wcodes = encode(w, 1, bipolar=True)
    else:
        if wbip or isinstance(wt, qt.TernaryType):
            w_bits, w_signed = 2, True  # ±1 (and 0) as 2-bit two's complement
        else:
            w_bits = _int_bits(op, wt)
            w_signed = qt.value_range(wt)[0] < 0
        hw_xnor = False
        if ibip:
            in_bits, in_signed = 2, True  # the wrapper widens each 1-bit code to ±1
            plan.bipolar_in_lanes = simd
            xlo, xhi = -1, 1
        else:
            in_bits, in_signed = ib, isg
            xlo, xhi = qt.value_range(x.element_type)
        lo = int(np.minimum(w * xlo, w * xhi).sum(axis=0).min())
        hi = int(np.maximum(w * xlo, w * xhi).sum(axis=0).max())
        wcodes = encode(w, w_bits)
    ob, _, obip = _elem(y)
    plan.params.update(MW=mw, MH=mh, PE=pe, SIMD=simd, IN_BITS=in_bits, IN_SIGNED=int(in_signed),
                       W_BITS=w_bits, W_SIGNED=int(w_signed), XNOR=int(hw_xnor))
    if wbip and not hw_xnor:
        # ±1 weights (still 2-bit two's complement in the file): fx_mvu negates or passes the
        # input by the sign bit, in LUTs, instead of multiplying
        plan.params["W_BIPOLAR"] = 1
    if thr is None:
        if obip:
            raise _fail(op, "a raw (unthresholded) MVAU cannot output bipolar values")
        if affine:
            # fx_mvu has no ±1 product path: popcount p in ACC_BITS, the wrapper outputs 2p - MW
            acc_bits = signed_bits(0, mw)
            plan.affine_out = (pe, acc_bits, mw, ob)
            how = f"raw +-1 products: popcount p, wrapper 2p-{mw}"
        else:
            # the output type holds the accumulator range (verified): accumulate modulo 2^OUT_BITS
            acc_bits = ob
            how = "raw"
        plan.params.update(ACC_BITS=acc_bits, USE_THRESHOLDS=0)
    else:
        t = _thresholds_full(thr, mh).astype(np.int64)
        if affine:
            # acc = 2p - MW >= T  <=>  p >= ceil((T + MW) / 2)
            t = -((-(t + mw)) // 2)
        # thresholds outside the reachable accumulator range act like lo or hi + 1; each
        # channel's ascending (fx_mvu's binary search needs it, the count does not care)
        t = np.sort(np.clip(t, lo, hi + 1), axis=1)
        acc_bits = signed_bits(lo, hi)
        t_bits = signed_bits(lo, hi + 1)
        n = t.shape[1]
        plan.params.update(ACC_BITS=acc_bits, USE_THRESHOLDS=1, N=n, T_BITS=t_bits, OUT_BITS=ob,
                           BIAS=int(op.value_of("act_val")), OUT_BIPOLAR=int(obip))
        fname = f"{name}_thresholds.dat"
        plan.files[fname] = hex_lines([int(v) for v in encode(t.reshape(-1), t_bits)], t_bits)
        plan.file_params["THRESHOLDS_FILE"] = fname
        how = f"{n} threshold(s)"
    how += _mvau_weights(plan, op, wcodes, w_bits)
    plan.summary = (f"fx_mvu MW={mw} MH={mh} PE={pe} SIMD={simd} "
                    f"{'xnor' if hw_xnor else f'{in_bits}b x {w_bits}b'}, {how}")
    return plan


def _int_bits(op: df.DataflowOperation, elem) -> int:
    from finn_xdsl.dialects.dataflow_types import element_bits

    try:
        return element_bits(elem)
    except ValueError:
        raise _fail(op, f"type {elem} has no hardware bit width") from None


def threshold_search_layout(t: np.ndarray, pe: int, t_bits: int) -> np.ndarray:
    """Thresholds (C, N), ascending per channel, in fx_threshold_search's THRESHOLDS_LAYOUT 1:
    per lane l and fold f (padded to 2^FB) the channel's binary-search tree in heap order,
    line (l·2^FB + f)·2^K + j holding node j = 2^k + p, the threshold T[(2p+1)·2^(K-1-k) - 1]
    stage k compares for prefix p (the largest T_BITS value where that index is >= N); slot
    j = 0 and padded folds are 0. K = ceil(log2(N + 1)), FB = ceil(log2(C / PE))."""
    c, n = t.shape
    cf = c // pe
    k, fb = n.bit_length(), (cf - 1).bit_length()
    out = np.zeros((pe, 1 << fb, 1 << k), dtype=np.int64)
    for j in range(1, 1 << k):
        stage = j.bit_length() - 1
        i = ((2 * (j - (1 << stage)) + 1) << (k - 1 - stage)) - 1
        column = t[:, i] if i < n else np.full(c, (1 << (t_bits - 1)) - 1)
        out[:, :cf, j] = column.reshape(cf, pe).T  # channel f·PE + l -> [l, f]
    return out.reshape(-1)


def _thresholding(op: df.ThresholdingOp) -> LayerPlan:
    name = op.display_name
    x, y = op.in_type(), op.out_type()
    ib, isg, ibip = _elem(x)
    ob, _, obip = _elem(y)
    c, pe = x.channels, op.value_of("pe")
    if op.value_of("runtime_writeable_weights"):
        raise _fail(op, "runtime-writeable thresholds (s_axilite) are not implemented by fx_thresholding")
    t = _thresholds_full(op.threshold_values(), c).astype(np.int64)
    if ibip:
        # x = 2c - 1 >= T  <=>  code c >= ceil((T + 1) / 2)
        t, lo, hi = -((-(t + 1)) // 2), 0, 1
    else:
        lo, hi = qt.value_range(x.element_type)
    # fx_thresholding's binary search needs each channel's thresholds ascending; the count
    # #{i : x >= T[i]} does not depend on their order
    t = np.sort(np.clip(t, lo, hi + 1), axis=1)
    t_bits = signed_bits(lo, hi + 1)
    fname = f"{name}_thresholds.dat"
    plan = LayerPlan(name, op.name, "fx_thresholding", ports=_io_ports(op))
    plan.params.update(C=c, PE=pe, N=t.shape[1], IN_BITS=ib, IN_SIGNED=int(isg), T_BITS=t_bits,
                       OUT_BITS=ob, BIAS=int(op.value_of("act_val")), OUT_BIPOLAR=int(obip),
                       THRESHOLDS_LAYOUT=1)
    words = threshold_search_layout(t, pe, t_bits)
    plan.files[fname] = hex_lines([int(v) for v in encode(words, t_bits)], t_bits)
    plan.file_params["THRESHOLDS_FILE"] = fname
    plan.tables["thresholds"] = t
    plan.summary = f"fx_thresholding C={c} PE={pe} N={t.shape[1]}"
    return plan


def _swg(op: df.SWGOp) -> LayerPlan:
    if op.value_of("parallel_window"):
        return _swg_parallel(op)
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    bits, _, _ = _elem(op.in_type())
    simd = op.value_of("simd")
    plan = LayerPlan(op.display_name, op.name, "fx_swg", ports=_io_ports(op))
    depthwise = bool(op.value_of("depthwise"))
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, SIMD=simd, BITS=bits,
                       DEPTHWISE=int(depthwise), RAM_STYLE=op.value_of("ram_style"))
    plan.summary = f"fx_swg {ih}x{iw}x{c} k{kh}x{kw} SIMD={simd}{' depthwise' if depthwise else ''}"
    return plan


def _swg_parallel(op: df.SWGOp) -> LayerPlan:
    """parallel_window: fx_swg_parallel, one whole (kh, kw, C) window per beat. It takes one
    pixel (SIMD = C) per beat; a depthwise SWG may keep SIMD < C with parallel_window in
    FINN, a beat layout fx_swg_parallel does not produce."""
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    simd = op.value_of("simd")
    if simd != c:
        raise _fail(op, f"fx_swg_parallel takes whole pixels: parallel_window with SIMD={simd} < C={c} "
                    "is not implemented")
    bits, _, _ = _elem(op.in_type())
    plan = LayerPlan(op.display_name, op.name, "fx_swg_parallel", ports=_io_ports(op))
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, BITS=bits)
    plan.summary = f"fx_swg_parallel {ih}x{iw}x{c} k{kh}x{kw} (window per beat)"
    return plan


def _fmpadding(op: df.FMPaddingOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    pt, pl, pb, pr = op.value_of("padding")
    bits, _, bip = _elem(op.in_type())
    value = int(op.value_of("pad_value"))
    if bip:
        value = 1 if value > 0 else 0
    plan = LayerPlan(op.display_name, op.name, "fx_fmpadding", ports=_io_ports(op))
    plan.params.update(IH=ih, IW=iw, C=c, PT=pt, PL=pl, PB=pb, PR=pr, SIMD=op.value_of("simd"),
                       BITS=bits, PAD_VALUE=value)
    plan.summary = f"fx_fmpadding {ih}x{iw}x{c} pad {pt},{pl},{pb},{pr}"
    return plan


def _maxpool(op: df.StreamingMaxPoolOp) -> LayerPlan:
    _, ih, iw, c = op.in_type().shape
    kh, kw = op.value_of("kernel")
    bits, sg, _ = _elem(op.in_type())  # bipolar codes order like their values: unsigned
    plan = LayerPlan(op.display_name, op.name, "fx_streaming_maxpool", ports=_io_ports(op))
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, PE=op.value_of("pe"), BITS=bits, SIGNED=int(sg),
                       CEIL_MODE=int(bool(op.value_of("ceil_mode"))))
    plan.summary = f"fx_streaming_maxpool {ih}x{iw}x{c} k{kh}x{kw}"
    return plan


def _dwc(op: df.DWCOp) -> LayerPlan:
    x, y = op.in_type(), op.out_type()
    bits, _, _ = _elem(x)
    total = int(np.prod(x.shape))
    a, b = x.num_lanes, y.num_lanes
    plan = LayerPlan(op.display_name, op.name, "fx_dwc", ports=_io_ports(op))
    plan.params.update(IN_LANES=a, OUT_LANES=b, BITS=bits, TOTAL=total)
    plan.summary = f"fx_dwc {a} -> {b} lanes of {bits}b"
    return plan


def _label_select(op: df.LabelSelectOp) -> LayerPlan:
    x, y = op.in_type(), op.out_type()
    ib, isg, _ = _elem(x)
    ob, _, _ = _elem(y)
    plan = LayerPlan(op.display_name, op.name, "fx_label_select", ports=_io_ports(op))
    plan.params.update(LABELS=x.channels, PE=op.value_of("pe"), K=op.value_of("k"), IN_BITS=ib,
                       IN_SIGNED=int(isg), OUT_BITS=ob)
    plan.summary = f"fx_label_select {x.channels} labels, K={op.value_of('k')}"
    return plan


# FINN's FIFO ram_style -> fx_fifo's STYLE: "distributed" stays in LUTs (SRL or LUT RAM by
# depth), "block" and "ultra" (xc7 has no UltraRAM) are block RAM, "auto" is fx_fifo's own
# size rule. impl_style only decides the depth ("vivado": a power of two, adjusted_depth).
FIFO_STYLE = {"auto": "auto", "distributed": "dist", "block": "bram", "ultra": "bram"}


def _fifo(op: df.FIFOOp) -> LayerPlan:
    width = padded(op.in_type().width_bits)
    plan = LayerPlan(op.display_name, op.name, "fx_fifo", ports=_io_ports(op))
    style = FIFO_STYLE[op.value_of("ram_style")]
    plan.params.update(WIDTH=width, DEPTH=op.adjusted_depth(), STYLE=style)
    plan.summary = f"fx_fifo depth {op.adjusted_depth()}, {style}"
    return plan


def _add_streams(op: df.AddStreamsOp) -> LayerPlan:
    x = op.in_type()
    ib, isg, bip = _elem(x)
    if bip:
        raise _fail(op, "adding bipolar streams needs their ±1 values; fx_add_streams adds integer codes")
    ob, _, _ = _elem(op.out_type())
    plan = LayerPlan(op.display_name, op.name, "fx_add_streams", ports=_io_ports(op))
    plan.params.update(C=x.channels, PE=op.value_of("pe"), IN_BITS=ib, IN_SIGNED=int(isg), OUT_BITS=ob)
    plan.summary = f"fx_add_streams C={x.channels}"
    return plan


def _duplicate(op: df.DuplicateStreamsOp) -> LayerPlan:
    n = len(op.outputs)
    if n > 4:
        raise _fail(op, f"fx_duplicate_streams has at most 4 outputs, the layer has {n}")
    x = op.in_type()
    bits, _, _ = _elem(x)
    plan = LayerPlan(op.display_name, op.name, "fx_duplicate_streams", ports=_io_ports(op), n_out=n)
    plan.params.update(C=x.channels, PE=op.value_of("pe"), BITS=bits, N_OUT=n)
    plan.summary = f"fx_duplicate_streams x{n}"
    return plan


def _reshape(op: df.ReshapeOp) -> LayerPlan:
    plan = LayerPlan(op.display_name, op.name, "", ports=_io_ports(op))
    plan.summary = "wire"
    return plan


_LEGALIZERS = {
    df.MVAUOp: _mvau,
    df.ThresholdingOp: _thresholding,
    df.SWGOp: _swg,
    df.FMPaddingOp: _fmpadding,
    df.StreamingMaxPoolOp: _maxpool,
    df.DWCOp: _dwc,
    df.LabelSelectOp: _label_select,
    df.FIFOOp: _fifo,
    df.AddStreamsOp: _add_streams,
    df.DuplicateStreamsOp: _duplicate,
    df.ReshapeOp: _reshape,
}


def legalize(layer: df.DataflowOperation) -> LayerPlan:
    """The wrapper plan of one layer; FinnError if the library cannot implement it."""
    fn = _LEGALIZERS.get(type(layer))
    if fn is None:
        raise _fail(layer, f"no rtl/ library module implements {layer.FINN_OP or layer.name}")
    return fn(layer)  # type: ignore[arg-type]
