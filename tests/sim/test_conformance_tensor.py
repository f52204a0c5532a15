"""Elementwise and data-movement ops, bit for bit against qonnx's `execute_onnx`
(onnxruntime for these standard ops), on plain random floats.

Sigmoid and Pow are transcendental: the brief allows 1 ulp, but we match onnxruntime
bit for bit (MLAS's logistic polynomial with FMAs; the C library's powf), which the
large-tensor tests check with special values included.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from conformance_util import (
    F32,
    check,
    execute,
    floats,
    i64,
    import_error,
    import_onnx,
    load_model,
    model,
    node,
    reference,
    save,
)

from finn_xdsl.sim import kernels

RNG = np.random.default_rng(99)

# ----------------------------------------------------------------------------- binary ops

# rank-0 graph inputs are left out: qonnx's execute_onnx stores them as shape [1]
BROADCASTS = [
    ((2, 3, 4), (2, 3, 4)),
    ((2, 3, 4), (4,)),
    ((2, 1, 4), (3, 1)),
    ((1,), (2, 3)),
    ((2, 3, 4), (1, 1, 1)),
    ((3, 1), (1, 4)),
]


def binary_draw(op: str, a, b, b_input: bool):
    def draw(rng):
        if op == "Pow":  # positive bases, exponents around [-3, 3]
            d = {"a": np.abs(floats(rng, a)) + F32(0.01)}
            if b_input:
                d["b"] = floats(rng, b, 1.5)
        else:
            d = {"a": floats(rng, a)}
            if b_input:
                d["b"] = floats(rng, b)
        return d

    return draw


BINARY = [
    (op, a, b, b_input)
    for op, (a, b), b_input in itertools.product(
        ["Add", "Sub", "Mul", "Div", "Pow"], BROADCASTS + [((2, 3, 4), ())], [True, False]
    )
    if not (b == () and b_input)
]


@pytest.mark.parametrize(
    "op, a, b, b_input",
    BINARY,
    ids=[f"{op}-{a}-{b}-{'input' if i else 'initializer'}" for op, a, b, i in BINARY],
)
def test_binary(tmp_path, op, a, b, b_input):
    inits = {} if b_input else {"b": floats(RNG, b, 1.5)}
    proto = model(
        [node(op, ["a", "b"], ["y"])],
        {"a": a, **({"b": b} if b_input else {})},
        ["y"],
        inits,
        opset=14,
    )
    check(proto, tmp_path, binary_draw(op, a, b, b_input))


@pytest.mark.parametrize("first", [True, False], ids=["initializer-first", "input-first"])
@pytest.mark.parametrize("op", ["Add", "Sub", "Mul", "Div"])
def test_binary_scalar_initializer(tmp_path, op, first):
    """A rank-0 constant on either side (how Brevitas exports scale multiplications)."""
    c = np.array(0.37, F32)
    inputs = ["c", "x"] if first else ["x", "c"]
    proto = model([node(op, inputs, ["y"])], {"x": (2, 3, 4)}, ["y"], {"c": c}, opset=14)
    check(proto, tmp_path, lambda rng: {"x": floats(rng, (2, 3, 4))})


POW_EXPONENTS = [2.0, 3.0, 0.5, -1.0, 1.5, 4.0, 1.0, 0.0, -2.0, 2.2]


@pytest.mark.parametrize(
    "shape", [(), (1,), (2, 1), (4,)], ids=["scalar", "[1]", "column", "vector"]
)
@pytest.mark.parametrize("e", POW_EXPONENTS)
def test_pow_constant_exponent(tmp_path, e, shape):
    """onnxruntime squares/cubes when the exponent is broadcast along the innermost axis
    and equals 2/3, and calls powf otherwise (also for a full vector of 2s or 3s)."""
    x = (3, 2, 4)
    proto = model(
        [node("Pow", ["x", "e"], ["y"])], {"x": x}, ["y"], {"e": np.full(shape, e, F32)}, opset=15
    )
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})  # negative bases too: NaN or signed


@pytest.mark.parametrize("e", [2, 3, 5, -1])
def test_pow_integer_exponent(tmp_path, e):
    """An int64 exponent: std::pow(float, int64) computes in double."""
    x = (3, 4)
    proto = model(
        [node("Pow", ["x", "e"], ["y"])], {"x": x}, ["y"], {"e": np.array(e, np.int64)}, opset=15
    )
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


def test_pow_scalar_base(tmp_path):
    proto = model(
        [node("Pow", ["b", "x"], ["y"])], {"x": (3, 4)}, ["y"], {"b": np.array(2.5, F32)}, opset=15
    )
    check(proto, tmp_path, lambda rng: {"x": floats(rng, (3, 4), 2.0)})


def special_values(rng, shape, scale=8.0):
    x = floats(rng, shape, scale)
    flat = x.reshape(-1)
    flat[:12] = [0.0, -0.0, np.inf, -np.inf, np.nan, 18.0, -18.0, 30.0, -30.0, 1e-30, -1e-30, 88.0]
    flat[12::97] = np.round(flat[12::97])
    return x


def test_pow_many_values(tmp_path):
    """Every element of a large tensor, both operands random (powf, no shortcut)."""
    shape = (64, 257)

    def draw(rng):
        return {"a": np.abs(special_values(rng, shape, 3.0)), "b": special_values(rng, shape, 2.0)}

    proto = model([node("Pow", ["a", "b"], ["y"])], {"a": shape, "b": shape}, ["y"], opset=15)
    check(proto, tmp_path, draw, draws=2)


# ----------------------------------------------------------------------------- unary ops


@pytest.mark.parametrize("op", ["Relu", "Sigmoid", "Sqrt", "Identity"])
def test_unary(tmp_path, op):
    shape = (64, 257)  # 257: not a multiple of the 8-lane SIMD width

    def draw(rng):
        x = special_values(rng, shape)
        return {"x": np.abs(x) if op == "Sqrt" else x}

    proto = model([node(op, ["x"], ["y"])], {"x": shape}, ["y"], opset=14)
    check(proto, tmp_path, draw, draws=3)


@pytest.mark.parametrize("shape", [(1,), (3,), (7,), (8,), (2, 13)], ids=str)
def test_sigmoid_small_tensors(tmp_path, shape):
    """MLAS takes a masked tail path for the last < 8 elements; same arithmetic."""
    proto = model([node("Sigmoid", ["x"], ["y"])], {"x": shape}, ["y"], opset=13)
    check(proto, tmp_path, lambda rng: {"x": floats(rng, shape, 6.0)})


def test_fma_rounds_once():
    """kernels.fma against exact rational arithmetic, including halfway cases."""
    rng = np.random.default_rng(0)
    a = floats(rng, 4000, 10.0)
    b = floats(rng, 4000, 10.0)
    c = floats(rng, 4000, 50.0)
    c[::2] = -(a[::2].astype(np.float64) * b[::2]).astype(F32)  # cancellation
    c[1::4] = F32(1.0)
    a[3::8], b[3::8] = F32(1.0) + F32(2.0**-12), F32(1.0) + F32(2.0**-12)  # product just past a tie
    got = kernels.fma(a, b, c)
    for ai, bi, ci, gi in zip(a, b, c, got):
        exact = Fraction(float(ai)) * Fraction(float(bi)) + Fraction(float(ci))
        lo = F32(float(exact))  # nearest double, then nearest float: may double-round
        candidates = {lo, np.nextafter(lo, F32(np.inf)), np.nextafter(lo, F32(-np.inf))}
        best = min(
            candidates,
            key=lambda v: (abs(Fraction(float(v)) - exact), int(np.float32(v).view(np.uint32)) & 1),
        )
        assert gi == best, (ai, bi, ci, gi, best)


# ----------------------------------------------------------------------------- data movement

RESHAPES = [
    ((2, 3, 4), [0, -1], 0),
    ((2, 3, 4), [-1], 0),
    ((2, 3, 4), [4, 0, 2], 0),
    ((2, 3, 4), [0, 0, -1], 0),
    ((2, 3, 4), [2, 3, 4, 1], 1),
    ((2, 3, 4), [6, -1], 1),
]


@pytest.mark.parametrize(
    "x, shape, allowzero", RESHAPES, ids=[f"{s}-allowzero{z}" for _, s, z in RESHAPES]
)
def test_reshape(tmp_path, x, shape, allowzero):
    proto = model(
        [node("Reshape", ["x", "s"], ["y"], allowzero=allowzero)],
        {"x": x},
        ["y"],
        {"s": np.array(shape, np.int64)},
        opset=14,
    )
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


@pytest.mark.parametrize(
    "x, axis",
    [(x, a) for x in [(2, 3, 4), (2, 3, 4, 5)] for a in range(-len(x), len(x) + 1)],
    ids=lambda v: str(v),
)
def test_flatten(tmp_path, x, axis):
    proto = model([node("Flatten", ["x"], ["y"], axis=axis)], {"x": x}, ["y"])
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


@pytest.mark.parametrize(
    "x, perm",
    [
        ((2, 3, 4), None),
        ((2, 3, 4), [0, 2, 1]),
        ((2, 3, 4, 5), [0, 2, 3, 1]),
        ((2, 3, 4, 5), [3, 1, 0, 2]),
    ],
    ids=lambda v: str(v),
)
def test_transpose(tmp_path, x, perm):
    attrs = {} if perm is None else {"perm": perm}
    proto = model([node("Transpose", ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_concat(tmp_path, axis):
    """Three inputs (one an initializer) of extents 1, 2 and 3 along the axis."""
    shapes = []
    for n in (1, 2, 3):
        s = [2, 3, 4]
        s[axis] = n
        shapes.append(tuple(s))
    proto = model(
        [node("Concat", ["a", "b", "c"], ["y"], axis=axis)],
        {"a": shapes[0], "b": shapes[1]},
        ["y"],
        {"c": floats(RNG, shapes[2])},
    )
    check(proto, tmp_path, lambda rng: {"a": floats(rng, shapes[0]), "b": floats(rng, shapes[1])})


PADS = [
    ("constant", [0, 1, 2, 0, 2, 1], None),
    ("constant", [0, 0, 1, 1, 0, 0, 1, 1], 1.5),
    ("constant", [0, 0, -1, 1, 0, 0, 1, -1], -2.0),
    ("reflect", [0, 0, 2, 1, 0, 0, 1, 2], None),
    ("reflect", [0, 1, 2, 0, 1, 2], None),
    ("edge", [0, 1, 2, 3, 0, 1, 2, 0], None),
    ("edge", [1, 0, 2, 1, 0, 3], None),
]


@pytest.mark.parametrize("mode, pads, value", PADS, ids=[f"{m}-{p}-{v}" for m, p, v in PADS])
def test_pad(tmp_path, mode, pads, value):
    x = (2, 3, 4, 5) if len(pads) == 8 else (2, 3, 4)
    inputs, inits = ["x", "p"], {"p": np.array(pads, np.int64)}
    if value is not None:
        inputs.append("v")
        inits["v"] = np.array(value, F32)
    proto = model([node("Pad", inputs, ["y"], mode=mode)], {"x": x}, ["y"], inits)
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


def test_pad_wrap_is_refused(tmp_path):
    proto = model(
        [node("Pad", ["x", "p"], ["y"], mode="wrap")],
        {"x": (2, 3)},
        ["y"],
        {"p": np.array([0, 1, 0, 1], np.int64)},
        opset=19,
    )
    assert "mode 'wrap'" in import_error(proto, tmp_path)


def test_pad_axes_input_is_refused(tmp_path):
    proto = model(
        [node("Pad", ["x", "p", "v", "axes"], ["y"])],
        {"x": (2, 3)},
        ["y"],
        {"p": np.array([1, 1], np.int64), "v": np.array(0.0, F32), "axes": np.array([1], np.int64)},
        opset=18,
    )
    assert "inputs" in import_error(proto, tmp_path)


def ties_draw(shape, scale=1.5):
    """Small integers: many equal values, to pin down tie-breaking."""
    return lambda rng: {"x": np.round(floats(rng, shape, scale))}


TOPK = [
    (x, k, axis, largest)
    for x, k, axis, largest in itertools.product([(3, 7), (2, 5, 4)], [1, 3], [-1, 0, 1], [0, 1])
    if k <= x[axis]
]


@pytest.mark.parametrize("x, k, axis, largest", TOPK, ids=[str(t) for t in TOPK])
def test_topk(tmp_path, x, k, axis, largest):
    """Sorted output; among equal values the lower index comes first."""
    proto = model(
        [node("TopK", ["x", "k"], ["v", "i"], axis=axis, largest=largest)],
        {"x": x},
        {"v": None, "i": i64()},
        {"k": np.array([k], np.int64)},
        opset=11,
    )
    check(proto, tmp_path, ties_draw(x))


@pytest.mark.parametrize("largest", [0, 1])
@pytest.mark.parametrize("x, k", [((3, 12), 5), ((2, 200), 150)], ids=str)
def test_topk_unsorted_selects_the_same_elements(tmp_path, x, k, largest):
    """sorted=0 leaves the order unspecified (onnxruntime returns heap order): compare the
    selected (index, value) pairs in index order."""
    proto = model(
        [node("TopK", ["x", "k"], ["v", "i"], axis=1, largest=largest, sorted=0)],
        {"x": x},
        {"v": None, "i": i64()},
        {"k": np.array([k], np.int64)},
        opset=11,
    )
    path = save(proto, tmp_path)
    module, wrapper = import_onnx(path), load_model(path)
    rng = np.random.default_rng(0)
    for _ in range(5):
        inputs = {wrapper.graph.input[0].name: np.round(floats(rng, x, 1.5))}
        ref, got = reference(wrapper, inputs), execute(module, inputs)
        (rv, ri), (gv, gi) = ref.values(), got.values()
        order_r, order_g = np.argsort(ri, axis=1), np.argsort(gi, axis=1)
        assert np.array_equal(
            np.take_along_axis(ri, order_r, 1), np.take_along_axis(gi, order_g, 1)
        )
        assert np.array_equal(
            np.take_along_axis(rv, order_r, 1), np.take_along_axis(gv, order_g, 1)
        )


ARGMAX = list(itertools.product([(3, 7), (2, 5, 4)], [-1, 0, 1], [0, 1], [0, 1]))


@pytest.mark.parametrize("x, axis, keepdims, last", ARGMAX, ids=[str(t) for t in ARGMAX])
def test_argmax(tmp_path, x, axis, keepdims, last):
    proto = model(
        [node("ArgMax", ["x"], ["y"], axis=axis, keepdims=keepdims, select_last_index=last)],
        {"x": x},
        {"y": i64()},
    )
    check(proto, tmp_path, ties_draw(x, 1.0))
