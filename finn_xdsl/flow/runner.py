"""
Running the stages: in order, each timed, the folder built in a temporary sibling and
moved into place only when every building stage succeeded (an error leaves nothing
half-written, and an older folder untouched); the checking stages then run on the folder
in place. report/time_per_step.json records {stage: seconds} as FINN's builder does.

As FINN's `steps` / `start_step` / `stop_step`: `steps` lists the stages (names of ours,
or the user's own callables on the BuildState, see `insert_stage`); `stop_step` ends the
run after that stage, keeping what is done as a build folder with the full IR in
intermediate/final.mlir; `start_step` resumes such a folder (or a finished one) at that
stage, from that IR, re-running that stage and those after it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from finn_xdsl.errors import FinnError
from finn_xdsl.flow import checks, stages
from finn_xdsl.flow.config import BuildConfig
from finn_xdsl.flow.state import BuildResult, BuildState, Progress, Stage
from finn_xdsl.utils.atomic import write_json_atomic

MARKER = "build_info.json"  # written into every build folder; overwriting needs it
TIMES = "report/time_per_step.json"
CHECK_STAGES = ("verify", "csim")  # they run on the folder in place
StepSpec = str | Stage | Callable[[BuildState], None]


def default_steps(folding: bool = False, verify: bool = False, csim: bool = False) -> list[Stage]:
    """Our stages, in order, for a build with a folding file or not, --verify, --csim."""
    steps = [
        Stage("import", stages.import_model, ir=True),
        Stage("apply_folding" if folding else "to_folded", stages.fold, ir=True),
        Stage("insert_dwc", stages.insert_dwc, ir=True),
        *(Stage(p.replace("-", "_"), stages.registered_pass(p), ir=True)
          for p in ("insert-fifos", "size-fifos", "lower-to-hw")),
        Stage("targets", stages.targets),
        Stage("tcl_check", stages.tcl_check),
        Stage("sim_bench", stages.sim_bench),
        Stage("final_ir", stages.final_ir),
    ]
    return steps + [Stage(n, getattr(checks, n)) for n, on in zip(CHECK_STAGES, (verify, csim)) if on]


def insert_stage(steps: Sequence[StepSpec], stage: StepSpec, *, before: str | None = None,
                 after: str | None = None) -> list[StepSpec]:
    """`steps` with `stage` (a callable on the BuildState, named by its __name__, or a
    Stage) inserted before or after the stage named so."""
    if (before is None) == (after is None):
        raise FinnError("insert a stage either before or after a named stage")
    names = [_as_stage(s, {}).name if not isinstance(s, str) else s for s in steps]
    where = before if before is not None else after
    if where not in names:
        raise FinnError(f"no stage '{where}' to insert at; the stages are {', '.join(names)}")
    i = names.index(where) + (after is not None)
    return [*steps[:i], stage, *steps[i:]]


def _as_stage(spec: StepSpec, ours: dict[str, Stage]) -> Stage:
    if isinstance(spec, Stage):
        return spec
    if isinstance(spec, str):
        if spec not in ours:
            raise FinnError(f"unknown stage '{spec}'; the stages are {', '.join(ours)}")
        return ours[spec]
    if callable(spec):
        return Stage(getattr(spec, "__name__", type(spec).__name__), spec)
    raise FinnError(f"a stage is a stage name or a callable on the BuildState, not {spec!r}")


def resolve_steps(config: BuildConfig, steps: Sequence[StepSpec] | None) -> list[Stage]:
    if steps is None:
        return default_steps(config.folding is not None, config.verify, config.csim)
    ours = {s.name: s for s in default_steps(config.folding is not None, verify=True, csim=True)}
    out = [_as_stage(s, ours) for s in steps]
    names = [s.name for s in out]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise FinnError(f"stage '{dup}' appears twice in the steps")
    return out


def stage_index(steps: list[Stage], name: str | None, what: str, default: int) -> int:
    if name is None:
        return default
    names = [s.name for s in steps]
    if name not in names:
        raise FinnError(f"{what} '{name}' is not a stage of this build; the stages are {', '.join(names)}")
    return names.index(name)


def _timed(state: BuildState, stage: Stage, number: dict[str, int], note: Progress) -> None:
    note(stage.name, "start", 0.0)
    t = time.perf_counter()
    stage.run(state)
    if stage.ir:
        stages.write_ir(state.dir / "intermediate" / f"{number[stage.name]:02d}_{stage.name}.mlir", state.ir)
    state.result.stage_seconds[stage.name] = time.perf_counter() - t
    note(stage.name, "done", state.result.stage_seconds[stage.name])


def run_steps(config: BuildConfig, steps: list[Stage], start: int, stop: int, note: Progress) -> BuildResult:
    """Run steps[start : stop + 1] (see the module docstring)."""
    from finn_xdsl.frontend.load import make_context

    out_dir = config.out_dir
    state = BuildState(config, make_context(), out_dir, BuildResult(out_dir))
    number = {s.name: i for i, s in enumerate(s for s in steps if s.ir)}
    first_check = next((i for i, s in enumerate(steps) if s.name in CHECK_STAGES), len(steps))
    building = steps[start: min(stop + 1, first_check)]
    if start > 0:
        _resume(state, steps, start)
    if building:
        _build_folder(state, steps, building, number, note, stopped=stop + 1 < first_check)
    else:
        _summarise(state)  # the checks compare with the slowest layer
    try:
        for stage in steps[max(start, first_check): stop + 1]:
            _timed(state, stage, number, note)
    finally:
        if stop >= first_check and start <= stop:
            _write_times(state.dir, state.result.stage_seconds, atomic=True)
    return state.result


def _build_folder(state: BuildState, steps: list[Stage], building: list[Stage], number: dict[str, int],
                  note: Progress, stopped: bool) -> None:
    """The building stages in a temporary sibling (a copy of the folder when resuming),
    then build_info.json, the times and the move into place."""
    out_dir = state.config.out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        if state.module is not None:  # resuming: start from the folder as it is
            shutil.rmtree(tmp)
            shutil.copytree(out_dir, tmp, symlinks=True)
        state.dir = tmp
        for stage in building:
            _timed(state, stage, number, note)
        _finish(state, steps, building[-1].name if stopped else None)
        _move_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        state.dir = out_dir


def _finish(state: BuildState, steps: list[Stage], stopped_after: str | None) -> None:
    """build_info.json (what was built, from what), the result's summary and the times; a
    run stopped early also keeps the full IR and the last pipeline stage it holds."""
    c, r = state.config, state.result
    _summarise(state)
    info = {
        "model": c.model.name, "target_fps": c.target_fps,
        "folding": c.folding.name if c.folding else None, "board": c.board.name, "fpgapart": c.board.part,
        "clock_ns": c.clock_ns, "impl": c.prefer, "hls_layers": r.hls_layers, "rtl_layers": r.rtl_layers,
        "max_cycles": r.max_cycles, "max_cycles_node_name": r.max_cycles_node,
        "stages": [s.name for s in steps if s.ir and s.name != "import"], "inputs": len(state.inputs()),
    }
    if stopped_after is not None:
        done = steps[: [s.name for s in steps].index(stopped_after) + 1]
        info["stopped_after"] = stopped_after
        info["ir_after"] = [s.name for s in done if s.ir][-1]
        stages.write_ir(state.dir / "intermediate" / "final.mlir", state.ir, full=True)
    (state.dir / MARKER).write_text(json.dumps(info, indent=2) + "\n")
    _write_times(state.dir, r.stage_seconds)


def _summarise(state: BuildState) -> None:
    """The result's layer lists and slowest layer, once the IR has its partition."""
    from finn_xdsl.sim.host import the_partition

    if state.module is None:
        return
    try:
        layers = the_partition(state.module).layers()
    except FinnError:  # stopped before convert-to-dataflow made it
        return
    r = state.result
    r.hls_layers = [op.display_name for op in layers if op.impl.data == "hls"]
    r.rtl_layers = [op.display_name for op in layers if op.impl.data == "rtl"]
    r.max_cycles_node, r.max_cycles = max(((op.display_name, op.cycles()) for op in layers), key=lambda t: t[1])


