"""
The QONNX quantization ops of the `qonnx` dialect: Quant, BipolarQuant, Trunc and
MultiThreshold, with QONNX's semantics (see finn_xdsl.sim.kernels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    FloatAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
)
from xdsl.ir import Attribute, TypeAttribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.qonnx_base import (
    ROUNDING_MODES,
    OnnxAttr,
    QonnxOperation,
    _bool,
    _f32,
    check_broadcasts_to,
    constant_value,
    elem_of,
    shape_of,
)
from finn_xdsl.dialects.qonnx_types import bipolar

# ----------------------------------------------------------------------------- quantizers


def _check_rounding(mode: StringAttr) -> None:
    if mode.data.upper() not in ROUNDING_MODES:
        raise VerifyException(
            f"rounding_mode '{mode.data}' is not one of {', '.join(ROUNDING_MODES)}"
        )


def _check_bitwidth(op: QonnxOperation, name: str) -> int | None:
    """A bit width operand must be a scalar; a constant one an integer in [1, 64].

    Returns the width when it is a constant, for the result-type checks.
    """
    operand = getattr(op, name)
    if math.prod(shape_of(operand)) != 1:
        raise VerifyException(f"{name} must be a scalar, got shape {list(shape_of(operand))}")
    value = constant_value(operand)
    if value is None:
        return None
    b = float(value.reshape(-1)[0])
    # range first: NaN and inf fail it, and int() would raise on them
    if not 1 <= b <= 64 or b != int(b):
        raise VerifyException(f"{name} must be an integer in [1, 64], got {b:g}")
    return int(b)


def _check_nonzero_scale(op: QonnxOperation, names: Sequence[str] = ("scale",)) -> None:
    """Quantizers divide by their scales; a constant zero would make every output inf/NaN."""
    for name in names:
        operand = getattr(op, name)
        scale = None if operand is None else constant_value(operand)
        if scale is not None and (np.any(scale == 0) or not np.all(np.isfinite(scale))):
            raise VerifyException(f"{name} must be finite and non-zero")


@irdl_op_definition
class QuantOp(QonnxOperation):
    """QONNX Quant: y = (clamp(round(x / scale + zeropt)) - zeropt) * scale.

    signed/narrow/bitwidth select the integer range; a 1-bit signed Quant is bipolar.
    """

    name = "qonnx.quant"
    ONNX_OP: ClassVar[str] = "Quant"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "signed": OnnxAttr("signed", "bool"),
        "narrow": OnnxAttr("narrow", "bool"),
        "rounding_mode": OnnxAttr("rounding_mode", "str"),
    }
    KEEPS_DTYPE: ClassVar[bool] = False

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    zeropt = operand_def(TensorType)
    bitwidth = operand_def(TensorType)
    output = result_def(TensorType)

    signed = prop_def(BoolAttr, _bool(True))
    narrow = prop_def(BoolAttr, _bool(False))
    rounding_mode = prop_def(StringAttr, StringAttr("ROUND"))

    def verify_op(self) -> None:
        _check_rounding(self.rounding_mode)
        self.expect_shape(self.output, shape_of(self.x))
        check_broadcasts_to(self, ("scale", "zeropt"), shape_of(self.x))
        _check_nonzero_scale(self)
        bits = _check_bitwidth(self, "bitwidth")
        if bits is not None:
            self._check_result_type(bits)

    def _check_result_type(self, bits: int) -> None:
        elem = elem_of(self.output)
        if not qt.is_quantized(elem):
            return
        signed = self.signed.value.data != 0
        if bits == 1 and signed:
            expected: Attribute = bipolar
        else:
            expected = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
        if elem != expected:
            raise VerifyException(
                f"result element type {elem} does not match a {bits}-bit "
                f"{'signed' if signed else 'unsigned'} quantizer (expected {expected})"
            )
        for name in ("scale", "zeropt"):
            v = constant_value(getattr(self, name))
            want = 1.0 if name == "scale" else 0.0
            if v is not None and not np.all(v == want):
                raise VerifyException(
                    f"integer result type {elem} needs {name} == {want:g}; use f32 for "
                    "scaled quantizers"
                )


@irdl_op_definition
class BipolarQuantOp(QonnxOperation):
    """QONNX BipolarQuant: y = (x >= 0 ? +1 : -1) * scale."""

    name = "qonnx.bipolar_quant"
    ONNX_OP: ClassVar[str] = "BipolarQuant"

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    output = result_def(TensorType)

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))
        check_broadcasts_to(self, ("scale",), shape_of(self.x))
        elem = elem_of(self.output)
        if qt.is_quantized(elem) and elem != bipolar:
            raise VerifyException(
                f"result element type must be !qonnx.bipolar or a float, got {elem}"
            )
        s = constant_value(self.scale)
        if elem == bipolar and s is not None and not np.all(s == 1.0):
            raise VerifyException("a !qonnx.bipolar result needs scale == 1")


@irdl_op_definition
class TruncOp(QonnxOperation):
    """QONNX Trunc: drop low-order bits of a quantized tensor.

    Opset 1 (no out_scale operand) and opset 2 (out_scale, signed, narrow) semantics;
    which one applies is decided by the presence of `out_scale`.
    """

    name = "qonnx.trunc"
    ONNX_OP: ClassVar[str] = "Trunc"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "rounding_mode": OnnxAttr("rounding_mode", "str"),
        "signed": OnnxAttr("signed", "bool"),
        "narrow": OnnxAttr("narrow", "bool"),
    }

    x = operand_def(TensorType)
    scale = operand_def(TensorType)
    zeropt = operand_def(TensorType)
    in_bitwidth = operand_def(TensorType)
    out_scale = opt_operand_def(TensorType)
    out_bitwidth = operand_def(TensorType)
    output = result_def(TensorType)

    rounding_mode = prop_def(StringAttr, StringAttr("FLOOR"))
    signed = prop_def(BoolAttr, _bool(True))
    narrow = prop_def(BoolAttr, _bool(False))

    def verify_op(self) -> None:
        _check_rounding(self.rounding_mode)
        self.expect_shape(self.output, shape_of(self.x))
        check_broadcasts_to(self, ("scale", "zeropt", "out_scale"), shape_of(self.x))
        _check_nonzero_scale(self, ("scale", "out_scale"))
        for name in ("in_bitwidth", "out_bitwidth"):
            _check_bitwidth(self, name)


@irdl_op_definition
class MultiThresholdOp(QonnxOperation):
    """QONNX MultiThreshold: y = out_scale * #{i : x >= T[c, i]} + out_bias.

    Thresholds have shape (C, N) or (1, N); C is the channel axis given by data_layout
    (NCHW-style by default, as QONNX guesses from the rank).
    """

    name = "qonnx.multithreshold"
    ONNX_OP: ClassVar[str] = "MultiThreshold"
    ONNX_ATTRS: ClassVar[dict[str, OnnxAttr]] = {
        "out_dtype": OnnxAttr("out_dtype", "type"),
        "out_scale": OnnxAttr("out_scale", "float"),
        "out_bias": OnnxAttr("out_bias", "float"),
        "data_layout": OnnxAttr("data_layout", "str"),
    }

    x = operand_def(TensorType)
    thresholds = operand_def(TensorType)
    output = result_def(TensorType)

    out_dtype = prop_def(TypeAttribute)
    out_scale = prop_def(FloatAttr, _f32(1.0))
    out_bias = prop_def(FloatAttr, _f32(0.0))
    data_layout = prop_def(StringAttr, StringAttr(""))

    def channel_axis(self) -> int:
        layout = self.data_layout.data
        rank = len(shape_of(self.x))
        if not layout and rank < 5:
            layout = {2: "NC", 3: "NWC", 4: "NCHW"}.get(rank, "")
        return layout.index("C") if "C" in layout else 1

    def verify_op(self) -> None:
        self.expect_shape(self.output, shape_of(self.x))
        xs, ts = shape_of(self.x), shape_of(self.thresholds)
        if len(ts) != 2:
            raise VerifyException(f"thresholds must have rank 2 (channels, steps), got {list(ts)}")
        layout = self.data_layout.data
        if layout and (len(layout) != len(xs) or layout.count("C") != 1):
            raise VerifyException(f"data_layout '{layout}' does not fit an input of rank {len(xs)}")
        if len(xs) < 2:
            raise VerifyException("input must have a batch and a channel dimension")
        c = xs[self.channel_axis()]
        if ts[0] not in (1, c):
            raise VerifyException(f"thresholds have {ts[0]} channels, input has {c}")
        if not qt.is_quantized(self.out_dtype):
            raise VerifyException(
                f"out_dtype must be an integer, bipolar or ternary type, got {self.out_dtype}"
            )
        # N thresholds give N + 1 levels (BIPOLAR has 2 values, not hi - lo + 1 = 3)
        if ts[1] + 1 > qt.value_count(self.out_dtype):
            raise VerifyException(
                f"{ts[1]} thresholds give {ts[1] + 1} levels, more than "
                f"{qt.dtype_name(self.out_dtype)} holds"
            )
        elem = elem_of(self.output)
        scale, bias = self.out_scale.value.data, self.out_bias.value.data
        if qt.is_quantized(elem):
            # levels are bias + scale * k, k = 0..N: the ends bound them and the first
            # step tells whether they are all integers (a fractional scale is not)
            ks = sorted({0, min(1, ts[1]), ts[1]})
            levels = np.array([scale * k + bias for k in ks])
            if not qt.contains(elem, levels):
                raise VerifyException(
                    f"outputs {bias:g} + {scale:g} * (0..{ts[1]}) do not fit result type {elem}"
                )
