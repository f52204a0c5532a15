"""
The stages that check a finished build folder (--verify, --csim). They run after the
folder is in place, so a failure leaves the complete build there, with its report, and
the error says so.

Inputs: the model's sample input (`--input`, else `<model>_input.npy` beside the model) and
`n_random` random inputs in the sample's value range. With verify, the interpreter's output
of the built IR must equal that of the imported model on each, and
- every layer RTL: the inputs go through the host pre-part, the whole-design RTL
  simulation and the host post-part; the simulated output beats must equal the
  interpreter's bit for bit, and the measured steady-state cycles per frame must stay
  within 3 % of the slowest layer's analytic cycles (report/rtlsim_performance.json);
- some layer HLS: without Vitis the stitched design cannot be simulated, so each layer is
  checked on its own, on the beats the interpreter records at its ports for all inputs:
  HLS layers by g++ C-simulation of their generated top function, RTL layers by Verilator;
  bit-exact, no cycle bound (C-simulation has no cycles); report/layer_verification.json.
With csim (independent of verify), the whole dataflow graph is C-simulated over all inputs
and checked bit-exact (every layer but FIFOs must be HLS); report/csim_performance.json.
"""

from __future__ import annotations

import fcntl

import numpy as np

from finn_xdsl.errors import FinnError
from finn_xdsl.flow.state import BuildState
from finn_xdsl.utils.atomic import write_json_atomic

STEADY_STATE_BOUND = 1.03  # measured cycles/frame <= this × the analytic max layer cycles


def _kept(state: BuildState) -> str:
    return f"build kept in {state.dir}"


def check_ir(state: BuildState) -> None:
    """The built IR computes what the imported model computes, on every input."""
    from finn_xdsl.sim.execute import execute

    split = state.split()
    for k, x in enumerate(state.inputs()):
        want = execute(state.reference_ir(), [x])
        pre = split.run_pre([x])
        got = split.run_post(split.run_partition(pre[: split.n_inputs]), pre)
        for name in want:
            if not np.array_equal(want[name], got[name]):
                raise FinnError(f"verify: output '{name}' of input {k} differs between the imported "
                                f"model and the built design's IR ({_kept(state)})")


def verify(state: BuildState) -> None:
    """Whole-design RTL simulation, or layer by layer when some layer is HLS."""
    (_verify_by_layer if state.layer_names("hls") else _verify_whole)(state)


def _verify_whole(state: BuildState) -> None:
    from finn_xdsl.verify.design_sim import run_case

    r = state.result
    sim = run_case(state.dir / "rtl", state.dir / "sim" / "design_case.json")
    r.performance = sim.performance(state.config.clock_ns)
    write_json_atomic(str(state.dir / "report" / "rtlsim_performance.json"), r.performance)
    check_ir(state)
    if sim.steady_cycles > STEADY_STATE_BOUND * r.max_cycles:
        raise FinnError(
            f"verify: bit-exact, but {sim.steady_cycles:g} cycles/frame measured > {STEADY_STATE_BOUND} × "
            f"{r.max_cycles} (slowest layer {r.max_cycles_node}); {_kept(state)}"
        )


def _verify_by_layer(state: BuildState) -> None:
    from finn_xdsl.backends.hls import layer_of, legalize_module
    from finn_xdsl.verify.layer_verify import verify_layers

    check_ir(state)
    hls = [layer_of(plan, state.dir / "hls") for plan in legalize_module(state.ir)]  # what -t hls wrote
    summary = verify_layers(state.ir, state.dir, hls, state.inputs(), state.config.seed)
    state.result.layer_verification = summary
    write_json_atomic(str(state.dir / "report" / "layer_verification.json"), summary)
    bad = [(name, entry) for name, entry in summary["layers"].items() if not entry["ok"]]
    if bad:
        name, entry = bad[0]
        raise FinnError(f"verify: {len(bad)} of {len(summary['layers'])} layers differ from the interpreter; "
                        f"first {name} ({entry['method']}): {entry['error']} ({_kept(state)}; "
                        "report/layer_verification.json)")


def csim(state: BuildState) -> None:
    """The whole dataflow graph as one C++ program over all inputs, bit-exact."""
    from finn_xdsl.verify.csim_design import simulate_csim
    from finn_xdsl.verify.layer_verify import cache_entry, prune_cache

    # a copy of hls/ in the cache (see layer_verify.cache_entry): an unchanged design is not recompiled
    entry = cache_entry("csim_design", "", [f for f in (state.dir / "hls").glob("*/*") if f.is_file()])
    prune_cache({entry})
    with open(entry / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            res = simulate_csim(state.ir, entry / "src", entry / "build", state.partition_inputs())
        except FinnError as e:
            raise FinnError(f"csim: {e} ({_kept(state)})") from None
    state.result.csim = {"frames": res.frames, "frames_per_second": res.frames_per_second,
                         "compile_seconds": res.compile_seconds, "run_seconds": res.run_seconds}
    write_json_atomic(str(state.dir / "report" / "csim_performance.json"), state.result.csim)
