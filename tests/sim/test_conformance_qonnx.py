"""QONNX custom ops, op by op, bit for bit against qonnx's `execute_onnx`.

Grids follow FINN's own tests of these ops (bit widths, signedness, narrow range, every
rounding mode, per-tensor and per-channel scales, zero points, exact .5 ties).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from conformance_util import F32, check, floats, grid, import_error, model, node

ROUNDING = ["ROUND", "HALF_EVEN", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN"]
SHAPE = (2, 3, 4, 5)  # NCHW, 3 channels


def ties(rng: np.random.Generator, shape, scale, zeropt, limit: int) -> np.ndarray:
    """Inputs x whose x / scale + zeropt is often an exact half-integer, an integer or
    0, spread past the clamp range [-limit, limit]; else Gaussian noise."""
    k = rng.integers(-2 * limit - 4, 2 * limit + 5, size=shape).astype(F32) / F32(2)
    noise = (rng.standard_normal(shape) * limit).astype(F32)
    y = np.where(rng.random(shape) < 0.7, k, noise).astype(F32)
    return ((y - zeropt) * scale).astype(F32)


# (name, scale, zero point): power-of-two scales keep the ties exact after x / scale
QPARAMS = {
    "unit": (np.array(1.0, F32), np.array(0.0, F32)),
    "scalar": (np.array(0.25, F32), np.array(0.0, F32)),
    "odd-scale": (np.array(0.37, F32), np.array(0.0, F32)),
    "per-channel": (np.array([0.5, 0.125, 2.0], F32).reshape(1, 3, 1, 1), np.array(0.0, F32)),
    "zeropt": (np.array(1.0, F32), np.array(2.0, F32)),
    "half-zeropt": (np.array(0.5, F32), np.array(-0.5, F32)),
    "per-channel-zeropt": (
        np.array([0.5, 1.0, 0.25], F32).reshape(1, 3, 1, 1),
        np.array([0.0, 1.0, -3.0], F32).reshape(1, 3, 1, 1),
    ),
}


def quant_model(bits, signed, narrow, mode, scale, zeropt, bitwidth_shape=()):
    return model(
        [
            node(
                "Quant",
                ["x", "s", "z", "b"],
                ["y"],
                qonnx=True,
                signed=signed,
                narrow=narrow,
                rounding_mode=mode,
            )
        ],
        {"x": SHAPE},
        {"y": SHAPE},
        {"s": scale, "z": zeropt, "b": np.full(bitwidth_shape, bits, F32)},
        qonnx_opset=1,
    )


@pytest.mark.parametrize("qparams", list(QPARAMS))
@pytest.mark.parametrize("mode", ROUNDING)
@pytest.mark.parametrize("narrow", [0, 1])
@pytest.mark.parametrize("signed", [0, 1])
@pytest.mark.parametrize("bits", [1, 2, 3, 4, 8])
def test_quant(tmp_path, bits, signed, narrow, mode, qparams):
    scale, zeropt = QPARAMS[qparams]
    limit = 2**bits
    check(
        quant_model(bits, signed, narrow, mode, scale, zeropt),
        tmp_path,
        lambda rng: {"x": ties(rng, SHAPE, scale, zeropt, limit)},
    )


@pytest.mark.parametrize("mode", ["round", "half_up", "floor"])
def test_quant_lower_case_rounding_mode(tmp_path, mode):
    scale, zeropt = QPARAMS["scalar"]
    check(
        quant_model(4, 1, 0, mode, scale, zeropt),
        tmp_path,
        lambda rng: {"x": ties(rng, SHAPE, scale, zeropt, 16)},
    )


def test_quant_bitwidth_of_shape_1(tmp_path):
    """A [1]-shaped bit width: qonnx's datatype inference wants a scalar and falls back
    to FLOAT32, execution broadcasts it."""
    scale, zeropt = QPARAMS["per-channel"]
    check(
        quant_model(3, 1, 0, "ROUND", scale, zeropt, bitwidth_shape=(1,)),
        tmp_path,
        lambda rng: {"x": ties(rng, SHAPE, scale, zeropt, 8)},
    )


def test_quant_plain_floats(tmp_path):
    """Large, tiny and exactly-zero inputs, 8-bit signed, odd scale."""
    scale, zeropt = QPARAMS["odd-scale"]

    def draw(rng):
        x = floats(rng, SHAPE, 40.0)
        x.reshape(-1)[::7] = 0.0
        x.reshape(-1)[1::11] = -0.0
        x.reshape(-1)[2::13] *= F32(1e-6)
        return {"x": x}

    check(quant_model(8, 1, 0, "ROUND", scale, zeropt), tmp_path, draw, draws=10)


# ----------------------------------------------------------------------------- BipolarQuant


@pytest.mark.parametrize(
    "scale",
    [
        np.array(1.0, F32),
        np.array(0.5, F32),
        np.array(0.37, F32),
        np.array([0.5, 1.0, 3.0], F32).reshape(1, 3, 1, 1),
    ],
    ids=["1", "0.5", "0.37", "per-channel"],
)
def test_bipolar_quant(tmp_path, scale):
    def draw(rng):
        x = grid(rng, SHAPE, -3, 3, 2)  # about one in seven is 0
        x.reshape(-1)[::5] = -0.0
        return {"x": x}

    proto = model(
        [node("BipolarQuant", ["x", "s"], ["y"], qonnx=True)],
        {"x": SHAPE},
        {"y": SHAPE},
        {"s": scale},
        qonnx_opset=1,
    )
    check(proto, tmp_path, draw)


# ----------------------------------------------------------------------------- Trunc


def trunc_inputs(rng, scale, in_bits, zeropt=0.0):
    """Values of an `in_bits` signed quantized tensor (what Trunc is given), a few plain."""
    k = rng.integers(-(2 ** (in_bits - 1)), 2 ** (in_bits - 1), size=SHAPE).astype(F32)
    x = ((k - F32(zeropt)) * F32(scale)).astype(F32)
    return {
        "x": np.where(rng.random(SHAPE) < 0.9, x, floats(rng, SHAPE, 2.0**in_bits * scale)).astype(
            F32
        )
    }


@pytest.mark.parametrize("bits", [(8, 4), (8, 2), (6, 5)], ids=lambda b: f"{b[0]}to{b[1]}")
@pytest.mark.parametrize("scale", [1.0, 0.25, 0.3])
@pytest.mark.parametrize("zeropt", [0.0, 1.0])
@pytest.mark.parametrize("mode", ROUNDING)
def test_trunc_v1(tmp_path, mode, zeropt, scale, bits):
    """qonnx.custom_op.general opset 1: Trunc(x, scale, zeropt, in_bits, out_bits)."""
    in_bits, out_bits = bits
    proto = model(
        [node("Trunc", ["x", "s", "z", "ib", "ob"], ["y"], qonnx=True, rounding_mode=mode)],
        {"x": SHAPE},
        {"y": SHAPE},
        {
            "s": np.array(scale, F32),
            "z": np.array(zeropt, F32),
            "ib": np.array(in_bits, F32),
            "ob": np.array(out_bits, F32),
        },
        qonnx_opset=1,
    )
    check(proto, tmp_path, lambda rng: trunc_inputs(rng, scale, in_bits, zeropt))


@pytest.mark.parametrize("sign", [(1, 0), (1, 1), (0, 0)], ids=["signed", "narrow", "unsigned"])
@pytest.mark.parametrize("out_bits", [4, 2])
@pytest.mark.parametrize(
    "scales", [(1.0, 16.0), (0.25, 1.0), (0.3, 4.8)], ids=["1to16", "q4to1", "odd"]
)
@pytest.mark.parametrize("zeropt", [0.0, 1.0])
@pytest.mark.parametrize("mode", ROUNDING)
def test_trunc_v2(tmp_path, mode, zeropt, scales, out_bits, sign):
    """qonnx.custom_op.general opset 2: Trunc(x, scale, zeropt, in_bits, out_scale, out_bits)
    with signed/narrow, clamping to the output range."""
    scale, out_scale = scales
    signed, narrow = sign
    proto = model(
        [
            node(
                "Trunc",
                ["x", "s", "z", "ib", "os", "ob"],
                ["y"],
                qonnx=True,
                rounding_mode=mode,
                signed=signed,
                narrow=narrow,
            )
        ],
        {"x": SHAPE},
        {"y": SHAPE},
        {
            "s": np.array(scale, F32),
            "z": np.array(zeropt, F32),
            "ib": np.array(8, F32),
            "os": np.array(out_scale, F32),
            "ob": np.array(out_bits, F32),
        },
        qonnx_opset=2,
    )
    check(proto, tmp_path, lambda rng: trunc_inputs(rng, scale, 8, zeropt))


def test_trunc_v2_default_attributes(tmp_path):
    """Without signed/narrow, qonnx's Trunc_v2 defaults apply (signed, not narrow)."""
    proto = model(
        [
            node(
                "Trunc", ["x", "s", "z", "ib", "os", "ob"], ["y"], qonnx=True, rounding_mode="ROUND"
            )
        ],
        {"x": SHAPE},
        {"y": SHAPE},
        {
            "s": np.array(0.5, F32),
            "z": np.array(0.0, F32),
            "ib": np.array(8, F32),
            "os": np.array(4.0, F32),
            "ob": np.array(3, F32),
        },
        qonnx_opset=2,
    )
    check(proto, tmp_path, lambda rng: trunc_inputs(rng, 0.5, 8))


