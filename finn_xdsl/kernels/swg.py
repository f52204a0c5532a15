"""
Sliding-window generator (`dataflow.swg`, FINN's ConvolutionInputGenerator): rtl/fx_swg.sv
(SIMD lanes of one pixel per beat) or rtl/fx_swg_parallel.sv (parallel_window: one whole
(kh, kw, C) window per beat); hls/fx_swg.hpp (no parallel_window).
"""

from __future__ import annotations

import numpy as np

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, simd_lanes
from finn_xdsl.kernels.hls_plan import HlsPlan, simple_call
from finn_xdsl.kernels.plan import LayerPlan, Refusal, elem, new_plan
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import NEVER, Node
from finn_xdsl.utils.onnx_shapes import conv_output_dim


def _swg_parallel(op: df.SWGOp) -> LayerPlan:
    """parallel_window: fx_swg_parallel, one whole (kh, kw, C) window per beat. It takes one
    pixel (SIMD = C) per beat; a depthwise SWG may keep SIMD < C with parallel_window in
    FINN, a beat layout fx_swg_parallel does not produce."""
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    simd = op.value_of("simd")
    if simd != c:
        raise Refusal(op, f"fx_swg_parallel takes whole pixels: parallel_window with SIMD={simd} < C={c} "
                      "is not implemented")
    bits, _, _ = elem(op.in_type())
    plan = new_plan(op, "fx_swg_parallel")
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, BITS=bits)
    plan.summary = f"fx_swg_parallel {ih}x{iw}x{c} k{kh}x{kw} (window per beat)"
    return plan


def rtl(op: df.SWGOp) -> LayerPlan:
    if op.value_of("parallel_window"):
        return _swg_parallel(op)
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    bits, _, _ = elem(op.in_type())
    simd = op.value_of("simd")
    plan = new_plan(op, "fx_swg")
    depthwise = bool(op.value_of("depthwise"))
    plan.params.update(IH=ih, IW=iw, C=c, KH=kh, KW=kw, SH=sh, SW=sw, DH=dh, DW=dw, SIMD=simd, BITS=bits,
                       DEPTHWISE=int(depthwise), RAM_STYLE=op.value_of("ram_style"))
    plan.summary = f"fx_swg {ih}x{iw}x{c} k{kh}x{kw} SIMD={simd}{' depthwise' if depthwise else ''}"
    return plan


def hls_decide(op: df.SWGOp) -> LayerPlan:
    if op.value_of("parallel_window"):
        raise Refusal(op, "parallel_window (a whole window per beat) has no HLS template; use impl rtl")
    return rtl(op)


def hls(op: df.SWGOp, plan: LayerPlan) -> HlsPlan:
    return simple_call(op, plan, "images")


def blocker(op: df.SWGOp, style: str) -> str | None:
    if not op.value_of("parallel_window"):
        return None
    if style == "hls":
        return "parallel_window (a whole window per beat) has no HLS template"
    c, simd = op.in_type().channels, op.value_of("simd")
    return f"fx_swg_parallel takes whole pixels: parallel_window with SIMD={simd} < C={c}" if simd != c else None


def finn_blocker(op: df.SWGOp, style: str, fpgapart: str) -> str | None:
    """Why FINN's HLS sliding-window generator cannot implement this layer (None: it can)."""
    if style != "hls":
        return None
    if op.value_of("dynamic_mode"):
        return "the HLS ConvolutionInputGenerator has no dynamic mode"
    _, ih, iw, _ = op.in_type().shape
    _, oh, ow, _ = op.out_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    if (ih == 1 and kh == 1) or (iw == 1 and kw == 1):
        return None  # 1-D: the HLS variants have no restrictions
    if kh == kw and ih == iw and oh == ow and sh == sw and dh == dw == 1:
        return None
    return "the 2-D HLS ConvolutionInputGenerator needs a square kernel, image and output, equal strides and no dilation"


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


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


