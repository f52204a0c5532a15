"""
finn-xdsl performance figures, in one command:

    python benchmarks/run.py            # all figures
    python benchmarks/run.py --repeat 5 # more repetitions (medians are printed)
    python benchmarks/run.py --csim     # then also csim_vs_rtlsim.py (C-sim vs RTL-sim, minutes)

For the TFC and CNV models: ONNX import (qonnx cleanup + IR construction + verification),
printing (custom and generic form), parsing the printed text back, one reference
execution, and the peak resident memory of a process that does all of that. Each model is
measured in a fresh child process so that peak memory belongs to that model alone. Then
the start-up time of `finn-opt --help` and of a whole `finn-opt model.onnx` run.

Targets: CNV import <= 5 s, `finn-opt --help` <= 1.5 s (issue 2), `to-dataflow` on CNV
<= 15 s (issue 3), on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MODELS = ["tfc_2w2a_ts_raw", "tfc_2w2a_ts_clean", "cnv_2w2a_ts_raw", "cnv_2w2a_ts_clean"]
TARGETS = {"cnv import": 5.0, "finn-opt --help": 1.5, "cnv to-dataflow": 15.0}


def measure_model(name: str, repeat: int) -> dict[str, float]:
    """Runs in the child process: time each stage `repeat` times, report medians."""
    import io

    import numpy as np
    from xdsl.printer import Printer

    t0 = time.perf_counter()
    from finn_xdsl.frontend.load import make_context, parse_mlir
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.sim.execute import execute

    libs = time.perf_counter() - t0
    path = DATA / f"{name}.onnx"
    x = np.load(DATA / f"{name.split('_ts_')[0]}_input.npy")

    def timed(fn):
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result

    def text(module, generic: bool) -> str:
        out = io.StringIO()
        Printer(stream=out, print_generic_format=generic).print_op(module)
        return out.getvalue()

    from finn_xdsl.passes.to_dataflow import ToDataflowPass

    rows: dict[str, list[float]] = {
        k: [] for k in ("import", "print", "print_generic", "parse", "execute", "to_dataflow", "execute_dataflow")
    }
    first_import, module = timed(lambda: import_onnx(path))
    size = 0
    for _ in range(repeat):
        t, module = timed(lambda: import_onnx(path))
        rows["import"].append(t)
        t, custom = timed(lambda: text(module, False))
        rows["print"].append(t)
        size = len(custom)
        t, _ = timed(lambda: text(module, True))
        rows["print_generic"].append(t)
        ctx = make_context()
        t, _ = timed(lambda: parse_mlir(ctx, custom, name))
        rows["parse"].append(t)
        t, _ = timed(lambda: execute(module, [x]))
        rows["execute"].append(t)
        lowered = module.clone()
        t, _ = timed(lambda: ToDataflowPass().apply(ctx, lowered))
        rows["to_dataflow"].append(t)
        t, _ = timed(lambda: execute(lowered, [x]))
        rows["execute_dataflow"].append(t)
    result = {k: statistics.median(v) for k, v in rows.items()}
    result["first_import_incl_libs"] = libs + first_import
    result["ir_mbytes"] = size / 1e6
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def tool_time(args: list[str], repeat: int) -> float:
    exe = Path(sys.executable).parent / args[0]
    cmd = [str(exe) if exe.exists() else args[0], *args[1:]]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csim", action="store_true", help="also run benchmarks/csim_vs_rtlsim.py")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_model(args.child, args.repeat)))
        return 0

    print(f"finn-xdsl benchmarks (median of {args.repeat}; seconds unless noted)\n")
    header = (
        f"{'model':<20}{'import':>8}{'cold':>8}{'print':>8}{'generic':>9}{'parse':>8}{'exec':>8}"
        f"{'to-df':>8}{'exec-df':>9}{'IR MB':>8}{'peak MB':>9}"
    )
    print(header)
    print("-" * len(header))
    results = {}
    for name in MODELS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, "--repeat", str(args.repeat)],
            check=True, capture_output=True, text=True,
        ).stdout
        r = results[name] = json.loads(out.strip().splitlines()[-1])
        print(
            f"{name:<20}{r['import']:>8.3f}{r['first_import_incl_libs']:>8.3f}{r['print']:>8.3f}"
            f"{r['print_generic']:>9.3f}{r['parse']:>8.3f}{r['execute']:>8.3f}{r['to_dataflow']:>8.3f}"
            f"{r['execute_dataflow']:>9.3f}{r['ir_mbytes']:>8.1f}"
            f"{r['peak_rss_mb']:>9.0f}"
        )
    print("\nimport = qonnx cleanup + IR build + verify (warm); cold = first import incl. library imports")
    print("to-df = the to-dataflow pass pipeline; exec-df = executing the lowered model")

    help_time = tool_time(["finn-opt", "--help"], max(5, args.repeat))
    cnv = DATA / "cnv_2w2a_ts_raw.onnx"
    opt_time = tool_time(["finn-opt", str(cnv), "-o", "/dev/null"], args.repeat)
    print(f"\n{'finn-opt --help':<34}{help_time:>8.3f}")
    print(f"{'finn-opt cnv_2w2a_ts_raw.onnx':<34}{opt_time:>8.3f}")

    cnv_import = max(results[m]["first_import_incl_libs"] for m in MODELS if m.startswith("cnv"))
    cnv_lower = max(results[m]["to_dataflow"] for m in MODELS if m.startswith("cnv"))
    checks = [("cnv import (cold)", cnv_import, TARGETS["cnv import"]),
              ("finn-opt --help", help_time, TARGETS["finn-opt --help"]),
              ("cnv to-dataflow", cnv_lower, TARGETS["cnv to-dataflow"])]
    print()
    ok = True
    for label, value, limit in checks:
        status = "ok" if value <= limit else "OVER TARGET"
        ok &= value <= limit
        print(f"target {label:<22} {value:6.3f} s <= {limit:.1f} s  {status}")
    if args.csim:
        print()
        sys.stdout.flush()
        subprocess.run([sys.executable, str(Path(__file__).with_name("csim_vs_rtlsim.py"))], check=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
