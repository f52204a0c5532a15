"""
MVAU (`dataflow.mvau`): rtl/fx_mvu.sv, hls/fx_mvau.hpp (fx_mvau_core).

The plan fixes the product path (XNOR popcount for bipolar x bipolar, ±1 weights as 2-bit
two's complement negating the input, else multiplies), the accumulator and threshold
widths from the reachable accumulator range, and where the weights live: fx_mvu's own ROM
(mem_mode internal_embedded, in1_V idle) or an fx_memstream in the wrapper
(internal_decoupled). Weight word t = nf·SF + sf (SF = MW/SIMD); lane (pe, s) at bits
(pe·SIMD+s)·W holds W[sf·SIMD+s][nf·PE+pe]. Thresholds are clipped to the reachable range
and sorted per channel (fx_mvu's binary search needs them ascending; the count does not).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import replace

import numpy as np
from xdsl.dialects.builtin import IntegerType, Signedness

from finn_xdsl.boards import DEFAULT_PART, dsp_block, is_versal
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_types import element_bits
from finn_xdsl.estimates import datatypes as dt
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, simd_lanes
from finn_xdsl.kernels.hls_plan import (
    ConstArray,
    HlsPlan,
    copy_glue,
    rom_of,
    storage,
    template_args,
)
from finn_xdsl.kernels.packing import encode, pack_beats
from finn_xdsl.kernels.plan import (
    LayerPlan,
    Memory,
    MemStream,
    Port,
    Refusal,
    elem,
    int_bits,
    new_plan,
    padded,
    signed_bits,
    thresholds_full,
)
from finn_xdsl.kernels.thresholding import threshold_search_layout
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import NEVER, Node, until


def _acc_range(op: df.MVAUOp, hw_xnor: bool, in_bipolar: bool) -> tuple[int, int]:
    """The reachable accumulator range: the popcount's [0, MW], else Σ of the products'
    extremes over each output channel's weights."""
    if hw_xnor:
        return 0, op.mw
    w = op.weight_values()
    xlo, xhi = (-1, 1) if in_bipolar else qt.value_range(op.in_type().element_type)
    return (int(np.minimum(w * xlo, w * xhi).sum(axis=0).min()),
            int(np.maximum(w * xlo, w * xhi).sum(axis=0).max()))


def _weight_format(op: df.MVAUOp) -> tuple[int, bool, bool]:
    """(W_BITS, W_SIGNED, XNOR) of the weight memory."""
    wt = op.weight_type
    if elem(op.in_type())[2] and isinstance(wt, qt.BipolarType):
        return 1, False, True  # XNOR popcount p = #(x_j == w_j) = (acc + MW) / 2
    if isinstance(wt, qt.BipolarType | qt.TernaryType):
        return 2, True, False  # ±1 (and 0) as 2-bit two's complement
    return int_bits(op, wt), qt.value_range(wt)[0] < 0, False


