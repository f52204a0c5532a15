"""
xDSL interpreter functions for the channels-last `qonnx` ops (qonnx.im2col,
qonnx.max_pool_nhwc); the arithmetic lives in `layout_kernels`.
"""

from __future__ import annotations

from typing import Any

from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from finn_xdsl.dialects import qonnx_layout_ops as ql
from finn_xdsl.sim import layout_kernels as lk
from finn_xdsl.sim.qonnx import _cast

Args = tuple[Any, ...]


@register_impls
class QonnxLayoutFunctions(InterpreterFunctions):
    @impl(ql.Im2ColOp)
    def run_im2col(self, interpreter: Interpreter, op: ql.Im2ColOp, args: Args):
        kernel, strides, dil, pads = op.window()
        return _cast(op, lk.im2col(args[0], kernel, strides, dil, pads, op.pad_value.value.data))

    @impl(ql.MaxPoolNHWCOp)
    def run_max_pool_nhwc(self, interpreter: Interpreter, op: ql.MaxPoolNHWCOp, args: Args):
        kernel, strides, pads = op.window()
        return _cast(
            op, lk.max_pool_nhwc(args[0], kernel, strides, pads, bool(op.ceil_mode.value.data))
        )
