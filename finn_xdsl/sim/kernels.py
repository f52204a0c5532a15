"""
Numpy kernels with QONNX/ONNX semantics, the executable definition of the `qonnx` ops.

They compute in float32 in the same order of operations as the reference they must
match bit for bit: qonnx's numpy custom ops (Quant, BipolarQuant, Trunc, MultiThreshold)
and onnxruntime's CPU kernels for standard ops (notably BatchNormalization, which
onnxruntime folds into one multiply-add per channel; Gemm's fused alpha * AB + beta * C;
Sigmoid, which is MLAS's rational approximation; Pow, which is powf from the C library
with shortcuts for squares and cubes). Where onnxruntime uses fused multiply-adds, so do
we (`fma`): the match is with onnxruntime on x86-64 with FMA3 (and on ARM64), the CPUs it
is normally run on. Sums of products (MatMul, Conv, pooling) are exact, hence
order-independent, for the quantized (k * 2^-n) values QONNX graphs carry; for arbitrary
floats their last bit follows numpy's summation order, not MLAS's.

Keep them free of IR types so that later levels (dataflow layers, HLS/RTL test benches)
reuse them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from finn_xdsl.utils import onnx_shapes as shp

F32 = np.float32


# ----------------------------------------------------------------------------- quantizers


def min_int(signed: bool, narrow: bool, bits: float) -> float:
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow else 0)
    return 0


def max_int(signed: bool, narrow: bool, bits: float) -> float:
    if signed:
        return 2 ** (bits - 1) - 1
    return 2**bits - (2 if narrow else 1)


def rounding(mode: str) -> Callable[[np.ndarray], np.ndarray]:
    """The rounding function of a QONNX rounding_mode (ROUND is half-to-even)."""
    match mode.upper():
        case "ROUND" | "HALF_EVEN":
            return np.round
        case "CEIL":
            return np.ceil
        case "FLOOR":
            return np.floor
        case "UP":
            return lambda x: np.sign(x) * np.ceil(np.abs(x))
        case "DOWN":
            return np.fix
        case "HALF_UP":
            return lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5)
        case "HALF_DOWN":
            return lambda x: np.sign(x) * np.ceil(np.abs(x) - 0.5)
    raise ValueError(f"unknown rounding mode {mode}")


def quant_levels(x, scale, zeropt, bitwidth, signed: bool, narrow: bool, mode: str) -> np.ndarray:
    """The integer level round(clamp(x / scale + zeropt)) of QONNX Quant, in float32.

    Separate from `quant` so that passes can find the exact float32 thresholds at which
    the level changes (qonnx-to-thresholds) with the very arithmetic the reference uses.
    """
    y = x / scale + zeropt
    bits = bitwidth.reshape(-1)[0]
    if bits == 1 and signed:
        # QONNX treats a 1-bit signed quantizer as bipolar
        return np.where(y >= 0, F32(1), F32(-1)).astype(y.dtype)
    lo = np.asarray(min_int(signed, narrow, bits), dtype=y.dtype)
    hi = np.asarray(max_int(signed, narrow, bits), dtype=y.dtype)
    y = np.where(y > hi, hi, y)
    y = np.where(y < lo, lo, y)
    return rounding(mode)(y)


def quant(x, scale, zeropt, bitwidth, signed: bool, narrow: bool, mode: str) -> np.ndarray:
    """QONNX Quant (IntQuant)."""
    y = quant_levels(x, scale, zeropt, bitwidth, signed, narrow, mode)
    return ((y - zeropt) * scale).astype(F32, copy=False)


def bipolar_quant(x, scale) -> np.ndarray:
    """QONNX BipolarQuant: sign with sign(0) = +1, times scale."""
    return (np.where(x >= 0, F32(1), F32(-1)) * scale).astype(F32, copy=False)


def trunc(x, scale, zeropt, in_bits, out_bits, mode: str, out_scale=None,
          signed: bool = True, narrow: bool = False) -> np.ndarray:
    """QONNX Trunc: opset 1 without out_scale, opset 2 with it."""
    y = np.round(x / scale + zeropt)
    if out_scale is None:
        y = rounding(mode)(y / (F32(2.0) ** (in_bits - out_bits)))
        return ((y - zeropt) * scale).astype(F32, copy=False)
    trunc_scale = F32(2) ** np.round(np.log2(out_scale / scale))
    y = y / trunc_scale
    bits = out_bits.reshape(-1)[0]
    lo = np.asarray(min_int(signed, narrow, bits), dtype=y.dtype)
    hi = np.asarray(max_int(signed, narrow, bits), dtype=y.dtype)
    y = np.where(y > hi, hi, y)
    y = np.where(y < lo, lo, y)
    y = rounding(mode)(y)
    return ((y - zeropt / trunc_scale) * out_scale).astype(F32, copy=False)


def multithreshold(x, thresholds, channel_axis: int, out_scale: float, out_bias: float) -> np.ndarray:
    """y = out_scale * #{i : x >= T[c, i]} + out_bias, channel c on `channel_axis`."""
    xm = np.moveaxis(x, channel_axis, -1)[..., None]
    counts = np.count_nonzero(xm >= thresholds, axis=-1).astype(x.dtype)
    y = np.moveaxis(counts, -1, channel_axis)
    return (F32(out_scale) * y + F32(out_bias)).astype(F32, copy=False)


