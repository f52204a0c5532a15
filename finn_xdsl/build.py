"""
finn-build's flow as a Python API: one call from a QONNX model to a build folder.

    from finn_xdsl.build import build
    result = build("model.onnx", "out", target_fps=10000, prefer="rtl", verify=True)

Stages (each a pass pipeline on one module; the IR after each goes to intermediate/):

    import -> to-folded{target-fps clock-ns prefer fpgapart} | apply-folding{file}
           -> insert-dwc -> insert-fifos -> size-fifos -> lower-to-hw

then the targets write the folder:

    intermediate/NN_<stage>.mlir   IR after each stage, constants elided (for reading)
    intermediate/final.mlir        the full final IR (reload with finn-opt, -t sv etc.)
    rtl/                           -t sv: wrappers of the impl="rtl" layers, library files,
                                   finn_design.sv
    hls/                           -t hls (only when some layer is impl="hls"): per-layer
                                   top functions, parameters and vitis_hls scripts
    vivado/                        -t tcl: make_project.tcl, synth_ooc.tcl, ...
    report/                        -t report estimates, folding_config.json (the folding:
                                   --folding takes it back), final_hw_config.json (with
                                   the FIFO depths, as FINN writes it), and the verification
                                   reports (rtlsim_performance.json, layer_verification.json,
                                   csim_performance.json)
    driver/                        -t driver: driver.py + packing.py
    sim/                           whole-design cocotb bench: design_case.json, run_sim.py
                                   (only when every layer is RTL: otherwise the stitched
                                   design needs the Vitis-generated HLS Verilog to simulate)

`prefer` ("rtl" | "hls" | "finn") is the backend each layer is realised in (specialize:
our RTL or our HLS library wherever it implements the layer, or FINN's own choice);
`build_info.json` records it and which layers ended up in which.

The folder is built in a temporary sibling directory and renamed into place only when
every stage and target succeeded, so an error leaves nothing half-written (and an older
build folder untouched). Verification runs on the finished folder: when it fails (beats
differ, or throughput below the bound) the complete build stays in place, with the
report, and the error says so. Same inputs give byte-identical files.

Verification inputs: the model's sample input (`--input`, else `<model>_input.npy` beside
the model) and `n_random` random inputs drawn in the sample's value range. With `verify`,
the interpreter's output of the built IR must equal that of the imported model on each, and
- every layer RTL: the inputs go through the host pre-part, the whole-design RTL
  simulation and the host post-part; the simulated output beats must equal the
  interpreter's bit for bit, and the measured steady-state cycles per frame must stay
  within 3 % of the slowest layer's analytic cycles (report/rtlsim_performance.json);
- some layer HLS: without Vitis the stitched design cannot be simulated, so each layer is
  checked on its own, on the beats the interpreter records at its ports for all inputs:
  HLS layers by g++ C-simulation of their generated top function, RTL layers by Verilator;
  bit-exact, no cycle bound (C-simulation has no cycles); report/layer_verification.json.
With `csim` (independent of `verify`), the whole dataflow graph is C-simulated over all
inputs and checked bit-exact (every layer but FIFOs must be HLS); report/csim_performance.json.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.errors import FinnError

STEADY_STATE_BOUND = 1.03  # measured cycles/frame <= this × the analytic max layer cycles
DEFAULT_TARGET_FPS = 10_000
MARKER = "build_info.json"  # written into every build folder; overwriting needs it
IMPLS = ("rtl", "hls", "finn")  # `prefer`: our RTL, our HLS, FINN's SpecializeLayers choice

Progress = Callable[[str, str, float], None]  # (stage, "start" | "done", seconds)


@dataclass
class BuildResult:
    """What a build produced: its folder, per-stage seconds and, with verify, the measurements."""

    out_dir: Path
    stage_seconds: dict[str, float] = field(default_factory=dict)
    max_cycles: int = 0
    max_cycles_node: str = ""
    hls_layers: list[str] = field(default_factory=list)  # node names, graph order
    rtl_layers: list[str] = field(default_factory=list)
    performance: dict[str, float | int] | None = None  # whole-design RTL simulation
    layer_verification: dict[str, Any] | None = None  # layer-by-layer check (some layer HLS)
    csim: dict[str, float | int] | None = None  # whole-graph C-simulation


def _fold_passes(target_fps: float | None, folding: str | None, clock_ns: float, part: str,
                 prefer: str) -> tuple[str, list[ModulePass]]:
    """The folding stage: to-folded at the target, or FINN's order around apply-folding.
    Passes are built as objects, not spec strings, so no option value needs quoting."""
    from finn_xdsl.passes.minimize_bitwidths import MinimizeBitwidthsPass
    from finn_xdsl.passes.specialize import SpecializePass
    from finn_xdsl.passes.to_dataflow import ToDataflowPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    if folding is not None:
        from finn_xdsl.passes.apply_folding import ApplyFoldingPass

        if not os.path.isfile(folding):
            raise FinnError(f"{folding}: no such folding file")
        try:
            json.loads(Path(folding).read_text())
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise FinnError(f"{folding}: not a JSON folding configuration ({e})") from None
        return "apply_folding", [ToDataflowPass(), SpecializePass(prefer=prefer, fpgapart=part),
                                 ApplyFoldingPass(file=os.path.abspath(folding), prefer=prefer),
                                 MinimizeBitwidthsPass()]
    fps = DEFAULT_TARGET_FPS if target_fps is None else target_fps
    if not fps > 0:
        raise FinnError(f"target fps must be positive, got {target_fps}")
    return "to_folded", [ToFoldedPass(target_fps=fps, clock_ns=clock_ns, prefer=prefer, fpgapart=part)]


def _registered(name: str) -> list[ModulePass]:
    """A pass of the registry with its default options."""
    from finn_xdsl.passes import get_all_passes

    return [get_all_passes()[name]()()]


def sample_input_path(model: Path) -> Path | None:
    """`<stem>_input.npy` beside the model (BNN-PYNQ names: tfc_2w2a_ts_clean.onnx -> tfc_2w2a_input.npy)."""
    stem = model.stem
    for s in (stem, re.sub(r"_ts_(clean|raw)$", "", stem)):
        p = model.with_name(f"{s}_input.npy")
        if p.is_file():
            return p
    return None


def _load_sample(path: Path | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """The sample input, reshaped to the model's input shape (FinnError if it cannot be)."""
    if path is None:
        return None
    try:
        x = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise FinnError(f"{path}: not a numpy .npy file ({e})") from None
    if not isinstance(x, np.ndarray) or x.size != int(np.prod(shape)):
        raise FinnError(f"{path}: holds {getattr(x, 'shape', '?')}; the model's input is {list(shape)}")
    return x.reshape(shape)


