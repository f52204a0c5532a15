"""fx_mvu: lint and cocotb + Verilator simulation over a grid as wide as FINN's MVAU tests.

The grid covers every fold PE ∈ {1, 2, MH} × SIMD ∈ {1, 2, MW}, odd shapes (MW or MH odd,
where only 1 and full folds exist), input and weight bits 1/2/4/8 both signed and unsigned,
bipolar×bipolar XNOR-popcount, bipolar inputs × integer weights (the ±1 codes as 2-bit
signed values, which is what the -t sv wrapper feeds fx_mvu), integer inputs × bipolar
weights (1-bit codes with W_BIPOLAR), the DSP lane packings (4 lanes with canaries, 2 with
a canary bit, 3 lanes, segmented chains), multi-threshold outputs with
N = 1, 3, 5, 7, 15 levels, negative bias and bipolar outputs, raw accumulator outputs, and
both weight sources: the embedded ROM (WEIGHT_STREAM = 0) and the decoupled weight stream
on in1_V (WEIGHT_STREAM = 1).

Each case is one Verilator build. Inputs, weights and thresholds are drawn here and handed
to the cocotb test (mvu_cocotb.py) in an .npz; it streams several vectors per phase under
random TVALID gaps (input and weight streams independently) and TREADY back-pressure,
checks bit-exact results against numpy, and checks the cycles of the full-rate phase
against (MH/PE)(MW/SIMD)·vectors. With streamed weights every phase uses fresh random
weights, so one build checks several weight matrices; with the ROM they are fixed at build.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from finn_xdsl.kernels import library_of
from finn_xdsl.kernels.packing import encode, pack_beats
from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent
PHASES = 5  # must match mvu_cocotb.PHASES

# name: (MW, MH, PE, SIMD, input, weights, activation, WEIGHT_STREAM, vectors per phase)
# input/weights: "u<b>"/"s<b>" (un)signed b-bit integers, "bip" bipolar ±1.
# activation: "raw" (accumulators out) or (N thresholds, OUT_BITS, BIAS, OUT_BIPOLAR).
CASES = {
    # 16×16 like FINN's test_fpgadataflow_mvau, every PE × SIMD fold
    "p1s1_u1xu1_raw_ws": (16, 16, 1, 1, "u1", "u1", "raw", 1, 2),
    "p1s2_s1xs2_thr1bip_ws": (16, 16, 1, 2, "s1", "s2", (1, 1, 0, True), 1, 2),
    "p1sf_u2xs4_raw": (16, 16, 1, 16, "u2", "s4", "raw", 0, 3),
    "p2s1_s2xu8_thr7": (16, 16, 2, 1, "s2", "u8", (7, 3, -4, False), 0, 2),
    "p2s2_u4xu2_raw_ws": (16, 16, 2, 2, "u4", "u2", "raw", 1, 3),
    "p2sf_s4xu4_thr15_ws": (16, 16, 2, 16, "s4", "u4", (15, 4, -8, False), 1, 4),
    "pfs1_u8xs1_raw": (16, 16, 16, 1, "u8", "s1", "raw", 0, 3),
    "pfs2_s8xs8_raw_ws": (16, 16, 16, 2, "s8", "s8", "raw", 1, 3),
    "pfsf_xnor_thr1_ws": (16, 16, 16, 16, "bip", "bip", (1, 1, 0, True), 1, 6),
    # bipolar
    "p2s2_xnor_raw": (16, 16, 2, 2, "bip", "bip", "raw", 0, 3),
    "p1s1_xnor_thr1_odd": (7, 5, 1, 1, "bip", "bip", (1, 1, 0, True), 0, 3),
    "pfsf_bipxs4_thr3_ws": (12, 8, 8, 12, "bip", "s4", (3, 2, 0, False), 1, 4),
    "p2s2_bipxu2_raw": (8, 6, 2, 2, "bip", "u2", "raw", 0, 3),
    # odd shapes
    "p1sf_u8xs8_raw_odd": (15, 9, 1, 15, "u8", "s8", "raw", 0, 3),
    "pfs1_s8xu4_thr5_odd_ws": (15, 9, 9, 1, "s8", "u4", (5, 3, 0, False), 1, 3),
    "pfsf_u1xs2_raw_odd_ws": (9, 7, 7, 9, "u1", "s2", "raw", 1, 5),
    # integer inputs x bipolar weights (W_BIPOLAR: 1-bit codes, products in LUTs), as CNV's
    # first layer
    "pfs3_u8xbip_thr1": (9, 8, 8, 3, "u8", "bip", (1, 1, 0, True), 0, 3),
    "p2s3_s4xbip_raw_ws": (6, 4, 2, 3, "s4", "bip", "raw", 1, 3),
    # ... and as the -t sv wrapper passes them: 2-bit two's complement ±1 with W_BIPOLAR
    "p4s3_u8xpm1_thr3": (9, 8, 4, 3, "u8", "pm1", (3, 2, 0, False), 0, 3),
    # DSP packing: 4 lanes with canaries, 2 lanes with a canary bit, 3 lanes
    "p4s8_u4xs4_raw_ws": (16, 8, 4, 8, "u4", "s4", "raw", 1, 3),
    "p2s8_s8xs8_thr3": (16, 4, 2, 8, "s8", "s8", (3, 2, 0, False), 0, 3),
    "p3s4_u3xu3_raw": (8, 6, 3, 4, "u3", "u3", "raw", 0, 3),
    # the embedded weight memory in each primitive (RAM_STYLE below)
    "p1sf_u2xs4_raw_block": (16, 16, 1, 16, "u2", "s4", "raw", 0, 3),
    "p4s8_u4xs4_thr3_dist": (32, 8, 4, 8, "u4", "s4", (3, 2, 0, False), 0, 3),
}
# fx_mvu's RAM_STYLE for the embedded memory, where a case sets one
RAM_STYLES = {"p1sf_u2xs4_raw_block": "block", "p4s8_u4xs4_thr3_dist": "distributed"}


def _range(dt: str) -> tuple[int, int]:
    if dt in ("bip", "pm1"):  # pm1: bipolar weights as 2-bit two's complement ±1
        return -1, 1
    bits = int(dt[1:])
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if dt[0] == "s" else (0, (1 << bits) - 1)


def _draw(rng, dt: str, shape) -> np.ndarray:
    if dt in ("bip", "pm1"):
        return rng.choice([-1, 1], size=shape)
    lo, hi = _range(dt)
    return rng.integers(lo, hi + 1, size=shape, dtype=np.int64)


def _hex_lines(words: list[int], bits: int) -> str:
    digits = (bits + 3) // 4
    return "".join(f"{w:0{digits}x}\n" for w in words)


def weight_words(w: np.ndarray, pe: int, simd: int, bits: int, bipolar: bool = False) -> list[int]:
    """W (MW, MH) -> WMEM memory words: word nf·SF+sf, lane pe·SIMD+s = W[sf·SIMD+s][nf·PE+pe]."""
    mw, mh = w.shape
    sf_n, nf_n = mw // simd, mh // pe
    # (SF, SIMD, NF, PE) -> (NF, SF, PE, SIMD)
    tiles = w.reshape(sf_n, simd, nf_n, pe).transpose(2, 0, 3, 1)
    return pack_beats(tiles.reshape(-1, pe * simd), bits, pe * simd, bipolar)


def case_params(name: str) -> tuple[dict[str, object], dict[str, np.ndarray]]:
    """(fx_mvu parameters without file names, arrays for the bench) of one case."""
    mw, mh, pe, simd, idt, wdt, act, stream, vectors = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    xnor = idt == wdt == "bip"
    # bipolar inputs with integer weights: the ±1 codes as 2-bit two's complement
    ib, isg = (1, False) if xnor else (2, True) if idt == "bip" else (int(idt[1:]), idt[0] == "s")
    # bipolar weights: 1-bit codes, as XNOR operands or (W_BIPOLAR) as ±1 factors
    wb, wsg = (1, False) if wdt == "bip" else (2, True) if wdt == "pm1" else (int(wdt[1:]), wdt[0] == "s")
    phases_w = PHASES if stream else 1
    w = _draw(rng, wdt, (phases_w, mw, mh))
    w = np.repeat(w, PHASES // phases_w, axis=0)
    x = _draw(rng, idt, (PHASES, vectors, mw))
    if xnor:
        acc = (x @ w + mw) // 2  # popcount #(x_j == w_j)
        acc_bits = mw.bit_length() + 1
    else:
        acc = x @ w
        bound = mw * max(map(abs, _range(idt))) * max(map(abs, _range(wdt)))
        acc_bits = bound.bit_length() + 1
    params: dict[str, object] = {
        "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "IN_BITS": ib, "IN_SIGNED": int(isg),
        "W_BITS": wb, "W_SIGNED": int(wsg), "XNOR": int(xnor), "ACC_BITS": acc_bits,
        "WEIGHT_STREAM": stream, "W_BIPOLAR": int(wdt in ("bip", "pm1") and not xnor),
    }
    if name in RAM_STYLES:
        params["RAM_STYLE"] = f'"{RAM_STYLES[name]}"'
    thr = np.zeros((mh, 0), dtype=np.int64)
    if act == "raw":
        out_bits, bias, bipolar_out = acc_bits, 0, False
    else:
        n_thr, out_bits, bias, bipolar_out = act
        # thresholds spread over the reachable accumulator range, sorted per channel
        lo, hi = int(acc.min()) - 2, int(acc.max()) + 2
        thr = np.sort(rng.integers(lo, hi + 1, size=(mh, n_thr)), axis=1)
        params.update({"USE_THRESHOLDS": 1, "N": n_thr, "T_BITS": acc_bits + 1, "OUT_BITS": out_bits,
                       "BIAS": bias, "OUT_BIPOLAR": int(bipolar_out)})
    words = np.array([weight_words(wp, pe, simd, wb, bipolar=wdt == "bip") for wp in w], dtype=object)
    arrays = {
        "x": x, "acc": acc, "thr": thr, "words": words,
        "cfg": np.array([mw, mh, pe, simd, ib, int(idt == "bip" and xnor), acc_bits, out_bits, bias,
                         int(bipolar_out), int(act != "raw"), vectors, stream]),
    }
    return params, arrays


@pytest.mark.parametrize("name", list(CASES))
def test_mvu(name, tmp_path):
    params, arrays = case_params(name)
    wb = int(params["PE"]) * int(params["SIMD"]) * int(params["W_BITS"])
    if not params["WEIGHT_STREAM"]:
        wfile = tmp_path / "weights.hex"
        wfile.write_text(_hex_lines(list(arrays["words"][0]), wb))
        params["WEIGHTS_FILE"] = f'"{wfile}"'
    if "N" in params:
        t_bits = int(params["T_BITS"])
        tfile = tmp_path / "thresholds.hex"
        tfile.write_text(_hex_lines([int(v) for v in encode(arrays["thr"].reshape(-1), t_bits)], t_bits))
        params["THRESHOLDS_FILE"] = f'"{tfile}"'
    npz = tmp_path / "case.npz"
    np.savez(npz, **arrays)
    src = [rtl_dir() / f"{m}.sv" for m in library_of("fx_mvu")]
    lint(src, "fx_mvu", params)
    simulate(src, "fx_mvu", "mvu_cocotb", HERE, tmp_path / "build", params,
             extra_env={"NPZ": npz, "SEED": zlib.crc32(name.encode()) & 0xFFFF})


def test_weight_layout():
    """word t = nf·SF + sf, lane (pe, s) at bits (pe·SIMD+s)·W holds W[sf·SIMD+s][nf·PE+pe]."""
    mw, mh, pe, simd, bits = 6, 4, 2, 3, 4
    w = np.arange(mw * mh).reshape(mw, mh) % 16
    words = weight_words(w, pe, simd, bits)
    sf_n = mw // simd
    for nf in range(mh // pe):
        for sf in range(sf_n):
            for p in range(pe):
                for s in range(simd):
                    lane = (words[nf * sf_n + sf] >> ((p * simd + s) * bits)) & 15
                    assert lane == w[sf * simd + s][nf * pe + p]


def test_grid_is_finn_wide():
    """The grid reaches every fold, bit width, signedness and mode the docstring promises."""
    folds, types, acts = set(), set(), set()
    for mw, mh, pe, simd, idt, wdt, act, stream, _ in CASES.values():
        folds.add((1 if pe == 1 else "MH" if pe == mh else pe, 1 if simd == 1 else "MW" if simd == mw else simd))
        types.update({("in", idt), ("w", wdt)})
        acts.add((act if act == "raw" else ("thr", act[0], act[2] < 0, act[3]), stream))
    assert folds >= {(p, s) for p in (1, 2, "MH") for s in (1, 2, "MW")}
    for side in ("in", "w"):
        assert types >= {(side, f"{k}{b}") for k in "su" for b in (1, 2, 4, 8)} | {(side, "bip")}
    assert {a[0] if a[0] == "raw" else a[0][1] for a in acts} >= {"raw", 1, 3, 5, 7, 15}
    assert any(a[0] != "raw" and a[0][2] for a in acts) and any(a[0] != "raw" and a[0][3] for a in acts)
    assert {a[1] for a in acts} == {0, 1}