def swg_rtl_buffer_depth(op: df.SWGOp) -> int:
    """ConvolutionInputGenerator_rtl buffer depth (default / parallel implementation)."""
    is_1d, (ih, iw), _, (kh, kw), (sh, sw), (dh, dw), cf = op._normalized()
    if swg_rtl_impl_style(op) == "parallel":
        return ((kh - 1) * dh * iw + (kw - 1) * dw) * cf + 2
    depth = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
    depth += max(0, (sw - 1 - kh * kw) * cf) + max(0, ((sh - 1) * iw - kh * kw) * cf)
    return depth


def swg_rtl_impl_style(op: df.SWGOp) -> str:
    kh, kw = op.value_of("kernel")
    return "parallel" if op.value_of("parallel_window") or (kh == 1 and kw == 1) else "default"


def swg_resources(op: df.SWGOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
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
            bram = est.ceil(depth / 16384) * est.ceil(width / _ram_width_for_depth(depth)) * count
        elif ram_style == "ultra" and count:
            uram = est.ceil(depth / 4096) * est.ceil(width / 72) * count
        elif ram_style == "distributed":
            lut += width * est.ceil(depth / 38) * max(count, 1)
        return est.result(bram=bram, lut=lut, uram=uram)
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
                bram = (k + stride) * est.ceil(Q * A / rw) * est.ceil(iw * C / Q / depth)
            else:
                bram = est.ceil(Q * A / rw) * est.ceil(depth / 18432)
        elif ram_style == "ultra":
            if variant == "2d":
                uram = (k + stride) * est.ceil(Q * A / 64) * est.ceil(iw * C / Q / 4096)
            elif variant != "1d_parallel":
                uram = est.ceil(Q * A / 72) * est.ceil(depth / 4096)
        elif ram_style == "distributed":
            if variant == "2d":
                ram_luts = (k + stride) * Q * A * est.ceil(iw * C / Q / 64)
            elif variant == "1d":
                ram_luts = est.ceil(A * (kw - 1) * C / 64)
            elif variant == "1d_dws_naive":
                ram_luts = est.ceil(A * iw * C / 64)
            elif variant == "1d_parallel":
                ram_luts = est.ceil(Q * A * (kw + 1) / 64)
            else:
                ram_luts = est.ceil(A * kw * C / 64)
        return est.result(bram=bram, lut=300 + ram_luts, uram=uram)
    return est.result()


def _swg_hls_variant(op: df.SWGOp) -> str:
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


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.SWGOp, args: tuple) -> tuple:
    return (k.im2col(args[0], *op.window()),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class SWG(Node):
    """fx_swg: line buffer of M beats, patch reads in (oy, ox, ky, kx, f) order, or
    (oy, ox, f, ky, kx) for depthwise; frames follow each other without a gap (beat and
    patch indices run on across frames). The output register loads when empty or being
    taken. parallel_window (a whole window per beat) is another module, fx_swg_parallel,
    modelled by `SWGParallel`."""

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int,
                 dh: int, dw: int, simd: int, depthwise: bool = False):
        super().__init__(name)
        self.m = self.buffer_beats(ih, iw, c, kh, kw, sh, sw, dh, dw, simd, depthwise)
        cf = c // simd
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        self.total = ih * iw * cf
        if depthwise:
            oy, ox, f, ky, kx = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(cf), np.arange(kh),
                                            np.arange(kw), indexing="ij")
        else:
            oy, ox, ky, kx, f = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(kh), np.arange(kw),
                                            np.arange(cf), indexing="ij")
        base = (oy * sh * iw + ox * sw) * cf
        src = base + ky * dh * iw * cf + kx * dw * cf + f
        self.base = base.ravel().tolist()
        self.src = src.ravel().tolist()
        self.n_out = len(self.src)
        self.wr = 0  # beats written, all frames
        self.j = 0  # next output beat of the frame
        self.frame = 0  # beat index of the frame's first input beat
        self.ocount = 0

    @staticmethod
    def buffer_beats(ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int, dh: int, dw: int,
                     simd: int, depthwise: bool = False) -> int:
        """fx_swg's M: BUF_MIN plus the run-ahead the largest patch step needs (see the .sv)."""
        cf = c // simd
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        buf_min = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
        j_row = (sh * iw - (ow - 1) * sw) * cf
        j_max = j_row if oh > 1 and j_row > sw * cf else sw * cf
        lag = kh * kw + cf - 1 if depthwise else kh * kw * cf
        return buf_min + max(0, j_max - lag + 1)

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.wr < self.frame + self.base[self.j] + self.m

    def tick(self, t: int) -> bool:
        pop = self.outs[0].fire
        push = self.frame + self.src[self.j] < self.wr and (self.ocount == 0 or pop)
        if self.ins[0].fire:
            self.wr += 1
        if push:
            self.j += 1
            if self.j == self.n_out:
                self.j, self.frame = 0, self.frame + self.total
        self.ocount += push - pop
        return self.ins[0].fire or push or pop

    def quiet(self, t: int) -> int:
        return 0 if self.ocount == 0 and self.frame + self.src[self.j] < self.wr else NEVER