def verification_inputs(shape: tuple[int, ...], sample: np.ndarray | None, n_random: int,
                        seed: int) -> list[np.ndarray]:
    """The sample (if any) then n_random inputs uniform over the sample's value range
    (integers if the sample holds integers), or over [0, 1] without a sample."""
    rng = np.random.default_rng(seed)
    lo, hi = (float(sample.min()), float(sample.max())) if sample is not None else (0.0, 1.0)
    integral = sample is not None and bool(np.all(sample == np.round(sample)))
    out = [] if sample is None else [sample.astype(np.float32).reshape(shape)]
    for _ in range(n_random):
        x = rng.uniform(lo, hi, shape)
        out.append((np.round(x) if integral else x).astype(np.float32))
    return out


def _write_ir(path: Path, module: ModuleOp, full: bool = False) -> None:
    from finn_xdsl.utils.printing import print_elided

    if full:
        from xdsl.printer import Printer

        with open(path, "w", newline="\n") as f:
            Printer(stream=f).print_op(module)
            f.write("\n")
    else:
        path.write_text(print_elided(module) + "\n")


def _emit(ctx: Context, module: ModuleOp, target: str, log: list[str], **options: object) -> None:
    """Run a registered target (options by field name), its summary into the build log."""
    import io

    from finn_xdsl.backends import get_all_targets

    out = io.StringIO()
    get_all_targets()[target]()(**options).emit(ctx, module, out)
    log.append(out.getvalue())


