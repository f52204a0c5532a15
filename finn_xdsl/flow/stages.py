"""
The stages that build the folder: import, the pass pipeline (folding, DWCs, FIFOs and their
sizes, the hw level), the targets, the Tcl check, the test bench and the final IR. Each is
a plain function on the BuildState; `default_steps` in flow.runner lists them in order.

The folder's layout:

    intermediate/NN_<stage>.mlir   IR after each pipeline stage, constants elided (for reading)
    intermediate/final.mlir        the full final IR (reload with finn-opt, -t sv etc.; a
                                   build resumes from it)
    rtl/                           -t sv: wrappers of the impl="rtl" layers, library files,
                                   finn_design.sv
    hls/                           -t hls (only when some layer is impl="hls"): per-layer
                                   top functions, parameters and vitis_hls scripts
    vivado/                        -t tcl: make_project.tcl, synth_ooc.tcl, ...
    report/                        -t report estimates, folding_config.json (the folding:
                                   --folding takes it back), final_hw_config.json (with
                                   the FIFO depths, as FINN writes it), time_per_step.json
                                   and the verification reports
    driver/                        -t driver: driver.py + packing.py
    sim/                           whole-design cocotb bench: design_case.json, run_sim.py
                                   (only when every layer is RTL: otherwise the stitched
                                   design needs the Vitis-generated HLS Verilog to simulate)
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from finn_xdsl.errors import FinnError
from finn_xdsl.flow.state import BuildState


def write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2) + "\n")


def write_ir(path: Path, module: ModuleOp, full: bool = False) -> None:
    """The IR as text: elided constants for reading, or `full` to be parsed back."""
    from finn_xdsl.utils.printing import print_elided

    path.parent.mkdir(parents=True, exist_ok=True)
    if full:
        from xdsl.printer import Printer

        with open(path, "w", newline="\n") as f:
            Printer(stream=f).print_op(module)
            f.write("\n")
    else:
        path.write_text(print_elided(module) + "\n")


def import_model(state: BuildState) -> None:
    from finn_xdsl.frontend.load import load_module

    state.module = load_module(str(state.config.model), state.ctx)
    if state.config.verify:  # the reference the built IR must agree with
        state.reference = state.module.clone()


def _fold_passes(state: BuildState) -> list[ModulePass]:
    """to-folded at the target, or FINN's order around apply-folding. Passes are built as
    objects, not spec strings, so no option value needs quoting."""
    from finn_xdsl.passes.minimize_bitwidths import MinimizeBitwidthsPass
    from finn_xdsl.passes.specialize import SpecializePass
    from finn_xdsl.passes.to_dataflow import ToDataflowPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    c = state.config
    part = c.board.part
    if c.folding is not None:
        from finn_xdsl.passes.apply_folding import ApplyFoldingPass

        return [ToDataflowPass(), SpecializePass(prefer=c.prefer, fpgapart=part),
                ApplyFoldingPass(file=str(c.folding), prefer=c.prefer), MinimizeBitwidthsPass()]
    assert c.target_fps is not None
    return [ToFoldedPass(target_fps=c.target_fps, clock_ns=c.clock_ns, prefer=c.prefer, fpgapart=part)]


def fold(state: BuildState) -> None:
    for p in _fold_passes(state):
        p.apply(state.ctx, state.ir)


def registered_pass(name: str):
    """A stage running one pass of the registry with its default options."""

    def run(state: BuildState) -> None:
        from finn_xdsl.passes import get_all_passes

        get_all_passes()[name]()().apply(state.ctx, state.ir)

    run.__name__ = name.replace("-", "_")
    return run


def insert_dwc(state: BuildState) -> None:
    """insert-dwc, then the folding alone, before FIFOs: what --folding takes back."""
    from finn_xdsl.backends.folding_config import folding_config

    registered_pass("insert-dwc")(state)
    write_json(state.dir / "report" / "folding_config.json", folding_config(state.ir))


def _csim_blocker(module: ModuleOp) -> str | None:
    """The first layer whole-graph C-simulation cannot run: an RTL layer other than a FIFO
    (which is just the stream between two C++ calls); wires (impl "") pass through."""
    from finn_xdsl.dialects.dataflow import FIFOOp
    from finn_xdsl.sim.host import the_partition

    return next((op.display_name for op in the_partition(module).layers()
                 if op.impl.data == "rtl" and not isinstance(op, FIFOOp)), None)


def _emit(state: BuildState, module: ModuleOp, target: str, **options: object) -> None:
    """Run a registered target (options by field name) on `module`, its summary into the build log."""
    from finn_xdsl.backends import get_all_targets

    out = io.StringIO()
    get_all_targets()[target]()(**options).emit(state.ctx, module, out)
    state.log.append(out.getvalue())


def _emit_hls(state: BuildState, module: ModuleOp) -> None:
    """-t hls into hls/, with a summary of each layer's ports in the build log."""
    from finn_xdsl.backends.hls import emit_hls

    hls_dir = state.dir / "hls"
    layers = list(emit_hls(module, hls_dir, clock_ns=state.config.clock_ns, fpgapart=state.config.board.part))
    state.log.append(f"hls: {len(layers)} layer top functions -> {hls_dir}\n")
    for layer in layers:
        ports = ", ".join(f"{n} {w}b" for n, w in (*layer.inputs, *layer.outputs))
        state.log.append(f"  {layer.name}.cpp: {ports}\n")


