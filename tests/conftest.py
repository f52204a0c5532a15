"""Shared test data: the BNN-PYNQ QONNX models bundled in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MODELS = ["tfc_1w1a", "tfc_1w2a", "tfc_2w2a", "cnv_1w1a", "cnv_1w2a", "cnv_2w2a"]
KINDS = ["raw", "clean"]
MODEL_FILES = [f"{m}_ts_{k}" for m in MODELS for k in KINDS]


def model_path(name: str) -> Path:
    """Path of a bundled model: `tfc_2w2a_ts_clean` -> tests/data/tfc_2w2a_ts_clean.onnx."""
    return DATA / f"{name}.onnx"


def model_family(name: str) -> str:
    """`cnv_1w1a_ts_raw` -> `cnv_1w1a` (the prefix of its input/output .npy files)."""
    return name.split("_ts_")[0]


@pytest.fixture(scope="session")
def imported():
    """Import each model once per session (CNV import costs ~0.3 s)."""
    from finn_xdsl.frontend.qonnx import import_onnx

    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = import_onnx(model_path(name))
        return cache[name]

    return get
