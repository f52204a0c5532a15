"""
C-simulation of our HLS C++ templates (hls/) with g++, without Vitis.

Vitis HLS's `ap_int.h` / `hls_stream.h` are open source (Apache-2.0) and the `hls4ml` wheel
ships them, so any machine with g++ can run the templates bit-exactly (TOOLCHAIN.md "HLS
C-simulation without Vitis"). We find them through importlib *without importing hls4ml*:
its import pulls heavy dependencies we never need.

The harness is small and general. A test writes a C++ `main` that includes `fx_csim.hpp`
(written here into the build directory) and moves AXI-Stream beats between hex files and
`hls::stream`s with `fx_csim::load` / `fx_csim::store`; one hex word per line, element 0 in
the LSBs as everywhere else (docs/architecture.md#streams-and-packing), so
`packing.pack_beats` feeds it directly.
`build` compiles once per parameter set; `run` may then be called with many frames.

g++ warnings located in our code fail the build; the ap_types headers are `-isystem` and
what still leaks from them (-Wmaybe-uninitialized inside ap_private.h at -O2) is filtered
out by location, which is also why we do not use -Werror.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from finn_xdsl.errors import FinnError
from finn_xdsl.layer_libraries import hls_dir

CXXFLAGS = ["-std=c++14", "-O2", "-Wall", "-Wno-unknown-pragmas"]

# Stream <-> hex file helpers for test mains. Parsing digit by digit into ap_uint<W> works
# for every W (narrow words just shift their leading zero digits out), unlike a 64-bit
# integer, and does not depend on the string constructors of a particular ap_int version.
_IO_HEADER = r"""// fx_csim.hpp: written by finn_xdsl.verify.csim for C-simulation mains.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <ap_int.h>
#include <hls_stream.h>

namespace fx_csim {

inline std::string path(const char* dir, const char* name, const char* ext) {
    return std::string(dir) + "/" + name + ext;
}

[[noreturn]] inline void fail(const std::string& why) {
    std::fprintf(stderr, "fx_csim: %s\n", why.c_str());
    std::exit(2);
}

// dir/name.in.hex -> stream, one beat per line.
template <int W>
void load(const char* dir, const char* name, hls::stream<ap_uint<W>>& s) {
    const std::string file = path(dir, name, ".in.hex");
    FILE* f = std::fopen(file.c_str(), "r");
    if (!f) fail("cannot read " + file);
    int c;
    bool any = false;
    ap_uint<W> word = 0;
    while ((c = std::fgetc(f)) != EOF) {
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit >= 0) {
            word = (word << 4) | ap_uint<W>(digit);
            any = true;
        } else if (c == '\n') {
            if (any) s.write(word);
            word = 0;
            any = false;
        } else {
            fail("bad character in " + file);
        }
    }
    if (any) s.write(word);
    std::fclose(f);
}

// stream -> dir/name.out.hex, draining it.
template <int W>
void store(const char* dir, const char* name, hls::stream<ap_uint<W>>& s) {
    const std::string file = path(dir, name, ".out.hex");
    FILE* f = std::fopen(file.c_str(), "w");
    if (!f) fail("cannot write " + file);
    constexpr int DIGITS = (W + 3) / 4;
    while (!s.empty()) {
        ap_uint<W> word = s.read();
        for (int i = DIGITS - 1; i >= 0; i--) {
            unsigned digit = ap_uint<4>(word >> (4 * i)).to_uint();
            std::fputc("0123456789abcdef"[digit], f);
        }
        std::fputc('\n', f);
    }
    std::fclose(f);
}

