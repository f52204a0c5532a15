"""
Area of a whole design, layer by layer: Yosys on every wrapper `finn-build` generates, summed,
beside the totals of the build's own estimate report.

    python benchmarks/cnv_area.py [--model cnv_1w1a] [--fps 10000] [--prefer rtl]
                                  [--jobs N] [--json OUT.json] [--no-cache]

The model (default tests/data/cnv_1w1a_ts_clean.onnx, CNV-w1a1) is built with
`finn_xdsl.build.build` at the target fps (default 1e4, prefer=rtl, the default board) into a
temporary folder, without verification: the same pipeline finn-build runs (to-folded,
insert-dwc, insert-fifos, size-fifos, lower-to-hw and the targets). The final IR is read
back and every impl="rtl" layer is legalised again; its wrapper must equal the one the build
wrote to rtl/ (checked), and is synthesised out of context with its library and memory files
(benchmarks/yosys_synth.py: read_slang, `synth_xilinx -family xc7 -flatten -noiopad
-noclkbuf`). Layers whose wrappers differ only in their name (FIFOs, DWCs of the same
shape) are synthesised once; results are cached by content, so a rerun with unchanged RTL
takes only the build (~15 s). A cold run synthesises ~40 wrappers: several minutes on two
cores (--jobs 2).

Prints per layer Yosys LUT, LUTRAM, FF, CARRY4, BRAM18, DSP, depth and seconds, then the
report's LUT (our LUT + LUTRAM, or FINN's formula where our module has no model yet: marked
F), BRAM_18K and DSP for that layer and the difference on LUT + LUTRAM; then the totals
with their % differences (issue 12 wants LUT, BRAM18 and DSP within 15 %) and which layers
use DSPs. A layer Yosys fails on is left out of both totals (and the exit status is 1).
--json writes {"layers": {name: {...}}, "total": {...}, "report_total": {...} (the same
layers), "report_total_all": the report's own "total"}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from yosys_synth import SynthError, design_key, synthesise_many, wrapper_design

ROOT = HERE.parent
KEYS = ("LUT", "LUTRAM", "FF", "CARRY4", "BRAM18", "DSP")
CANON = "layer_top"


def canonical(plan):
    """The plan under a fixed name (files renamed with it), so equal layers share a synthesis."""
    ren = {f: f.replace(plan.name, CANON, 1) for f in plan.files}
    return replace(plan, name=CANON, files={ren[f]: t for f, t in plan.files.items()},
                   file_params={k: ren.get(v, v) for k, v in plan.file_params.items()})


def build_design(model: Path, fps: float, prefer: str, out: Path):
    """finn-build into `out`; (final module, report resources, build seconds)."""
    from finn_xdsl.build import build
    from finn_xdsl.frontend.load import load_module, make_context

    t0 = time.perf_counter()
    build(str(model), str(out), target_fps=fps, prefer=prefer)
    seconds = time.perf_counter() - t0
    module = load_module(str(out / "intermediate" / "final.mlir"), make_context())
    report = json.loads((out / "report" / "estimate_layer_resources.json").read_text())
    return module, report, seconds


def plans(module, out: Path) -> list:
    """Every rtl layer's plan (wires skipped), each checked against the wrapper the build wrote."""
    from finn_xdsl.backends.sv import is_rtl, print_wrapper
    from finn_xdsl.dialects import dataflow as df
    from finn_xdsl.kernels import rtl_plan as legalize

    out_plans = []
    for part in module.walk():
        if not isinstance(part, df.PartitionOp):
            continue
        for layer in part.layers():
            if not is_rtl(layer):
                continue
            plan = legalize(layer)
            if not plan.module:
                continue
            built = (out / "rtl" / f"{plan.name}.sv").read_text()
            if print_wrapper(plan) != built:
                sys.exit(f"{plan.name}: the re-legalised wrapper differs from the build's rtl/{plan.name}.sv")
            out_plans.append(plan)
    return out_plans


def pct(ours: float, ref: float) -> str:
    return f"{100 * (ours - ref) / ref:+.0f}%" if ref else ("0%" if ours == 0 else "inf")


