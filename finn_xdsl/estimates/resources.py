"""
FINN's analytical resource estimates (LUT, BRAM_18K, URAM, DSP and the two memory
efficiencies) for every dataflow layer and implementation style, formula for formula as
FINN main's `node_res_estimation` (FINN_REFERENCE §2.2).

Entry point: `layer_resources(op, fpgapart, minimize=...)` -> dict with FINN's keys in
FINN's order. A layer with impl "" is estimated as its abstract FINN op (FINN's base
class: everything 0) except where FINN's base class itself implements the estimate
(MVAU BRAM/URAM, FIFO, DWC ...). `minimize` picks the data-type policy (see
`finn_xdsl.estimates.datatypes`).

`impl` is our backend (see passes/specialize.py), so some RTL layers have no FINN RTL
counterpart and hence no FINN formula. Stand-ins, until our own RTL is characterised:
- MVAU rtl that FINN's RTL MVU could not realise (fused thresholds, xnor mode, unsigned or
  wide-range weights on DSP48E1, > 8-bit operands; `kernels.finn_blocker`): FINN's HLS
  formula (LUT compute, no DSPs), the closer model of our fx_mvu in those configurations —
  its XNOR popcount and narrow products are LUT logic, its thresholds LUT comparators.
- StreamingMaxPool, LabelSelect, AddStreams, DuplicateStreams rtl: FINN's HLS model, which
  is all zeros for these ops (they are small next to MVAUs and SWGs).
"""

from __future__ import annotations

import math

from finn_xdsl.dialects.dataflow_compute import ChannelwiseOp, MVAUOp, ThresholdingOp
from finn_xdsl.dialects.dataflow_layers import (
    FMPaddingOp,
    GlobalAccPoolOp,
    LabelSelectOp,
    StreamingMaxPoolOp,
    SWGOp,
)
from finn_xdsl.dialects.dataflow_streams import (
    AddStreamsOp,
    DuplicateStreamsOp,
    DWCOp,
    FIFOOp,
    ReshapeOp,
)
from finn_xdsl.estimates import datatypes as dt

DEFAULT_PART = "xc7z020clg400-1"
KEYS = ("BRAM_18K", "BRAM_efficiency", "LUT", "URAM", "URAM_efficiency", "DSP")


def dsp_block(fpgapart: str) -> str:
    """FINN get_dsp_block: Versal -> DSP58, part[2] == '7' -> DSP48E1, else DSP48E2."""
    try:  # the project's board/part table, if present
        from finn_xdsl import boards  # type: ignore[attr-defined]

        fn = getattr(boards, "get_dsp_block", None) or getattr(boards, "dsp_block", None)
        if fn is not None:
            return fn(fpgapart)
    except (ImportError, KeyError, ValueError):
        pass  # unknown to the table: FINN's own rule below
    part = fpgapart.lower()
    if is_versal(part):
        return "DSP58"
    return "DSP48E1" if len(part) > 2 and part[2] == "7" else "DSP48E2"


def is_versal(fpgapart: str) -> bool:
    """FINN's Versal families (xcvc, xcve, xcvp, xcvm, xcvh, xqvc ...) as in finn.util.basic."""
    part = fpgapart.lower()
    return any(part.startswith(p) for p in ("xcvc", "xcve", "xcvp", "xcvm", "xqvc", "xqvm", "xcvh", "xcv80"))


def _result(bram: int = 0, lut: int = 0, uram: int = 0, dsp: int = 0,
            bram_eff: float = 1, uram_eff: float = 1) -> dict:
    return {
        "BRAM_18K": bram,
        "BRAM_efficiency": bram_eff,
        "LUT": lut,
        "URAM": uram,
        "URAM_efficiency": uram_eff,
        "DSP": dsp,
    }


def ceil(x: float) -> int:
    return math.ceil(x)


def mvau_depth_ladder(omega: float, mem_width: int) -> int:
    """FINN's MVAU BRAM_18K ladder (SDP RAMB18 geometries, FINN-R)."""
    if mem_width == 1:
        return ceil(omega / 16384)
    if mem_width == 2:
        return ceil(omega / 8192)
    if mem_width <= 4:
        return ceil(omega / 4096) * ceil(mem_width / 4)
    if mem_width <= 9:
        return ceil(omega / 2048) * ceil(mem_width / 9)
    if mem_width <= 18 or omega > 512:
        return ceil(omega / 1024) * ceil(mem_width / 18)
    return ceil(omega / 512) * ceil(mem_width / 36)


