"""
finn-build's flow as a Python API: one call from a QONNX model to a build folder.

    from finn_xdsl.flow import build
    result = build("model.onnx", "out", target_fps=10000, prefer="rtl", verify=True)

The build is a list of named stages over one BuildState (flow.state), each timed
(report/time_per_step.json):

    import -> to_folded | apply_folding -> insert_dwc -> insert_fifos -> size_fifos
           -> lower_to_hw -> targets -> tcl_check -> sim_bench -> final_ir [-> verify] [-> csim]

(flow.stages builds the folder, flow.checks checks it, flow.runner runs them; the folder's
layout is in flow.stages). As with FINN's builder, `steps` replaces the list (names of
ours and the user's own callables on the BuildState, e.g. via `insert_stage`),
`stop_step` ends after a stage and `start_step` resumes a folder at one:

    steps = insert_stage(stage_names(), my_check, after="size_fifos")
    build("model.onnx", "out", steps=steps)

`prefer` ("rtl" | "hls" | "finn") is the backend each layer is realised in (specialize:
our RTL or our HLS library wherever it implements the layer, or FINN's own choice);
`build_info.json` records it and which layers ended up in which. Same inputs give
byte-identical files (report/time_per_step.json aside).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from finn_xdsl.flow.config import DEFAULT_TARGET_FPS, PREFER_CHOICES, BuildConfig, make_config
from finn_xdsl.flow.inputs import execute_shape, sample_input_path, verification_inputs
from finn_xdsl.flow.runner import (
    MARKER,
    StepSpec,
    default_steps,
    insert_stage,
    resolve_steps,
    run_steps,
)
from finn_xdsl.flow.state import BuildResult, BuildState, Progress, Stage

__all__ = [
    "DEFAULT_TARGET_FPS", "MARKER", "PREFER_CHOICES", "BuildConfig", "BuildResult", "BuildState", "Progress",
    "Stage", "build", "default_steps", "execute_shape", "insert_stage", "make_config", "sample_input_path",
    "stage_names", "verification_inputs",
]


def stage_names(folding: bool = False, verify: bool = False, csim: bool = False) -> list[str]:
    """Our stages' names, in order, for a build with a folding file or not, --verify,
    --csim: a `steps` list to edit."""
    return [s.name for s in default_steps(folding, verify, csim)]


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
    steps: Sequence[StepSpec] | None = None,
    start_step: str | None = None,
    stop_step: str | None = None,
) -> BuildResult:
    """Build `model` into `out_dir` (see the module docstring). Errors are FinnErrors.
    `prefer`: "rtl" | "hls" | "finn" (each layer's backend); `verify`: check the design
    against the interpreter (whole-design RTL simulation, or layer by layer when some layer
    is HLS); `csim`: whole-graph C-simulation (every layer but FIFOs HLS); `steps`,
    `start_step`, `stop_step`: as FINN's (flow.runner)."""
    from finn_xdsl.errors import FinnError
    from finn_xdsl.flow.runner import stage_index

    config = make_config(model, out_dir, target_fps=target_fps, folding=folding, board=board, clock_ns=clock_ns,
                         prefer=prefer, verify=verify, csim=csim, input_npy=input_npy, n_random=n_random, seed=seed)
    stages = resolve_steps(config, steps)
    start = stage_index(stages, start_step, "start step", 0)
    stop = stage_index(stages, stop_step, "stop step", len(stages) - 1)
    if start > stop:
        raise FinnError(f"start step '{start_step}' comes after stop step '{stop_step}'")
    return run_steps(config, stages, start, stop, progress or (lambda stage, event, seconds: None))
