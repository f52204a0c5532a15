"""Run one pass on a model and compare the interpreter's outputs before and after."""

from __future__ import annotations

import numpy as np
from conftest import DATA, model_family

from finn_xdsl.frontend.load import make_context
from finn_xdsl.sim.execute import execute, input_names
from finn_xdsl.utils.diagnostics import verify_module


def model_inputs(module, name: str, draws: int = 2, seed: int = 0) -> list[np.ndarray]:
    """The model's sample input plus `draws` seeded random inputs in [-1, 2]."""
    x = np.load(DATA / f"{model_family(name)}_input.npy")
    rng = np.random.default_rng(seed)
    return [x] + [rng.uniform(-1, 2, x.shape).astype(np.float32) for _ in range(draws)]


def run(module, inputs):
    name = input_names(module)[0]
    return [list(execute(module, {name: x}).values()) for x in inputs]


def assert_pass_preserves(module, pass_, inputs, where: str = ""):
    """Apply pass_ to module (in place) and demand bit-identical outputs on inputs."""
    before = run(module, inputs)
    pass_.apply(make_context(), module)
    verify_module(module, where or "module")
    after = run(module, inputs)
    for i, (b, a) in enumerate(zip(before, after)):
        for bo, ao in zip(b, a):
            np.testing.assert_array_equal(ao, bo, err_msg=f"{where}: input {i}")
    return module
