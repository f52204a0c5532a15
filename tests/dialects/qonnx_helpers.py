"""
Builders for `qonnx` dialect tests: one call makes an op inside a function, with block
arguments for tensor-typed operands and `qonnx.constant`s for numpy operands, so that a
verifier sees exactly what the frontend would produce (constants it can read).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.utils.diagnostics import verify_module


# a `?` dimension (xDSL's marker is not -1)
DYN = DYNAMIC_INDEX


def t(*shape: int, elem: Attribute = f32) -> TensorType:
    """tensor<shape x elem>."""
    return TensorType(elem, shape)


def si(width: int) -> IntegerType:
    return IntegerType(width, Signedness.SIGNED)


def ui(width: int) -> IntegerType:
    return IntegerType(width, Signedness.UNSIGNED)


def fa(*values: float) -> np.ndarray:
    """A 1-D float32 array (scales, zero points, bit widths, weights)."""
    return np.array(values, dtype=np.float32)


def ia(*values: int) -> np.ndarray:
    """A 1-D int64 array (shapes, pads, k)."""
    return np.array(values, dtype=np.int64)


def prop(value) -> Attribute:
    """A Python value as the property attribute the dialect expects."""
    if isinstance(value, Attribute):
        return value
    if isinstance(value, bool):
        return IntegerAttr.from_bool(value)
    if isinstance(value, int):
        return IntegerAttr(value, i64)
    if isinstance(value, float):
        return FloatAttr(value, f32)
    if isinstance(value, str):
        return StringAttr(value)
    if isinstance(value, tuple | list):
        return DenseArrayBase.from_list(i64, list(value))
    raise TypeError(f"no property attribute for {value!r}")


class Quantized:
    """A constant operand whose result type refines its f32 storage (e.g. to si2)."""

    def __init__(self, array: np.ndarray, elem: Attribute):
        self.array, self.elem = array, elem


Operand = TensorType | np.ndarray | Quantized | None


def _wrap(block: Block, ops: list[Operation]) -> ModuleOp:
    """Put `ops` into `func.func @f` (arguments: the block's) inside a module."""
    for op in ops:
        block.add_op(op)
    block.add_op(func.ReturnOp())
    fn = func.FuncOp("f", (list(block.arg_types), []), Region(block))
    return ModuleOp([fn])


def build(cls: type[q.QonnxOperation], operands: Sequence[Operand | Sequence[Operand]],
          results: Sequence[Attribute], **props) -> q.QonnxOperation:
    """Build `cls` in a function `@f`: tensor types become arguments, arrays constants.

    An entry that is a list fills a variadic operand (Concat); None leaves an optional
    operand out. Property values may be plain Python values (see `prop`).
    """
    flat = [o for entry in operands for o in (entry if isinstance(entry, list) else [entry])]
    block = Block(arg_types=[o for o in flat if isinstance(o, TensorType)])
    args = iter(block.args)
    ops: list[Operation] = []

    def value(o: Operand) -> SSAValue | None:
        if o is None:
            return None
        if isinstance(o, TensorType):
            return next(args)
        c = q.ConstantOp.from_numpy(o.array, o.elem) if isinstance(o, Quantized) else q.ConstantOp.from_numpy(o)
        ops.append(c)
        return c.output

    values = [[value(o) for o in e] if isinstance(e, list) else value(e) for e in operands]
    op = cls.build(operands=values, result_types=list(results),
                   properties={k: prop(v) for k, v in props.items()})
    _wrap(block, [*ops, op])
    return op


def build_constant(array: np.ndarray, elem: Attribute | None = None,
                   node_name: str | None = None) -> q.ConstantOp:
    """ConstantOp.from_numpy, placed in a function like `build` does."""
    op = q.ConstantOp.from_numpy(array, elem, node_name)
    _wrap(Block(), [op])
    return op


def place(op: q.QonnxOperation) -> q.QonnxOperation:
    """An op without operands (a hand-made constant), placed in a function."""
    _wrap(Block(), [op])
    return op


def module_of(op: Operation) -> ModuleOp:
    top = op
    while top.parent_op() is not None:
        top = top.parent_op()
    assert isinstance(top, ModuleOp)
    return top


def fails(op: Operation, match: str) -> None:
    """The op's own verifier rejects it with a message matching `match` (re.search).

    verify_() raises the verifier's exception itself; Operation.verify() would wrap it in
    a diagnostic that prints the whole module, which a loose pattern could match too.
    """
    with pytest.raises(VerifyException, match=match):
        op.verify_()
    with pytest.raises(VerifyException):
        module_of(op).verify()


def fails_one_line(op: Operation, match: str, node_name: str = "Node_7") -> None:
    """verify_module reports the failure as `src: <op> '<node>': <message>`, one line."""
    op.properties["node_name"] = StringAttr(node_name)
    with pytest.raises(FinnError) as info:
        verify_module(module_of(op), "m.onnx")
    message = str(info.value)
    assert message.startswith(f"m.onnx: {op.name} '{node_name}': "), message
    assert re.search(match, message), message
    assert "\n" not in message


def to_text(op: Operation, generic: bool = False) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue()


_CTX = None


def parse(text: str) -> ModuleOp:
    global _CTX
    if _CTX is None:
        _CTX = make_context()
    return Parser(_CTX, text, "test").parse_module()
