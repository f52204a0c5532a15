"""
Run a module's `@main` function on numpy inputs with the reference interpreter.

Inputs and outputs are keyed by the ONNX graph input/output names the frontend keeps
on the function arguments (`qonnx.name`), so a QONNX user can feed the same dict they
would give qonnx's `execute_onnx`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, StringAttr, TensorType
from xdsl.interpreter import Interpreter
from xdsl.interpreters.func import FuncFunctions

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import FinnError
from finn_xdsl.sim.dataflow import DataflowFunctions
from finn_xdsl.sim.qonnx import QonnxFunctions
from finn_xdsl.sim.qonnx_layout import QonnxLayoutFunctions

NAME_ATTR = "qonnx.name"
ENTRY = "main"


def entry_function(module: ModuleOp) -> func.FuncOp:
    for op in module.ops:
        if isinstance(op, func.FuncOp) and op.sym_name.data == ENTRY:
            return op
    raise FinnError(f"the module has no func.func @{ENTRY} to execute")


def _names(attrs: ArrayAttr[DictionaryAttr] | None, count: int, prefix: str) -> list[str]:
    names = []
    for i in range(count):
        entry = attrs.data[i].data.get(NAME_ATTR) if attrs is not None else None
        names.append(entry.data if isinstance(entry, StringAttr) else f"{prefix}{i}")
    return names


def input_names(module: ModuleOp) -> list[str]:
    fn = entry_function(module)
    return _names(fn.arg_attrs, len(fn.function_type.inputs), "arg")


def output_names(module: ModuleOp) -> list[str]:
    fn = entry_function(module)
    return _names(fn.res_attrs, len(fn.function_type.outputs), "result")


def execute(
    module: ModuleOp,
    inputs: Mapping[str, np.ndarray] | Sequence[np.ndarray],
    listener: Interpreter.Listener | None = None,
) -> dict[str, np.ndarray]:
    """Execute `@main` and return its results by output name.

    `inputs` is a dict keyed by graph input name, or a list in argument order. Shapes must
    match exactly; values are converted to the storage dtype of each argument. A
    `listener` sees every op executed with its results (e.g. to compare intermediate
    tensors between IR levels).
    """
    fn = entry_function(module)
    names = input_names(module)
    if isinstance(inputs, Mapping):
        missing = [n for n in names if n not in inputs]
        if missing:
            raise FinnError(
                f"missing input(s) {', '.join(missing)}; the model's inputs are {', '.join(names)}"
            )
        extra = sorted(set(inputs) - set(names))
        if extra:
            raise FinnError(f"unknown input(s) {', '.join(extra)}; the model's inputs are {', '.join(names)}")
        values = [inputs[n] for n in names]
    else:
        values = list(inputs)
        if len(values) != len(names):
            raise FinnError(f"the model takes {len(names)} input(s), got {len(values)}")
    args = []
    for name, value, ty in zip(names, values, fn.function_type.inputs):
        assert isinstance(ty, TensorType)
        value = np.asarray(value)
        if tuple(value.shape) != ty.get_shape():
            raise FinnError(
                f"input '{name}' has shape {list(value.shape)}, the model expects {list(ty.get_shape())}"
            )
        args.append(value.astype(qt.storage_dtype(ty.element_type), copy=False))

    interpreter = Interpreter(module)
    interpreter.register_implementations(FuncFunctions())
    interpreter.register_implementations(QonnxFunctions())
    interpreter.register_implementations(DataflowFunctions())
    interpreter.register_implementations(QonnxLayoutFunctions())
    if listener is not None:
        interpreter.listeners = (*interpreter.listeners, listener)
    results = interpreter.call_op(fn, tuple(args))
    return dict(zip(output_names(module), results))
