"""
The simulation build cache: compiled simulators kept between runs, by content.

Verilator's make and our g++ C-simulation builds judge staleness by path, contents and
mtime, so a fresh folder with the same sources would pay a full compile every time. The
cache keeps one folder per content hash under $FINN_XDSL_CACHE (default
~/.cache/finn_xdsl), copies sources in only when their bytes change, and drops the least
recently used folders beyond a limit. A folder in use holds an flock on its `.lock`, so
concurrent runs neither share a build nor delete one under each other. The hash includes
the Python environment (`toolchain_key`): a Verilator build's makefiles name the absolute
paths of the cocotb and Verilator files it compiled against, so a folder built by another
virtual environment (since removed, or another version) must not be reused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from pathlib import Path


def cache_root(kind: str) -> Path:
    """The cache folder for one kind of build ("rtlsim": whole designs, "layers": per layer)."""
    return Path(os.environ.get("FINN_XDSL_CACHE", Path.home() / ".cache" / "finn_xdsl")) / kind


def toolchain_key() -> bytes:
    """What a cached build depends on besides its sources: this Python environment."""
    return f"{sys.prefix}\0{sys.version}\0".encode()


def write_if_changed(dest: Path, data: bytes) -> Path:
    """Write `data` to `dest` unless it already holds exactly that (keeping its mtime)."""
    if not dest.is_file() or dest.read_bytes() != data:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return dest


def prune(root: Path, keep: set[Path], limit: int) -> None:
    """Keep at most `limit` entries of `root` (those in `keep` first, then the most recently
    used); entries another process has locked stay."""
    entries = sorted((e for e in root.iterdir() if e.is_dir() and e not in keep),
                     key=lambda e: e.stat().st_mtime, reverse=True)
    for old in entries[max(0, limit - len(keep)):]:
        with open(old / ".lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue
            shutil.rmtree(old, ignore_errors=True)
