"""fx_mvu: lint and cocotb + Verilator simulation over a grid of foldings and data types.

Each case generates random weights (and thresholds) here, writes the $readmemh files in
the layout of ARCHITECTURE §4 with finn_xdsl.sim.packing, and hands the arrays to the cocotb
test (mvu_cocotb.py), which computes the expected outputs with numpy, streams several
vectors through random TVALID/TREADY and checks bit-exact results and full-throughput cycles.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from finn_xdsl.resources import rtl_dir
from finn_xdsl.sim.packing import encode, pack_beats
from finn_xdsl.sim.rtlsim import lint, simulate

HERE = Path(__file__).parent

# name: (MW, MH, PE, SIMD, in_bits, in_signed, w_bits, w_signed, mode, vectors)
# mode: "raw" (accumulators out), "thr" (multi-threshold, N levels), "xnor_thr" (bipolar
# xnor-popcount with one threshold, bipolar out), "xnor_raw" (popcount out)
CASES = {
    "pe1_simd1_u2xs2_raw": (8, 8, 1, 1, 2, False, 2, True, "raw", 3),
    "full_s4xs4_raw": (12, 20, 20, 12, 4, True, 4, True, "raw", 4),
    "u8xs8_raw": (36, 16, 4, 6, 8, False, 8, True, "raw", 3),
    "s1xu1_raw": (16, 24, 8, 4, 1, False, 1, False, "raw", 3),
    "xnor_thr": (32, 16, 4, 8, 1, False, 1, False, "xnor_thr", 5),
    "u4xs2_thr15": (24, 12, 3, 4, 4, False, 2, True, "thr", 4),
    "pe1_simdfull_s8xu1_thr3": (10, 9, 1, 10, 8, True, 1, False, "thr", 3),
    "xnor_raw_pefull_simd1": (9, 6, 6, 1, 1, False, 1, False, "xnor_raw", 3),
}


def _rand(rng, bits, signed, shape):
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
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


@pytest.mark.parametrize("name", list(CASES))
def test_mvu(name, tmp_path):
    mw, mh, pe, simd, ib, isg, wb, wsg, mode, vectors = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    xnor = mode.startswith("xnor")
    if xnor:
        w = rng.choice([-1, 1], size=(mw, mh))
        x = rng.choice([-1, 1], size=(vectors, mw))
        acc_bits = (mw).bit_length() + 1
    else:
        w = _rand(rng, wb, wsg, (mw, mh))
        x = _rand(rng, ib, isg, (vectors, mw))
        xmax = max(abs(-(1 << (ib - 1))) if isg else (1 << ib) - 1, 1)
        wmax = max(abs(-(1 << (wb - 1))) if wsg else (1 << wb) - 1, 1)
        acc_bits = (mw * xmax * wmax).bit_length() + 1
    params = {
        "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "IN_BITS": ib, "IN_SIGNED": int(isg),
        "W_BITS": wb, "W_SIGNED": int(wsg), "XNOR": int(xnor), "ACC_BITS": acc_bits,
    }
    wfile = tmp_path / "weights.hex"
    wfile.write_text(_hex_lines(weight_words(w, pe, simd, wb, bipolar=xnor), pe * simd * wb))
    params["WEIGHTS_FILE"] = f'"{wfile}"'
    env = {"NPZ": tmp_path / "case.npz", "SEED": rng.integers(1 << 30)}
    thr = np.zeros((mh, 0), dtype=np.int64)
    out_bits, bias, bipolar_out = acc_bits, 0, False
    if mode.endswith("thr"):
        # thresholds spread over the reachable accumulator range, sorted per channel
        acc = (x @ w) if not xnor else (x @ w + mw) // 2
        n_thr, out_bits, bias, bipolar_out = {
            "xnor_thr": (1, 1, 0, True),
            "thr": (15, 4, -8, False) if ib == 4 else (3, 2, 0, False),
        }[mode if xnor else "thr"]
        lo, hi = int(acc.min()) - 2, int(acc.max()) + 2
        thr = np.sort(rng.integers(lo, hi + 1, size=(mh, n_thr)), axis=1)
        t_bits = acc_bits
        tfile = tmp_path / "thresholds.hex"
        tfile.write_text(_hex_lines([int(v) for v in encode(thr.reshape(-1), t_bits)], t_bits))
        params.update({"USE_THRESHOLDS": 1, "N": n_thr, "T_BITS": t_bits, "OUT_BITS": out_bits,
                       "BIAS": bias, "OUT_BIPOLAR": int(bipolar_out),
                       "THRESHOLDS_FILE": f'"{tfile}"'})
    np.savez(env["NPZ"], w=w, x=x, thr=thr, cfg=np.array(
        [mw, mh, pe, simd, ib, int(isg), int(xnor), acc_bits, out_bits, bias, int(bipolar_out),
         int(mode.endswith("thr")), vectors]))
    src = [rtl_dir() / "fx_mvu.sv"]
    lint(src, "fx_mvu", params)
    simulate(src, "fx_mvu", "mvu_cocotb", HERE, tmp_path / "build", params, extra_env=env)


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