def rows_and_totals(sel: list, results: list, report: dict) -> tuple[list[list[str]], dict, dict]:
    head = ["layer", "module", *KEYS, "depth", "s", "| rep LUT", "BRAM", "DSP", "diff L+LR"]
    lines = [head]
    total = dict.fromkeys(KEYS, 0)
    rep_total = {"LUT": 0, "BRAM_18K": 0, "DSP": 0}
    failed = []
    for plan, r in zip(sel, results):
        rep = report.get(plan.name, {})
        mark = "" if str(rep.get("model", "")).startswith("rtl") else " F"
        rep_cols = [f"{rep.get('LUT', '-')}{mark}", str(rep.get("BRAM_18K", "-")), str(rep.get("DSP", "-"))]
        if isinstance(r, SynthError):
            failed.append(plan.name)
            lines.append([plan.name, plan.module, *["-"] * 8, *rep_cols, "synth failed"])
            continue
        for k in rep_total:  # over the layers Yosys measured, so the totals compare
            rep_total[k] += rep.get(k, 0)
        for k in KEYS:
            total[k] += r[k]
        lines.append([plan.name, plan.module, *(str(r[k]) for k in KEYS), str(r["depth"]), f"{r['seconds']:.0f}",
                      *rep_cols, pct(rep.get("LUT", 0), r["LUT"] + r["LUTRAM"])])
    total["failed"] = failed
    return lines, total, rep_total


def print_table(lines: list[list[str]]) -> None:
    widths = [max(len(x[i]) for x in lines) for i in range(len(lines[0]))]
    for n, x in enumerate(lines):
        print("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(x, widths))))
        if n == 0 or n == len(lines) - 2:
            print("  ".join("-" * w for w in widths))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="cnv_1w1a", help="tests/data/<model>_ts_clean.onnx or a path")
    ap.add_argument("--fps", type=float, default=10000)
    ap.add_argument("--prefer", default="rtl", choices=("rtl", "hls", "finn"))
    ap.add_argument("--jobs", type=int, default=1, help="Yosys runs at a time (default 1)")
    ap.add_argument("--json", help="write the per-layer and total numbers here")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args(argv)
    model = Path(args.model)
    if not model.exists():
        model = ROOT / "tests" / "data" / f"{args.model}_ts_clean.onnx"

    with tempfile.TemporaryDirectory(prefix="cnv_area_") as tmp:
        out = Path(tmp) / "build"
        module, report, build_s = build_design(model, args.fps, args.prefer, out)
        sel = plans(module, out)
    print(f"{model.name} at {args.fps:g} fps (prefer={args.prefer}): built in {build_s:.1f} s, "
          f"{len(sel)} rtl wrappers", file=sys.stderr)
    designs = [wrapper_design(canonical(p)) for p in sel]
    keys = [design_key(d) for d in designs]
    unique = list(dict.fromkeys(keys))
    first = {k: keys.index(k) for k in unique}

    def progress(i, r):
        what = f"failed: {r}" if isinstance(r, Exception) else f"{r['seconds']:.1f} s{' (cached)' if r['cached'] else ''}"
        print(f"  {i + 1}/{len(unique)} {sel[first[unique[i]]].name}: {what}", file=sys.stderr, flush=True)

    res = synthesise_many([designs[first[k]] for k in unique], args.jobs, args.timeout, not args.no_cache, progress)
    by_key = dict(zip(unique, res))
    results = [by_key[k] for k in keys]

    lines, total, rep_total = rows_and_totals(sel, results, report)
    area = total["LUT"] + total["LUTRAM"]
    lines.append(["total", f"{len(sel)} layers", *(str(total[k]) for k in KEYS), "", "",
                  str(rep_total["LUT"]), str(rep_total["BRAM_18K"]), str(rep_total["DSP"]), pct(rep_total["LUT"], area)])
    print(f"{model.name} at {args.fps:g} fps, prefer={args.prefer}: Yosys synth_xilinx -family xc7 per wrapper | "
          "the build's report (F: FINN's formula, no model of our module yet)\n")
    print_table(lines)
    if total["failed"]:
        print(f"\nsynthesis failed (left out of both totals): {', '.join(total['failed'])}")
    print(f"\nreport vs Yosys: LUT+LUTRAM {rep_total['LUT']} vs {area} ({pct(rep_total['LUT'], area)}), "
          f"BRAM18 {rep_total['BRAM_18K']} vs {total['BRAM18']} ({pct(rep_total['BRAM_18K'], total['BRAM18'])}), "
          f"DSP {rep_total['DSP']} vs {total['DSP']} ({pct(rep_total['DSP'], total['DSP'])})")
    dsp = [(p.name, r["DSP"]) for p, r in zip(sel, results) if not isinstance(r, Exception) and r["DSP"]]
    print("layers using DSPs: " + (", ".join(f"{n} ({d})" for n, d in dsp) if dsp else "none"))
    if args.json:
        layers = {}
        for p, r in zip(sel, results):
            entry = {"module": p.module, "report": report.get(p.name, {})}
            entry.update({"error": str(r)} if isinstance(r, Exception) else
                         {k: r[k] for k in (*KEYS, "depth", "seconds")})
            layers[p.name] = entry
        Path(args.json).write_text(json.dumps({"model": model.name, "fps": args.fps, "prefer": args.prefer,
                                               "layers": layers, "total": total, "report_total": rep_total,
                                               "report_total_all": report.get("total", {})},
                                              indent=2) + "\n")
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
