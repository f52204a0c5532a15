"""
xDSL interpreter functions for the `dataflow` dialect.

Inside a partition every stream value is an int64 numpy array of the stream's normal
tensor shape (a stream carries the whole tensor; lanes do not change values). The
partition converts its float32 tensor operands to int64 (they must hold integers) and
its results back to float32, the storage of quantized tensors at the quant level.
Attribute decoding lives here, the arithmetic in `dataflow_kernels`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    ReturnedValues,
    impl,
    impl_terminator,
    register_impls,
)

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import FinnError
from finn_xdsl.sim import dataflow_kernels as k

Args = tuple[Any, ...]


def to_int64(value: np.ndarray, what: str) -> np.ndarray:
    """A quantized tensor (float32 storage) as int64; non-integral values are an error."""
    value = np.asarray(value)
    if value.dtype.kind in "iu":
        return value.astype(np.int64)
    if not np.all(np.isfinite(value)) or not np.all(value == np.round(value)):
        raise FinnError(f"{what} holds non-integer values; a dataflow partition streams integers")
    return value.astype(np.int64)


def _bipolar_out(op: df.DataflowOperation) -> bool:
    return isinstance(op.out_type().element_type, qt.BipolarType)


@register_impls
class DataflowFunctions(InterpreterFunctions):
    @impl(df.PartitionOp)
    def run_partition(self, interpreter: Interpreter, op: df.PartitionOp, args: Args):
        streams = tuple(
            to_int64(a, f"input {i} of {op.display_name}") for i, a in enumerate(args)
        )
        results = interpreter.run_ssacfg_region(op.body, streams, op.display_name)
        return tuple(
            np.asarray(r, dtype=qt.storage_dtype(o.type.element_type))  # type: ignore[attr-defined]
            for r, o in zip(results, op.outputs)
        )

    @impl_terminator(df.YieldOp)
    def run_yield(self, interpreter: Interpreter, op: df.YieldOp, args: Args):
        return ReturnedValues(args), ()

    @impl(df.MVAUOp)
    def run_mvau(self, interpreter: Interpreter, op: df.MVAUOp, args: Args):
        y = k.mvau(
            args[0], op.weight_values(), op.threshold_values(), op.value_of("act_val"),
            op.value_of("binary_xnor"), _bipolar_out(op),
        )
        return (y,)

    @impl(df.ThresholdingOp)
    def run_thresholding(self, interpreter: Interpreter, op: df.ThresholdingOp, args: Args):
        return (k.multithreshold(args[0], op.threshold_values(), op.value_of("act_val"), _bipolar_out(op)),)

    @impl(df.ChannelwiseOp)
    def run_channelwise(self, interpreter: Interpreter, op: df.ChannelwiseOp, args: Args):
        return (k.channelwise(args[0], op.param_values(), op.func.data),)

    @impl(df.SWGOp)
    def run_swg(self, interpreter: Interpreter, op: df.SWGOp, args: Args):
        return (k.im2col(args[0], *op.window()),)

    @impl(df.FMPaddingOp)
    def run_fmpadding(self, interpreter: Interpreter, op: df.FMPaddingOp, args: Args):
        return (k.fmpadding(args[0], op.value_of("padding"), op.value_of("pad_value")),)

    @impl(df.StreamingMaxPoolOp)
    def run_streaming_maxpool(self, interpreter: Interpreter, op: df.StreamingMaxPoolOp, args: Args):
        return (k.maxpool(args[0], op.value_of("kernel"), op.value_of("ceil_mode")),)

    @impl(df.GlobalAccPoolOp)
    def run_global_acc_pool(self, interpreter: Interpreter, op: df.GlobalAccPoolOp, args: Args):
        return (k.global_acc_pool(args[0]),)

    @impl(df.LabelSelectOp)
    def run_label_select(self, interpreter: Interpreter, op: df.LabelSelectOp, args: Args):
        return (k.label_select(args[0], op.value_of("k")),)

    @impl(df.AddStreamsOp)
    def run_add_streams(self, interpreter: Interpreter, op: df.AddStreamsOp, args: Args):
        return (args[0] + args[1],)

    @impl(df.DuplicateStreamsOp)
    def run_duplicate_streams(self, interpreter: Interpreter, op: df.DuplicateStreamsOp, args: Args):
        return tuple(args[0].copy() for _ in op.outputs)

    @impl(df.DWCOp)
    def run_dwc(self, interpreter: Interpreter, op: df.DWCOp, args: Args):
        return (args[0],)

    @impl(df.ReshapeOp)
    def run_reshape(self, interpreter: Interpreter, op: df.ReshapeOp, args: Args):
        return (args[0].reshape(op.out_type().shape),)

    @impl(df.FIFOOp)
    def run_fifo(self, interpreter: Interpreter, op: df.FIFOOp, args: Args):
        return (args[0],)