def _legalized(module: ModuleOp) -> ModuleOp:
    """A copy of the IR with every layer's plan recorded (legalize-layers), for the targets
    to read; the build's own IR, written to intermediate/final.mlir, stays as the pipeline
    left it. A refusal is reported as the target that prints the layer (-t hls, -t sv)."""
    from finn_xdsl.kernels import record_plans

    legal = module.clone()
    record_plans(legal, "hls", "-t hls")
    record_plans(legal, "rtl", "-t sv")
    return legal


def targets(state: BuildState) -> None:
    """sv, hls (when some layer is HLS), tcl, report, driver; the folding configs; build.log."""
    from finn_xdsl.backends.folding_config import folding_config
    c, d = state.config, state.dir
    if c.csim and (blocker := _csim_blocker(state.ir)) is not None:
        raise FinnError(f"--csim simulates HLS layers only, but {blocker} is RTL; "
                        "build with --impl hls (or set its preferred_impl_style to hls)")
    legal = _legalized(state.ir)
    tcl: dict[str, object] = {}
    if state.layer_names("hls"):  # -t tcl's block design instantiates their exported IP
        _emit_hls(state, legal)
        tcl["hls_dir"] = str(d / "hls")
    _emit(state, legal, "sv", dir=str(d / "rtl"))
    _emit(state, legal, "tcl", dir=str(d / "vivado"), rtl_dir=str(d / "rtl"), fpgapart=c.board.part,
          clock_ns=c.clock_ns, **tcl)
    _emit(state, legal, "report", dir=str(d / "report"), clock_ns=c.clock_ns, fpgapart=c.board.part)
    if not (d / "report" / "folding_config.json").is_file():  # no insert_dwc stage ran
        write_json(d / "report" / "folding_config.json", folding_config(state.ir))
    write_json(d / "report" / "final_hw_config.json", folding_config(state.ir))
    _emit(state, state.ir, "driver", dir=str(d / "driver"))
    # the targets print where they wrote: paths relative to the folder, not the temp dir
    (d / "build.log").write_text("".join(state.log).replace(str(d) + os.sep, ""))


def tcl_check(state: BuildState) -> None:
    from finn_xdsl.backends.tcl_check import check_tcl

    check_tcl(state.dir / "vivado")


def sim_bench(state: BuildState) -> None:
    """The whole-design cocotb bench, when every layer is RTL (with HLS layers the stitched
    design needs Vitis's Verilog)."""
    from finn_xdsl.verify.design_sim import write_bench

    if not state.layer_names("hls"):
        write_bench(state.ir, state.dir / "sim", state.partition_inputs(), state.config.clock_ns)


def final_ir(state: BuildState) -> None:
    write_ir(state.dir / "intermediate" / "final.mlir", state.ir, full=True)
