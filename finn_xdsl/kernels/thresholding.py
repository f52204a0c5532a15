"""
Thresholding (`dataflow.thresholding`): rtl/fx_thresholding.sv, hls/fx_thresholding.hpp.

y = #{i : x >= T[c, i]} + BIAS. Both libraries search each channel's thresholds, so they
are clipped to the input range and sorted ascending (the count does not depend on their
order); a bipolar input compares its code (x = 2c - 1 >= T <=> c >= ceil((T + 1) / 2)).
The rtl/ memory file holds fx_threshold_search's trees (`threshold_search_layout`), the
HLS ROM the channel-major table.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.estimates import datatypes as dt
from finn_xdsl.estimates import resources as est
from finn_xdsl.kernels import LayerSpec, pe_over_channels
from finn_xdsl.kernels.hls_plan import ConstArray, HlsPlan, copy_glue, storage, template_args
from finn_xdsl.kernels.packing import encode
from finn_xdsl.kernels.plan import (
    LayerPlan,
    Memory,
    Refusal,
    elem,
    new_plan,
    signed_bits,
    thresholds_full,
)
from finn_xdsl.sim import dataflow_kernels as k
from finn_xdsl.sim.tokensim_layers import Node, until


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


def _range(op: df.ThresholdingOp) -> tuple[int, int]:
    """The range of what the hardware compares: the input's values, or a bipolar code."""
    return (0, 1) if elem(op.in_type())[2] else qt.value_range(op.in_type().element_type)