def write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2) + "\n")


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    if out_dir.exists():
        if not (out_dir / MARKER).is_file() and any(out_dir.iterdir()):
            raise FinnError(f"{out_dir}: exists and is not a finn-build folder; choose another -o")
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.replace(out_dir, old / "build")
        os.replace(tmp, out_dir)
        shutil.rmtree(old)
    else:
        os.replace(tmp, out_dir)

def _csim_blocker(module: ModuleOp) -> str | None:
    """The first layer whole-graph C-simulation cannot run: an RTL layer other than a FIFO
    (which is just the stream between two C++ calls); wires (impl "") pass through."""
    from finn_xdsl.dialects.dataflow import FIFOOp
    from finn_xdsl.sim.host import the_partition

    return next((op.display_name for op in the_partition(module).layers()
                 if op.impl.data == "rtl" and not isinstance(op, FIFOOp)), None)


def _emit_hls(module: ModuleOp, hls_dir: Path, clock_ns: float, part: str, log: list[str]) -> list[Any]:
    """-t hls into hls_dir, keeping the HlsLayer records (their ports and folders) that the
    layer-by-layer C-simulation needs; the summary goes into the build log."""
    from finn_xdsl.backends.hls import emit_hls

    layers = list(emit_hls(module, hls_dir, clock_ns=clock_ns, fpgapart=part))
    log.append(f"hls: {len(layers)} layer top functions -> {hls_dir}\n")
    for layer in layers:
        ports = ", ".join(f"{n} {w}b" for n, w in (*layer.inputs, *layer.outputs))
        log.append(f"  {layer.name}.cpp: {ports}\n")
    return layers