# ----------------------------------------------------------------------------- linear algebra


def fma(a, b, c) -> np.ndarray:
    """float32 fused multiply-add a * b + c with a single rounding (as FMA3/NEON do).

    The product of two float32 is exact in float64; the float64 sum is made
    round-to-odd (an inexact sum with an even last bit moves one ulp towards the exact
    value), which makes the final rounding to float32 correct.
    """
    p = np.asarray(a, F32).astype(np.float64) * np.asarray(b, F32).astype(np.float64)
    c = np.asarray(c, F32).astype(np.float64)
    s = p + c
    with np.errstate(invalid="ignore"):
        t = s - p
        err = (p - (s - t)) + (c - t)  # TwoSum: s + err == p + c exactly
        inexact = (err != 0) & np.isfinite(s) & ((np.asarray(s).view(np.int64) & 1) == 0)
    s = np.where(inexact, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)
    with np.errstate(over="ignore"):
        return np.asarray(s).astype(F32)


def gemm(a, b, c, alpha: float, beta: float, trans_a: bool, trans_b: bool) -> np.ndarray:
    """ONNX Gemm as onnxruntime computes it: Y = beta * C first (C ignored when beta is
    0), then MLAS sgemm accumulates with one fused multiply-add Y = alpha * AB + Y."""
    a = a.T if trans_a else a
    b = b.T if trans_b else b
    y = np.matmul(a, b)
    if c is None or beta == 0.0:
        return (y * F32(alpha) if alpha != 1.0 else y).astype(a.dtype, copy=False)
    bias = np.broadcast_to(c * F32(beta) if beta != 1.0 else c, y.shape)
    if alpha == 1.0:
        return (y + bias).astype(a.dtype, copy=False)
    return fma(y, F32(alpha), bias)


def _windows(x: np.ndarray, kernel, strides, dilations, pads, fill, extra_end=None) -> np.ndarray:
    """(N, C, out..., k...) view of every window of x, after padding with `fill`."""
    n = len(kernel)
    extra_end = extra_end or (0,) * n
    widths = [(0, 0), (0, 0)] + [(pads[i], pads[n + i] + extra_end[i]) for i in range(n)]
    if any(w != (0, 0) for w in widths):
        x = np.pad(x, widths, constant_values=fill)
    eff = [(kernel[i] - 1) * dilations[i] + 1 for i in range(n)]
    win = sliding_window_view(x, eff, axis=tuple(range(2, 2 + n)))
    index = (slice(None), slice(None)) + tuple(slice(None, None, s) for s in strides)
    index += tuple(slice(None, None, d) for d in dilations)
    return win[index]


def conv(x, w, b, kernel, strides, dilations, pads, group: int) -> np.ndarray:
    """ONNX Conv as grouped im2col + matmul in float32."""
    n = len(kernel)
    win = _windows(x, kernel, strides, dilations, pads, 0)  # N, C, out..., k...
    out_sp = win.shape[2 : 2 + n]
    batch, chans = x.shape[:2]
    cg, mg = chans // group, w.shape[0] // group
    outs = []
    for g in range(group):
        wg = win[:, g * cg : (g + 1) * cg]
        # N, out..., C, k...  ->  (N*out, C*k)
        cols = np.moveaxis(wg, 1, 1 + n).reshape(batch * math.prod(out_sp), -1)
        wmat = w[g * mg : (g + 1) * mg].reshape(mg, -1)
        outs.append((cols @ wmat.T).reshape(batch, *out_sp, mg))
    y = np.concatenate(outs, axis=-1)
    y = np.moveaxis(y, -1, 1)
    if b is not None:
        y = y + b.reshape(-1, *([1] * n))
    return np.ascontiguousarray(y, dtype=x.dtype)


