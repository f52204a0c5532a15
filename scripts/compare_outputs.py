#!/usr/bin/env python3
"""
Do two revisions of finn-xdsl build the same files? A restructuring must change no output.

    scripts/compare_outputs.py BASE_REV [HEAD_REV] [-j N]

builds every bundled model (tests/data/*_ts_clean.onnx) at 1e3, 1e4 and 1e5 frames/s with
each layer style (--impl rtl, hls, finn) with finn-build, once with each revision's code,
and compares the build folders file by file: SystemVerilog, HLS C++, Vivado/Vitis Tcl,
reports, driver, test bench, the intermediate IR, build_info.json and build.log, plus the
exit code and the error/warning/remark lines. Exit status 0: all identical; 1: something
differs (listed, with the first lines of each text diff); 2: bad usage.

Why this way:
- Each revision runs from a tree exported with `git archive` (no `git worktree` entry to
  clean up when interrupted) with PYTHONPATH pointing at it, under the Python running this
  script: PYTHONPATH wins over an editable install of finn-xdsl (checked before building),
  and rtl/ and hls/ are found beside the package, so each revision builds with its own code
  and libraries. HEAD_REV "." means this checkout's working tree, uncommitted edits included.
- Both revisions read the same copies of the models, so paths in the outputs agree.
- Intended renames are read as equal, each only where it applies (RENAMES): the dialect
  `quant` -> `qonnx` in .mlir files (a `quant.` prefix read as `qonnx.`), and the module
  the test bench's sim/run_sim.py imports (finn_xdsl.sim.design_sim ->
  finn_xdsl.verify.design_sim). The summary counts the files where one was needed.
- Per-build timings (report/time_per_step.json) are skipped: they differ on every run.
- A commit's builds are cached (~/.cache/finn-xdsl/compare_outputs, keyed by the commit,
  the models and the Python), so comparing against a fixed base costs only HEAD's builds.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FPS = ("1e3", "1e4", "1e5")
PREFER_CHOICES = ("rtl", "hls", "finn")  # finn-build --impl (specialize{prefer})
SKIP = {"report/time_per_step.json"}  # per-build timings
CACHE_FORMAT = 2  # bump when the build commands change, so old cache entries are not reused
KEEP_CACHED = 4  # revisions kept in the cache
# (files it applies to, old, new): renames the restructuring of issue 13 made on purpose
RENAMES = (
    (re.compile(r"\.mlir$"), re.compile(rb"(?<![\w.])quant\."), b"qonnx."),  # quant.matmul, !quant.bipolar
    (re.compile(r"^sim/run_sim\.py$"), re.compile(rb"\bfinn_xdsl\.sim\.design_sim\b"), b"finn_xdsl.verify.design_sim"),
)
_MESSAGE = re.compile(r"^(error|warning|remark):")


class UsageError(Exception):
    """Bad input: one `error:` line, exit 2."""


@dataclass(frozen=True)
class Case:
    model: str  # stem of tests/data/<model>.onnx
    fps: str
    impl: str

    @property
    def name(self) -> str:
        return f"{self.model}/fps{self.fps}_{self.impl}"


@dataclass
class Revision:
    label: str  # as given
    sha: str | None  # None: the working tree
    tree: Path | None = None  # where its code is
    out: Path | None = None  # builds: out/<case.name>/{build/, result.json}


def _revision(label: str) -> Revision:
    if label == ".":
        return Revision(label, None, REPO)
    r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{label}^{{commit}}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise UsageError(f"{label}: not a revision of {REPO}")
    return Revision(label, r.stdout.strip())


def _export(sha: str, dest: Path) -> None:
    """The commit's files (no .git) into dest."""
    data = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}


