"""
Integer numpy kernels of the `dataflow` layers: the bit-exact reference for rtl/ and hls/.

Every kernel takes and returns int64 arrays of the *normal* (unfolded, NHWC) shape; lanes
and folding change when values move, never which values. They are free of IR types so
that layer test benches (cocotb, C-sim) call them directly.
"""

from __future__ import annotations

import numpy as np

from finn_xdsl.sim import layout_kernels

I64 = np.int64


def multithreshold(x: np.ndarray, thresholds: np.ndarray, act_val: int = 0, bipolar: bool = False) -> np.ndarray:
    """c = #{i : x >= T[ch, i]} on the last axis (T: (C or 1, N)); c + act_val, or 2c - 1."""
    t = np.asarray(thresholds, dtype=I64)
    count = (x[..., None] >= t).sum(axis=-1, dtype=I64)
    return 2 * count - 1 if bipolar else count + act_val


def mvau(
    x: np.ndarray,
    weights: np.ndarray,
    thresholds: np.ndarray | None = None,
    act_val: int = 0,
    binary_xnor: bool = False,
    bipolar_out: bool = False,
) -> np.ndarray:
    """acc = x · W (exact int64); xnor mode: popcount (acc + MW) / 2; then optional thresholds."""
    w = np.asarray(weights, dtype=I64)
    acc = np.matmul(x.astype(I64), w)
    if binary_xnor:
        # x, w in {-1, +1}: matches - mismatches = acc, matches + mismatches = MW
        acc = (acc + w.shape[0]) // 2
    if thresholds is None:
        return acc
    return multithreshold(acc, thresholds, act_val, bipolar_out)


def im2col(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]) -> np.ndarray:
    """The SWG's values: qonnx Im2Col without padding (the FMPadding before it pads),
    (N, IH, IW, C) -> (N, OH, OW, kh·kw·C), patch order (kh, kw, C)."""
    return layout_kernels.im2col(x, kernel, stride, dilation, (0, 0, 0, 0))


def swg_depthwise_order(y: np.ndarray, kernel: tuple[int, int], simd: int) -> np.ndarray:
    """The stream order of a depthwise SWG (FINN's, for a VVAU consumer) from im2col's output.

    A VVAU takes SIMD channels through the whole window before the next channel fold, so
    each output pixel's patch streams as (C/SIMD, kh, kw, SIMD) instead of (kh, kw, C).
    Same values and shape as `y`, only their order within a pixel changes; packing the
    result with SIMD lanes gives the hardware's beats.
    """
    n, oh, ow, k = y.shape
    kk = kernel[0] * kernel[1]
    c = k // kk
    return y.reshape(n, oh, ow, kk, c // simd, simd).transpose(0, 1, 2, 4, 3, 5).reshape(n, oh, ow, k)


def fmpadding(x: np.ndarray, padding: tuple[int, int, int, int], value: int = 0) -> np.ndarray:
    """Pad H and W of an NHWC tensor by [top, left, bottom, right]."""
    pt, pl, pb, pr = padding
    return np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=value)


def maxpool(x: np.ndarray, kernel: tuple[int, int], ceil_mode: bool = False) -> np.ndarray:
    """Max over kernel-sized windows with stride = kernel (NHWC); ceil_mode pools partial windows."""
    kh, kw = kernel
    n, h, w, c = x.shape
    if ceil_mode:
        oh, ow = -(-h // kh), -(-w // kw)
        lowest = np.iinfo(I64).min
        x = np.pad(x, ((0, 0), (0, oh * kh - h), (0, ow * kw - w), (0, 0)), constant_values=lowest)
    else:
        oh, ow = h // kh, w // kw
        x = x[:, : oh * kh, : ow * kw, :]
    return x.reshape(n, oh, kh, ow, kw, c).max(axis=(2, 4))


def global_acc_pool(x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> (N, 1, 1, C): per-channel sums."""
    return x.sum(axis=(1, 2), keepdims=True, dtype=I64)


def label_select(x: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values of the last axis, largest first, ties lower index first."""
    order = np.argsort(-x.astype(I64), axis=-1, kind="stable")
    return order[..., :k].astype(I64)


def channelwise(x: np.ndarray, params: np.ndarray, func: str) -> np.ndarray:
    """FINN ChannelwiseOp on the last axis: cmp_le / cmp_ge give 0/1, add and mul the values."""
    p = np.asarray(params, dtype=I64)
    match func:
        case "cmp_le":
            return (x <= p).astype(I64)
        case "cmp_ge":
            return (x >= p).astype(I64)
        case "add":
            return x + p
        case "mul":
            return x * p
    raise ValueError(f"unknown channelwise function {func}")


def bipolar_out(op) -> bool:
    """Whether a layer's outputs are bipolar ({-1, +1} rather than counts)."""
    from finn_xdsl.dialects import qonnx_types as qt

    return isinstance(op.out_type().element_type, qt.BipolarType)