@pytest.mark.parametrize(
    "op, inputs, attrs, missing",
    [
        ("Trunc", ["x", "s", "z", "ib", "os", "ob"], {}, "rounding_mode"),
        ("Quant", ["x", "s", "z", "ib"], {"narrow": 0}, "signed"),
        ("Quant", ["x", "s", "z", "ib"], {"signed": 1}, "narrow"),
        ("MultiThreshold", ["x", "t"], {}, "out_dtype"),
    ],
)
def test_missing_required_attribute(tmp_path, op, inputs, attrs, missing):
    """qonnx refuses to execute these nodes ("Required attribute ... unspecified"); we
    refuse to import them, before qonnx (in its cleanup) or after."""
    values = {
        "s": np.array(1.0, F32),
        "z": np.array(0.0, F32),
        "ib": np.array(8, F32),
        "os": np.array(4.0, F32),
        "ob": np.array(4, F32),
        "t": np.zeros((1, 3), F32),
    }
    proto = model(
        [node(op, inputs, ["y"], qonnx=True, **attrs)],
        {"x": SHAPE},
        {"y": SHAPE},
        {n: values[n] for n in inputs[1:]},
        qonnx_opset=2,
    )
    assert re.search(
        rf"[Rr]equired attribute '?{missing}'? (is missing|unspecified)",
        import_error(proto, tmp_path),
    )


