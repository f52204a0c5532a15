"""dataflow.reshape: a wire that reinterprets a stream's shape."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness, TensorType
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.frontend.load import make_context, parse_mlir
from finn_xdsl.sim.dataflow import DataflowFunctions

SI2 = IntegerType(2, Signedness.SIGNED)


def _stream(shape, lanes=1):
    block = Block(arg_types=[df.StreamType(TensorType(SI2, shape), lanes)])
    return block, block.args[0]


def test_flatten_a_feature_map():
    block, x = _stream((1, 2, 2, 4), lanes=2)
    op = df.ReshapeOp(x, (1, 16), node_name="Reshape_0")
    block.add_op(op)
    op.verify()
    assert op.out_type().shape == (1, 16) and op.out_type().num_lanes == 2 and op.cycles() == 0
    values = np.arange(16).reshape(1, 2, 2, 4)
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.interpreter import Interpreter

    interpreter = Interpreter(ModuleOp([]))
    interpreter.register_implementations(DataflowFunctions())
    (y,) = interpreter.run_op(op, (values,))
    np.testing.assert_array_equal(y, values.reshape(1, 16))


def test_element_count_must_match():
    block, x = _stream((1, 2, 2, 4))
    op = df.ReshapeOp(x, (1, 16), node_name="r")
    block.add_op(op)
    bad = df.ReshapeOp.create(operands=[x], result_types=[df.StreamType(TensorType(SI2, (1, 15)), 1)],
                              properties=dict(op.properties))
    block.add_op(bad)
    with pytest.raises(VerifyException, match="hold different numbers of elements"):
        bad.verify()


def test_round_trip():
    text = (
        "func.func @f(%x: !dataflow.stream<tensor<1x2x2x4xsi2>, 1>) -> !dataflow.stream<tensor<1x16xsi2>, 1> {\n"
        '  %y = dataflow.reshape %x {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 1>) '
        "-> !dataflow.stream<tensor<1x16xsi2>, 1>\n"
        "  func.return %y : !dataflow.stream<tensor<1x16xsi2>, 1>\n}\n"
    )
    ctx = make_context()
    once = str(parse_mlir(ctx, text, "t"))
    assert str(parse_mlir(ctx, once, "t")) == once and "dataflow.reshape" in once
