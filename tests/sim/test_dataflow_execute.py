"""
A small end-to-end model across levels: a qonnx.multithreshold in @main quantizes a
float image, a dataflow.partition runs swg -> mvau (fused thresholds) ->
streaming_maxpool on it, and finn_xdsl.sim.execute runs the whole function. The result
must equal a plain numpy convolution written without im2col, and survive a print/parse
round trip unchanged.
"""

from __future__ import annotations

import itertools

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    f32,
)
from xdsl.ir import Block, Region
from xdsl.parser import Parser

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx as q
from finn_xdsl.frontend.load import make_context
from finn_xdsl.sim.execute import execute

RNG = np.random.default_rng(7)
UI2 = IntegerType(2, Signedness.UNSIGNED)
SI2 = IntegerType(2, Signedness.SIGNED)

H, W, C, K, OC = 6, 6, 2, 3, 4
IN_T = np.array([[-0.5, 0.25, 1.0], [-1.0, 0.0, 0.5]], np.float32)  # per input channel
WEIGHTS = RNG.integers(-2, 2, (K * K * C, OC))
ACC_T = np.sort(RNG.integers(-6, 7, (OC, 3)), axis=1)


def build() -> ModuleOp:
    block = Block(arg_types=[TensorType(f32, (1, H, W, C))])
    thresholds = q.ConstantOp.from_numpy(IN_T)
    quantized = q.MultiThresholdOp.build(
        operands=[block.args[0], thresholds.output],
        result_types=[TensorType(UI2, (1, H, W, C))],
        properties={"out_dtype": UI2, "data_layout": StringAttr("NHWC"),
                    "out_scale": FloatAttr(1.0, f32), "out_bias": FloatAttr(0.0, f32),
                    "node_name": StringAttr("MultiThreshold_0")},
    )

    def body(x):
        window = df.SWGOp(x, (K, K), node_name="ConvolutionInputGenerator_0")
        mvau = df.MVAUOp(window, WEIGHTS, SI2, UI2, node_name="MVAU_0", thresholds=ACC_T, pe=OC, simd=1)
        return df.StreamingMaxPoolOp(mvau, (2, 2), node_name="StreamingMaxPool_0").results

    part = df.PartitionOp.wrap([quantized.output], "StreamingDataflowPartition_0", body)
    for op in (thresholds, quantized, part):
        block.add_op(op)
    block.add_op(func.ReturnOp(*part.results))
    fn = func.FuncOp("main", (list(block.arg_types), list(part.result_types)), Region(block))
    module = ModuleOp([fn])
    module.verify()
    return module


def reference(x: np.ndarray) -> np.ndarray:
    """Quantize, convolve (explicit loops over the window), threshold, pool."""
    qx = (x[..., None] >= IN_T[None, None, None]).sum(axis=-1)
    oh, ow = H - K + 1, W - K + 1
    w = WEIGHTS.reshape(K, K, C, OC)
    acc = np.zeros((oh, ow, OC), np.int64)
    for i, j, ki, kj, c in itertools.product(range(oh), range(ow), range(K), range(K), range(C)):
        acc[i, j] += qx[0, i + ki, j + kj, c] * w[ki, kj, c]
    act = (acc[..., None] >= ACC_T).sum(axis=-1)
    return act.reshape(oh // 2, 2, ow // 2, 2, OC).max(axis=(1, 3))[None]


def test_quant_then_partition():
    module = build()
    for _ in range(5):
        x = RNG.uniform(-1.5, 1.5, (1, H, W, C)).astype(np.float32)
        (y,) = execute(module, [x]).values()
        assert y.dtype == np.float32 and y.shape == (1, 2, 2, OC)
        np.testing.assert_array_equal(y, reference(x))


def test_round_trip_executes_the_same():
    module = build()
    text = str(module)
    parsed = Parser(make_context(), text, "e2e").parse_module()
    parsed.verify()
    assert str(parsed) == text
    x = RNG.uniform(-1.5, 1.5, (1, H, W, C)).astype(np.float32)
    np.testing.assert_array_equal(execute(parsed, [x])["result0"], reference(x))