def batch_norm(x, scale, bias, mean, var, epsilon: float) -> np.ndarray:
    """Inference BatchNormalization, as onnxruntime folds it: x * s' + (bias - mean * s')."""
    inv_std = F32(1) / np.sqrt(var + F32(epsilon))
    new_scale = inv_std * scale
    new_bias = bias - mean * new_scale
    shape = (-1,) + (1,) * (x.ndim - 2)
    return (x * new_scale.reshape(shape) + new_bias.reshape(shape)).astype(x.dtype, copy=False)


# ----------------------------------------------------------------------------- elementwise

# MLAS's logistic approximation (onnxruntime's Sigmoid): Eigen's rational polynomial
_LOGISTIC = {
    k: F32(v)
    for k, v in {
        "lower": -18.0, "upper": 18.0,
        "a9": 4.37031012579801e-11, "a7": 1.15627324459942e-07, "a5": 6.08574864600143e-05,
        "a3": 8.51377133304701e-03, "a1": 2.48287947061529e-01,
        "b10": 6.10247389755681e-13, "b8": 5.76102136993427e-09, "b6": 6.29106785017040e-06,
        "b4": 1.70198817374094e-03, "b2": 1.16817656904453e-01, "b0": 9.93151921023180e-01,
    }.items()
}


def sigmoid(x) -> np.ndarray:
    """Sigmoid as onnxruntime's MLAS kernel computes it on x86-64 with FMA3 (not 1/(1+e^-x):
    that differs by hundreds of ulp for large |x|)."""
    c = _LOGISTIC
    x = np.minimum(np.maximum(np.asarray(x, F32), c["lower"]), c["upper"])
    x2 = x * x
    p = fma(x2, c["a9"], c["a7"])
    for name in ("a5", "a3", "a1"):
        p = fma(p, x2, c[name])
    p = x * p
    q = fma(x2, c["b10"], c["b8"])
    for name in ("b6", "b4", "b2", "b0"):
        q = fma(q, x2, c[name])
    return np.maximum(p / q + F32(0.5), F32(0)).astype(F32, copy=False)


def relu(x) -> np.ndarray:
    """max(x, 0) as onnxruntime computes it: -0.0 and NaN pass through unchanged."""
    return np.where(x < 0, np.zeros((), x.dtype), x)


def _load_powf():
    """The C library's powf, which onnxruntime's Pow calls (numpy's float32 power is a
    different, less accurate SIMD routine). None when it cannot be loaded."""
    try:
        import ctypes
        import ctypes.util

        lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        fn = lib.powf
        fn.restype = ctypes.c_float
        fn.argtypes = [ctypes.c_float, ctypes.c_float]
        return np.frompyfunc(fn, 2, 1)
    except (OSError, AttributeError, TypeError):
        return None


_powf = _load_powf()


def _innermost_broadcast(xs: Sequence[int], ys: Sequence[int]) -> int | None:
    """Which input onnxruntime's broadcaster treats as a scalar per inner span: 0, 1 or None.

    Trailing axes where both inputs have extent 1 do not count; on the first other axis
    from the end, an input of extent 1 is broadcast. If every axis is 1, input 0 is.
    """
    rank = max(len(xs), len(ys))
    xs = (1,) * (rank - len(xs)) + tuple(xs)
    ys = (1,) * (rank - len(ys)) + tuple(ys)
    for a in reversed(range(rank)):
        if xs[a] == 1 and ys[a] == 1:
            continue
        if xs[a] == 1:
            return 0
        if ys[a] == 1:
            return 1
        return None
    return 0


