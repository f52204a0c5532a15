"""
finn-build wall time, end to end, as a user runs it:

    python benchmarks/build.py                 # cnv_1w1a at 1e4 fps, 3 runs
    python benchmarks/build.py --model tfc_2w2a --fps 1e5 --repeat 5

Each run is a fresh `finn-build` process (`python -m finn_xdsl.tools.finn_build`, so the
interpreter start-up and imports count) without --verify, into a temporary folder. Prints
every run's wall and CPU time (its child processes included), the median wall time, and the per-stage seconds of the last run (from its
progress lines). Target (issue 6): cnv_1w1a ≤ 15 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 15.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--model", default="cnv_1w1a")
    p.add_argument("--fps", default="1e4")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    model = ROOT / "tests" / "data" / f"{args.model}_ts_clean.onnx"
    times, cpus, err = [], [], ""
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="finn_build_bench_") as tmp:
            start = time.perf_counter()
            cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(
                [sys.executable, "-m", "finn_xdsl.tools.finn_build", str(model), "-o", f"{tmp}/build",
                 "--target-fps", args.fps], check=False, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime)
            err = proc.stderr
            if proc.returncode != 0:
                sys.exit(f"finn-build failed: {err.strip().splitlines()[-1]}")
    for i, (t, c) in enumerate(zip(times, cpus)):
        print(f"run {i + 1}: {t:.2f} s wall, {c:.2f} s CPU (the machine's load shows as wall > CPU)")
    med = statistics.median(times)
    verdict = "ok" if args.model != "cnv_1w1a" or med <= TARGET_S else f"ABOVE the {TARGET_S:g} s target"
    print(f"finn-build {args.model} @ {args.fps} fps without --verify: median {med:.2f} s ({verdict})")
    print("stages of the last run:")
    for line in err.splitlines():
        if line.startswith("✓"):
            print("  " + line[1:].strip())


if __name__ == "__main__":
    main()
