"""
Is any combinational path of a generated MVU through more than one DSP48? Read off the
netlist, not trusted from the RTL:

    python benchmarks/dsp_chains.py [--jobs N] [--no-cache]

Synthesises (benchmarks/yosys_synth.py, with `dsp_paths`) fx_mvu at the parameters `-t sv`
gives FINN's two MVU anchors (benchmarks/rtl_area.py) and at every configuration of its fit
grid (benchmarks/rtl_fit/fx_mvu.py: 4 x 4-bit, 3 x 6-bit, 3 x 3-bit, 2 x 8-bit and 1 x 16-bit
DSP lanes, 1-4 SIMD segments, thresholds, embedded weights, and the LUT engine's cases,
which must show no DSP at all), and prints per design the DSP48E1 count, how many have
their output register PREG off, and the most DSPs on one combinational path (flip-flops,
memories and PREG'd DSPs end a path). Exit status 1 when some path passes through more than
one DSP, or a synthesis fails.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from rtl_area import mvu_rows
from rtl_estimates import grids
from yosys_synth import SynthError, module_design, synthesise_many


def designs() -> list[tuple[str, object]]:
    out = [(row.key, row.design) for row in mvu_rows() if row.module == "fx_mvu"]
    for label, params, files in grids(["fx_mvu"])["fx_mvu"]:
        out.append((label, replace(module_design("fx_mvu", params, files), dsp_paths=True)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=1, help="Yosys runs at a time (default 1)")
    ap.add_argument("--no-cache", action="store_true", help="synthesise again even if the result is cached")
    args = ap.parse_args(argv)
    sel = designs()

    def progress(i, r):
        what = f"failed: {r}" if isinstance(r, Exception) else f"{r['seconds']:.1f} s{' (cached)' if r['cached'] else ''}"
        print(f"  {i + 1}/{len(sel)} {sel[i][0]}: {what}", file=sys.stderr, flush=True)

    results = synthesise_many([d for _, d in sel], args.jobs, 900, not args.no_cache, progress)
    status = 0
    print(f"{'design':30s} {'DSP':>5s} {'no PREG':>8s} {'DSPs on a path':>15s}")
    for (label, _), r in zip(sel, results):
        if isinstance(r, SynthError):
            print(f"{label:30s} synthesis failed: {r}")
            status = 1
            continue
        bad = r["DSP_path"] > 1
        status |= bad
        print(f"{label:30s} {r['DSP']:5d} {r['DSP_noPREG']:8d} {r['DSP_path']:15d}{'  FAIL' if bad else ''}")
    return status


if __name__ == "__main__":
    sys.exit(main())
