"""
The inputs a build is checked on: the model's sample input and random ones in its range.
The test bench (sim/), --verify and --csim all use the same list, so a design that passes
one check was given the frames the others saw.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.errors import FinnError


def sample_input_path(model: Path) -> Path | None:
    """`<stem>_input.npy` beside the model (BNN-PYNQ names: tfc_2w2a_ts_clean.onnx -> tfc_2w2a_input.npy)."""
    stem = model.stem
    for s in (stem, re.sub(r"_ts_(clean|raw)$", "", stem)):
        p = model.with_name(f"{s}_input.npy")
        if p.is_file():
            return p
    return None


def load_sample(path: Path | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """The sample input, reshaped to the model's input shape (FinnError if it cannot be)."""
    if path is None:
        return None
    try:
        x = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise FinnError(f"{path}: not a numpy .npy file ({e})") from None
    if not isinstance(x, np.ndarray) or x.size != int(np.prod(shape)):
        raise FinnError(f"{path}: holds {getattr(x, 'shape', '?')}; the model's input is {list(shape)}")
    return x.reshape(shape)


def verification_inputs(shape: tuple[int, ...], sample: np.ndarray | None, n_random: int,
                        seed: int) -> list[np.ndarray]:
    """The sample (if any) then n_random inputs uniform over the sample's value range
    (integers if the sample holds integers), or over [0, 1] without a sample."""
    rng = np.random.default_rng(seed)
    lo, hi = (float(sample.min()), float(sample.max())) if sample is not None else (0.0, 1.0)
    integral = sample is not None and bool(np.all(sample == np.round(sample)))
    out = [] if sample is None else [sample.astype(np.float32).reshape(shape)]
    for _ in range(n_random):
        x = rng.uniform(lo, hi, shape)
        out.append((np.round(x) if integral else x).astype(np.float32))
    return out


def execute_shape(module: ModuleOp) -> tuple[int, ...]:
    """The shape of @main's (first) input."""
    from finn_xdsl.sim.execute import entry_function

    return tuple(entry_function(module).function_type.inputs.data[0].get_shape())  # type: ignore[attr-defined]