def _table(op: df.ThresholdingOp) -> np.ndarray:
    t = thresholds_full(op.threshold_values(), op.in_type().channels).astype(np.int64)
    if elem(op.in_type())[2]:
        t = -((-(t + 1)) // 2)  # x = 2c - 1 >= T  <=>  code c >= ceil((T + 1) / 2)
    lo, hi = _range(op)
    return np.sort(np.clip(t, lo, hi + 1), axis=1)


def memories(op: df.ThresholdingOp, plan: LayerPlan) -> None:
    t = _table(op)
    t_bits, pe = int(plan.params["T_BITS"]), int(plan.params["PE"])
    words = threshold_search_layout(t, pe, t_bits)
    plan.add_memory("THRESHOLDS_FILE", Memory(tuple(int(v) for v in encode(words, t_bits)), t_bits), "thresholds")
    plan.tables["thresholds"] = t


def rtl(op: df.ThresholdingOp) -> LayerPlan:
    x, y = op.in_type(), op.out_type()
    ib, isg, _ = elem(x)
    ob, _, obip = elem(y)
    c, pe = x.channels, op.value_of("pe")
    if op.value_of("runtime_writeable_weights"):
        raise Refusal(op, "runtime-writeable thresholds (s_axilite) are not implemented by fx_thresholding")
    lo, hi = _range(op)
    n = op.threshold_values().shape[1]
    plan = new_plan(op, "fx_thresholding")
    plan.params.update(C=c, PE=pe, N=n, IN_BITS=ib, IN_SIGNED=int(isg), T_BITS=signed_bits(lo, hi + 1),
                       OUT_BITS=ob, BIAS=int(op.value_of("act_val")), OUT_BIPOLAR=int(obip),
                       THRESHOLDS_LAYOUT=1)
    memories(op, plan)
    plan.summary = f"fx_thresholding C={c} PE={pe} N={n}"
    return plan


def hls_decide(op: df.ThresholdingOp) -> LayerPlan:
    if op.value_of("runtime_writeable_weights"):
        raise Refusal(op, "runtime-writeable thresholds (s_axilite) are not implemented by hls/fx_thresholding.hpp")
    return rtl(op)


def hls(op: df.ThresholdingOp, plan: LayerPlan) -> HlsPlan:
    p = plan.params
    # channel-major, as fx_thresholding.hpp indexes them (the RTL file holds search trees)
    values = tuple(int(v) for v in plan.tables["thresholds"].reshape(-1))
    style = op.value_of("ram_style")
    arrays = [ConstArray("thresholds", f"ap_int<{p['T_BITS']}>", int(p["T_BITS"]), (int(p["C"]), int(p["N"])),
                         values, storage("thresholds", style, f"ram_style {style}"))]
    call = HlsPlan(op.display_name, op.name, "fx_thresholding", template_args("fx_thresholding", p), op.vectors(),
                   copy_glue(op), arrays)
    # fx_thresholding reads a const array: mem_mode internal_decoupled has no separate memory here
    call.summary = f"{plan.summary}, thresholds in a ROM"
    return call


def blocker(op: df.ThresholdingOp, style: str) -> str | None:
    if op.value_of("runtime_writeable_weights"):
        return "runtime-writeable weights (s_axilite) are not implemented"
    return None


# ----------------------------------------------------------------------------- FINN's resources
# FINN's node_res_estimation for this op, formula for formula (finn_xdsl.estimates.resources)


def thresholding_rtl_memory(op: df.ThresholdingOp) -> dict:
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
        prims = est.MEM_PRIMITIVES_VERSAL
        if trig_b != 0 or trig_u != 0:
            if trig_b <= depth < trig_u:
                prims = {k: v for k, v in prims.items() if "BRAM" in k}
            elif depth >= trig_u:
                prims = {k: v for k, v in prims.items() if "URAM" in k}
        name, (count, _, _) = est.memutil_alternatives(width, depth, prims)[0]
        kind = name.split("_")[0]
        res[kind] = res.get(kind, 0) + pe * count
    return res


def thresholding_hls_like(A: int, P: int, tmem: int, ram_style: str) -> tuple[int, int]:
    """Thresholding_hls / ChannelwiseOp_hls: (BRAM_18K, LUT)."""
    bram = est.ceil(A * P / 16) * est.ceil(tmem / 1024) if ram_style == "block" and tmem > 1 else 0
    lut = A * P
    if ram_style == "distributed" and tmem > 1:
        lut += P * A * est.ceil(tmem / 64)
    return bram, lut


def thresholding_resources(op: df.ThresholdingOp, fpgapart: str = DEFAULT_PART, **_) -> dict:
    impl = op.impl.data
    P = op.value_of("pe")
    if impl == "hls":
        tmem = op.in_type().channels // P
        bram, lut = thresholding_hls_like(op.in_type().element_bits, P, tmem, op.value_of("ram_style"))
        return est.result(bram=bram, lut=lut)
    if impl == "rtl":
        mem = thresholding_rtl_memory(op)
        return est.result(bram=mem.get("BRAM18", 0), lut=mem.get("LUTRAM", 0), uram=mem.get("URAM", 0))
    return est.result()


# ----------------------------------------------------------------------------- reference
# the bit-exact semantics on the normal (unfolded) int64 tensors, for sim.dataflow's interpreter


def reference(op: df.ThresholdingOp, args: tuple) -> tuple:
    return (k.multithreshold(args[0], op.threshold_values(), op.value_of("act_val"), k.bipolar_out(op)),)


# ----------------------------------------------------------------------------- token model
# cycle-exact handshakes of the rtl/ module (finn_xdsl.sim.tokensim_layers explains the protocol)


class Thresholding(Node):
    """fx_thresholding with N thresholds per channel: K = ceil(log2(N + 1)) search stages,
    then the output queue; K + 1 cycles from accept to valid, K + 2 credits."""

    def __init__(self, name: str, n: int):
        super().__init__(name)
        stages = max(1, int(n).bit_length())  # ceil(log2(n + 1))
        self.latency = stages + 1
        self.depth = stages + 2  # credits
        self.inflight = 0
        self.count = 0
        self.pending: deque[int] = deque()

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.inflight < self.depth

    def tick(self, t: int) -> bool:
        accept, pop = self.ins[0].fire, self.outs[0].fire
        self.inflight += accept - pop
        if accept:
            self.pending.append(t + self.latency)
        if pop:
            self.count -= 1
        busy = accept or bool(self.pending)
        while self.pending and self.pending[0] <= t + 1:
            self.pending.popleft()
            self.count += 1
        return busy

    def quiet(self, t: int) -> int:
        return until(self.pending, t)


def tokens(op: df.ThresholdingOp, fifo_depth: int | None = None) -> Thresholding:
    return Thresholding(op.display_name, op.threshold_values().shape[1])


SPEC = LayerSpec(
    op=df.ThresholdingOp,
    rtl_module="fx_thresholding",
    library={"fx_thresholding": ("fx_thresholding", "fx_threshold_search", "fx_fifo")},
    hls_template="fx_thresholding",
    hls_header="fx_thresholding.hpp",
    hls_params=("C", "PE", "N", "IN_BITS", "IN_SIGNED", "T_BITS", "OUT_BITS", "BIAS", "OUT_BIPOLAR"),
    rtl=rtl,
    hls=hls,
    finn_variants=("hls", "rtl"),
    hls_decide=hls_decide,
    memories=memories,
    blocker=blocker,
    tokens=tokens,
    reference=reference,
    finn_resources=thresholding_resources,
    fold_dims=pe_over_channels,
    finn_fold="pe",
)