def _thresholds(op: df.MVAUOp, plan: LayerPlan) -> np.ndarray:
    """The thresholds in the accumulator domain the hardware compares, clipped and sorted."""
    p = plan.params
    hw_xnor, mw = bool(p["XNOR"]), op.mw
    lo, hi = _acc_range(op, hw_xnor, bool(plan.bipolar_in_lanes))
    t = thresholds_full(op.threshold_values(), op.mh).astype(np.int64)
    if hw_xnor and not op.value_of("binary_xnor"):
        t = -((-(t + mw)) // 2)  # acc = 2p - MW >= T  <=>  p >= ceil((T + MW) / 2)
    # thresholds outside the reachable accumulator range act like lo or hi + 1
    return np.sort(np.clip(t, lo, hi + 1), axis=1)


def memories(op: df.MVAUOp, plan: LayerPlan) -> None:
    """The threshold and weight files of an MVAU plan."""
    p = plan.params
    pe, simd, w_bits = int(p["PE"]), int(p["SIMD"]), int(p["W_BITS"])
    if p["USE_THRESHOLDS"]:
        # the file in fx_threshold_search's search order (THRESHOLDS_LAYOUT 1: Yosys reads it
        # in time linear in MH·N); `values` keep the channel-major table the HLS side reads
        t = _thresholds(op, plan)
        t_bits = int(p["T_BITS"])
        p["THRESHOLDS_LAYOUT"] = 1
        words = tuple(int(v) for v in encode(threshold_search_layout(t, pe, t_bits), t_bits))
        plan.add_memory("THRESHOLDS_FILE", Memory(words, t_bits, tuple(int(v) for v in t.reshape(-1))), "thresholds")
    w = op.weight_values()
    wcodes = encode(w, 1, bipolar=True) if p["XNOR"] else encode(w, w_bits)
    sf_n, nf_n = op.mw // simd, op.mh // pe
    tiles = np.asarray(wcodes, dtype=np.int64).reshape(sf_n, simd, nf_n, pe).transpose(2, 0, 3, 1)
    words = tuple(int(v) for v in pack_beats(tiles.reshape(-1, pe * simd), w_bits, pe * simd))
    plan.add_memory("WEIGHTS_FILE", Memory(words, pe * simd * w_bits), "weights")


def _activation(op: df.MVAUOp, plan: LayerPlan, affine: bool, hw_xnor: bool) -> str:
    """ACC_BITS and the threshold parameters; the summary's activation part."""
    mw = op.mw
    ob, _, obip = elem(op.out_type())
    thr = op.threshold_values()
    if thr is None:
        if obip:
            raise Refusal(op, "a raw (unthresholded) MVAU cannot output bipolar values")
        if affine:
            # fx_mvu has no ±1 product path: popcount p in ACC_BITS, the wrapper outputs 2p - MW
            acc_bits = signed_bits(0, mw)
            plan.affine_out = (op.value_of("pe"), acc_bits, mw, ob)
            plan.params.update(ACC_BITS=acc_bits, USE_THRESHOLDS=0)
            return f"raw +-1 products: popcount p, wrapper 2p-{mw}"
        # the output type holds the accumulator range (verified): accumulate modulo 2^OUT_BITS
        plan.params.update(ACC_BITS=ob, USE_THRESHOLDS=0)
        return "raw"
    lo, hi = _acc_range(op, hw_xnor, bool(plan.bipolar_in_lanes))
    n = thr.shape[1]
    plan.params.update(ACC_BITS=signed_bits(lo, hi), USE_THRESHOLDS=1, N=n, T_BITS=signed_bits(lo, hi + 1),
                       OUT_BITS=ob, BIAS=int(op.value_of("act_val")), OUT_BIPOLAR=int(obip))
    return f"{n} threshold(s)"


def _weights_source(op: df.MVAUOp, plan: LayerPlan, word_bits: int) -> str:
    """Where fx_mvu reads its weights: its own ROM, or an fx_memstream in the wrapper for
    internal_decoupled; the summary's suffix."""
    if op.value_of("mem_mode") == "internal_decoupled":
        plan.params["WEIGHT_STREAM"] = 1
        plan.memstream = MemStream((op.mw // op.value_of("simd")) * (op.mh // op.value_of("pe")), word_bits,
                                   "WEIGHTS_FILE", op.value_of("ram_style"))
        return ", weights streamed by fx_memstream"
    plan.params["WEIGHT_STREAM"] = 0  # internal_embedded: fx_mvu's own ROM, in1_V idle
    if op.value_of("ram_style") != "auto":  # its primitive; "auto" is fx_mvu's default
        plan.params["RAM_STYLE"] = op.value_of("ram_style")
    plan.idle_inputs = (Port("in1_V", "in", padded(word_bits)),)
    return ""


def rtl(op: df.MVAUOp) -> LayerPlan:
    mw, mh, pe, simd = op.mw, op.mh, op.value_of("pe"), op.value_of("simd")
    if op.value_of("mem_mode") == "external":
        raise Refusal(op, 'mem_mode "external" (weights streamed in from outside the layer) is not supported '
                      "by -t sv yet")
    if op.value_of("runtime_writeable_weights"):
        raise Refusal(op, "runtime-writeable weights (s_axilite) are not implemented by fx_mvu")
    plan = new_plan(op, "fx_mvu")
    ib, isg, ibip = elem(op.in_type())
    w_bits, w_signed, hw_xnor = _weight_format(op)
    in_bits, in_signed = (1, False) if hw_xnor else (2, True) if ibip else (ib, isg)
    if ibip and not hw_xnor:
        plan.bipolar_in_lanes = simd  # the wrapper widens each 1-bit code to ±1
    plan.params.update(MW=mw, MH=mh, PE=pe, SIMD=simd, IN_BITS=in_bits, IN_SIGNED=int(in_signed),
                       W_BITS=w_bits, W_SIGNED=int(w_signed), XNOR=int(hw_xnor))
    if isinstance(op.weight_type, qt.BipolarType) and not hw_xnor:
        # ±1 weights (still 2-bit two's complement in the file): fx_mvu negates or passes the
        # input by the sign bit, in LUTs, instead of multiplying
        plan.params["W_BIPOLAR"] = 1
    how = _activation(op, plan, hw_xnor and not op.value_of("binary_xnor"), hw_xnor)
    how += _weights_source(op, plan, pe * simd * w_bits)
    memories(op, plan)
    plan.summary = (f"fx_mvu MW={mw} MH={mh} PE={pe} SIMD={simd} "
                    f"{'xnor' if hw_xnor else f'{in_bits}b x {w_bits}b'}, {how}")
    return plan


def hls_decide(op: df.MVAUOp) -> LayerPlan:
    if op.value_of("mem_mode") == "external":
        raise Refusal(op, 'mem_mode "external" (weights streamed in from outside the layer) has no HLS top yet')
    if op.value_of("runtime_writeable_weights"):
        raise Refusal(op, "runtime-writeable weights (s_axilite) are not implemented by hls/fx_mvau.hpp")
    return rtl(op)


def _hls_glue(op: df.MVAUOp, plan: LayerPlan) -> list:
    p = plan.params
    glue = copy_glue(op)
    gin, gout = glue
    if plan.bipolar_in_lanes:
        glue[0] = replace(gin, inner_bits=2, map="pm1")
    out_bits = p["OUT_BITS"] if p["USE_THRESHOLDS"] else p["ACC_BITS"]
    if plan.affine_out is not None:
        _, pbits, mw, obits = plan.affine_out
        glue[1] = replace(gout, outer_bits=obits, inner_bits=pbits, map="affine", mw=mw)
    elif out_bits != gout.outer_bits:
        glue[1] = replace(gout, inner_bits=out_bits)
    return glue


def hls(op: df.MVAUOp, plan: LayerPlan) -> HlsPlan:
    """fx_mvau_core with the weight ROM read through a generated accessor (embedded) or a
    streamer process feeding FxMvauWeightStream (decoupled); the activation is FxMvauRaw
    or FxMvauThresholds. The word layout is fx_mvu's WEIGHTS_FILE, one word per step, so
    the ROM needs no partitioning whatever PE and SIMD are: one wide word per address."""
    p = plan.params
    decoupled = bool(p["WEIGHT_STREAM"])
    weights = plan.memories[plan.file_params["WEIGHTS_FILE"]]
    ram = op.value_of("ram_style")
    rom = rom_of("weights", weights.bits, weights.words, storage("weights", ram, f"ram_style {ram}"))
    arrays, pragmas = [], []
    call_weights = f"FxMvauWeightStream<{weights.bits}>{{w}}" if decoupled else "WeightRom{}"
    if p["USE_THRESHOLDS"]:
        tb, n = p["T_BITS"], p["N"]
        values = plan.memories[plan.file_params["THRESHOLDS_FILE"]].values
        style = op.value_of("ram_style_thresholds")
        arrays.append(ConstArray("thresholds", f"ap_int<{tb}>", int(tb), (int(p["MH"]), int(n)), values,
                                 storage("thresholds", style, f"ram_style_thresholds {style}")))
        # as fx_mvau_thr: all PE lanes' N thresholds readable in one cycle
        pragmas += [f"#pragma HLS ARRAY_PARTITION variable = thresholds cyclic factor = {p['PE']} dim = 1",
                    "#pragma HLS ARRAY_PARTITION variable = thresholds complete dim = 2"]
        activation = (f"FxMvauThresholds<{p['MH']}, {n}, {tb}, {p['OUT_BITS']}, {p['BIAS']}, "
                      f"{'true' if p['OUT_BIPOLAR'] else 'false'}>{{thresholds}}")
    else:
        activation = f"FxMvauRaw<{p['ACC_BITS']}>{{}}"
    call = HlsPlan(op.display_name, op.name, "fx_mvau_core", template_args("fx_mvau_core", p), op.vectors(),
                   _hls_glue(op, plan), arrays, rom=rom, weight_stream=decoupled,
                   call_args=[call_weights, activation, "COUNT"], pragmas=pragmas)
    how = "weights streamed by a ROM reader process" if decoupled else "weights in a ROM"
    call.summary = plan.summary.replace("fx_mvu ", "fx_mvau_core ", 1).replace(
        "weights streamed by fx_memstream", how) + ("" if decoupled else f", {how}")
    call.summary += f"; res_type {op.value_of('res_type')} ignored" if op.value_of("res_type") != "auto" else ""
    return call


def blocker(op: df.MVAUOp, style: str) -> str | None:
    """Our libraries' refusals, in specialize's words."""
    if op.value_of("runtime_writeable_weights"):
        return "runtime-writeable weights (s_axilite) are not implemented"
    if op.value_of("mem_mode") == "external":
        return 'mem_mode "external" (weights streamed in from outside the layer) is not implemented'
    if style == "rtl" and op.properties.get("thresholds") is None and isinstance(op.out_type().element_type,
                                                                                   qt.BipolarType):
        return "a raw (unthresholded) MVAU cannot output bipolar values"
    return None


def _signed(e) -> bool:
    if isinstance(e, qt.BipolarType | qt.TernaryType):
        return True
    return isinstance(e, IntegerType) and e.signedness.data == Signedness.SIGNED


def matmul_finn_blocker(layer: df.DataflowOperation, fpgapart: str, vvau: bool) -> str | None:
    """Why FINN's RTL MVU/VVU cannot implement this layer (None: it can)."""

    if layer.properties.get("thresholds") is not None:
        return "the RTL MVU/VVU has no fused thresholds (needs noActivation)"
    in_elem = layer.in_type().element_type
    wdt = layer.properties.get("weight_type")
    xnor = bool(layer.value_of("binary_xnor")) or (isinstance(in_elem, qt.BipolarType) and isinstance(wdt, qt.BipolarType))
    if xnor:
        return "the RTL MVU/VVU has no binary xnor mode"
    if wdt is None or not _signed(wdt):
        return f"the RTL MVU/VVU needs signed weights, got {wdt}"
    a, w = element_bits(in_elem), element_bits(wdt)
    if not (a <= 8 or (a == 9 and _signed(in_elem))):
        return f"the RTL MVU/VVU takes inputs of at most 8 bits (9 signed), got {a}"
    if w > 8:
        return f"the RTL MVU/VVU takes weights of at most 8 bits, got {w}"
    if vvau:
        return None if is_versal(fpgapart) else f"the RTL VVU needs a Versal part (DSP58), got {fpgapart}"
    weights = layer.value_of("weights")
    narrow = weights is None or np.size(weights) == 0 or int(np.min(weights)) != qt.value_range(wdt)[0]
    if not narrow and dsp_block(fpgapart) == "DSP48E1":
        return f"the RTL MVU on DSP48E1 ({fpgapart}) needs narrow-range weights"
    return None


def finn_blocker(op: df.MVAUOp, style: str, fpgapart: str) -> str | None:
    return matmul_finn_blocker(op, fpgapart, vvau=False) if style == "rtl" else None


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


def mvau_resources(op: df.MVAUOp, fpgapart: str = DEFAULT_PART, *, minimize: bool = False,
                   last_node: bool = False, acc_bits: int | None = None,
                   weight_bits: int | None = None) -> dict:
    """MVAU (base/hls/rtl). `acc_bits`/`weight_bits` override the data-type policy."""
    P, Q = op.value_of("pe"), op.value_of("simd")
    MW, MH = op.mw, op.mh
    W = weight_bits if weight_bits is not None else dt.mvau_weight_bits(op, minimize)
    A = op.in_type().element_bits
    omega = (MW * MH) / (Q * P)
    wmem = MW * MH // (P * Q)
    tmem = 0 if op.thresholds is None else MH // P
    mem_width = Q * W * P
    mmode, mstyle = op.value_of("mem_mode"), op.value_of("ram_style")

    if ((mmode == "internal_decoupled" and mstyle != "ultra")
            or (mmode == "internal_embedded" and wmem <= 128) or mmode == "external"):
        uram = 0
    else:
        uram = est.ceil(mem_width / 72) * est.ceil(omega / 4096)
    if ((mmode == "internal_decoupled" and mstyle in ("distributed", "ultra"))
            or (mmode == "internal_embedded" and wmem <= 128) or mmode == "external"):
        bram = 0
    else:
        bram = est.mvau_depth_ladder(omega, mem_width)
    wbits = W * MW * MH
    bram_eff = 1 if bram == 0 else wbits / (bram * 36 * 512)
    uram_eff = 1 if uram == 0 else wbits / (uram * 72 * 4096)

    impl = op.impl.data
    if impl == "rtl" and _finn_has_no_rtl_mvu(op, fpgapart):
        impl = "hls"  # stand-in: see the module docstring
    lut = dsp = 0
    res_type = op.value_of("res_type")
    if impl == "hls":
        c0, c1, c2 = 300, 1.1, 0
        if (mmode == "internal_decoupled" and mstyle == "distributed") or (
            mmode == "internal_embedded" and wmem <= 128
        ):
            c2 = (P * Q * W) * est.ceil(wmem / 64)
        mult = 0 if res_type == "dsp" else Q * (2 * est.ceil((W + A) / 6) - 1) * (W + A)
        addertree = (W + A) * (2 * Q - 1)
        acc_dt_bits = acc_bits if acc_bits is not None else dt.mvau_acc_bits(op, minimize, last_node)
        alpha = math.log(MW, 2) + W + A - 1 - int(dt.mvau_input_signed(op))
        acc = min(acc_dt_bits, math.ceil(alpha + math.log(1 + 2**-alpha, 2) + 1))
        thr = comp = 0
        if tmem and op.value_of("ram_style_thresholds") == "distributed":
            B = op.out_type().element_bits
            thr = (2**B - 1) * acc * est.ceil(tmem / 64)
            comp = (2**B - 1) * acc
        lut = int(c0 + c1 * (P * (mult + addertree + acc + thr + comp)) + c2)
        dsp = int(P * Q * math.ceil((W + A) / 48)) if res_type == "dsp" else 0
    elif impl == "rtl":
        if dsp_block(fpgapart) == "DSP58":
            dsp = P * est.ceil(Q / 3)
        else:
            dsp = est.ceil(P / 4) * Q
    return est.result(bram, lut, uram, dsp, bram_eff, uram_eff)


def _finn_has_no_rtl_mvu(op: df.MVAUOp, fpgapart: str) -> bool:
    return finn_blocker(op, "rtl", fpgapart) is not None


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.MVAUOp, args: tuple) -> tuple:
    return (k.mvau(args[0], op.weight_values(), op.threshold_values(), op.value_of("act_val"),
                   op.value_of("binary_xnor"), k.bipolar_out(op)),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class MVU(Node):
    """fx_mvu: SF·NF tile issues per vector; see the module docstring.

    Every tile also needs a weight word from an fx_memstream: the wrapper's (mem_mode
    internal_decoupled, into in1_V) or fx_mvu's own (internal_embedded, WEIGHT_STREAM = 0),
    which behave alike, so `weight_stream` no longer changes the timing. The memstream
    reads its ROM (registered) into a 2-entry prefetch buffer, so after reset its first word
    is valid two edges later; the edge that releases ap_rst_n already issues the first read
    (`ws_rvalid` starts set), which is why the first input beat is taken in cycle 1.
    An output is visible exactly LATENCY cycles after its last tile's issue, whatever the
    configuration; the issue of a fold's last tile needs one of FDEPTH output credits.
    """

    FDEPTH = 32
    LATENCY = 24

    def __init__(self, name: str, sf: int, nf: int, weight_stream: bool = False):
        super().__init__(name)
        self.sf_n, self.nf_n = sf, nf
        self.sf = self.nf = 0
        self.reserved = 0
        self.fcount = 0
        self.pending: deque[int] = deque()
        self.weight_stream = True  # embedded weights come from fx_mvu's own fx_memstream
        self.ws_rvalid = True
        self.ws_count = 0

    def valid(self, k: int) -> bool:
        return self.fcount > 0

    def ready(self, k: int) -> bool:
        return (self.nf == 0 and (self.sf != self.sf_n - 1 or self.reserved < self.FDEPTH)
                and (not self.weight_stream or self.ws_count > 0))

    def tick(self, t: int) -> bool:
        last = self.sf == self.sf_n - 1
        wvalid = not self.weight_stream or self.ws_count > 0
        issue = (not last or self.reserved < self.FDEPTH) and wvalid and (self.nf != 0 or self.ins[0].fire)
        if issue:
            if last:
                self.sf = 0
                self.nf = 0 if self.nf == self.nf_n - 1 else self.nf + 1
                self.pending.append(t + self.LATENCY)
                self.reserved += 1
            else:
                self.sf += 1
        read = False
        if self.weight_stream:
            # fx_memstream: read while buffered + in flight - this cycle's pop < 2
            read = self.ws_count + self.ws_rvalid - issue < 2
            self.ws_count += self.ws_rvalid - issue
            self.ws_rvalid = read
        if self.outs[0].fire:
            self.reserved -= 1
            self.fcount -= 1
        pending = self.pending
        busy = issue or bool(pending) or (self.weight_stream and (read or self.ws_rvalid))
        while pending and pending[0] <= t + 1:
            pending.popleft()
            self.fcount += 1
        return busy

    def quiet(self, t: int) -> int:
        wvalid = not self.weight_stream or self.ws_count > 0
        replaying = self.nf != 0 and wvalid
        if replaying:
            # tiles issue every cycle; the last SIMD fold's issue is an event; the memstream
            # must be in its steady state (one word read, one used per cycle)
            if self.weight_stream and not (self.ws_count == 1 and self.ws_rvalid):
                return 0
            k = self.sf_n - 1 - self.sf
        else:
            # nothing issues without an input beat: the memstream must be full and idle
            if self.weight_stream and not (self.ws_count == 2 and not self.ws_rvalid):
                return 0
            k = NEVER
        return min(k, until(self.pending, t))

    def skip(self, t: int, k: int) -> None:
        if self.nf != 0 and (not self.weight_stream or self.ws_count > 0):
            self.sf += k


def tokens(op: df.MVAUOp, fifo_depth: int | None = None) -> MVU:
    return MVU(op.display_name, op.mw // op.value_of("simd"), op.mh // op.value_of("pe"),
               weight_stream=op.value_of("mem_mode") == "internal_decoupled")


SPEC = LayerSpec(
    op=df.MVAUOp,
    rtl_module="fx_mvu",
    library={"fx_mvu": ("fx_mvu", "fx_mvu_dsp", "fx_mvu_lut", "fx_mvu_act", "fx_mvu_addtree", "fx_mvu_delay",
                        "fx_memstream", "fx_threshold_search")},
    hls_template="fx_mvau_core",
    hls_header="fx_mvau.hpp",
    hls_params=("MW", "MH", "PE", "SIMD", "IN_BITS", "IN_SIGNED", "W_BITS", "W_SIGNED", "XNOR", "ACC_BITS"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    hls_decide=hls_decide,
    memories=memories,
    blocker=blocker,
    finn_blocker=finn_blocker,
    tokens=tokens,
    reference=reference,
    finn_resources=mvau_resources,
    fold_dims=lambda op: {"pe": ("MH", op.mh), "simd": ("MW", op.mw)},
    in_lanes=simd_lanes,
    out_lanes=lambda op, source: op.value_of("pe"),
)
