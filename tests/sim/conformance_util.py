"""Helpers for the op-by-op conformance tests against qonnx's `execute_onnx`.

Each test builds a small ONNX model with `onnx.helper`, imports it with our frontend and
runs it with our interpreter, then runs qonnx's reference on the cleaned model (the same
ModelWrapper the frontend imports) and demands identical outputs for many seeded inputs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from finn_xdsl.frontend.qonnx import import_onnx, load_model
from finn_xdsl.sim import execute

QDOMAIN = "qonnx.custom_op.general"
F32 = np.float32
DRAWS = 5

Inputs = Mapping[str, np.ndarray]


def node(op_type: str, inputs: Sequence[str], outputs: Sequence[str], qonnx: bool = False, **attrs):
    """One ONNX node; QONNX ops live in the qonnx domain."""
    return helper.make_node(op_type, list(inputs), list(outputs), domain=QDOMAIN if qonnx else "", **attrs)


def _value_info(name: str, spec) -> onnx.ValueInfoProto:
    """spec: a shape (float32 tensor), or (elem_type, shape); shape None = unknown."""
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], int) and not isinstance(spec[1], int):
        elem, shape = spec
    else:
        elem, shape = TensorProto.FLOAT, spec
    return helper.make_tensor_value_info(name, elem, None if shape is None else list(shape))


def model(
    nodes,
    inputs: Mapping[str, object],
    outputs: Mapping[str, object] | Sequence[str],
    inits: Mapping[str, np.ndarray] | None = None,
    opset: int = 13,
    qonnx_opset: int | None = None,
) -> onnx.ModelProto:
    """A model proto; outputs without a shape are left to shape inference."""
    if not isinstance(outputs, Mapping):
        outputs = {o: None for o in outputs}
    graph = helper.make_graph(
        list(nodes),
        "conformance",
        [_value_info(n, s) for n, s in inputs.items()],
        [_value_info(n, s) for n, s in outputs.items()],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in (inits or {}).items()],
    )
    opsets = [helper.make_opsetid("", opset)]
    if qonnx_opset is not None:
        opsets.append(helper.make_opsetid(QDOMAIN, qonnx_opset))
    proto = helper.make_model(graph, opset_imports=opsets)
    proto.ir_version = 8
    return proto


def save(proto: onnx.ModelProto, tmp_path: Path, name: str = "model.onnx") -> Path:
    path = tmp_path / name
    onnx.save(proto, str(path))
    return path


def reference(wrapper, inputs: Inputs) -> dict[str, np.ndarray]:
    from qonnx.core.onnx_exec import execute_onnx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return execute_onnx(wrapper, dict(inputs))


def assert_same(got: Mapping[str, np.ndarray], ref: Mapping[str, np.ndarray], maxulp: int | None = None,
                context: str = "") -> None:
    assert set(got) == set(ref), f"outputs {sorted(got)} vs reference {sorted(ref)}"
    for name, r in ref.items():
        g = got[name]
        r = np.asarray(r)
        assert g.shape == r.shape, f"{context}{name}: shape {g.shape} vs reference {r.shape}"
        assert g.dtype == r.dtype, f"{context}{name}: dtype {g.dtype} vs reference {r.dtype}"
        if maxulp is None:
            if not np.array_equal(g, r, equal_nan=True):
                bad = np.flatnonzero(g.reshape(-1) != r.reshape(-1))
                i = bad[0] if bad.size else 0
                raise AssertionError(
                    f"{context}{name}: {bad.size} of {r.size} elements differ, e.g. at flat "
                    f"index {i}: got {g.reshape(-1)[i]!r}, reference {r.reshape(-1)[i]!r}"
                )
        else:
            np.testing.assert_array_max_ulp(g, r, maxulp=maxulp, dtype=r.dtype)


def check(
    proto: onnx.ModelProto,
    tmp_path: Path,
    draw: Callable[[np.random.Generator], Inputs],
    draws: int = DRAWS,
    seed: int = 0,
    maxulp: int | None = None,
) -> dict[str, np.ndarray]:
    """Import and execute `proto` on `draws` random inputs; compare with qonnx. Returns
    the last reference outputs (for sanity checks in the test)."""
    path = save(proto, tmp_path)
    module = import_onnx(path)
    wrapper = load_model(path)
    # cleanup renames the graph inputs (global_in, global_in_1, ...): map by position
    names = [i.name for i in proto.graph.input if i.name not in {t.name for t in proto.graph.initializer}]
    clean = [i.name for i in wrapper.graph.input if wrapper.get_initializer(i.name) is None]
    assert len(names) == len(clean)
    rng = np.random.default_rng(seed)
    ref: dict[str, np.ndarray] = {}
    for i in range(draws):
        drawn = draw(rng)
        assert set(drawn) == set(names), f"draw gives {sorted(drawn)}, model takes {names}"
        inputs = {c: np.ascontiguousarray(drawn[n]) for n, c in zip(names, clean)}
        ref = reference(wrapper, inputs)
        got = execute(module, inputs)
        assert_same(got, ref, maxulp, context=f"draw {i}: ")
    return ref


# ----------------------------------------------------------------------------- input generators


def grid(rng: np.random.Generator, shape, lo: int = -32, hi: int = 32, denom: int = 8) -> np.ndarray:
    """Values k/denom for integer k in [lo, hi]: float sums of them are exact."""
    return (rng.integers(lo, hi + 1, size=shape) / denom).astype(F32)


def floats(rng: np.random.Generator, shape, scale: float = 3.0) -> np.ndarray:
    return (rng.standard_normal(shape) * scale).astype(F32)


def with_ties(rng: np.random.Generator, shape, scale: float = 1.0, span: int = 20) -> np.ndarray:
    """Values whose quotient by `scale` has many exact .5 ties, integers and zeros."""
    half = rng.integers(-span, span + 1, size=shape).astype(F32) / F32(2)
    noise = (rng.standard_normal(shape) * span / 4).astype(F32)
    pick = rng.random(shape)
    x = np.where(pick < 0.6, half, noise).astype(F32)
    return (x * F32(scale)).astype(F32)