@pytest.mark.parametrize(
    "inputs, opset",
    [
        (["x", "s", "z", "ib", "os", "ob"], 1),
        (["x", "s", "z", "ib", "os", "ob"], None),
        (["x", "s", "z", "ib", "ob"], 2),
    ],
    ids=["6-inputs-opset1", "6-inputs-no-opset-import", "5-inputs-opset2"],
)
def test_trunc_form_must_match_opset(tmp_path, inputs, opset):
    """qonnx picks Trunc_v1 or Trunc_v2 from the model's opset_import for the qonnx domain
    (1 when absent), not from the number of inputs: v1 on six inputs silently reads
    out_scale as the bit width, v2 on five inputs crashes. We refuse both cleanly."""
    values = {"s": 1.0, "z": 0.0, "ib": 8, "os": 4.0, "ob": 4}
    proto = model(
        [node("Trunc", inputs, ["y"], qonnx=True, rounding_mode="FLOOR")],
        {"x": SHAPE},
        {"y": SHAPE},
        {n: np.array(values[n], F32) for n in inputs[1:]},
        qonnx_opset=opset,
    )
    message = import_error(proto, tmp_path)
    assert "Trunc of qonnx opset" in message and f"takes {7 - len(inputs) + 4} inputs" in message


# ----------------------------------------------------------------------------- MultiThreshold

# (input shape, data_layout attribute or None, channel axis)
LAYOUTS = {
    "NCHW": ((2, 3, 4, 5), "NCHW", 1),
    "NHWC": ((2, 4, 5, 3), "NHWC", 3),
    "rank4-default": ((2, 3, 4, 5), None, 1),
    "NC": ((4, 3), "NC", 1),
    "rank2-default": ((4, 3), None, 1),
    "rank3-default-NWC": ((2, 5, 3), None, 2),
    "NCW": ((2, 3, 5), "NCW", 1),
    "rank5-default": ((1, 3, 2, 2, 2), None, 1),
}
# (out_dtype, number of thresholds, out_scale, out_bias)
OUTPUTS = {
    "uint2": ("UINT2", 3, 1.0, 0.0),
    "uint2-2-steps": ("UINT2", 2, 1.0, 0.0),
    "int4": ("INT4", 15, 1.0, -8.0),
    "bipolar": ("BIPOLAR", 1, 2.0, -1.0),
    "scaled-float": ("INT4", 15, 0.5, -4.0),
    "neg-scale": ("INT4", 7, -1.0, 2.0),
}