def build(
    model: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    target_fps: float | None = None,
    folding: str | None = None,
    board: str | None = None,
    clock_ns: float | None = None,
    prefer: str = "rtl",
    verify: bool = False,
    csim: bool = False,
    input_npy: str | None = None,
    n_random: int = 3,
    seed: int = 0,
    progress: Progress | None = None,
) -> BuildResult:
    """Build `model` into `out_dir` (see the module docstring). Errors are FinnErrors.
    `prefer`: "rtl" | "hls" | "finn" (each layer's backend); `verify`: check the design
    against the interpreter (whole-design RTL simulation, or layer by layer when some layer
    is HLS); `csim`: whole-graph C-simulation (every layer but FIFOs HLS)."""
    from finn_xdsl.backends.folding_config import folding_config
    from finn_xdsl.boards import DEFAULT_BOARD, DEFAULT_CLK_NS
    from finn_xdsl.boards import board as find_board
    from finn_xdsl.sim.execute import execute
    from finn_xdsl.sim.host import split_host, the_partition
    from finn_xdsl.tools.common import load_module, make_context

    if target_fps is not None and folding is not None:
        raise FinnError("give either a target fps or a folding file, not both")
    if prefer not in IMPLS:
        raise FinnError(f"unknown implementation '{prefer}'; expected one of {', '.join(IMPLS)}")
    b = find_board(board or DEFAULT_BOARD)
    clk = DEFAULT_CLK_NS if clock_ns is None else float(clock_ns)
    if not clk > 0:
        raise FinnError(f"clock period must be positive, got {clock_ns} ns")
    model = Path(model)
    out_dir = Path(out_dir).resolve()
    fold_name, fold_passes = _fold_passes(target_fps, folding, clk, b.part, prefer)
    sample_path = Path(input_npy) if input_npy else sample_input_path(model)
    if input_npy and not sample_path.is_file():  # type: ignore[union-attr]
        raise FinnError(f"{input_npy}: no such file")
    note = progress or (lambda stage, event, seconds: None)
    result = BuildResult(out_dir)
    ctx = make_context()

    def stage(name: str, run: Callable[[], None]) -> None:
        note(name, "start", 0.0)
        t = time.perf_counter()
        run()
        result.stage_seconds[name] = time.perf_counter() - t
        note(name, "done", result.stage_seconds[name])

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        inter = tmp / "intermediate"
        inter.mkdir()
        holder: dict[str, Any] = {}

        def do_import() -> None:
            holder["module"] = load_module(str(model), ctx)
            if verify:  # the reference the built IR must agree with
                holder["imported"] = holder["module"].clone()

        stage("import", do_import)
        module = holder["module"]
        pipeline = [(fold_name, fold_passes)] + [
            (p.replace("-", "_"), _registered(p)) for p in ("insert-dwc", "insert-fifos", "size-fifos", "lower-to-hw")
        ]
        ir_seconds = 0.0

        def write_stage_ir(path: Path) -> None:
            nonlocal ir_seconds
            t = time.perf_counter()
            _write_ir(path, module)
            ir_seconds += time.perf_counter() - t

        write_stage_ir(inter / "00_import.mlir")
        for i, (name, passes) in enumerate(pipeline, 1):

            def run(passes: list[ModulePass] = passes) -> None:
                for p in passes:
                    p.apply(ctx, module)

            stage(name, run)
            write_stage_ir(inter / f"{i:02d}_{name}.mlir")
            if name == "insert_dwc":  # the folding alone, before FIFOs: what --folding takes back
                holder["folding"] = folding_config(module)
        layers = the_partition(module).layers()
        result.hls_layers = [op.display_name for op in layers if op.impl.data == "hls"]
        result.rtl_layers = [op.display_name for op in layers if op.impl.data == "rtl"]
        if csim and (blocker := _csim_blocker(module)) is not None:
            raise FinnError(f"--csim simulates HLS layers only, but {blocker} is RTL; "
                            "build with --impl hls (or set its preferred_impl_style to hls)")
        log: list[str] = []

        def targets() -> None:
            tcl: dict[str, object] = {}
            if result.hls_layers:  # -t tcl's block design instantiates their exported IP
                holder["hls"] = _emit_hls(module, tmp / "hls", clk, b.part, log)
                tcl["hls_dir"] = str(tmp / "hls")
            _emit(ctx, module, "sv", log, dir=str(tmp / "rtl"))
            _emit(ctx, module, "tcl", log, dir=str(tmp / "vivado"), rtl_dir=str(tmp / "rtl"),
                  fpgapart=b.part, clock_ns=clk, **tcl)
            _emit(ctx, module, "report", log, dir=str(tmp / "report"), clock_ns=clk, fpgapart=b.part)
            write_json(tmp / "report" / "folding_config.json", holder.get("folding") or folding_config(module))
            write_json(tmp / "report" / "final_hw_config.json", folding_config(module))
            _emit(ctx, module, "driver", log, dir=str(tmp / "driver"))

        stage("targets", targets)

        from finn_xdsl.backends.tcl_check import check_tcl

        stage("tcl_check", lambda: check_tcl(tmp / "vivado"))
        split = split_host(module)
        from finn_xdsl.sim.design_sim import write_bench

        shape = execute_shape(module)
        xs = verification_inputs(shape, _load_sample(sample_path, shape), n_random, seed)
        if not result.hls_layers:  # with HLS layers the stitched design needs Vitis's Verilog
            stage("sim_bench", lambda: write_bench(module, tmp / "sim", [split.run_pre([x])[0] for x in xs], clk))
        layer_cycles = [(op.display_name, op.cycles()) for op in layers]
        result.max_cycles_node, result.max_cycles = max(layer_cycles, key=lambda t: t[1])
        stage("final_ir", lambda: _write_ir(inter / "final.mlir", module, full=True))
        result.stage_seconds["stage_ir"] = ir_seconds  # the elided IR after each stage
        info = {
            "model": model.name, "target_fps": None if folding else (target_fps or DEFAULT_TARGET_FPS),
            "folding": Path(folding).name if folding else None, "board": b.name, "fpgapart": b.part,
            "clock_ns": clk, "impl": prefer, "hls_layers": result.hls_layers, "rtl_layers": result.rtl_layers,
            "max_cycles": result.max_cycles, "max_cycles_node_name": result.max_cycles_node,
            "stages": [name for name, _ in pipeline], "inputs": len(xs),
        }
        (tmp / MARKER).write_text(json.dumps(info, indent=2) + "\n")
        # the targets print where they wrote: paths relative to the folder, not the temp dir
        (tmp / "build.log").write_text("".join(log).replace(str(tmp) + os.sep, ""))
        _move_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not (verify or csim):
        return result
    from finn_xdsl.backends.report import write_json_atomic

    report = out_dir / "report"
    kept = f"build kept in {out_dir}"
    # the -t hls records, pointing into the finished folder instead of the temporary one
    hls_layers = [replace(layer, directory=out_dir / layer.directory.relative_to(tmp))
                  for layer in holder.get("hls", [])]

    def check_ir() -> None:
        """The built IR computes what the imported model computes, on every input."""
        for k, x in enumerate(xs):
            want = execute(holder["imported"], [x])
            pre = split.run_pre([x])
            got = split.run_post(split.run_partition(pre[: split.n_inputs]), pre)
            for name in want:
                if not np.array_equal(want[name], got[name]):
                    raise FinnError(f"verify: output '{name}' of input {k} differs between the imported "
                                    f"model and the built design's IR ({kept})")

    def verify_whole() -> None:
        from finn_xdsl.sim.design_sim import run_case

        sim = run_case(out_dir / "rtl", out_dir / "sim" / "design_case.json")
        perf = sim.performance(clk)
        result.performance = perf
        write_json_atomic(str(report / "rtlsim_performance.json"), perf)
        check_ir()
        bound = STEADY_STATE_BOUND * result.max_cycles
        if sim.steady_cycles > bound:
            raise FinnError(
                f"verify: bit-exact, but {sim.steady_cycles:g} cycles/frame measured > {STEADY_STATE_BOUND} × "
                f"{result.max_cycles} (slowest layer {result.max_cycles_node}); {kept}"
            )

    def verify_by_layer() -> None:
        from finn_xdsl.sim.layer_verify import verify_layers

        check_ir()
        summary = verify_layers(module, out_dir, hls_layers, xs, seed)
        result.layer_verification = summary
        write_json_atomic(str(report / "layer_verification.json"), summary)
        bad = [(name, entry) for name, entry in summary["layers"].items() if not entry["ok"]]
        if bad:
            name, entry = bad[0]
            raise FinnError(f"verify: {len(bad)} of {len(summary['layers'])} layers differ from the interpreter; "
                            f"first {name} ({entry['method']}): {entry['error']} ({kept}; "
                            "report/layer_verification.json)")

    def run_csim() -> None:
        from finn_xdsl.sim.csim_design import simulate_csim
        from finn_xdsl.sim.layer_verify import cache_entry, prune_cache

        # a copy of hls/ in the cache (see layer_verify.cache_entry): an unchanged design is not recompiled
        entry = cache_entry("csim_design", "", [f for f in (out_dir / "hls").glob("*/*") if f.is_file()])
        prune_cache({entry})
        with open(entry / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                res = simulate_csim(module, entry / "src", entry / "build", [split.run_pre([x])[0] for x in xs])
            except FinnError as e:
                raise FinnError(f"csim: {e} ({kept})") from None
        result.csim = {"frames": res.frames, "frames_per_second": res.frames_per_second,
                       "compile_seconds": res.compile_seconds, "run_seconds": res.run_seconds}
        write_json_atomic(str(report / "csim_performance.json"), result.csim)

    if verify:
        stage("verify", verify_by_layer if result.hls_layers else verify_whole)
    if csim:
        stage("csim", run_csim)
    return result

def execute_shape(module: ModuleOp) -> tuple[int, ...]:
    """The shape of @main's (first) input."""
    from finn_xdsl.sim.execute import entry_function

    return tuple(entry_function(module).function_type.inputs.data[0].get_shape())  # type: ignore[attr-defined]
