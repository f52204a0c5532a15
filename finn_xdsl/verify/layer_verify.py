"""
Per-layer verification of a build folder: each hardware layer checked on its own.

A design with HLS layers cannot be simulated as a whole without Vitis (the stitched
design needs the Verilog Vitis HLS generates), so `finn-build --verify` checks such a
design layer by layer, on the beats the reference interpreter records at each layer's
ports (`layer_io.record_layer_io`): HLS layers by g++ C-simulation of their generated top
functions (`csim_layer.csim_layers`), RTL layers by Verilator (`layer_rtlsim.rtlsim_layer`).

The simulation builds live in a content-addressed cache ($FINN_XDSL_CACHE or
~/.cache/finn_xdsl, then layers/), so verifying an unchanged design again (or the next
test run) does not recompile.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.errors import FinnError
from finn_xdsl.verify.build_cache import cache_root, prune, toolchain_key, write_if_changed

LAYER_CACHE_ENTRIES = 400  # per-layer simulation builds kept (C-sim binaries, Verilator dirs)


def cache_entry(kind: str, name: str, files: Iterable[Path]) -> Path:
    """A per-layer simulation folder in the cache ($FINN_XDSL_CACHE or ~/.cache/finn_xdsl,
    then layers/), named by a hash of the layer's generated files. The files are copied in
    and rewritten only when their bytes change, so a rebuild of the same design (a second
    --verify, the next test run) finds g++'s executable and Verilator's objects up to date
    instead of paying the compile again (both judge by paths, contents and mtimes)."""
    files = sorted(files)
    h = hashlib.sha256(f"{kind}\0{name}\0".encode() + toolchain_key())
    for f in files:
        h.update(f"{f.parent.name}/{f.name}".encode() + b"\0" + f.read_bytes() + b"\0")
    entry = cache_root("layers") / h.hexdigest()[:20]
    for f in files:  # src/<folder>/<file>: the layer's folder and its siblings keep their relation
        write_if_changed(entry / "src" / f.parent.name / f.name, f.read_bytes())
    os.utime(entry)  # recently used
    return entry


def prune_cache(keep: set[Path]) -> None:
    """Drop the least recently used entries beyond LAYER_CACHE_ENTRIES, skipping any in use."""
    prune(cache_root("layers"), keep, LAYER_CACHE_ENTRIES)


def first_difference(got: dict[str, list[int]], want: dict[str, list[int]], frames: int) -> str | None:
    """Where a layer's output beats first differ from the interpreter's (None: identical)."""
    for port, beats in want.items():
        mine = got.get(port)
        if mine is None:
            return f"no beats on {port}"
        if len(mine) != len(beats):
            return f"{port} gave {len(mine)} beats, expected {len(beats)}"
        per_frame = max(1, len(beats) // frames)
        for i, (a, b) in enumerate(zip(mine, beats, strict=True)):
            if a != b:
                return f"{port} frame {i // per_frame} beat {i % per_frame} is {a:#x}, expected {b:#x}"
    return None


_WORKER_MODULES: dict[str, ModuleOp] = {}  # per RTL-simulation worker process: the parsed IR


def _rtlsim_job(ir: str, name: str, entry: Path, inputs: dict[str, list[int]], outputs: dict[str, list[int]],
                seed: int) -> tuple[float, str | None]:
    """One RTL layer in a worker process: cocotb's runner redirects the process's output
    descriptors while it runs, so RTL simulations cannot share a process with each other."""
    from finn_xdsl.verify.layer_rtlsim import rtlsim_layer
    from finn_xdsl.frontend.load import load_module

    if ir not in _WORKER_MODULES:
        _WORKER_MODULES[ir] = load_module(ir)
    t = time.perf_counter()
    with open(entry / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build / run per cache entry at a time
        try:
            rtlsim_layer(_WORKER_MODULES[ir], name, entry / "src" / "rtl", entry / "build", inputs, outputs, seed)
            return time.perf_counter() - t, None
        except FinnError as e:
            return time.perf_counter() - t, str(e)


def verify_layers(module: ModuleOp, out_dir: Path, hls_layers: Sequence[Any], xs: Sequence[np.ndarray],
                  seed: int = 0, jobs: int | None = None) -> dict[str, Any]:
    """Check each hardware layer of the build in `out_dir` on its own, on the beats the
    interpreter records at its ports for the model inputs `xs`: HLS layers (`hls_layers`,
    emit_hls's records) by g++ C-simulation of their generated top functions, RTL layers by
    Verilator. Returns layer_verification.json's content; every layer is checked even after
    a failure, so the report is complete.

    `jobs` (default: one per core) checks run at a time. The HLS layers share `jobs`
    binaries (interleaved in graph order so the heavy MVAUs spread): a g++ start with the
    ap_int headers costs seconds, one binary per layer would dominate a CNV build's
    verification, one for all would leave cores idle. A layer's `seconds` is its share of
    its binary's compile and run. RTL layers run in worker processes (_rtlsim_job)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from finn_xdsl.verify.csim_layer import csim_layers
    from finn_xdsl.sim.host import the_partition
    from finn_xdsl.sim.layer_io import record_layer_io

    io = record_layer_io(module, [[x] for x in xs])
    by_name = {layer.name: layer for layer in hls_layers}
    todo = [op for op in the_partition(module).layers() if op.impl.data in ("hls", "rtl")]
    for op in todo:
        if op.display_name not in io:
            raise FinnError(f"verify: the interpreter never ran layer {op.display_name}")
        if op.impl.data == "hls" and op.display_name not in by_name:
            raise FinnError(f"verify: -t hls wrote no top function for {op.display_name}")
    hls_names = [op.display_name for op in todo if op.impl.data == "hls"]
    rtl_names = [op.display_name for op in todo if op.impl.data == "rtl"]
    k = max(1, jobs or os.cpu_count() or 1)
    groups = [g for g in (hls_names[i::k] for i in range(k)) if g]
    entries: dict[str, Path] = {}  # group key or RTL layer -> cache entry
    for group in groups:
        files = [f for n in group for f in by_name[n].directory.iterdir() if f.is_file()]
        files += [f for f in (out_dir / "hls" / "include").iterdir() if f.is_file()]
        entries["+".join(group)] = cache_entry("csim", "+".join(group), files)
    for name in rtl_names:
        own = [f for f in (out_dir / "rtl").iterdir()
               if f.is_file() and f.name.startswith((f"{name}.", f"{name}_", "fx_"))]
        entries[name] = cache_entry("rtlsim", name, own)
    prune_cache(set(entries.values()))
    done: dict[str, tuple[str, float, str | None]] = {}  # name -> (method, seconds, error)

    def check_group(group: list[str]) -> None:
        entry = entries["+".join(group)]
        t = time.perf_counter()
        with open(entry / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one build / run per cache entry at a time
            layers = [replace(by_name[n], directory=entry / "src" / n) for n in group]
            try:
                got = csim_layers(layers, entry / "build", {n: io[n].inputs for n in group}, len(xs))
                errors = {n: first_difference(got[n], io[n].outputs, len(xs)) for n in group}
            except FinnError as e:
                errors = dict.fromkeys(group, str(e))
        share = (time.perf_counter() - t) / len(group)
        done.update((n, ("csim", share, errors[n])) for n in group)

    with tempfile.TemporaryDirectory(prefix="finn_xdsl_verify_") as tmp, \
            ProcessPoolExecutor(k, multiprocessing.get_context("spawn")) as procs, ThreadPoolExecutor(k) as threads:
        ir = Path(tmp) / "design.mlir"
        _write_module(ir, module)

        def check_rtl(name: str) -> None:
            job = procs.submit(_rtlsim_job, str(ir), name, entries[name], io[name].inputs, io[name].outputs, seed)
            done[name] = ("rtlsim", *job.result())

        # threads at most k at a time: each waits for its g++ or its worker process
        futures = [threads.submit(check_group, g) for g in groups]
        futures += [threads.submit(check_rtl, n) for n in rtl_names]
        for f in futures:
            f.result()
    layers: dict[str, Any] = {}
    for op in todo:
        method, seconds, error = done[op.display_name]
        layers[op.display_name] = {"impl": op.impl.data, "method": method, "frames": len(xs),
                                   "seconds": round(seconds, 3), "ok": error is None}
        if error is not None:
            layers[op.display_name]["error"] = error
    return {"frames": len(xs), "cycles_checked": False, "layers": layers}


def _write_module(path: Path, module: ModuleOp) -> None:
    """The full IR, for the RTL worker processes to parse."""
    from xdsl.printer import Printer

    with open(path, "w", newline="\n") as f:
        Printer(stream=f).print_op(module)
        f.write("\n")