def power(x, y) -> np.ndarray:
    """ONNX Pow as onnxruntime computes it for a float32 base: x*x and x*x*x when the
    exponent is a broadcast 2 or 3, else std::pow, which is powf for a float32 exponent
    and double pow rounded to float32 for an integer or double one."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != F32:
        return np.power(x, y).astype(x.dtype)
    if _innermost_broadcast(x.shape, y.shape) == 1:
        out_shape = shp.broadcast(x.shape, y.shape)
        e = np.broadcast_to(y, out_shape)
        xb = np.broadcast_to(x, out_shape)
        sq = xb * xb
        general = _pow_general(xb, e)
        return np.where(e == 2, sq, np.where(e == 3, sq * xb, general)).astype(F32)
    return _pow_general(x, y)


def _pow_general(x, y) -> np.ndarray:
    if y.dtype == F32 and _powf is not None:
        with np.errstate(all="ignore"):
            return np.asarray(_powf(x, y), dtype=F32).reshape(np.broadcast_shapes(x.shape, y.shape))
    with np.errstate(all="ignore"):
        return np.power(x.astype(np.float64), y.astype(np.float64)).astype(F32)


# ----------------------------------------------------------------------------- pooling


def _ceil_extra(in_sp, kernel, strides, dilations, pads, out_sp) -> tuple[int, ...]:
    """Padding past the explicit end pads that ceil_mode windows reach into."""
    n = len(kernel)
    extra = []
    for i in range(n):
        eff = (kernel[i] - 1) * dilations[i] + 1
        need = (out_sp[i] - 1) * strides[i] + eff
        extra.append(max(0, need - (in_sp[i] + pads[i] + pads[n + i])))
    return tuple(extra)


def max_pool(x, kernel, strides, dilations, pads, ceil_mode: bool) -> np.ndarray:
    n = len(kernel)
    out_sp = shp.window_output(x.shape[2:], kernel, strides, dilations, pads, ceil_mode)
    extra = _ceil_extra(x.shape[2:], kernel, strides, dilations, pads, out_sp)
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    win = _windows(x, kernel, strides, dilations, pads, fill, extra)
    y = win.max(axis=tuple(range(-n, 0)))
    return np.ascontiguousarray(y[(slice(None), slice(None)) + tuple(slice(o) for o in out_sp)])


def average_pool(x, kernel, strides, pads, ceil_mode: bool, count_include_pad: bool) -> np.ndarray:
    n = len(kernel)
    ones = (1,) * n
    out_sp = shp.window_output(x.shape[2:], kernel, strides, ones, pads, ceil_mode)
    extra = _ceil_extra(x.shape[2:], kernel, strides, ones, pads, out_sp)
    axes = tuple(range(-n, 0))
    sums = _windows(x, kernel, strides, ones, pads, 0, extra).sum(axis=axes, dtype=x.dtype)
    # which positions count: real input only, or input plus explicit pads
    mask = np.ones((1, 1, *x.shape[2:]), dtype=x.dtype)
    if count_include_pad:
        mask = np.pad(mask, [(0, 0), (0, 0)] + [(pads[i], pads[n + i]) for i in range(n)], constant_values=1)
        pads = (0,) * (2 * n)
        extra = _ceil_extra(mask.shape[2:], kernel, strides, ones, pads, out_sp)
    counts = _windows(mask, kernel, strides, ones, pads, 0, extra).sum(axis=axes, dtype=x.dtype)
    index = (slice(None), slice(None)) + tuple(slice(o) for o in out_sp)
    return np.ascontiguousarray((sums / counts)[index], dtype=x.dtype)


def global_average_pool(x) -> np.ndarray:
    axes = tuple(range(2, x.ndim))
    return (x.sum(axis=axes, keepdims=True, dtype=x.dtype) / F32(math.prod(x.shape[2:]))).astype(x.dtype)


# ----------------------------------------------------------------------------- data movement


def pad(x, pads: Sequence[int], value, mode: str) -> np.ndarray:
    n = x.ndim
    widths = [(int(pads[i]), int(pads[n + i])) for i in range(n)]
    if any(p < 0 for w in widths for p in w):
        # negative pads crop
        crop = tuple(slice(max(0, -b), x.shape[i] - max(0, -e)) for i, (b, e) in enumerate(widths))
        x = x[crop]
        widths = [(max(0, b), max(0, e)) for b, e in widths]
    if mode == "constant":
        return np.pad(x, widths, mode="constant", constant_values=value)
    return np.pad(x, widths, mode={"reflect": "reflect", "edge": "edge"}[mode])


def topk(x, k: int, axis: int, largest: bool, sorted_: bool) -> tuple[np.ndarray, np.ndarray]:
    """ONNX TopK; among equal values the lower index comes first."""
    keys = -x if largest else x
    idx = np.argsort(keys, axis=axis, kind="stable")
    idx = np.take(idx, np.arange(k), axis=axis)
    return np.take_along_axis(x, idx, axis=axis), idx.astype(np.int64)


def argmax(x, axis: int, keepdims: bool, select_last: bool) -> np.ndarray:
    if select_last:
        flipped = np.flip(x, axis=axis)
        idx = x.shape[axis] - 1 - np.argmax(flipped, axis=axis)
    else:
        idx = np.argmax(x, axis=axis)
    idx = idx.astype(np.int64)
    return np.expand_dims(idx, axis) if keepdims else idx
