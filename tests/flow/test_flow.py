"""
The build flow as stages: a user's own stage runs where it is inserted, a build stops
after a named stage and resumes at the next one with the same files as a build in one go,
and report/time_per_step.json times every stage run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import model_path

from finn_xdsl.errors import FinnError
from finn_xdsl.flow import BuildState, build, insert_stage, stage_names

TFC = model_path("tfc_1w1a_ts_clean")
TIMES = "report/time_per_step.json"


def files(d: Path) -> dict[str, bytes]:
    """The folder's files but the timings, which differ on every run."""
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and p.relative_to(d).as_posix() != TIMES}


def fifo_depths(state: BuildState) -> None:
    """A user stage: the FIFO depths size-fifos chose, into the report."""
    from finn_xdsl.dialects.dataflow import FIFOOp

    depths = {op.display_name: op.depth.value.data for op in state.ir.walk() if isinstance(op, FIFOOp)}
    (state.dir / "report" / "fifo_depths.json").write_text(json.dumps(depths))


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """A build in one go, with the default stages."""
    out = tmp_path_factory.mktemp("flow") / "whole"
    build(TFC, out)
    return out


def test_time_per_step_names_every_stage(whole):
    times = json.loads((whole / TIMES).read_text())
    assert list(times) == stage_names()
    assert all(isinstance(s, float) and s >= 0 for s in times.values())


def test_user_stage_and_resume(whole, tmp_path):
    steps = insert_stage(stage_names(), fifo_depths, after="size_fifos")
    assert steps[steps.index("size_fifos") + 1] is fifo_depths
    out = tmp_path / "resumed"
    seen: list[str] = []
    build(TFC, out, steps=steps, stop_step="insert_fifos",
          progress=lambda stage, event, seconds: seen.append(stage) if event == "done" else None)
    assert seen == ["import", "to_folded", "insert_dwc", "insert_fifos"]
    info = json.loads((out / "build_info.json").read_text())
    assert (info["stopped_after"], info["ir_after"]) == ("insert_fifos", "insert_fifos")
    assert (out / "intermediate" / "final.mlir").is_file() and not (out / "rtl").exists()

    result = build(TFC, out, steps=steps, start_step="size_fifos")
    times = json.loads((out / TIMES).read_text())
    assert list(times) == ["size_fifos", "fifo_depths", "lower_to_hw", "targets", "tcl_check", "sim_bench",
                           "final_ir"]
    assert result.stage_seconds.keys() == times.keys()
    depths = json.loads((out / "report" / "fifo_depths.json").read_text())
    assert depths and all(d >= 2 for d in depths.values())
    # resumed with a stage of our own = built in one go, plus that stage's file
    got = files(out)
    assert got.pop("report/fifo_depths.json")
    assert got == files(whole)


def test_resume_needs_the_ir_before_the_stage(whole, tmp_path):
    """A finished folder holds the IR after lower_to_hw: the stages after it resume,
    earlier ones cannot (their IR is gone), and a failed resume leaves the folder as it was."""
    import shutil

    out = tmp_path / "again"
    shutil.copytree(whole, out)
    before = files(out)
    with pytest.raises(FinnError, match="cannot resume at 'size_fifos': .* holds the IR after 'lower_to_hw'"):
        build(TFC, out, start_step="size_fifos")
    assert files(out) == before
    build(TFC, out, start_step="tcl_check")
    assert files(out) == before
    assert list(json.loads((out / TIMES).read_text())) == ["tcl_check", "sim_bench", "final_ir"]


@pytest.mark.parametrize("kwargs, message", [
    ({"start_step": "nope"}, "start step 'nope' is not a stage of this build; the stages are import, to_folded"),
    ({"stop_step": "verify"}, "stop step 'verify' is not a stage of this build"),
    ({"start_step": "targets", "stop_step": "import"}, "start step 'targets' comes after stop step 'import'"),
    ({"start_step": "targets"}, "no finn-build folder to resume at 'targets'"),
    ({"steps": ["import", "import"]}, "stage 'import' appears twice"),
    ({"steps": ["import", "synthesize"]}, "unknown stage 'synthesize'"),
])
def test_step_errors(tmp_path, kwargs, message):
    with pytest.raises(FinnError, match=message):
        build(TFC, tmp_path / "out", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_insert_stage_errors():
    with pytest.raises(FinnError, match="no stage 'synth' to insert at"):
        insert_stage(stage_names(), fifo_depths, before="synth")
    with pytest.raises(FinnError, match="either before or after"):
        insert_stage(stage_names(), fifo_depths)
