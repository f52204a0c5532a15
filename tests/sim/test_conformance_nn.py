"""Linear algebra, convolution, pooling and normalization, bit for bit against qonnx's
`execute_onnx` (which runs these standard ops in onnxruntime).

Multiply-accumulate ops get inputs on a k/8 grid: their float sums are then exact in any
order, so bit-exactness tests the op's semantics, not onnxruntime's summation order
(MLAS sums K in blocks of FMAs, numpy/OpenBLAS differently; plain random floats differ
in the last bit). Elementwise parts (bias, alpha/beta, BatchNorm) get plain floats.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conformance_util import F32, check, floats, grid, i64, import_error, model, node

RNG = np.random.default_rng(1234)

# ----------------------------------------------------------------------------- MatMul

MATMUL_SHAPES = [
    ((3, 4), (4, 5)),
    ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (3, 4, 2)),
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4,)),
    ((5, 64), (64, 10)),
]


@pytest.mark.parametrize("weights", ["input", "initializer"])
@pytest.mark.parametrize("a, b", MATMUL_SHAPES, ids=[f"{a}x{b}" for a, b in MATMUL_SHAPES])
def test_matmul(tmp_path, a, b, weights):
    if weights == "input":
        proto = model([node("MatMul", ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
        check(proto, tmp_path, lambda rng: {"a": grid(rng, a), "b": grid(rng, b)})
    else:
        proto = model([node("MatMul", ["a", "w"], ["y"])], {"a": a}, ["y"], {"w": grid(RNG, b)})
        check(proto, tmp_path, lambda rng: {"a": grid(rng, a)})


# ----------------------------------------------------------------------------- Gemm

GEMM_C = {
    "none": None,
    "row": (5,),
    "row2d": (1, 5),
    "column": (3, 1),
    "full": (3, 5),
    "scalar": (),
}


@pytest.mark.parametrize("c", list(GEMM_C))
@pytest.mark.parametrize(
    "alpha, beta", [(1.0, 1.0), (0.5, 0.25), (0.1, 1.0), (3.0, 0.1), (1.0, 0.0)]
)
@pytest.mark.parametrize("trans_a, trans_b", list(itertools.product([0, 1], [0, 1])))
def test_gemm(tmp_path, trans_a, trans_b, alpha, beta, c):
    """alpha = 0.1 with a bias checks onnxruntime's fused alpha * AB + beta * C (one
    rounding), beta = 0 that C is then ignored."""
    a_shape = (4, 3) if trans_a else (3, 4)
    b_shape = (5, 4) if trans_b else (4, 5)
    inputs, inits = ["a", "b"], {}
    if GEMM_C[c] is not None:
        inputs.append("c")
        inits["c"] = floats(RNG, GEMM_C[c])
    proto = model(
        [node("Gemm", inputs, ["y"], transA=trans_a, transB=trans_b, alpha=alpha, beta=beta)],
        {"a": a_shape, "b": b_shape},
        ["y"],
        inits,
    )
    check(proto, tmp_path, lambda rng: {"a": grid(rng, a_shape), "b": grid(rng, b_shape)})


def test_gemm_weights_and_bias_initializers(tmp_path):
    """The FC-layer form: B^T weights and a bias as initializers, batch 2."""
    w, bias = grid(RNG, (10, 64)), floats(RNG, (10,))
    proto = model(
        [node("Gemm", ["x", "w", "b"], ["y"], transB=1)], {"x": (2, 64)}, ["y"], {"w": w, "b": bias}
    )
    check(proto, tmp_path, lambda rng: {"x": grid(rng, (2, 64))})


# ----------------------------------------------------------------------------- Conv

CONVS = {
    "3x3": {"x": (1, 3, 7, 7), "w": (4, 3, 3, 3)},
    "pads-strides": {"x": (2, 3, 7, 8), "w": (4, 3, 3, 2), "pads": [1, 0, 2, 1], "strides": [2, 1]},
    "group2-dilated": {
        "x": (1, 4, 9, 9),
        "w": (6, 2, 3, 3),
        "group": 2,
        "dilations": [2, 2],
        "pads": [1, 1, 1, 1],
    },
    "depthwise": {"x": (1, 4, 6, 6), "w": (4, 1, 3, 3), "group": 4, "pads": [1, 1, 1, 1]},
    "depthwise-multiplier": {"x": (1, 4, 6, 6), "w": (8, 1, 3, 3), "group": 4, "strides": [2, 2]},
    "1x1": {"x": (1, 2, 5, 5), "w": (3, 2, 1, 1)},
    "1d": {"x": (1, 3, 10), "w": (2, 3, 3), "pads": [2, 1], "strides": [2], "dilations": [2]},
    "1d-depthwise": {"x": (1, 3, 10), "w": (6, 1, 3), "group": 3},
    "same-upper": {
        "x": (1, 3, 7, 6),
        "w": (4, 3, 3, 3),
        "auto_pad": "SAME_UPPER",
        "strides": [2, 2],
    },
    "same-lower": {
        "x": (1, 3, 7, 6),
        "w": (4, 3, 4, 4),
        "auto_pad": "SAME_LOWER",
        "strides": [2, 1],
    },
    "same-upper-even": {"x": (1, 3, 7, 6), "w": (4, 3, 4, 2), "auto_pad": "SAME_UPPER"},
    "valid": {"x": (1, 3, 7, 6), "w": (4, 3, 3, 3), "auto_pad": "VALID", "strides": [2, 2]},
    "3d": {"x": (1, 2, 4, 5, 5), "w": (3, 2, 2, 3, 3), "pads": [1, 0, 1, 0, 1, 1]},
}


@pytest.mark.parametrize("kernel_shape", [False, True], ids=["", "kernel_shape"])
@pytest.mark.parametrize("bias", [False, True], ids=["", "bias"])
@pytest.mark.parametrize("name", list(CONVS))
def test_conv(tmp_path, name, bias, kernel_shape):
    attrs = dict(CONVS[name])
    x, w = attrs.pop("x"), attrs.pop("w")
    if kernel_shape:
        attrs["kernel_shape"] = list(w[2:])
    inputs, inits = ["x", "w"], {"w": grid(RNG, w)}
    if bias:
        inputs.append("b")
        inits["b"] = grid(RNG, (w[0],))
    proto = model([node("Conv", inputs, ["y"], **attrs)], {"x": x}, ["y"], inits)
    check(proto, tmp_path, lambda rng: {"x": grid(rng, x)})


# ----------------------------------------------------------------------------- pooling

POOLS = {
    "2x2s2": {"x": (1, 2, 6, 6), "kernel_shape": [2, 2], "strides": [2, 2]},
    "3x3s2-ceil": {"x": (1, 2, 7, 7), "kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1},
    "3x3s2-floor": {"x": (1, 2, 8, 8), "kernel_shape": [3, 3], "strides": [2, 2]},
    "pads": {"x": (2, 3, 5, 5), "kernel_shape": [3, 3], "pads": [1, 1, 1, 1]},
    "asymmetric": {
        "x": (1, 2, 7, 8),
        "kernel_shape": [3, 2],
        "strides": [2, 3],
        "pads": [1, 0, 0, 1],
    },
    "ceil-pads": {"x": (1, 2, 6, 6), "kernel_shape": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1},
    "ceil-partial": {"x": (1, 1, 4, 4), "kernel_shape": [3, 3], "strides": [3, 3], "ceil_mode": 1},
    "1d": {"x": (2, 3, 10), "kernel_shape": [3], "strides": [2]},
    "1d-ceil-pads": {
        "x": (2, 3, 10),
        "kernel_shape": [3],
        "strides": [2],
        "ceil_mode": 1,
        "pads": [1, 1],
    },
    "same-upper": {
        "x": (1, 2, 7, 6),
        "kernel_shape": [3, 3],
        "strides": [2, 2],
        "auto_pad": "SAME_UPPER",
    },
    "same-lower": {
        "x": (1, 2, 7, 6),
        "kernel_shape": [2, 2],
        "strides": [2, 2],
        "auto_pad": "SAME_LOWER",
    },
    "valid": {"x": (1, 2, 7, 6), "kernel_shape": [2, 2], "strides": [2, 2], "auto_pad": "VALID"},
}
MAXPOOL_DILATED = {
    "dilated": {"x": (1, 2, 8, 8), "kernel_shape": [2, 2], "dilations": [2, 2]},
    "dilated-ceil-pads": {
        "x": (1, 2, 9, 9),
        "kernel_shape": [3, 3],
        "dilations": [2, 2],
        "strides": [2, 2],
        "ceil_mode": 1,
        "pads": [1, 1, 1, 1],
    },
    "1d-dilated-ceil": {
        "x": (2, 3, 10),
        "kernel_shape": [2],
        "dilations": [3],
        "strides": [2],
        "ceil_mode": 1,
    },
}


@pytest.mark.parametrize("name", list(POOLS) + list(MAXPOOL_DILATED))
def test_maxpool(tmp_path, name):
    attrs = dict({**POOLS, **MAXPOOL_DILATED}[name])
    x = attrs.pop("x")
    proto = model([node("MaxPool", ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


@pytest.mark.parametrize("count_include_pad", [0, 1])
@pytest.mark.parametrize("name", list(POOLS))
def test_average_pool(tmp_path, name, count_include_pad):
    attrs = dict(POOLS[name])
    x = attrs.pop("x")
    proto = model(
        [node("AveragePool", ["x"], ["y"], count_include_pad=count_include_pad, **attrs)],
        {"x": x},
        ["y"],
    )
    check(proto, tmp_path, lambda rng: {"x": grid(rng, x)})


CEIL_LAST_WINDOW_IN_PAD = {
    "x": (1, 1, 5, 5),
    "kernel_shape": [2, 2],
    "strides": [2, 2],
    "pads": [1, 1, 1, 1],
    "ceil_mode": 1,
}


@pytest.mark.parametrize("op", ["MaxPool", "AveragePool"])
def test_pool_ceil_mode_window_starting_in_padding(tmp_path, op):
    """With ceil_mode, a last window that would start in the end padding is dropped
    (onnxruntime and opset 22 shape inference: 3x3 here)."""
    attrs = dict(CEIL_LAST_WINDOW_IN_PAD)
    x = attrs.pop("x")
    proto = model([node(op, ["x"], ["y"], **attrs)], {"x": x}, ["y"], opset=22)
    ref = check(proto, tmp_path, lambda rng: {"x": grid(rng, x)})
    assert next(iter(ref.values())).shape == (1, 1, 3, 3)


@pytest.mark.parametrize("op", ["MaxPool", "AveragePool"])
def test_pool_ceil_mode_stale_shape_inference_is_refused(tmp_path, op):
    """Before opset 22, ONNX shape inference keeps that window (4x4) while onnxruntime,
    qonnx's reference, computes 3x3: the model's shapes are wrong and we say so."""
    attrs = dict(CEIL_LAST_WINDOW_IN_PAD)
    x = attrs.pop("x")
    proto = model([node(op, ["x"], ["y"], **attrs)], {"x": x}, ["y"], opset=13)
    assert "does not match the inferred shape [1, 1, 3, 3]" in import_error(proto, tmp_path)


def test_average_pool_dilations_are_refused(tmp_path):
    proto = model(
        [node("AveragePool", ["x"], ["y"], kernel_shape=[2, 2], dilations=[2, 2])],
        {"x": (1, 2, 8, 8)},
        ["y"],
        opset=19,
    )
    assert "attribute 'dilations' is not supported" in import_error(proto, tmp_path)


def test_maxpool_indices_output_is_refused(tmp_path):
    proto = model(
        [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2])],
        {"x": (1, 2, 4, 4)},
        {"y": None, "i": i64()},
    )
    assert "indices are not supported" in import_error(proto, tmp_path)


@pytest.mark.parametrize("x", [(1, 3, 4, 4), (2, 3, 5), (1, 2, 3, 4, 5), (1, 3, 7, 7)], ids=str)
def test_global_average_pool(tmp_path, x):
    proto = model([node("GlobalAveragePool", ["x"], ["y"])], {"x": x}, ["y"])
    check(proto, tmp_path, lambda rng: {"x": grid(rng, x)})


# ----------------------------------------------------------------------------- BatchNormalization


@pytest.mark.parametrize("epsilon", [1e-5, 1e-3, 0.1])
@pytest.mark.parametrize("x", [(2, 3, 4, 5), (2, 3), (2, 3, 5), (1, 3, 2, 2, 2)], ids=str)
def test_batch_norm(tmp_path, x, epsilon):
    """Random statistics and plain float inputs: onnxruntime folds BatchNorm into one
    multiply-add per channel, and so must we."""
    c = x[1]
    inits = {
        "s": floats(RNG, (c,)),
        "b": floats(RNG, (c,)),
        "m": floats(RNG, (c,)),
        "v": np.abs(floats(RNG, (c,))) + F32(0.01),
    }
    proto = model(
        [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], epsilon=epsilon)],
        {"x": x},
        ["y"],
        inits,
        opset=15,
    )
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x)})


# ----------------------------------------------------------------------------- a small network


def test_small_network(tmp_path):
    """Quant -> Conv -> BatchNorm -> Quant -> MaxPool -> Flatten -> MatMul -> Add -> TopK,
    the shape of a BNN-PYNQ CNV block and classifier head."""
    x_shape = (1, 3, 8, 8)
    q = {"qonnx": True, "signed": 1, "narrow": 0, "rounding_mode": "ROUND"}
    nodes = [
        node("Quant", ["x", "s_in", "zero", "b8"], ["xq"], **q),
        node("Quant", ["w", "s_w", "zero", "b2"], ["wq"], **q),
        node("Conv", ["xq", "wq"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("BatchNormalization", ["c", "bn_s", "bn_b", "bn_m", "bn_v"], ["n"]),
        node("Quant", ["n", "s_act", "zero", "b2"], ["a"], **q),
        node("MaxPool", ["a"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        node("Flatten", ["p"], ["f"]),
        node("MatMul", ["f", "fc"], ["m"]),
        node("Add", ["m", "fc_b"], ["logits"]),
        node("TopK", ["logits", "k"], ["top", "idx"]),
    ]
    inits = {
        "s_in": np.array(2.0**-4, F32),
        "zero": np.array(0.0, F32),
        "b8": np.array(8.0, F32),
        "b2": np.array(2.0, F32),
        "w": floats(RNG, (4, 3, 3, 3)),
        "s_w": np.array(0.5, F32),
        "bn_s": floats(RNG, (4,)),
        "bn_b": floats(RNG, (4,)),
        "bn_m": floats(RNG, (4,)),
        "bn_v": np.abs(floats(RNG, (4,))) + F32(0.5),
        "s_act": np.array(0.25, F32),
        "fc": grid(RNG, (64, 10)),
        "fc_b": grid(RNG, (10,)),
        "k": np.array([3], np.int64),
    }
    proto = model(nodes, {"x": x_shape}, {"top": None, "idx": i64()}, inits, qonnx_opset=1)
    check(proto, tmp_path, lambda rng: {"x": floats(rng, x_shape, 4.0)}, draws=10)
