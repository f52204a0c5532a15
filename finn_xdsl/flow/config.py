"""
What a build is asked to do, checked once before anything runs: a bad option is one
`error:` line and no folder, never a failure half-way through the stages.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from finn_xdsl.boards import DEFAULT_BOARD, DEFAULT_CLK_NS, Board
from finn_xdsl.boards import board as find_board
from finn_xdsl.errors import FinnError
from finn_xdsl.flow.inputs import sample_input_path
from finn_xdsl.passes.specialize import PREFER as PREFER_CHOICES  # `--impl` is specialize{prefer}

DEFAULT_TARGET_FPS = 10_000


@dataclass(frozen=True)
class BuildConfig:
    """The validated options of one build (see `finn_xdsl.flow.build`)."""

    model: Path
    out_dir: Path  # absolute
    target_fps: float | None  # None with a folding file
    folding: Path | None  # absolute
    board: Board
    clock_ns: float
    prefer: str
    verify: bool = False
    csim: bool = False
    sample: Path | None = None  # the sample input (--input, else <model>_input.npy)
    n_random: int = 3
    seed: int = 0


def make_config(model: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                target_fps: float | None = None, folding: str | None = None, board: str | None = None,
                clock_ns: float | None = None, prefer: str = "rtl", verify: bool = False, csim: bool = False,
                input_npy: str | None = None, n_random: int = 3, seed: int = 0) -> BuildConfig:
    """Check build()'s options (FinnError for the first bad one) and resolve defaults."""
    if target_fps is not None and folding is not None:
        raise FinnError("give either a target fps or a folding file, not both")
    if prefer not in PREFER_CHOICES:
        raise FinnError(f"unknown implementation '{prefer}'; expected one of {', '.join(PREFER_CHOICES)}")
    b = find_board(board or DEFAULT_BOARD)
    clk = DEFAULT_CLK_NS if clock_ns is None else float(clock_ns)
    if not clk > 0:
        raise FinnError(f"clock period must be positive, got {clock_ns} ns")
    fold_file = _folding_file(folding) if folding is not None else None
    fps = None
    if fold_file is None:
        fps = DEFAULT_TARGET_FPS if target_fps is None else target_fps
        if not fps > 0:
            raise FinnError(f"target fps must be positive, got {target_fps}")
    model = Path(model)
    sample = Path(input_npy) if input_npy else sample_input_path(model)
    if input_npy and not sample.is_file():  # type: ignore[union-attr]
        raise FinnError(f"{input_npy}: no such file")
    return BuildConfig(model, Path(out_dir).resolve(), fps, fold_file, b, clk, prefer, verify, csim, sample,
                       n_random, seed)


def _folding_file(folding: str) -> Path:
    if not os.path.isfile(folding):
        raise FinnError(f"{folding}: no such folding file")
    try:
        json.loads(Path(folding).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FinnError(f"{folding}: not a JSON folding configuration ({e})") from None
    return Path(os.path.abspath(folding))
