"""hls/fx_mvau.hpp: g++ C-simulation over the grid of tests/rtl/test_mvu.py.

Every fold PE ∈ {1, 2, MH} × SIMD ∈ {1, 2, MW}, odd shapes, input and weight bits 1/2/4/8
signed and unsigned, bipolar×bipolar XNOR-popcount, bipolar inputs × integer weights (the ±1
codes as 2-bit signed values, as the -t sv / -t hls wrappers feed the layer), thresholds with
N = 1, 3, 5, 7, 15, negative bias and bipolar outputs. Each case is one g++ build that runs
the same random frames through both fx_mvau (raw accumulators, out0) and, where the case has
an activation, fx_mvau_thr (fused thresholds, out1); both are checked bit-exactly against
finn_xdsl.sim.dataflow_kernels.mvau. Weights are the ROM words of fx_mvu's WEIGHTS_FILE.
Cases marked as streamed (the RTL grid's WEIGHT_STREAM = 1 cases) also run the decoupled
variants fx_mvau_stream / fx_mvau_thr_stream (out2 / out3) in the same binary, with fresh
random weights for every frame, so one build checks several weight matrices.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.sim.dataflow_kernels import multithreshold, mvau
from finn_xdsl.verify.csim import compile_and_run

FRAMES = 8

# name: (MW, MH, PE, SIMD, input, weights, activation, streamed weights too), as the RTL grid
# input/weights: "u<b>"/"s<b>" (un)signed b-bit integers, "bip" bipolar ±1.
# activation: None (raw only) or (N thresholds, OUT_BITS, BIAS, OUT_BIPOLAR).
CASES = {
    "p1s1_u1xu1": (16, 16, 1, 1, "u1", "u1", None, 1),
    "p1s2_s1xs2_thr1bip": (16, 16, 1, 2, "s1", "s2", (1, 1, 0, True), 1),
    "p1sf_u2xs4": (16, 16, 1, 16, "u2", "s4", None, 0),
    "p2s1_s2xu8_thr7": (16, 16, 2, 1, "s2", "u8", (7, 3, -4, False), 0),
    "p2s2_u4xu2": (16, 16, 2, 2, "u4", "u2", None, 1),
    "p2sf_s4xu4_thr15": (16, 16, 2, 16, "s4", "u4", (15, 4, -8, False), 1),
    "pfs1_u8xs1": (16, 16, 16, 1, "u8", "s1", None, 0),
    "pfs2_s8xs8": (16, 16, 16, 2, "s8", "s8", None, 1),
    "pfsf_xnor_thr1": (16, 16, 16, 16, "bip", "bip", (1, 1, 0, True), 1),
    "p2s2_xnor": (16, 16, 2, 2, "bip", "bip", None, 0),
    "p1s1_xnor_thr1_odd": (7, 5, 1, 1, "bip", "bip", (1, 1, 0, True), 0),
    "pfsf_bipxs4_thr3": (12, 8, 8, 12, "bip", "s4", (3, 2, 0, False), 1),
    "p2s2_bipxu2": (8, 6, 2, 2, "bip", "u2", None, 0),
    "p1sf_u8xs8_odd": (15, 9, 1, 15, "u8", "s8", None, 0),
    "pfs1_s8xu4_thr5_odd": (15, 9, 9, 1, "s8", "u4", (5, 3, 0, False), 1),
    "pfsf_u1xs2_odd": (9, 7, 7, 9, "u1", "s2", None, 1),
}


def _range(dt: str) -> tuple[int, int]:
    if dt == "bip":
        return -1, 1
    bits = int(dt[1:])
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if dt[0] == "s" else (0, (1 << bits) - 1)


def _draw(rng, dt: str, shape) -> np.ndarray:
    if dt == "bip":
        return rng.choice([-1, 1], size=shape)
    lo, hi = _range(dt)
    return rng.integers(lo, hi + 1, size=shape, dtype=np.int64)


def weight_words(w: np.ndarray, pe: int, simd: int, bits: int, bipolar: bool = False) -> list[int]:
    """W (MW, MH) -> ROM words: word nf·SF+sf, lane pe·SIMD+s = W[sf·SIMD+s][nf·PE+pe]."""
    mw, mh = w.shape
    tiles = w.reshape(mw // simd, simd, mh // pe, pe).transpose(2, 0, 3, 1)  # (NF, SF, PE, SIMD)
    return pack_beats(tiles.reshape(-1, pe * simd), bits, pe * simd, bipolar)


def _b(v) -> str:
    return "true" if v else "false"


def main_cpp(mw, mh, pe, simd, ib, isg, wb, wsg, xnor, acc_bits, words, act, thr, t_bits, stream) -> str:
    ww = pe * simd * wb
    rom = ",\n    ".join(f'ap_uint<{ww}>("{w:x}", 16)' for w in words)
    core = f"{mw}, {mh}, {pe}, {simd}, {ib}, {_b(isg)}, {wb}, {_b(wsg)}, {_b(xnor)}, {acc_bits}"
    decl = call = ""
    if act is not None:
        n, out_bits, bias, bipolar = act
        rows = ",\n    ".join("{" + ", ".join(f"ap_int<{t_bits}>({int(v)})" for v in row) + "}" for row in thr)
        decl = f"static const ap_int<{t_bits}> T[{mh}][{n}] = {{\n    {rows}}};\n"
        call = f"""
    hls::stream<ap_uint<{pe * out_bits}>> out1;
    for (unsigned v : frames) fx_mvau_thr<{core}, {n}, {t_bits}, {out_bits}, {bias}, {_b(bipolar)}>(in1, out1, W, T, v);
    fx_csim::expect_consumed(in1, "in0 (thresholded run)");
    fx_csim::store(argv[1], "out1", out1);"""
    if stream:
        call += f"""
    hls::stream<ap_uint<{simd * ib}>> in2;
    hls::stream<ap_uint<{ww}>> w2;
    hls::stream<ap_uint<{pe * acc_bits}>> out2;
    fx_csim::load(argv[1], "in0", in2);
    fx_csim::load(argv[1], "w", w2);
    for (unsigned v : frames) fx_mvau_stream<{core}>(in2, w2, out2, v);
    fx_csim::expect_consumed(w2, "w (raw run)");
    fx_csim::store(argv[1], "out2", out2);"""
    if stream and act is not None:
        call += f"""
    hls::stream<ap_uint<{simd * ib}>> in3;
    hls::stream<ap_uint<{ww}>> w3;
    hls::stream<ap_uint<{pe * out_bits}>> out3;
    fx_csim::load(argv[1], "in0", in3);
    fx_csim::load(argv[1], "w", w3);
    for (unsigned v : frames) fx_mvau_thr_stream<{core}, {n}, {t_bits}, {out_bits}, {bias}, {_b(bipolar)}>(in3, w3, out3, T, v);
    fx_csim::expect_consumed(w3, "w (thresholded run)");
    fx_csim::store(argv[1], "out3", out3);"""
    return f"""#include <vector>