// After the last call: input words nobody read mean the top function and the test's
// frame bookkeeping disagree, which would hang or misalign hardware.
template <int W>
void expect_consumed(hls::stream<ap_uint<W>>& s, const char* name) {
    if (!s.empty()) fail(std::string(name) + ": " + std::to_string(s.size()) + " words left unread");
}

}  // namespace fx_csim
"""


def ap_types_dir() -> Path:
    """The ap_int.h / hls_stream.h folder inside the installed hls4ml package."""
    spec = importlib.util.find_spec("hls4ml")
    if spec is None or not spec.submodule_search_locations:
        raise FinnError("HLS C-simulation needs the ap_types headers from hls4ml: pip install hls4ml==1.3.0")
    for root in spec.submodule_search_locations:
        candidate = Path(root) / "templates" / "vivado" / "ap_types"
        if (candidate / "ap_int.h").is_file() and (candidate / "hls_stream.h").is_file():
            return candidate
    raise FinnError(
        f"hls4ml at {list(spec.submodule_search_locations)} has no templates/vivado/ap_types/ap_int.h:"
        " reinstall it with pip install hls4ml==1.3.0"
    )


def _compiler() -> str:
    cxx = shutil.which("g++")
    if cxx is None:
        raise FinnError("HLS C-simulation needs g++ on PATH: install it (e.g. apt-get install g++)")
    return cxx


def _one_line(text: str, limit: int = 400) -> str:
    lines = [ln for ln in text.splitlines() if "error" in ln or "warning" in ln] or text.splitlines()
    return " | ".join(lines)[:limit]


_WARNING = re.compile(r"^(?P<file>[^\s:][^:]*):\d+:\d+: warning: .*$", re.MULTILINE)


def own_warnings(stderr: str, ap_types: Path) -> list[str]:
    """g++ warnings located outside the ap_types headers. -isystem does not silence
    everything: -Wmaybe-uninitialized still fires inside ap_private.h (its constructors leave
    VAL unset before masking) once inlined into our code, and those are not ours to fix."""
    root = ap_types.resolve()
    return [m.group(0) for m in _WARNING.finditer(stderr) if not Path(m.group("file")).resolve().is_relative_to(root)]


def build(
    main_cpp: str,
    build_dir: Path,
    include_dirs: Sequence[Path] = (),
    *,
    library: bool = True,
    depends: Sequence[Path] = (),
) -> Path:
    """Compile `main_cpp` (with hls/ and `include_dirs` on the include path) into an
    executable in `build_dir`; raises FinnError on a compile error or any g++ warning.
    An unchanged source (and headers) reuses the previous executable. `library=False`
    leaves hls/ off the path (generated code brings its own copies); `depends` are further
    files the main includes by path (generated sources), part of the rebuild key."""
    cxx = _compiler()
    ap_types = ap_types_dir()
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / "fx_csim.hpp").write_text(_IO_HEADER)
    src = build_dir / "main.cpp"
    src.write_text(main_cpp)
    includes = [*([hls_dir()] if library else []), *map(Path, include_dirs)]
    # the key covers the main, the compiler and flags, and every header of our libraries
    key = hashlib.sha256("\0".join([main_cpp, _IO_HEADER, cxx, str(ap_types), *CXXFLAGS]).encode())
    for folder in includes:
        for header in sorted(Path(folder).glob("*.hpp")):
            key.update(header.read_bytes())
    for dep in depends:
        key.update(Path(dep).read_bytes())
    exe = build_dir / "csim"
    stamp = build_dir / "csim.key"
    if exe.is_file() and stamp.is_file() and stamp.read_text() == key.hexdigest():
        return exe
    cmd = [cxx, *CXXFLAGS, "-isystem", str(ap_types), "-I", str(build_dir)]
    for folder in includes:
        cmd += ["-I", str(folder)]
    cmd += [str(src), "-o", str(exe)]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    (build_dir / "gcc.log").write_text(done.stderr)
    if done.returncode != 0:
        raise FinnError(f"g++ failed on {src}: {_one_line(done.stderr)} (full log: {build_dir / 'gcc.log'})")
    ours = own_warnings(done.stderr, ap_types)
    if ours:
        exe.unlink(missing_ok=True)
        raise FinnError(f"g++ warnings in {src}: {' | '.join(ours)[:400]} (full log: {build_dir / 'gcc.log'})")
    stamp.write_text(key.hexdigest())
    return exe


def run(exe: Path, run_dir: Path, inputs: Mapping[str, Sequence[int]], timeout: float = 600) -> dict[str, list[int]]:
    """Run a built C-simulation: write each input stream's beats to `<name>.in.hex` in
    `run_dir`, run, and return every `<name>.out.hex` the program wrote as beats."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    for old in run_dir.glob("*.out.hex"):
        old.unlink()
    for name, beats in inputs.items():
        (run_dir / f"{name}.in.hex").write_text("".join(f"{int(b):x}\n" for b in beats))
    try:
        done = subprocess.run([str(exe), str(run_dir)], check=False, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise FinnError(f"C-simulation {exe} did not finish in {timeout:g} s") from None
    if done.returncode != 0:
        raise FinnError(f"C-simulation {exe} exited with {done.returncode}: {_one_line(done.stderr + done.stdout)}")
    # hls::stream's read() of an empty stream only prints a warning and returns 0 in
    # C-simulation; in hardware it blocks forever, so it is a failure here
    if "read while empty" in done.stdout:
        empty = next(ln for ln in done.stdout.splitlines() if "read while empty" in ln)
        raise FinnError(f"C-simulation {exe} would hang: {empty.strip()}")
    return {
        f.name[: -len(".out.hex")]: [int(line, 16) for line in f.read_text().split()]
        for f in sorted(run_dir.glob("*.out.hex"))
    }


def compile_and_run(
    main_cpp: str,
    build_dir: Path,
    inputs: Mapping[str, Sequence[int]],
    include_dirs: Sequence[Path] = (),
) -> dict[str, list[int]]:
    """build + run in one call: the output streams' beats by name."""
    exe = build(main_cpp, build_dir, include_dirs)
    return run(exe, Path(build_dir) / "run", inputs)