def _check_imports_from(tree: Path) -> None:
    """PYTHONPATH must win over an installed finn-xdsl, else both sides run the same code."""
    where = subprocess.run([sys.executable, "-c", "import finn_xdsl; print(finn_xdsl.__file__)"],
                           env=_env(tree), cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if where.returncode != 0 or not Path(where.stdout.strip()).resolve().is_relative_to(tree.resolve()):
        raise UsageError(f"finn_xdsl does not import from {tree} (got {where.stdout.strip() or where.stderr})")


def _models(models_dir: Path) -> list[str]:
    """Copies of the bundled models and their sample inputs (read by the test bench)."""
    data = REPO / "tests" / "data"
    stems = sorted(p.stem for p in data.glob("*_ts_clean.onnx"))
    for stem in stems:
        shutil.copy(data / f"{stem}.onnx", models_dir)
        sample = data / f"{stem.removesuffix('_ts_clean')}_input.npy"
        if sample.is_file():
            shutil.copy(sample, models_dir)
    return stems


def _cache_key(sha: str, models_dir: Path) -> str:
    h = hashlib.sha256(f"{CACHE_FORMAT} {sha} {sys.executable} {sys.version}".encode())
    for f in sorted(models_dir.iterdir()):
        h.update(f.name.encode() + f.read_bytes())
    return f"{sha[:12]}-{h.hexdigest()[:12]}"


def _build(rev: Revision, case: Case, models_dir: Path) -> float:
    """finn-build of one case (skipped when its result is there already); seconds taken."""
    assert rev.tree is not None and rev.out is not None
    where = rev.out / case.name
    if (where / "result.json").is_file():
        return 0.0
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "finn_xdsl.tools.finn_build", str(models_dir / f"{case.model}.onnx"),
         "-o", str(where / "build"), "--target-fps", case.fps, "--impl", case.impl],
        env=_env(rev.tree), cwd=where, capture_output=True, text=True,
    )
    messages = [line for line in r.stderr.splitlines() if _MESSAGE.match(line)]
    result = {"returncode": r.returncode, "messages": messages}
    if r.returncode != 0 and not messages:  # no diagnostic: the build crashed (kept to show it)
        result["crash"] = r.stderr.strip().splitlines()[-5:]
    (where / "result.json").write_text(json.dumps(result, indent=1))
    return time.perf_counter() - t


def _crashes(rev: Revision, cases: list[Case]) -> list[str]:
    """The builds of `rev` that failed without a diagnostic, each with its last stderr line."""
    assert rev.out is not None
    out = []
    for case in cases:
        result = json.loads((rev.out / case.name / "result.json").read_text())
        if result.get("crash"):
            out.append(f"{rev.label} {case.name}: {result['crash'][-1]}")
    return out


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def _same(a: bytes, b: bytes, rel: str) -> tuple[bool, bool]:
    """(equal, equal only once the intended renames are read as equal)."""
    if a == b:
        return True, False
    for files, old, new in RENAMES:
        if files.search(rel):
            a, b = old.sub(new, a), old.sub(new, b)
    return a == b, a == b


def _diff_lines(a: bytes, b: bytes, rel: str, n: int) -> list[str]:
    try:
        la, lb = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        return [f"    binary files differ ({len(a)} vs {len(b)} bytes)"]
    lines = list(difflib.unified_diff(la, lb, f"base/{rel}", f"head/{rel}", n=0, lineterm=""))
    return ["    " + line[:200] for line in lines[:n]] + (["    ..."] if len(lines) > n else [])


def compare_case(base: Path, head: Path, show: int) -> tuple[int, int, list[str]]:
    """(files compared, files normalised, difference lines) of one case's two build dirs."""
    out: list[str] = []
    ra, rb = (json.loads((d / "result.json").read_text()) for d in (base, head))
    if ra != rb:
        out.append(f"  exit code / messages: base {ra} != head {rb}")
    fa = {k: v for k, v in _files(base / "build").items() if k not in SKIP}
    fb = {k: v for k, v in _files(head / "build").items() if k not in SKIP}
    out += [f"  only in base: {rel}" for rel in sorted(fa.keys() - fb.keys())]
    out += [f"  only in head: {rel}" for rel in sorted(fb.keys() - fa.keys())]
    normalised = 0
    for rel in sorted(fa.keys() & fb.keys()):
        a, b = fa[rel].read_bytes(), fb[rel].read_bytes()
        same, renamed = _same(a, b, rel)
        normalised += renamed
        if not same:
            out.append(f"  differs: {rel}")
            out += _diff_lines(a, b, rel, show)
    return len(fa.keys() & fb.keys()), normalised, out


