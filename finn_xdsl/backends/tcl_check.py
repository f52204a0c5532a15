"""
Structural check of the Vivado scripts `-t tcl` writes, without Vivado.

`check_tcl(tcl_dir)` runs `make_project.tcl` and `synth_ooc.tcl` of that directory under
plain `tclsh` with `vivado_stubs.tcl` (shipped next to this module) standing in for every
Vivado command: the scripts must parse, every file they add must exist, every cell, pin and
port they connect must have been created (pins come from the referenced modules' port lists
in the added HDL), no pin may be connected twice or left unconnected, and each flow must run
to its end. A failure raises FinnError with the stubs' one-line reason. finn-build calls it
after writing the scripts; the tests call it on real models.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from finn_xdsl.errors import FinnError

STUBS = Path(__file__).with_name("vivado_stubs.tcl")
SCRIPTS = ("make_project.tcl", "synth_ooc.tcl")


def run_stubbed(script: str | os.PathLike[str]) -> str:
    """Run one script under the stubs; its `vivado-stub: ok ...` line, or FinnError."""
    tclsh = shutil.which("tclsh")
    if tclsh is None:
        raise FinnError("tcl check: tclsh is not on PATH (Debian package tcl)")
    # cwd: the script's folder, as a `vivado -mode batch -source` run from there would have
    # (the scripts themselves only use paths built from their own location)
    proc = subprocess.run([tclsh, str(STUBS), os.path.abspath(script)], check=False,
                          capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(script)), timeout=120)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise FinnError(f"tcl check: {os.path.basename(script)}: {lines[-1] if lines else 'tclsh failed'}")
    return proc.stdout.strip()


def check_tcl(tcl_dir: str | os.PathLike[str]) -> None:
    """Check both scripts `-t tcl{dir=tcl_dir}` wrote; FinnError on the first problem."""
    for name in SCRIPTS:
        path = os.path.join(tcl_dir, name)
        if not os.path.isfile(path):
            raise FinnError(f"tcl check: {path} does not exist (run -t tcl first)")
        run_stubbed(path)
