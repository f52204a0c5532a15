"""
What the stages of a build share: one `BuildState` passed from stage to stage (the IR,
the folder being written, the build log, the result so far). A stage is a named callable
on it, so a user's own stage is written exactly like ours.

What a stage needs but an earlier stage may not have made in this run — a build resumed
at a later stage skips them — the state derives on first use from what is at hand (the
model file, the IR, the options): the reference IR for --verify, the verification inputs,
the host/partition split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.flow.config import BuildConfig

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


@dataclass
class BuildState:
    """One build in progress. `dir` is the folder being written: a temporary sibling of
    the output folder until every building stage is done, the output folder itself for
    the checking stages (verify, csim) that run on the finished build."""

    config: BuildConfig
    ctx: Context
    dir: Path
    result: BuildResult
    module: ModuleOp | None = None
    log: list[str] = field(default_factory=list)  # the targets' summaries: build.log
    reference: ModuleOp | None = None  # the imported model, for --verify
    _inputs: list[np.ndarray] | None = None
    _split: Any = None

    @property
    def ir(self) -> ModuleOp:
        """The module (a stage that needs it before the import stage ran is a bug)."""
        assert self.module is not None, "no IR yet: the import stage has not run"
        return self.module

    def layer_names(self, impl: str) -> list[str]:
        """The node names of the partition's layers realised in `impl` ("rtl" | "hls")."""
        from finn_xdsl.sim.host import the_partition

        return [op.display_name for op in the_partition(self.ir).layers() if op.impl.data == impl]

    def reference_ir(self) -> ModuleOp:
        """The imported model the built IR must agree with (imported again when resumed)."""
        if self.reference is None:
            from finn_xdsl.frontend.load import load_module

            self.reference = load_module(str(self.config.model), self.ctx)
        return self.reference

    def inputs(self) -> list[np.ndarray]:
        """The sample input and the random ones (see flow.inputs)."""
        if self._inputs is None:
            from finn_xdsl.flow.inputs import execute_shape, load_sample, verification_inputs

            shape = execute_shape(self.ir)
            c = self.config
            self._inputs = verification_inputs(shape, load_sample(c.sample, shape), c.n_random, c.seed)
        return self._inputs

    def split(self) -> Any:
        """The IR split into host pre-part, partition and host post-part (sim.host)."""
        if self._split is None:
            from finn_xdsl.sim.host import split_host

            self._split = split_host(self.ir)
        return self._split

    def partition_inputs(self) -> list[np.ndarray]:
        """Each input as the partition sees it (after the host pre-part)."""
        return [self.split().run_pre([x])[0] for x in self.inputs()]


@dataclass(frozen=True)
class Stage:
    """A named step of the build. `ir`: its IR goes to intermediate/NN_<name>.mlir and
    counts as a pipeline stage (build_info.json's "stages")."""

    name: str
    run: Callable[[BuildState], None]
    ir: bool = False