class SWGParallel(Node):
    """fx_swg_parallel: a shift register of pixels; the beat that is a window's bottom-right
    pixel pushes the whole window into a 2-deep output FIFO in the cycle it is accepted.
    Such a beat waits for a FIFO credit, any other beat is always taken; frames follow
    each other without a gap."""

    DEPTH = 2

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int,
                 dh: int, dw: int):
        super().__init__(name)
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        y, x = np.meshgrid(np.arange(ih), np.arange(iw), indexing="ij")
        ys, xs = y - (kh - 1) * dh, x - (kw - 1) * dw
        hit_y = (ys >= 0) & (ys % sh == 0) & (ys // sh < oh)
        hit_x = (xs >= 0) & (xs % sw == 0) & (xs // sw < ow)
        self.hits = (hit_y & hit_x).ravel().tolist()
        self.i = 0
        self.ocount = 0

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return not self.hits[self.i] or self.ocount < self.DEPTH

    def tick(self, t: int) -> bool:
        take, pop = self.ins[0].fire, self.outs[0].fire
        if take:
            self.ocount += self.hits[self.i]
            self.i = self.i + 1 if self.i + 1 < len(self.hits) else 0
        self.ocount -= pop
        return take or pop


def tokens(op: df.SWGOp, fifo_depth: int | None = None) -> Node:
    _, ih, iw, c = op.in_type().shape
    (kh, kw), (sh, sw), (dh, dw) = op.window()
    if op.value_of("parallel_window"):
        return SWGParallel(op.display_name, ih, iw, c, kh, kw, sh, sw, dh, dw)
    return SWG(op.display_name, ih, iw, c, kh, kw, sh, sw, dh, dw, op.value_of("simd"),
               bool(op.value_of("depthwise")))


def out_lanes(op: df.SWGOp, source_lanes: int) -> int:
    """SIMD lanes of a pixel, or a whole window's kh·kw·SIMD with parallel_window."""
    (kh, kw) = op.value_of("kernel")
    simd = op.value_of("simd")
    return kh * kw * simd if op.value_of("parallel_window") else simd


SPEC = LayerSpec(
    op=df.SWGOp,
    rtl_module="fx_swg",
    library={"fx_swg": ("fx_swg",), "fx_swg_parallel": ("fx_swg_parallel", "fx_fifo")},
    hls_template="fx_swg",
    hls_header="fx_swg.hpp",
    hls_params=("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "SIMD", "BITS", "DEPTHWISE"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    hls_decide=hls_decide,
    blocker=blocker,
    finn_blocker=finn_blocker,
    tokens=tokens,
    reference=reference,
    finn_resources=swg_resources,
    fold_dims=lambda op: {"simd": ("C", op.in_type().channels)},
    in_lanes=simd_lanes,
    out_lanes=out_lanes,
)