def _write_times(folder: Path, seconds: dict[str, float], atomic: bool = False) -> None:
    if atomic:
        write_json_atomic(str(folder / TIMES), seconds)
    else:
        stages.write_json(folder / TIMES, seconds)


def _resume(state: BuildState, steps: list[Stage], start: int) -> None:
    """Load the IR the previous run left in the folder; it must be the IR the stages
    before `start` make (the last pipeline stage before it is the one the IR is after)."""
    out_dir = state.config.out_dir
    if not (out_dir / MARKER).is_file():
        raise FinnError(f"{out_dir}: no finn-build folder to resume at '{steps[start].name}'")
    info = json.loads((out_dir / MARKER).read_text())
    have = info.get("ir_after") or (info.get("stages") or ["import"])[-1]
    need = ([s.name for s in steps[:start] if s.ir] or [None])[-1]
    if need is None:
        return  # nothing before `start` makes IR: the import runs again
    if need != have:
        raise FinnError(f"cannot resume at '{steps[start].name}': {out_dir} holds the IR after '{have}', "
                        f"this stage needs the IR after '{need}'")
    path = out_dir / "intermediate" / "final.mlir"
    if not path.is_file():
        raise FinnError(f"cannot resume at '{steps[start].name}': {path} is missing")
    from finn_xdsl.frontend.load import load_module

    state.module = load_module(str(path), state.ctx)


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
