"""
xDSL interpreter functions for the `qonnx` dialect: each op runs its numpy kernel.

Values are numpy arrays in the op's storage dtype (float32 for every quantized type, as
QONNX stores them; int64 for index tensors). Static attribute decoding lives here, the
arithmetic lives in `kernels`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.sim import kernels as k
from finn_xdsl.utils import onnx_shapes as shp

Args = tuple[Any, ...]


def _flag(attr) -> bool:
    return bool(attr.value.data)


def _float(attr) -> float:
    return float(attr.value.data)


def _cast(op: q.QonnxOperation, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Results in the storage dtype of their IR type."""
    return tuple(
        np.asarray(v, dtype=qt.storage_dtype(q.elem_of(r))) for v, r in zip(values, op.results)
    )


def _elementwise(fn):
    def run(self, interpreter: Interpreter, op: q.QonnxOperation, args: Args):
        return _cast(op, fn(*args))

    return run


@register_impls
class QonnxFunctions(InterpreterFunctions):
    @impl(q.ConstantOp)
    def run_constant(self, interpreter: Interpreter, op: q.ConstantOp, args: Args):
        return _cast(op, op.to_numpy())

    @impl(q.QuantOp)
    def run_quant(self, interpreter: Interpreter, op: q.QuantOp, args: Args):
        x, scale, zeropt, bits = args
        y = k.quant(x, scale, zeropt, bits, _flag(op.signed), _flag(op.narrow), op.rounding_mode.data)
        return _cast(op, y)

    @impl(q.BipolarQuantOp)
    def run_bipolar_quant(self, interpreter: Interpreter, op: q.BipolarQuantOp, args: Args):
        return _cast(op, k.bipolar_quant(*args))

    @impl(q.TruncOp)
    def run_trunc(self, interpreter: Interpreter, op: q.TruncOp, args: Args):
        if op.out_scale is None:
            x, scale, zeropt, in_bits, out_bits = args
            out_scale = None
        else:
            x, scale, zeropt, in_bits, out_scale, out_bits = args
        y = k.trunc(x, scale, zeropt, in_bits, out_bits, op.rounding_mode.data, out_scale,
                    _flag(op.signed), _flag(op.narrow))
        return _cast(op, y)

    @impl(q.MultiThresholdOp)
    def run_multithreshold(self, interpreter: Interpreter, op: q.MultiThresholdOp, args: Args):
        x, thresholds = args
        y = k.multithreshold(x, thresholds, op.channel_axis(), _float(op.out_scale), _float(op.out_bias))
        return _cast(op, y)

    @impl(q.MatMulOp)
    def run_matmul(self, interpreter: Interpreter, op: q.MatMulOp, args: Args):
        return _cast(op, np.matmul(*args))

    @impl(q.GemmOp)
    def run_gemm(self, interpreter: Interpreter, op: q.GemmOp, args: Args):
        a, b, *c = args
        y = k.gemm(a, b, c[0] if c else None, _float(op.alpha), _float(op.beta),
                   _flag(op.trans_a), _flag(op.trans_b))
        return _cast(op, y)

    @impl(q.ConvOp)
    def run_conv(self, interpreter: Interpreter, op: q.ConvOp, args: Args):
        x, w, *b = args
        kernel, strides, dil, pads = op.window()
        y = k.conv(x, w, b[0] if b else None, kernel, strides, dil, pads, op.group.value.data)
        return _cast(op, y)

    run_add = impl(q.AddOp)(_elementwise(np.add))
    run_sub = impl(q.SubOp)(_elementwise(np.subtract))
    run_mul = impl(q.MulOp)(_elementwise(np.multiply))
    run_div = impl(q.DivOp)(_elementwise(np.divide))
    run_pow = impl(q.PowOp)(_elementwise(k.power))
    run_relu = impl(q.ReluOp)(_elementwise(k.relu))
    run_sigmoid = impl(q.SigmoidOp)(_elementwise(k.sigmoid))
    run_sqrt = impl(q.SqrtOp)(_elementwise(np.sqrt))
    run_identity = impl(q.IdentityOp)(_elementwise(np.copy))

    @impl(q.BatchNormOp)
    def run_batch_norm(self, interpreter: Interpreter, op: q.BatchNormOp, args: Args):
        return _cast(op, k.batch_norm(*args, _float(op.epsilon)))

    @impl(q.MaxPoolOp)
    def run_max_pool(self, interpreter: Interpreter, op: q.MaxPoolOp, args: Args):
        kernel, strides, dil, pads = op.window()
        return _cast(op, k.max_pool(args[0], kernel, strides, dil, pads, _flag(op.ceil_mode)))

    @impl(q.AveragePoolOp)
    def run_average_pool(self, interpreter: Interpreter, op: q.AveragePoolOp, args: Args):
        kernel, strides, _, pads = op.window()
        y = k.average_pool(args[0], kernel, strides, pads, _flag(op.ceil_mode), _flag(op.count_include_pad))
        return _cast(op, y)

    @impl(q.GlobalAveragePoolOp)
    def run_global_average_pool(self, interpreter: Interpreter, op: q.GlobalAveragePoolOp, args: Args):
        return _cast(op, k.global_average_pool(args[0]))

    @impl(q.ReshapeOp)
    def run_reshape(self, interpreter: Interpreter, op: q.ReshapeOp, args: Args):
        x, target = args
        shape = shp.reshape(x.shape, target.tolist(), _flag(op.allowzero))
        return _cast(op, x.reshape(shape))

    @impl(q.FlattenOp)
    def run_flatten(self, interpreter: Interpreter, op: q.FlattenOp, args: Args):
        return _cast(op, args[0].reshape(q.shape_of(op.output)))

    @impl(q.TransposeOp)
    def run_transpose(self, interpreter: Interpreter, op: q.TransposeOp, args: Args):
        return _cast(op, np.ascontiguousarray(np.transpose(args[0], op.permutation())))

    @impl(q.ConcatOp)
    def run_concat(self, interpreter: Interpreter, op: q.ConcatOp, args: Args):
        return _cast(op, np.concatenate(args, axis=op.axis.value.data))

    @impl(q.PadOp)
    def run_pad(self, interpreter: Interpreter, op: q.PadOp, args: Args):
        x, pads, *value = args
        fill = value[0].reshape(-1)[0] if value else 0
        return _cast(op, k.pad(x, pads.tolist(), fill, op.mode.data))

    @impl(q.TopKOp)
    def run_topk(self, interpreter: Interpreter, op: q.TopKOp, args: Args):
        x, kk = args
        axis = shp.normalize_axis(op.axis.value.data, x.ndim)
        return _cast(op, *k.topk(x, int(kk.reshape(-1)[0]), axis, _flag(op.largest), _flag(op.sorted)))

    @impl(q.ArgMaxOp)
    def run_argmax(self, interpreter: Interpreter, op: q.ArgMaxOp, args: Args):
        axis = shp.normalize_axis(op.axis.value.data, args[0].ndim)
        return _cast(op, k.argmax(args[0], axis, _flag(op.keepdims), _flag(op.select_last_index)))
