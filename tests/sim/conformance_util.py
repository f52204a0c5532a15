"""Helpers for the op-by-op conformance tests against qonnx's `execute_onnx`.

Each test builds a small ONNX model with `onnx.helper`, imports it with our frontend and
runs it with our interpreter, then runs qonnx's reference on the cleaned model (the same
ModelWrapper the frontend imports) and demands identical outputs for many seeded inputs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from finn_xdsl.frontend.qonnx import import_onnx, load_model
from finn_xdsl.sim.execute import execute

QDOMAIN = "qonnx.custom_op.general"
F32 = np.float32
DRAWS = 5

Inputs = Mapping[str, np.ndarray]


def node(op_type: str, inputs: Sequence[str], outputs: Sequence[str], qonnx: bool = False, **attrs):
    """One ONNX node; QONNX ops live in the qonnx domain."""
    return helper.make_node(
        op_type, list(inputs), list(outputs), domain=QDOMAIN if qonnx else "", **attrs
    )


class Typed(NamedTuple):
    """A non-float32 graph input/output: ONNX element type and shape (None = unknown)."""

    elem: int
    shape: Sequence[int] | None = None


def i64(shape: Sequence[int] | None = None) -> Typed:
    return Typed(TensorProto.INT64, shape)


def _value_info(name: str, spec) -> onnx.ValueInfoProto:
    """spec: a shape of a float32 tensor (None = unknown), or a Typed."""
    elem, shape = (spec.elem, spec.shape) if isinstance(spec, Typed) else (TensorProto.FLOAT, spec)
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


def import_error(proto: onnx.ModelProto, tmp_path: Path) -> str:
    """The message of the FinnError the frontend raises for `proto` (fails if none)."""
    import pytest

    from finn_xdsl.errors import FinnError

    with pytest.raises(FinnError) as info:
        import_onnx(save(proto, tmp_path))
    return str(info.value)


def reference(wrapper, inputs: Inputs) -> dict[str, np.ndarray]:
    from qonnx.core.onnx_exec import execute_onnx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return execute_onnx(wrapper, dict(inputs))


def assert_same(
    got: Mapping[str, np.ndarray],
    ref: Mapping[str, np.ndarray],
    maxulp: int | None = None,
    context: str = "",
) -> None:
    assert set(got) == set(ref), f"outputs {sorted(got)} vs reference {sorted(ref)}"
    for name, r in ref.items():
        g = got[name]
        r = np.asarray(r)
        assert g.shape == r.shape, f"{context}{name}: shape {g.shape} vs reference {r.shape}"
        assert g.dtype == r.dtype, f"{context}{name}: dtype {g.dtype} vs reference {r.dtype}"
        if maxulp is None:
            # bit for bit: -0.0 differs from +0.0; any NaN equals any NaN
            same = g == r
            if g.dtype.kind == "f":
                same = (g.view(f"u{g.itemsize}") == r.view(f"u{r.itemsize}")) | (
                    np.isnan(g) & np.isnan(r)
                )
            if not np.all(same):
                bad = np.flatnonzero(~same.reshape(-1))
                i = bad[0]
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
    """Import and execute `proto` on `draws` random inputs; compare with qonnx bit for
    bit (or within `maxulp` ulp). Returns the last reference outputs."""
    path = save(proto, tmp_path)
    module = import_onnx(path)
    wrapper = load_model(path)
    # qonnx's cleanup may rename graph inputs (global_in, ...): map them by position
    names = [
        i.name for i in proto.graph.input if i.name not in {t.name for t in proto.graph.initializer}
    ]
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


def grid(
    rng: np.random.Generator, shape, lo: int = -32, hi: int = 32, denom: int = 8
) -> np.ndarray:
    """Values k/denom for integer k in [lo, hi]: float sums of them are exact."""
    return (rng.integers(lo, hi + 1, size=shape) / denom).astype(F32)


def floats(rng: np.random.Generator, shape, scale: float = 3.0) -> np.ndarray:
    return (rng.standard_normal(shape) * scale).astype(F32)
