"""
The channels-last (NHWC) ops of the `qonnx` dialect that `lower-conv` produces: qonnx's
custom ops Im2Col and MaxPoolNHWC, with qonnx's semantics (their numpy reference is
`finn_xdsl.sim.layout_kernels`).

Both take a 4-D NHWC tensor. `qonnx.im2col` turns every k_h x k_w window of a padded,
strided, dilated image into one vector, patch order (k_h, k_w, C) with C innermost, as
finn-hlslib's sliding window generator streams it; a convolution is then a MatMul of
those vectors with a (k_h * k_w * C, M) weight matrix. `qonnx.max_pool_nhwc` is ONNX
MaxPool on a channels-last tensor.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    DenseArrayBase,
    IntegerAttr,
    StringAttr,
    TensorType,
)
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.qonnx_base import (
    OnnxAttr,
    QonnxOperation,
    _bool,
    _int,
    elem_of,
    ints,
    shape_of,
)
from finn_xdsl.utils import onnx_shapes as shp


def format_input_shape(shape) -> str:
    """qonnx's `input_shape` string of an Im2Col: '(1,32,32,3)'."""
    return "(" + ",".join(str(int(d)) for d in shape) + ")"


def parse_input_shape(text: str) -> tuple[int, ...]:
    """Inverse of format_input_shape (qonnx accepts spaces and brackets too)."""
    body = text.strip().strip("()[]")
    return tuple(int(p) for p in body.split(",") if p.strip())


def _check_lengths(names_values, n: int) -> None:
    for name, vals, low in names_values:
        if len(vals) != n:
            raise VerifyException(f"{name} must have {n} entries, got {len(vals)}")
        if any(v < low for v in vals):
            kind = "positive" if low == 1 else "non-negative"
            raise VerifyException(f"{name} must be {kind}, got {list(vals)}")


def _check_nhwc(op: QonnxOperation) -> tuple[int, ...]:
    xs = shape_of(op.operands[0])
    if len(xs) != 4:
        raise VerifyException(f"input must be a 4-D NHWC tensor, got rank {len(xs)}")
    return xs


@irdl_op_definition
class Im2ColOp(QonnxOperation):
    """qonnx Im2Col: (N, H, W, C) -> (N, OH, OW, k_h * k_w * C), patches in (k_h, k_w, C)
    order. `pad_amount` is (H_begin, W_begin, H_end, W_end) filled with `pad_value`;
    `depthwise` only marks the producer of a depthwise convolution (the values do not
    depend on it).

    The result keeps the input's element type, except that padding may widen it to a
    type that also holds `pad_value` (zero-padding a !qonnx.bipolar image gives
    !qonnx.ternary values).
    """

    name = "qonnx.im2col"
    ONNX_OP: ClassVar[str] = "Im2Col"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "stride": OnnxAttr("stride", "ints"),
        "kernel_size": OnnxAttr("kernel_size", "ints"),
        "input_shape": OnnxAttr("input_shape", "str"),
        "pad_amount": OnnxAttr("pad_amount", "ints"),
        "pad_value": OnnxAttr("pad_value", "int"),
        "dilations": OnnxAttr("dilations", "ints"),
        "depthwise": OnnxAttr("depthwise", "bool"),
    }

    x = operand_def(TensorType)
    output = result_def(TensorType)

    stride = prop_def(DenseArrayBase)
    kernel_size = prop_def(DenseArrayBase)
    input_shape = opt_prop_def(StringAttr)
    pad_amount = opt_prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr[I64], _int(0))
    dilations = opt_prop_def(DenseArrayBase)
    depthwise = prop_def(BoolAttr, _bool(False))

    def window(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """(kernel, strides, dilations, pads (H_begin, W_begin, H_end, W_end))."""
        return (
            ints(self.kernel_size),
            ints(self.stride),
            ints(self.dilations, (1, 1)),
            ints(self.pad_amount, (0, 0, 0, 0)),
        )

    def verify_op(self) -> None:
        xs = _check_nhwc(self)
        kernel, strides, dil, pads = self.window()
        _check_lengths(
            (("kernel_size", kernel, 1), ("stride", strides, 1), ("dilations", dil, 1)), 2
        )
        _check_lengths((("pad_amount", pads, 0),), 4)
        if self.input_shape is not None:
            try:
                declared = parse_input_shape(self.input_shape.data)
            except ValueError:
                raise VerifyException(
                    f"input_shape '{self.input_shape.data}' is not a tuple of integers"
                ) from None
            if declared != xs:
                raise VerifyException(
                    f"input_shape {list(declared)} differs from the input shape {list(xs)}"
                )
        out = self.infer(shp.window_output, xs[1:3], kernel, strides, dil, pads)
        self.expect_shape(self.output, (xs[0], *out, kernel[0] * kernel[1] * xs[3]))
        self._check_types(any(p != 0 for p in pads))

    def _check_types(self, padded: bool) -> None:
        src, dst = elem_of(self.x), elem_of(self.output)
        pad = self.pad_value.value.data
        if padded and not qt.contains(dst, np.array([pad], dtype=np.float64)):
            raise VerifyException(
                f"pad_value {pad} is not a value of the result element type {dst}"
            )
        if dst == src:
            return
        if not padded:
            raise VerifyException(
                f"result element type {dst} must equal the input's {src} without padding"
            )
        if qt.is_quantized(dst) and not (
            qt.is_quantized(src) and qt.contains(dst, np.array(qt.value_range(src), np.float64))
        ):
            raise VerifyException(
                f"result element type {dst} does not hold the input's {src} values"
            )


@irdl_op_definition
class MaxPoolNHWCOp(QonnxOperation):
    """qonnx MaxPoolNHWC: ONNX MaxPool (kernel_shape, strides, pads, ceil_mode) on an
    (N, H, W, C) tensor. `pads` are ONNX's (H_begin, W_begin, H_end, W_end)."""

    name = "qonnx.max_pool_nhwc"
    ONNX_OP: ClassVar[str] = "MaxPoolNHWC"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "kernel_shape": OnnxAttr("kernel_shape", "ints"),
        "pads": OnnxAttr("pads", "ints"),
        "strides": OnnxAttr("strides", "ints"),
        "ceil_mode": OnnxAttr("ceil_mode", "bool"),
    }
    KEEPS_DTYPE: ClassVar[bool] = True

    x = operand_def(TensorType)
    output = result_def(TensorType)

    kernel_shape = prop_def(DenseArrayBase)
    pads = opt_prop_def(DenseArrayBase)
    strides = opt_prop_def(DenseArrayBase)
    ceil_mode = prop_def(BoolAttr, _bool(False))

    def window(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """(kernel, strides, pads) with the defaults resolved."""
        return ints(self.kernel_shape), ints(self.strides, (1, 1)), ints(self.pads, (0, 0, 0, 0))

    def verify_op(self) -> None:
        xs = _check_nhwc(self)
        kernel, strides, pads = self.window()
        _check_lengths((("kernel_shape", kernel, 1), ("strides", strides, 1)), 2)
        _check_lengths((("pads", pads, 0),), 4)
        out = self.infer(
            shp.window_output,
            xs[1:3],
            kernel,
            strides,
            (1, 1),
            pads,
            bool(self.ceil_mode.value.data),
        )
        self.expect_shape(self.output, (xs[0], *out, xs[3]))


LAYOUT_OPS: tuple[type[QonnxOperation], ...] = (Im2ColOp, MaxPoolNHWCOp)
