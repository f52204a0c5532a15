"""
finn-build: a QONNX model to a complete build folder.

    finn-build MODEL.onnx -o DIR [--target-fps N | --folding FILE] [--board B]
               [--clock-ns T] [--impl rtl|hls|finn] [--verify] [--csim] [--input X.npy]
               [--start-step STAGE] [--stop-step STAGE]

Runs `finn_xdsl.flow.build` with a progress display on stderr (one line per stage with
its time; a spinner while a stage runs when stderr is a terminal). Every error is one
`error:` line and exit code 1 (`run_tool`); a failed build leaves no folder behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from finn_xdsl.boards import BOARDS, DEFAULT_BOARD, DEFAULT_CLK_NS
from finn_xdsl.flow import DEFAULT_TARGET_FPS, PREFER_CHOICES, BuildResult, stage_names
from finn_xdsl.tools.common import run_tool


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="finn-build",
        description="Compile a QONNX model into a streaming FPGA accelerator: SystemVerilog and "
        "HLS C++ layers, Vivado Tcl, estimate reports, a host driver and a whole-design test bench.",
    )
    p.add_argument("model", help="the model: .onnx (QONNX) or .mlir")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the build folder (replaced if it is one)")
    # not an argparse exclusive group: giving both is a user error like any other (one line, exit 1)
    p.add_argument("--target-fps", type=float, metavar="N",
                      help=f"fold for N frames per second (default {DEFAULT_TARGET_FPS})")
    p.add_argument("--folding", metavar="FILE", help="apply a FINN folding configuration JSON instead")
    p.add_argument("--board", default=DEFAULT_BOARD, help=f"target board (default {DEFAULT_BOARD}): "
                   + ", ".join(BOARDS))
    p.add_argument("--clock-ns", type=float, default=DEFAULT_CLK_NS, metavar="T",
                   help=f"clock period in ns (default {DEFAULT_CLK_NS:g})")
    # --prefer: the option's name before issue 7
    p.add_argument("--impl", "--prefer", dest="impl", choices=PREFER_CHOICES, default="rtl",
                   help="the backend of each layer: rtl = our SystemVerilog library wherever it implements "
                   "the layer (all but ChannelwiseOp, GlobalAccPool), hls = our HLS C++ library wherever it "
                   "does (all but StreamingFIFO), finn = FINN's own SpecializeLayers choice; a folding "
                   "file's preferred_impl_style overrides it per layer (default rtl)")
    p.add_argument("--verify", action="store_true",
                   help="check the design bit-exact against the reference on the sample input and random "
                   "inputs: every layer RTL: simulate the stitched design and check its throughput; some "
                   "layer HLS: simulate each layer alone (HLS by g++ C-simulation, RTL by Verilator), "
                   "no cycle check")
    p.add_argument("--csim", action="store_true",
                   help="C-simulate the whole dataflow graph (g++) on the same inputs, bit-exact, and "
                   "measure its frames/s; needs every layer but FIFOs in HLS (--impl hls); "
                   "independent of --verify")
    p.add_argument("--input", metavar="X.npy",
                   help="sample input for --verify / --csim (default: <model>_input.npy)")
    p.add_argument("--random-inputs", type=int, default=3, metavar="K",
                   help="random inputs for --verify / --csim (default 3)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    p.add_argument("--start-step", metavar="STAGE",
                   help="resume the build in DIR at this stage, from the IR it holds (stages: "
                   + ", ".join(stage_names(verify=True, csim=True)) + "; apply_folding instead of "
                   "to_folded with --folding)")
    p.add_argument("--stop-step", metavar="STAGE",
                   help="stop after this stage; DIR keeps the full IR to resume from (--start-step)")
    p.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    return p


class _Display:
    """Stage lines on stderr through rich: a spinner while a stage runs, then its time."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.status = None

    def __call__(self, stage: str, event: str, seconds: float) -> None:
        if event == "start":
            self.status = self.console.status(f"{stage} ...")
            self.status.start()
            return
        if self.status is not None:
            self.status.stop()
            self.status = None
        self.console.print(f"[green]✓[/] {stage:<14} {seconds:7.2f} s")

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()


def run(args: argparse.Namespace) -> int:
    from finn_xdsl.flow import build

    display = _Display()
    try:
        result = build(
            args.model, args.output, target_fps=args.target_fps, folding=args.folding, board=args.board,
            clock_ns=args.clock_ns, prefer=args.impl, verify=args.verify, csim=args.csim, input_npy=args.input,
            n_random=args.random_inputs, seed=args.seed, progress=display, start_step=args.start_step,
            stop_step=args.stop_step,
        )
    finally:
        display.close()
    for line in _summary(result, args.clock_ns):
        display.console.print(line)
    return 0


def _summary(result: BuildResult, clock_ns: float) -> list[str]:
    """What the build made and what its checks measured, a line each."""
    lines = [f"build: {result.out_dir}"]
    if result.max_cycles:
        lines[0] += (f"  (slowest layer {result.max_cycles_node}: {result.max_cycles} cycles, "
                     f"{1e9 / (result.max_cycles * clock_ns):.1f} fps estimated; "
                     f"{len(result.hls_layers)} HLS, {len(result.rtl_layers)} RTL layers)")
    if result.performance is not None:
        perf = result.performance
        lines.append(f"verify: bit-exact on {perf['N']} frames; {perf['steady_state_cycles']:g} cycles/frame "
                     f"measured, latency {perf['latency_cycles']} cycles, "
                     f"{perf['stable_throughput[images/s]']:.1f} fps at {perf['fclk[mhz]']:g} MHz")
    if result.layer_verification is not None:
        methods = [e["method"] for e in result.layer_verification["layers"].values()]
        lines.append(f"verify: bit-exact layer by layer on {result.layer_verification['frames']} frames "
                     f"({methods.count('csim')} C-simulated, {methods.count('rtlsim')} RTL-simulated); "
                     "no cycle check: C-simulation has no cycles")
    if result.csim is not None:
        cs = result.csim
        lines.append(f"csim: bit-exact on {cs['frames']} frames through the whole graph; "
                     f"{cs['frames_per_second']:.1f} frames/s simulated (compile {cs['compile_seconds']:.1f} s)")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    sys.exit(run_tool(lambda: run(args), args.debug))


if __name__ == "__main__":
    main()