# ----------------------------------------------------------------------------- MVAU


def mvau_resources(op: MVAUOp, fpgapart: str = DEFAULT_PART, *, minimize: bool = False,
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
        uram = ceil(mem_width / 72) * ceil(omega / 4096)
    if ((mmode == "internal_decoupled" and mstyle in ("distributed", "ultra"))
            or (mmode == "internal_embedded" and wmem <= 128) or mmode == "external"):
        bram = 0
    else:
        bram = mvau_depth_ladder(omega, mem_width)
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
            c2 = (P * Q * W) * ceil(wmem / 64)
        mult = 0 if res_type == "dsp" else Q * (2 * ceil((W + A) / 6) - 1) * (W + A)
        addertree = (W + A) * (2 * Q - 1)
        acc_dt_bits = acc_bits if acc_bits is not None else dt.mvau_acc_bits(op, minimize, last_node)
        alpha = math.log(MW, 2) + W + A - 1 - int(dt.mvau_input_signed(op))
        acc = min(acc_dt_bits, math.ceil(alpha + math.log(1 + 2**-alpha, 2) + 1))
        thr = comp = 0
        if tmem and op.value_of("ram_style_thresholds") == "distributed":
            B = op.out_type().element_bits
            thr = (2**B - 1) * acc * ceil(tmem / 64)
            comp = (2**B - 1) * acc
        lut = int(c0 + c1 * (P * (mult + addertree + acc + thr + comp)) + c2)
        dsp = int(P * Q * math.ceil((W + A) / 48)) if res_type == "dsp" else 0
    elif impl == "rtl":
        if dsp_block(fpgapart) == "DSP58":
            dsp = P * ceil(Q / 3)
        else:
            dsp = ceil(P / 4) * Q
    return _result(bram, lut, uram, dsp, bram_eff, uram_eff)


def _finn_has_no_rtl_mvu(op: MVAUOp, fpgapart: str) -> bool:
    from finn_xdsl.kernels import finn_blocker

    return finn_blocker(op, "rtl", fpgapart) is not None


# ----------------------------------------------------------------------------- thresholds

# Versal memory primitives (FINN's mem_primitives_versal): name -> (width, depth)
MEM_PRIMITIVES_VERSAL = {
    "URAM_72x4096": (72, 4096),
    "URAM_36x8192": (36, 8192),
    "URAM_18x16384": (18, 16384),
    "URAM_9x32768": (9, 32768),
    "BRAM18_36x512": (36, 512),
    "BRAM18_18x1024": (18, 1024),
    "BRAM18_9x2048": (9, 2048),
    "LUTRAM": (1, 64),
}


def memutil_alternatives(width: int, depth: float, primitives: dict) -> list:
    """FINN get_memutil_alternatives: (name, (count, efficiency, waste)) by least waste."""
    out = []
    for name, (pw, pd) in primitives.items():
        count = ceil(width / pw) * ceil(depth / pd)
        waste = count * pw * pd - width * depth
        eff = (width * depth) / (count * pw * pd)
        out.append((name, (count, eff, waste)))
    return sorted(out, key=lambda a: a[1][2])


def thresholding_rtl_memory(op: ThresholdingOp) -> dict:
    """Thresholding_rtl per-type primitive counts {"URAM": n, "BRAM18": n, "LUTRAM": n}."""
    pe = op.value_of("pe")
    wt = dt.thresholding_weight_bits(op)
    n = op.out_type().element_bits
    cf = op.in_type().channels / pe
    uniform = op.value_of("uniform_thres") or False
    if uniform:
        geoms = [(n - x, cf * 2**x) for x in range(1, n)]
    else:
        geoms = [(wt, cf * 2**x) for x in range(n)]
    trig_b = op.value_of("depth_trigger_bram") or 0
    trig_u = op.value_of("depth_trigger_uram") or 0
    res: dict[str, int] = {}
    for width, depth in geoms:
        prims = MEM_PRIMITIVES_VERSAL
        if trig_b != 0 or trig_u != 0:
            if trig_b <= depth < trig_u:
                prims = {k: v for k, v in prims.items() if "BRAM" in k}
            elif depth >= trig_u:
                prims = {k: v for k, v in prims.items() if "URAM" in k}
        name, (count, _, _) = memutil_alternatives(width, depth, prims)[0]
        kind = name.split("_")[0]
        res[kind] = res.get(kind, 0) + pe * count
    return res


def _thresholding_hls_like(A: int, P: int, tmem: int, ram_style: str) -> tuple[int, int]:
    """Thresholding_hls / ChannelwiseOp_hls: (BRAM_18K, LUT)."""
    bram = ceil(A * P / 16) * ceil(tmem / 1024) if ram_style == "block" and tmem > 1 else 0
    lut = A * P
    if ram_style == "distributed" and tmem > 1:
        lut += P * A * ceil(tmem / 64)
    return bram, lut


def thresholding_resources(op: ThresholdingOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    impl = op.impl.data
    P = op.value_of("pe")
    if impl == "hls":
        tmem = op.in_type().channels // P
        bram, lut = _thresholding_hls_like(op.in_type().element_bits, P, tmem, op.value_of("ram_style"))
        return _result(bram=bram, lut=lut)
    if impl == "rtl":
        mem = thresholding_rtl_memory(op)
        return _result(bram=mem.get("BRAM18", 0), lut=mem.get("LUTRAM", 0), uram=mem.get("URAM", 0))
    return _result()


def channelwise_resources(op: ChannelwiseOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    if op.impl.data != "hls":
        return _result()
    P = op.value_of("pe")
    tmem = op.in_type().channels // P
    bram, lut = _thresholding_hls_like(op.in_type().element_bits, P, tmem, op.value_of("ram_style"))
    return _result(bram=bram, lut=lut)


# ----------------------------------------------------------------------------- SWG


def _ram_width_for_depth(depth: int) -> int:
    if depth <= 512:
        return 36
    if depth <= 1024:
        return 18
    if depth <= 2048:
        return 9
    if depth <= 4096:
        return 4
    if depth <= 8192:
        return 2
    return 1


def swg_rtl_buffer_depth(op: SWGOp) -> int:
    """ConvolutionInputGenerator_rtl buffer depth (default / parallel implementation)."""
    is_1d, (ih, iw), _, (kh, kw), (sh, sw), (dh, dw), cf = op._normalized()
    if swg_rtl_impl_style(op) == "parallel":
        return ((kh - 1) * dh * iw + (kw - 1) * dw) * cf + 2
    depth = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
    depth += max(0, (sw - 1 - kh * kw) * cf) + max(0, ((sh - 1) * iw - kh * kw) * cf)
    return depth


def swg_rtl_impl_style(op: SWGOp) -> str:
    kh, kw = op.value_of("kernel")
    return "parallel" if op.value_of("parallel_window") or (kh == 1 and kw == 1) else "default"


def swg_resources(op: SWGOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    impl = op.impl.data
    ram_style = op.value_of("ram_style")
    Q = op.value_of("simd")
    A = op.in_type().element_bits
    is_1d, (ih, iw), (oh, ow), (kh, kw), (sh, sw), (dh, dw), cf = op._normalized()
    C = op.in_type().channels
    if impl == "rtl":
        width = Q * A
        style = swg_rtl_impl_style(op)
        if style == "parallel":
            depth = (iw - ((kw - 1) * dw + 1)) + iw * (dh - 1)
            count = 0 if is_1d else kh - 1
        else:
            depth = swg_rtl_buffer_depth(op)
            count = 1
        bram = uram = 0
        lut = 300
        if ram_style in ("block", "auto") and count:
            bram = ceil(depth / 16384) * ceil(width / _ram_width_for_depth(depth)) * count
        elif ram_style == "ultra" and count:
            uram = ceil(depth / 4096) * ceil(width / 72) * count
        elif ram_style == "distributed":
            lut += width * ceil(depth / 38) * max(count, 1)
        return _result(bram=bram, lut=lut, uram=uram)
    if impl == "hls":
        k, stride = kh, sh
        variant = _swg_hls_variant(op)
        if variant == "2d":
            depth = iw * C // Q
        elif variant == "1d_parallel":
            depth = 0
        elif variant == "1d":
            depth = (kw - 1) * C // Q
        elif variant == "1d_dws_naive":
            depth = iw * C // Q
        else:
            depth = kw * C // Q
        bram = uram = ram_luts = 0
        if ram_style in ("block", "auto") and variant != "1d_parallel":
            rw = _ram_width_for_depth(depth)
            if variant == "2d":
                bram = (k + stride) * ceil(Q * A / rw) * ceil(iw * C / Q / depth)
            else:
                bram = ceil(Q * A / rw) * ceil(depth / 18432)
        elif ram_style == "ultra":
            if variant == "2d":
                uram = (k + stride) * ceil(Q * A / 64) * ceil(iw * C / Q / 4096)
            elif variant != "1d_parallel":
                uram = ceil(Q * A / 72) * ceil(depth / 4096)
        elif ram_style == "distributed":
            if variant == "2d":
                ram_luts = (k + stride) * Q * A * ceil(iw * C / Q / 64)
            elif variant == "1d":
                ram_luts = ceil(A * (kw - 1) * C / 64)
            elif variant == "1d_dws_naive":
                ram_luts = ceil(A * iw * C / 64)
            elif variant == "1d_parallel":
                ram_luts = ceil(Q * A * (kw + 1) / 64)
            else:
                ram_luts = ceil(A * kw * C / 64)
        return _result(bram=bram, lut=300 + ram_luts, uram=uram)
    return _result()


def _swg_hls_variant(op: SWGOp) -> str:
    is_1d, _, _, _, (sh, sw), (dh, dw), cf = op._normalized()
    if not is_1d:
        return "2d"
    depthwise = op.value_of("depthwise")
    if op.value_of("parallel_window") and cf == 1 and not depthwise and sw == 1 and dw == 1:
        return "1d_parallel"
    if not depthwise:
        return "1d"
    if dw == 1 and sw in (1, 2):
        return "1d_dws"
    return "1d_dws_naive"


# ----------------------------------------------------------------------------- streams


def dwc_resources(op: DWCOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """FINN StreamingDataWidthConverter lut_estimation (base class, all impls)."""
    inw, outw = op.in_type().width_bits, op.out_type().width_bits
    intw = math.lcm(inw, outw)
    cnt = cset = 0
    if inw != intw:
        cnt += abs(math.ceil(math.log(inw / intw, 2)))
        cset += intw
    if intw != outw:
        cnt += abs(math.ceil(math.log(intw / outw, 2)))
        cset += outw
    return _result(lut=int(cnt + cset))


def fifo_resources(op: FIFOOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """FINN StreamingFIFO estimates on the adjusted depth."""
    D = op.adjusted_depth()
    W = op.in_type().width_bits
    style, ram = op.value_of("impl_style"), op.value_of("ram_style")
    bram = 0
    if style == "vivado" and ram == "block":
        bram = mvau_depth_ladder(D, W)
    uram = ceil(D / 4096) * ceil(W / 72) if style == "vivado" and ram == "ultra" else 0
    addr = math.ceil(math.log(D, 2)) if D > 1 else 0
    lut = 2 * addr
    if style == "rtl" or (style == "vivado" and ram == "distributed"):
        lut += ceil(D / 32) * ceil(W / 2)
    return _result(bram=bram, lut=int(lut), uram=uram)


def zero_resources(op, fpgapart: str = DEFAULT_PART, **_) -> dict:
    """Layers FINN has no resource model for (all 0)."""
    return _result()


_DISPATCH = {
    MVAUOp: mvau_resources,
    ThresholdingOp: thresholding_resources,
    ChannelwiseOp: channelwise_resources,
    SWGOp: swg_resources,
    DWCOp: dwc_resources,
    FIFOOp: fifo_resources,
    StreamingMaxPoolOp: zero_resources,
    FMPaddingOp: zero_resources,
    LabelSelectOp: zero_resources,
    AddStreamsOp: zero_resources,
    DuplicateStreamsOp: zero_resources,
    GlobalAccPoolOp: zero_resources,
    ReshapeOp: zero_resources,
}


def layer_resources(op, fpgapart: str = DEFAULT_PART, *, minimize: bool = False,
                    last_node: bool = False) -> dict:
    """FINN's node_res_estimation(fpgapart) for one dataflow layer.

    `minimize`: use the widths FINN's minimize_bit_width step gives (see datatypes);
    `last_node`: the layer ends the graph (FINN rounds a raw MVAU's acc type to bytes).
    """
    fn = _DISPATCH.get(type(op), zero_resources)
    if fn is mvau_resources:
        return fn(op, fpgapart, minimize=minimize, last_node=last_node)
    return fn(op, fpgapart)