def multithreshold_model(layout: str, out: str, global_thresholds: bool):
    shape, data_layout, axis = LAYOUTS[layout]
    odt, steps, out_scale, out_bias = OUTPUTS[out]
    channels = 1 if global_thresholds else shape[axis]
    thresholds = np.sort(grid(np.random.default_rng(1), (channels, steps), -16, 16, 4), axis=1)
    attrs = {"out_dtype": odt, "out_scale": out_scale, "out_bias": out_bias}
    if data_layout is not None:
        attrs["data_layout"] = data_layout
    proto = model(
        [node("MultiThreshold", ["x", "t"], ["y"], qonnx=True, **attrs)],
        {"x": shape},
        {"y": shape},
        {"t": thresholds},
        qonnx_opset=1,
    )
    return proto, shape


MT_CASES = [
    (layout, out, glob)
    for layout, out, glob in itertools.product(LAYOUTS, OUTPUTS, [False, True])
    if out != "neg-scale" or layout == "NCHW"  # one layout is enough for a negative scale
]


@pytest.mark.parametrize(
    "layout, out, global_thresholds",
    MT_CASES,
    ids=[f"{lay}-{out}-{'global' if g else 'per-channel'}" for lay, out, g in MT_CASES],
)
def test_multithreshold(tmp_path, layout, out, global_thresholds):
    proto, shape = multithreshold_model(layout, out, global_thresholds)
    # inputs on the thresholds' grid: many x == T ties (x >= T counts them)
    check(proto, tmp_path, lambda rng: {"x": grid(rng, shape, -20, 20, 4)})


def test_multithreshold_unsorted_thresholds(tmp_path):
    shape = (2, 3, 4)
    thresholds = grid(np.random.default_rng(2), (3, 3), -8, 8, 2)  # not sorted per row
    proto = model(
        [
            node(
                "MultiThreshold",
                ["x", "t"],
                ["y"],
                qonnx=True,
                out_dtype="UINT2",
                data_layout="NCW",
            )
        ],
        {"x": shape},
        {"y": shape},
        {"t": thresholds},
        qonnx_opset=1,
    )
    check(proto, tmp_path, lambda rng: {"x": grid(rng, shape, -10, 10, 2)})


def test_multithreshold_bias_outside_out_dtype_is_refused(tmp_path):
    """qonnx annotates the output with out_dtype (UINT2) although out_bias = -1 makes the
    values -1..2; it executes anyway. The frontend refuses the inconsistent type."""
    shape = (2, 3, 4, 5)
    thresholds = np.sort(grid(np.random.default_rng(1), (3, 3)), axis=1)
    proto = model(
        [node("MultiThreshold", ["x", "t"], ["y"], qonnx=True, out_dtype="UINT2", out_bias=-1.0)],
        {"x": shape},
        {"y": shape},
        {"t": thresholds},
        qonnx_opset=1,
    )
    assert "MultiThreshold_0" in import_error(proto, tmp_path)


def test_quantized_values_feed_multithreshold(tmp_path):
    """A few-node QONNX graph: Quant (per-channel) -> MultiThreshold -> BipolarQuant."""
    shape = (2, 3, 4, 4)
    scale = np.array([0.5, 0.25, 1.0], F32).reshape(1, 3, 1, 1)
    thresholds = np.sort(grid(np.random.default_rng(3), (3, 7), -8, 8, 2), axis=1)
    proto = model(
        [
            node(
                "Quant",
                ["x", "s", "z", "b"],
                ["q"],
                qonnx=True,
                signed=1,
                narrow=0,
                rounding_mode="ROUND",
            ),
            node("MultiThreshold", ["q", "t"], ["m"], qonnx=True, out_dtype="UINT3"),
            node("Sub", ["m", "h"], ["d"]),
            node("BipolarQuant", ["d", "one"], ["y"], qonnx=True),
        ],
        {"x": shape},
        {"y": shape},
        {
            "s": scale,
            "z": np.array(0.0, F32),
            "b": np.array(4.0, F32),
            "t": thresholds,
            "h": np.array(3.5, F32),
            "one": np.array(1.0, F32),
        },
        qonnx_opset=1,
    )
    check(proto, tmp_path, lambda rng: {"x": ties(rng, shape, scale, 0.0, 8)}, draws=10)