def _prune_cache(cache: Path, keep: set[Path]) -> None:
    entries = sorted((p for p in cache.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_CACHED:]:
        if old not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _prepare(rev: Revision, tmp: Path, models_dir: Path, cache: Path | None) -> None:
    """Export the revision's tree and choose where its builds go (the cache for commits)."""
    if rev.sha is not None:
        rev.tree = tmp / f"tree-{rev.sha[:12]}"
        if not rev.tree.exists():
            _export(rev.sha, rev.tree)
    if rev.sha is not None and cache is not None:
        rev.out = cache / _cache_key(rev.sha, models_dir)
        rev.out.mkdir(parents=True, exist_ok=True)
        os.utime(rev.out)
    else:
        rev.out = tmp / f"out-{rev.sha or 'worktree'}"
    assert rev.tree is not None
    _check_imports_from(rev.tree)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip(),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", metavar="BASE_REV", help="the revision the outputs must equal")
    p.add_argument("head", metavar="HEAD_REV", nargs="?", default="HEAD",
                   help='the revision to check (default HEAD; "." = the working tree)')
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="builds run in parallel")
    p.add_argument("--models", nargs="+", metavar="STEM", help="only these models (file stems)")
    p.add_argument("--fps", nargs="+", default=list(FPS), help=f"target fps values (default {' '.join(FPS)})")
    p.add_argument("--impl", nargs="+", default=list(PREFER_CHOICES), choices=PREFER_CHOICES,
                   help="layer styles (default all)")
    p.add_argument("--show", type=int, default=12, metavar="N", help="diff lines shown per differing file")
    p.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "finn-xdsl" / "compare_outputs",
                   help="where commits' builds are kept (default %(default)s)")
    p.add_argument("--no-cache", action="store_true", help="build both revisions afresh")
    return p


def run(args: argparse.Namespace) -> int:
    revs = [_revision(args.base), _revision(args.head)]
    cache = None if args.no_cache else args.cache
    with tempfile.TemporaryDirectory(prefix="compare_outputs-") as t:
        tmp = Path(t)
        models_dir = tmp / "models"
        models_dir.mkdir()
        stems = _models(models_dir)
        if args.models:
            unknown = sorted(set(args.models) - set(stems))
            if unknown:
                raise UsageError(f"unknown model {unknown[0]}; tests/data has {', '.join(stems)}")
            stems = args.models
        for rev in revs:
            _prepare(rev, tmp, models_dir, cache)
        if cache is not None:
            _prune_cache(cache, {rev.out for rev in revs if rev.out is not None})
        cases = [Case(m, f, i) for m in sorted(stems, key=lambda s: not s.startswith("cnv")) for f in args.fps
                 for i in args.impl]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            # one build per (folder, case): two labels of one commit share the cached folder
            tasks = list({(r.out, c): (r, c) for r in revs for c in cases}.values())
            built = list(pool.map(lambda rc: _build(rc[0], rc[1], models_dir), tasks))
        print(f"compare_outputs: {len(cases)} builds per revision, {sum(1 for s in built if s)} run "
              f"({time.perf_counter() - t0:.0f} s), the rest cached")
        crashed = [line for rev in revs for line in _crashes(rev, cases)]
        if crashed:  # identical crashes would compare as "identical": no evidence either way
            raise UsageError(f"{len(crashed)} builds crashed, nothing to compare:\n  " + "\n  ".join(crashed[:8]))
        return _report(revs, cases, args.show)


def _report(revs: list[Revision], cases: list[Case], show: int) -> int:
    base, head = revs
    assert base.out is not None and head.out is not None
    files = normalised = 0
    bad: list[str] = []
    for case in cases:
        n, k, lines = compare_case(base.out / case.name, head.out / case.name, show)
        files, normalised = files + n, normalised + k
        if lines:
            bad.append(case.name)
            print(f"{case.name}:", *lines, sep="\n")
    what = f"{base.label} ({(base.sha or 'working tree')[:12]}) vs {head.label} ({(head.sha or 'working tree')[:12]})"
    norm = f"; equal up to the intended renames in {normalised} files" if normalised else ""
    if bad:
        print(f"compare_outputs: {what}: {len(bad)} of {len(cases)} builds differ ({files} files compared{norm})")
        return 1
    print(f"compare_outputs: {what}: all {len(cases)} builds identical ({files} files compared{norm})")
    return 0


def main() -> None:
    args = _parser().parse_args()
    try:
        sys.exit(run(args))
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
