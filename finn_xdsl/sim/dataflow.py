"""
xDSL interpreter functions for the `dataflow` dialect.

Inside a partition every stream value is an int64 numpy array of the stream's normal
tensor shape (a stream carries the whole tensor; lanes do not change values). The
partition converts its float32 tensor operands to int64 (they must hold integers) and
its results back to float32, the storage of quantized tensors at the quant level.
Each layer runs its spec's `reference` (`finn_xdsl/kernels/<layer>.py`: attribute decoding),
the arithmetic is in `dataflow_kernels`.
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
from finn_xdsl.kernels import spec_of

Args = tuple[Any, ...]


def to_int64(value: np.ndarray, what: str) -> np.ndarray:
    """A quantized tensor (float32 storage) as int64; non-integral values are an error."""
    value = np.asarray(value)
    if value.dtype.kind in "iu":
        return value.astype(np.int64)
    if not np.all(np.isfinite(value)) or not np.all(value == np.round(value)):
        raise FinnError(f"{what} holds non-integer values; a dataflow partition streams integers")
    return value.astype(np.int64)


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


def _run_layer(op_type: type[df.DataflowOperation]):
    @impl(op_type)
    def run(self, interpreter: Interpreter, op: df.DataflowOperation, args: Args):
        return spec_of(op).reference(op, args)  # type: ignore[misc]

    return run


# every layer runs its spec's reference (kernels/<layer>.py over dataflow_kernels' numpy)
for _op_type in df.LAYERS:
    setattr(DataflowFunctions, f"run_{_op_type.name.removeprefix('dataflow.')}", _run_layer(_op_type))
register_impls(DataflowFunctions)
