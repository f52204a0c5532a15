"""
Numpy kernels of the channels-last ops `lower-conv` produces, with the semantics of
qonnx's custom ops Im2Col and MaxPoolNHWC (the conformance tests run qonnx's own
`execute_onnx` on them and demand bit-identical results).

Like `kernels`, they are free of IR types, so the dataflow level (sliding window
generator, streaming max pool) and the RTL/HLS test benches reuse them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from finn_xdsl.sim import kernels as k


def im2col(
    x: np.ndarray,
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[int],
    pad_value: float = 0,
) -> np.ndarray:
    """qonnx Im2Col: NHWC (N, H, W, C) -> (N, OH, OW, k_h * k_w * C).

    `pads` = (H_begin, W_begin, H_end, W_end), filled with `pad_value`. Each output
    vector lists its window row by row, every pixel with its C channels innermost.
    """
    kh, kw = kernel
    sh, sw = strides
    dh, dw = dilations
    hb, wb, he, we = pads
    if any(pads):
        x = np.pad(x, ((0, 0), (hb, he), (wb, we), (0, 0)), constant_values=x.dtype.type(pad_value))
    eff = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
    win = sliding_window_view(x, eff, axis=(1, 2))  # N, OH', OW', C, eff_h, eff_w
    win = win[:, ::sh, ::sw, :, ::dh, ::dw]  # N, OH, OW, C, kh, kw
    n, oh, ow, c = win.shape[:4]
    cols = win.transpose(0, 1, 2, 4, 5, 3)  # N, OH, OW, kh, kw, C
    return np.ascontiguousarray(cols).reshape(n, oh, ow, kh * kw * c)


def max_pool_nhwc(
    x: np.ndarray,
    kernel: Sequence[int],
    strides: Sequence[int],
    pads: Sequence[int],
    ceil_mode: bool,
) -> np.ndarray:
    """qonnx MaxPoolNHWC: ONNX MaxPool on (N, H, W, C); pads (H_begin, W_begin, H_end, W_end)."""
    nchw = np.transpose(x, (0, 3, 1, 2))
    y = k.max_pool(nchw, tuple(kernel), tuple(strides), (1,) * len(kernel), tuple(pads), ceil_mode)
    return np.ascontiguousarray(np.transpose(y, (0, 2, 3, 1)))
