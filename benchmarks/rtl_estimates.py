"""
How well the resource models of our rtl/ modules (finn_xdsl/estimates/rtl/<module>.py)
describe Yosys, over each module's fit grid:

    python benchmarks/rtl_estimates.py [MODULE ...] [--jobs N] [--max-error PCT] [--no-cache]

For every benchmarks/rtl_fit/<module>.py (or only the named modules) each case of its
`CASES = [(label, params, files_or_None), ...]` is synthesised as the library module on its
own with those parameters (benchmarks/yosys_synth.py: read_slang, `synth_xilinx -family xc7
-flatten -noiopad -noclkbuf`, cached by content) and compared with
`finn_xdsl.estimates.rtl.module_resources(module, params)` on LUT + LUTRAM. The table has
one line per case (Yosys LUT + LUTRAM, the estimate, the error, and BRAM18 / DSP both ways),
then per module the maximum and mean absolute error. Exit status 1 when some module's maximum
error exceeds --max-error (default 15 %) or a case fails to synthesise (a case whose
estimate is within --abs-luts LUTs of Yosys, default 2, passes whatever its relative error:
on modules of a dozen LUTs one counter bit is more than 15 %), 2 when a grid has
no formula file (its cases are not synthesised). The error is (estimate - Yosys) / Yosys; a case Yosys maps to no LUT at all
counts 0 % if the estimate is 0 too, else 100 %.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from yosys_synth import SynthError, module_design, synthesise_many

FIT = HERE / "rtl_fit"
ABS_LUTS = 2  # an estimate this close to Yosys passes whatever its relative error


def grids(modules: list[str]) -> dict[str, list]:
    """{module: CASES} of every rtl_fit grid present (or of the named modules)."""
    files = sorted(p for p in FIT.glob("fx_*.py"))
    out = {}
    for p in files:
        if modules and p.stem not in modules:
            continue
        spec = importlib.util.spec_from_file_location(f"rtl_fit_{p.stem}", p)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out[p.stem] = list(mod.CASES)
    missing = [m for m in modules if m not in out]
    if missing:
        sys.exit(f"no grid benchmarks/rtl_fit/<module>.py for {', '.join(missing)}")
    return out


def error(est: int, syn: int) -> float:
    if syn == 0:
        return 0.0 if est == 0 else 1.0
    return (est - syn) / syn


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="only these modules (e.g. fx_mvu)")
    ap.add_argument("--jobs", type=int, default=1, help="Yosys runs at a time (default 1)")
    ap.add_argument("--max-error", type=float, default=15.0, help="largest allowed error in %% (default 15)")
    ap.add_argument("--abs-luts", type=int, default=ABS_LUTS,
                    help="an estimate this close to Yosys in LUTs passes whatever its relative error (default 2)")
    ap.add_argument("--no-cache", action="store_true", help="synthesise again even if the result is cached")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per synthesis")
    args = ap.parse_args(argv)

    from finn_xdsl.estimates.rtl import has_model, module_resources

    status = 0
    found = grids(args.modules)
    if not found:
        sys.exit("no grids in benchmarks/rtl_fit/")
    for m in found:
        if not has_model(m):  # nothing to compare: not worth a synthesis
            print(f"{m}: grid of {len(found[m])} cases but no finn_xdsl/estimates/rtl/{m}.py", file=sys.stderr)
            status = 2
    cases = [(m, label, params, files) for m, cs in found.items() if has_model(m) for label, params, files in cs]
    if not cases:
        return status
    # fx_mvu with its DSP path count too (the same synthesis serves benchmarks/dsp_chains.py)
    designs = [replace(module_design(m, params, files), dsp_paths=m == "fx_mvu") for m, _, params, files in cases]

    def progress(i, r):
        what = f"failed: {r}" if isinstance(r, Exception) else f"{r['seconds']:.1f} s{' (cached)' if r['cached'] else ''}"
        print(f"  {i + 1}/{len(cases)} {cases[i][0]} {cases[i][1]}: {what}", file=sys.stderr, flush=True)

    results = synthesise_many(designs, args.jobs, args.timeout, not args.no_cache, progress)
    lines = [["module", "case", "Yosys L+LR", "estimate", "error", "BRAM18 y/e", "DSP y/e"]]
    errs: dict[str, list[float]] = {}  # |relative error|, 0 within --abs-luts LUTs
    loose: dict[str, list[float]] = {}  # |relative error| of every case
    for (m, label, params, _), r in zip(cases, results):
        est = module_resources(m, params)
        if isinstance(r, SynthError):
            lines.append([m, label, "synthesis failed", "", "", "", ""])
            print(f"{m} {label}: {r}", file=sys.stderr)
            status = max(status, 1)
            continue
        syn, e = r["LUT"] + r["LUTRAM"], est["LUT"] + est["LUTRAM"]
        err = error(e, syn)
        errs.setdefault(m, []).append(0.0 if abs(e - syn) <= args.abs_luts else abs(err))
        loose.setdefault(m, []).append(abs(err))
        lines.append([m, label, str(syn), str(e), f"{100 * err:+.1f}%", f"{r['BRAM18']}/{est['BRAM18']}",
                      f"{r['DSP']}/{est['DSP']}"])
    widths = [max(len(x[i]) for x in lines) for i in range(len(lines[0]))]
    for n, x in enumerate(lines):
        print("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(x, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nper module (LUT + LUTRAM, |error|; limit {args.max_error:g} % or {args.abs_luts} LUTs):")
    for m, es in errs.items():
        worst, raw = 100 * max(es), 100 * max(loose[m])
        ok = worst <= args.max_error
        small = f" ({raw:.1f} % counting cases within {args.abs_luts} LUTs)" if raw != worst else ""
        print(f"  {m}: {len(es)} cases, max {worst:.1f} %{small}, mean {100 * sum(loose[m]) / len(es):.1f} %"
              f"{'' if ok else '  FAIL'}")
        if not ok:
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
