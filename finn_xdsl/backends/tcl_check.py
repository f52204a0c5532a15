"""
Structural check of the Vivado scripts `-t tcl` writes, without Vivado.

`check_tcl(tcl_dir)` runs `make_project.tcl` and `synth_ooc.tcl` of that directory under
plain `tclsh` with `vivado_stubs.tcl` (shipped next to this module) standing in for every
Vivado command: the scripts must parse, every file they add must exist, every cell, pin and
port they connect must have been created (pins come from the referenced modules' port lists
in the added HDL), no pin may be connected twice or left unconnected, and each flow must run
to its end. A failure raises FinnError with the stubs' one-line reason. finn-build calls it
after writing the scripts; the tests call it on real models.

Designs with HLS layers: the Vivado stubs check each layer's `hls_syn_<L>.tcl` under
`vitis_stubs.tcl` as soon as a script looks for that layer's IP (see vivado_stubs.tcl), so
an IP cell exists only if its script exports exactly its VLNV. `hls_synth.sh` is then run for
real by `sh`, with a `vitis_hls` on PATH that is the Vitis stubs, and must name the same
layers as make_project.tcl's `hls_ips` — so the driver's folders and script names are
checked too. The HLS C++ is never compiled here (the C-simulation tests do that).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from finn_xdsl.errors import FinnError

STUBS = Path(__file__).with_name("vivado_stubs.tcl")
VITIS_STUBS = Path(__file__).with_name("vitis_stubs.tcl")
SCRIPTS = ("make_project.tcl", "synth_ooc.tcl")
HLS_DRIVER = "hls_synth.sh"


def _tclsh() -> str:
    tclsh = shutil.which("tclsh")
    if tclsh is None:
        raise FinnError("tcl check: tclsh is not on PATH (Debian package tcl)")
    return tclsh


def run_stubbed(script: str | os.PathLike[str]) -> str:
    """Run one script under the stubs; its `vivado-stub: ok ...` line, or FinnError."""
    tclsh = _tclsh()
    # cwd: the script's folder, as a `vivado -mode batch -source` run from there would have
    # (the scripts themselves only use paths built from their own location)
    proc = subprocess.run([tclsh, str(STUBS), os.path.abspath(script)], check=False,
                          capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(script)), timeout=120)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise FinnError(f"tcl check: {os.path.basename(script)}: {lines[-1] if lines else 'tclsh failed'}")
    return proc.stdout.strip()


def run_hls_driver(driver: str | os.PathLike[str]) -> str:
    """Run `hls_synth.sh` with the Vitis stubs as its `vitis_hls`; its output, or FinnError
    with the first failing script's one-line reason."""
    sh = shutil.which("sh")
    if sh is None:
        raise FinnError("tcl check: sh is not on PATH")
    with tempfile.TemporaryDirectory(prefix="finn_xdsl_vitis_") as bin_dir:
        fake = Path(bin_dir) / "vitis_hls"
        fake.write_text(f'#!/bin/sh\n[ "$1" = "-f" ] && [ $# -eq 2 ] || {{ echo "vitis-stub: usage: vitis_hls -f SCRIPT" >&2; '
                        f'exit 2; }}\nexec "{_tclsh()}" "{VITIS_STUBS}" "$2"\n')
        fake.chmod(0o755)
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
        proc = subprocess.run([sh, os.path.abspath(driver)], check=False, capture_output=True, text=True,
                              env=env, timeout=120)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if ln.startswith("vitis-stub:")]
        why = lines[-1] if lines else ((proc.stderr or proc.stdout).strip().splitlines() or ["sh failed"])[-1]
        raise FinnError(f"tcl check: {os.path.basename(driver)}: {why}")
    return proc.stdout


def _hls_ips(script: str | os.PathLike[str]) -> list[str]:
    m = re.search(r"^set hls_ips \[list ([^\]]*)\]$", Path(script).read_text(), re.MULTILINE)
    return m[1].split() if m else []


def check_tcl(tcl_dir: str | os.PathLike[str]) -> None:
    """Check the scripts `-t tcl{dir=tcl_dir}` wrote; FinnError on the first problem."""
    for name in SCRIPTS:
        path = os.path.join(tcl_dir, name)
        if not os.path.isfile(path):
            raise FinnError(f"tcl check: {path} does not exist (run -t tcl first)")
        run_stubbed(path)
    ips = _hls_ips(os.path.join(tcl_dir, SCRIPTS[0]))
    driver = os.path.join(tcl_dir, HLS_DRIVER)
    if not ips:
        return
    if not os.path.isfile(driver):
        raise FinnError(f"tcl check: {driver} does not exist, but the design has {len(ips)} HLS layers")
    out = run_hls_driver(driver)
    ran = re.findall(r"^hls_synth\.sh: vitis_hls (\S+)$", out, re.MULTILINE)
    ok = re.findall(r"^vitis-stub: ok hls_syn_(\S+)\.tcl:", out, re.MULTILINE)
    if ran != ips or ok != ips:
        raise FinnError(f"tcl check: {HLS_DRIVER} synthesises {' '.join(ok) or 'nothing'}, "
                        f"but make_project.tcl instantiates {' '.join(ips)}")
