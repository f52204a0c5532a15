"""finn_xdsl.utils.onnx_shapes.conv_output_dim: the one unpadded window-size formula."""

from __future__ import annotations

import itertools

from finn_xdsl.utils.onnx_shapes import conv_output_dim, window_output


def test_conv_output_dim_is_the_unpadded_window_output():
    grid = itertools.product(range(1, 12), range(1, 5), range(1, 4), range(1, 4))
    for size, k, stride, dilation in grid:
        if dilation * (k - 1) + 1 > size:
            continue
        assert conv_output_dim(size, k, stride, dilation) == window_output(
            (size,), (k,), (stride,), (dilation,), (0, 0))[0]


def test_conv_output_dim_examples():
    assert conv_output_dim(32, 3, 1, 1) == 30  # CNV's first conv
    assert conv_output_dim(7, 3, 2, 1) == 3
    assert conv_output_dim(9, 3, 1, 2) == 5
