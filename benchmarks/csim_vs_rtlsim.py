"""
C-simulation against RTL simulation of whole designs, in one command:

    python benchmarks/csim_vs_rtlsim.py                    # cnv_1w1a and tfc_2w2a at 1e4 fps
    python benchmarks/csim_vs_rtlsim.py --frames 200 --models tfc_2w2a --keep-cache

For each model, the same N partition-input frames (the sample image, then random ones)
go through
- C-sim: the prefer=hls lowering (to-folded{prefer=hls}, then finn-build's insert-dwc,
  insert-fifos, size-fifos, lower-to-hw; every layer but FIFOs HLS), `-t hls`, then
  finn_xdsl.verify.csim_design: one g++ program of all layers. Printed: the g++ compile
  (cold, fresh folder) and the run of all N frames (process start to exit), frames/s;
- RTL-sim: the same lowering with prefer=rtl (every layer but FIFOs RTL), `-t sv`, then
  the whole-design cocotb + Verilator simulation of finn_design
  (design_sim.simulate_design) at full rate.
  Printed: the Verilator build (verilate + C++ compile + a 1-frame run; cold unless
  --keep-cache), a 1-frame and the N-frame simulation with the build cached, the
  simulation rate (N - 1) / (N-frame time - 1-frame time), i.e. without the simulator's
  start-up, and the simulated cycles per frame.
Both check every output beat against the interpreter (not timed). Lowering and building
are not timed either. The Verilator build normally goes to ~/.cache/finn_xdsl/rtlsim (or
$FINN_XDSL_CACHE) and is reused across runs, its object files through sccache when
installed; by default this script points $FINN_XDSL_CACHE at a temporary folder and sets
FINN_XDSL_NO_CCACHE=1 so that the build time printed is a cold one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MODELS = ["cnv_1w1a", "tfc_2w2a"]
FRAMES = {"cnv_1w1a": 50, "tfc_2w2a": 100}
FPS = 10000


def frames_for(module, model: str, n: int) -> list:
    import numpy as np

    from finn_xdsl.sim.host import split_host

    split = split_host(module)
    x = np.load(DATA / f"{model}_input.npy").astype(np.float32)
    rng = np.random.default_rng(0)
    xs = [x] + [rng.uniform(0, 1, x.shape).astype(np.float32) for _ in range(n - 1)]
    return [split.run_pre([v])[0] for v in xs]


def lower(model: str, impl: str):
    """to-folded{prefer=impl} and the rest of finn-build's pipeline (insert-dwc,
    insert-fifos, size-fifos, lower-to-hw), then impl on every layer but FIFOs and reshape
    wires: specialize and insert-dwc may still pick the other style for a layer (DWCs by
    FINN's rule), and a whole-design simulation needs all layers in one backend."""
    from finn_xdsl.dialects import dataflow as df
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes import get_all_passes
    from finn_xdsl.passes.to_folded import ToFoldedPass
    from finn_xdsl.sim.host import the_partition

    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ctx = make_context()
    ToFoldedPass(target_fps=FPS, prefer=impl).apply(ctx, module)
    for name in ("insert-dwc", "insert-fifos", "size-fifos", "lower-to-hw"):
        get_all_passes()[name]()().apply(ctx, module)
    for op in the_partition(module).layers():
        if not isinstance(op, df.FIFOOp | df.ReshapeOp):
            op.set_values(impl=impl)
    return ctx, module


def csim_side(model: str, n: int, work: Path) -> dict[str, float]:
    from finn_xdsl.backends.hls import emit_hls
    from finn_xdsl.verify.csim_design import build_csim, simulate_csim

    _, module = lower(model, "hls")
    emit_hls(module, work / "hls")
    _, compile_s = build_csim(module, work / "hls", work / "csim")
    res = simulate_csim(module, work / "hls", work / "csim", frames_for(module, model, n))
    return {"compile": compile_s, "run": res.run_seconds, "fps": res.frames_per_second}


def rtlsim_side(model: str, n: int, work: Path) -> dict[str, float]:
    import io

    from finn_xdsl.backends import get_all_targets
    from finn_xdsl.verify.design_sim import simulate_design

    ctx, module = lower(model, "rtl")
    get_all_targets()["sv"]()(dir=str(work / "rtl")).emit(ctx, module, io.StringIO())
    frames = frames_for(module, model, n)

    def timed(frames_: list, folder: str):
        start = time.perf_counter()
        res = simulate_design(module, work / "rtl", work / folder, frames_)
        return time.perf_counter() - start, res

    build_s, _ = timed(frames[:1], "cold")  # verilate + compile + 1 frame
    one_s, _ = timed(frames[:1], "one")  # cached: simulator start-up + 1 frame
    sim_s, res = timed(frames, "all")
    # frames/s of the simulation itself: the N-frame run beyond the 1-frame one
    return {"build": build_s, "start": one_s, "sim": sim_s, "fps": (n - 1) / (sim_s - one_s),
            "cycles": res.steady_cycles}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--models", nargs="*", default=MODELS)
    ap.add_argument("--frames", type=int, help="frames per model (default: cnv 50, tfc 100)")
    ap.add_argument("--keep-cache", action="store_true",
                    help="use the usual Verilator build cache (a warm build time if the design was built before)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="csim_vs_rtlsim_") as tmp:
        if not args.keep_cache:
            os.environ["FINN_XDSL_CACHE"] = str(Path(tmp) / "cache")
            os.environ["FINN_XDSL_NO_CCACHE"] = "1"  # sccache would make the "cold" build warm
        print(f"whole-design simulation at {FPS:g} fps: C-sim (prefer=hls) vs RTL-sim (prefer=rtl); seconds\n")
        print(f"{'model':10} {'N':>5} | {'g++':>7} {'run':>7} {'frames/s':>9} | {'verilate':>8} {'1 frame':>7} "
              f"{'sim':>7} {'frames/s':>9} {'cyc/frame':>9} | {'speed-up':>8}")
        for model in args.models:
            n = args.frames or FRAMES.get(model, 50)
            c = csim_side(model, n, Path(tmp) / model / "csim")
            r = rtlsim_side(model, n, Path(tmp) / model / "rtl")
            print(f"{model:10} {n:5d} | {c['compile']:7.1f} {c['run']:7.2f} {c['fps']:9.1f} | {r['build']:8.1f} "
                  f"{r['start']:7.1f} {r['sim']:7.1f} {r['fps']:9.1f} {r['cycles']:9.0f} | {c['fps'] / r['fps']:7.1f}x", flush=True)
    print("\ng++ = cold compile of all layers in one program; run = the executable over N frames (start to exit)")
    print("verilate = Verilator build + a 1-frame run; 1 frame / sim = 1 and N frames with the build cached;")
    print("RTL frames/s = (N - 1) / (sim - 1 frame): the simulation rate without the simulator start-up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