#include "fx_mvau.hpp"
#include "fx_csim.hpp"

static const ap_uint<{ww}> W[{len(words)}] = {{
    {rom}}};
{decl}
int main(int, char** argv) {{
    hls::stream<ap_uint<{simd * ib}>> in0, in1;
    hls::stream<ap_uint<{pe * acc_bits}>> out0;
    hls::stream<ap_uint<32>> sizes;
    fx_csim::load(argv[1], "in0", in0);
    fx_csim::load(argv[1], "in0", in1);
    fx_csim::load(argv[1], "frames", sizes);
    std::vector<unsigned> frames;
    while (!sizes.empty()) frames.push_back(sizes.read().to_uint());
    for (unsigned v : frames) fx_mvau<{core}>(in0, out0, W, v);
    fx_csim::expect_consumed(in0, "in0");
    fx_csim::store(argv[1], "out0", out0);{call}
    return 0;
}}
"""


@pytest.mark.parametrize("name", list(CASES))
def test_mvau_csim(name, tmp_path):
    mw, mh, pe, simd, idt, wdt, act, stream = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    xnor = idt == wdt == "bip"
    # bipolar inputs with integer weights: the ±1 codes as 2-bit two's complement
    ib, isg = (1, False) if xnor else (2, True) if idt == "bip" else (int(idt[1:]), idt[0] == "s")
    wb, wsg = (1, False) if wdt == "bip" else (int(wdt[1:]), wdt[0] == "s")
    frames = [int(rng.integers(1, 5)) for _ in range(FRAMES)]
    x = _draw(rng, idt, (sum(frames), mw))
    # w[0] is the ROM; the streamed runs use a fresh matrix per frame, repeated per vector
    w = _draw(rng, wdt, (FRAMES, mw, mh))
    w_of_vector = np.repeat(w, frames, axis=0)
    acc_rom = mvau(x, w[0], binary_xnor=xnor)
    acc_stream = np.einsum("vi,vij->vj", x, w_of_vector)
    if xnor:
        acc_stream = (acc_stream + mw) // 2
        acc_bits = mw.bit_length() + 1
    else:
        acc_bits = (mw * max(map(abs, _range(idt))) * max(map(abs, _range(wdt)))).bit_length() + 1
    thr, t_bits = None, acc_bits + 1
    if act is not None:
        both = np.concatenate([acc_rom, acc_stream])
        thr = np.sort(rng.integers(int(both.min()) - 2, int(both.max()) + 3, size=(mh, act[0])), axis=1)
    bip_w = wdt == "bip"
    words = weight_words(w[0], pe, simd, wb, bipolar=bip_w)
    src = main_cpp(mw, mh, pe, simd, ib, isg, wb, wsg, xnor, acc_bits, words, act, thr, t_bits, stream)
    inputs = {"in0": pack_beats(x, ib, simd, bipolar=xnor), "frames": frames}
    if stream:
        inputs["w"] = [word for wv in w_of_vector for word in weight_words(wv, pe, simd, wb, bipolar=bip_w)]
    got = compile_and_run(src, tmp_path, inputs)
    thresholded = act is not None
    runs = [True, thresholded, bool(stream), bool(stream) and thresholded]
    assert sorted(got) == [f"out{i}" for i, ran in enumerate(runs) if ran]
    assert got["out0"] == pack_beats(acc_rom, acc_bits, pe)
    if stream:
        assert got["out2"] == pack_beats(acc_stream, acc_bits, pe)
    if thresholded:
        _, out_bits, bias, bipolar = act
        for out, acc in (("out1", acc_rom), ("out3", acc_stream))[: 1 + stream]:
            y = multithreshold(acc, thr, bias, bipolar)
            assert got[out] == pack_beats(y, out_bits, pe, bipolar=bipolar)


def test_grid_is_rtl_wide():
    """Every fold, bit width, signedness and mode the docstring promises."""
    folds, types, acts = set(), set(), set()
    for mw, mh, pe, simd, idt, wdt, act, _ in CASES.values():
        folds.add((1 if pe == 1 else "MH" if pe == mh else pe, 1 if simd == 1 else "MW" if simd == mw else simd))
        types.update({("in", idt), ("w", wdt)})
        acts.add(act)
    assert folds >= {(p, s) for p in (1, 2, "MH") for s in (1, 2, "MW")}
    for side in ("in", "w"):
        assert types >= {(side, f"{k}{b}") for k in "su" for b in (1, 2, 4, 8)} | {(side, "bip")}
    assert None in acts and {a[0] for a in acts if a} >= {1, 3, 5, 7, 15}
    assert any(a and a[2] < 0 for a in acts) and any(a and a[3] for a in acts)
    assert any(c[7] and c[6] for c in CASES.values()) and any(c[7] and not c[6] for c in CASES.values())
