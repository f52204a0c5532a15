"""
The dataflow reference: each layer executed through the interpreter (a partition in
@main, run by finn_xdsl.sim.execute) against an independent reference on random
integers: numpy matmul + hand-made thresholds for the MVAU, the bipolar dot product for
xnor mode, qonnx's Im2Col custom op for the SWG, loops for pooling, argsort for
LabelSelect.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from onnx import TensorProto, helper
from qonnx.core.datatype import DataType
from qonnx.core.modelwrapper import ModelWrapper
from qonnx.custom_op.registry import getCustomOp
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness
from xdsl.ir import Block, Operation, Region

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.qonnx_types import bipolar
from finn_xdsl.errors import FinnError
from finn_xdsl.sim.execute import execute

RNG = np.random.default_rng(1234)


def si(width: int) -> IntegerType:
    return IntegerType(width, Signedness.SIGNED)


def ui(width: int) -> IntegerType:
    return IntegerType(width, Signedness.UNSIGNED)


def s(*shape: int, elem=None, lanes: int = 1) -> df.StreamType:
    return df.StreamType.of(shape, si(8) if elem is None else elem, lanes)


def run(inputs: Sequence[tuple[df.StreamType, np.ndarray]], make: Callable[..., Operation]) -> list[np.ndarray]:
    """Execute `make(*streams)` in a partition in @main on the given values (as float32)."""
    block = Block(arg_types=[t.tensor for t, _ in inputs])
    part = df.PartitionOp.wrap(block.args, "StreamingDataflowPartition_0",
                               lambda *a: make(*a).results, [t.num_lanes for t, _ in inputs])
    block.add_op(part)
    block.add_op(func.ReturnOp(*part.results))
    module = ModuleOp([func.FuncOp("main", (list(block.arg_types), list(part.result_types)), Region(block))])
    module.verify()
    out = execute(module, [v.astype(np.float32) for _, v in inputs])
    for v in out.values():
        assert v.dtype == np.float32
    return list(out.values())


def ints(lo: int, hi: int, shape) -> np.ndarray:
    return RNG.integers(lo, hi + 1, shape)


def sorted_thresholds(rows: int, steps: int, lo: int, hi: int) -> np.ndarray:
    return np.sort(ints(lo, hi, (rows, steps)), axis=1)


def count_thresholds(acc: np.ndarray, t: np.ndarray) -> np.ndarray:
    """#{i : acc >= T[ch, i]} with explicit loops (independent of the kernel's broadcasting)."""
    out = np.zeros(acc.shape, np.int64)
    for idx in np.ndindex(acc.shape):
        row = t[idx[-1] if t.shape[0] > 1 else 0]
        out[idx] = sum(1 for v in row if acc[idx] >= v)
    return out


# ----------------------------------------------------------------------------- MVAU


@pytest.mark.parametrize("vec_shape, mw, mh, elem, wbits, pe, simd", [
    ((1,), 16, 8, si(4), 2, 2, 4),
    ((1, 3, 3), 12, 6, ui(3), 4, 6, 12),
    ((1, 2), 8, 4, si(8), 8, 1, 1),
])
def test_mvau_matmul(vec_shape, mw, mh, elem, wbits, pe, simd):
    x = ints(*(-8, 7) if elem == si(4) else (0, 7) if elem == ui(3) else (-128, 127), (*vec_shape, mw))
    w = ints(-(2 ** (wbits - 1)), 2 ** (wbits - 1) - 1, (mw, mh))
    (y,) = run([(s(*x.shape, elem=elem, lanes=simd), x)],
               lambda v: df.MVAUOp(v, w, si(wbits), si(32), node_name="MVAU_0", pe=pe))
    np.testing.assert_array_equal(y, np.matmul(x, w))


@pytest.mark.parametrize("rows, act_val, out", [(8, 0, ui(2)), (1, -2, si(2)), (8, 1, ui(3))])
def test_mvau_thresholds(rows, act_val, out):
    x, w = ints(-8, 7, (1, 4, 16)), ints(-2, 1, (16, 8))
    t = sorted_thresholds(rows, 3, -20, 20)
    (y,) = run([(s(1, 4, 16, elem=si(4), lanes=4), x)],
               lambda v: df.MVAUOp(v, w, si(2), out, node_name="MVAU_0", thresholds=t, act_val=act_val, pe=4))
    np.testing.assert_array_equal(y, count_thresholds(np.matmul(x, w), t) + act_val)


def test_mvau_bipolar_output():
    x, w = ints(-8, 7, (1, 16)), ints(-2, 1, (16, 8))
    t = sorted_thresholds(8, 1, -5, 5)
    (y,) = run([(s(1, 16, elem=si(4)), x)],
               lambda v: df.MVAUOp(v, w, si(2), bipolar, node_name="MVAU_0", thresholds=t))
    np.testing.assert_array_equal(y, 2 * count_thresholds(np.matmul(x, w), t) - 1)


@pytest.mark.parametrize("steps, out", [(1, bipolar), (3, ui(2))])
def test_mvau_xnor_matches_bipolar_dot_product(steps, out):
    mw, mh = 32, 8
    x, w = RNG.choice([-1, 1], (1, 5, mw)), RNG.choice([-1, 1], (mw, mh))
    t = sorted_thresholds(mh, steps, -mw, mw)
    t_pop = np.ceil((t + mw) / 2).astype(np.int64)
    (y,) = run([(s(1, 5, mw, elem=bipolar, lanes=8), x)],
               lambda v: df.MVAUOp(v, w, bipolar, out, node_name="MVAU_0", thresholds=t_pop, binary_xnor=True))
    c = count_thresholds(np.matmul(x, w), t)
    np.testing.assert_array_equal(y, 2 * c - 1 if out == bipolar else c)


def test_mvau_xnor_raw_popcount():
    x, w = RNG.choice([-1, 1], (1, 32)), RNG.choice([-1, 1], (32, 4))
    (y,) = run([(s(1, 32, elem=bipolar), x)],
               lambda v: df.MVAUOp(v, w, bipolar, ui(6), node_name="MVAU_0", binary_xnor=True))
    np.testing.assert_array_equal(y, (x[:, :, None] == w[None]).sum(axis=1))


# ----------------------------------------------------------------------------- thresholds, channelwise


def test_thresholding():
    x = ints(-128, 127, (1, 3, 3, 6))
    t = sorted_thresholds(6, 7, -100, 100)
    (y,) = run([(s(*x.shape, lanes=3), x)],
               lambda v: df.ThresholdingOp(v, t, si(4), node_name="Thresholding_0", act_val=-4))
    np.testing.assert_array_equal(y, count_thresholds(x, t) - 4)


@pytest.mark.parametrize("fn, params, out, ref", [
    ("add", [1, -2, 3, 0], si(9), lambda x, p: x + p),
    ("mul", [2], si(10), lambda x, p: x * p),
    ("cmp_le", [0, 5, -3, 1], ui(1), lambda x, p: (x <= p).astype(int)),
    ("cmp_ge", [0, 5, -3, 1], ui(1), lambda x, p: (x >= p).astype(int)),
])
def test_channelwise(fn, params, out, ref):
    x = ints(-128, 127, (1, 2, 2, 4))
    (y,) = run([(s(*x.shape), x)], lambda v: df.ChannelwiseOp(v, fn, np.array(params), out, node_name="C"))
    np.testing.assert_array_equal(y, ref(x, np.array(params)))


# ----------------------------------------------------------------------------- SWG vs qonnx Im2Col


def qonnx_im2col(x: np.ndarray, kernel, stride, dilation) -> np.ndarray:
    ishape = tuple(x.shape)
    node = helper.make_node("Im2Col", ["x"], ["y"], domain="qonnx.custom_op.general",
                            kernel_size=list(kernel), stride=list(stride), dilations=list(dilation),
                            input_shape=str(ishape))
    graph = helper.make_graph([node], "im2col", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(ishape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = ModelWrapper(helper.make_model(graph))
    model.set_tensor_datatype("x", DataType["INT8"])
    context = {"x": x.astype(np.float32)}
    getCustomOp(node).execute_node(context, model.graph)
    return context["y"]


@pytest.mark.parametrize("ishape, kernel, stride, dilation", [
    ((1, 6, 6, 3), (3, 3), (1, 1), (1, 1)),
    ((1, 7, 6, 2), (3, 2), (2, 1), (1, 1)),
    ((1, 9, 8, 4), (2, 3), (1, 2), (2, 2)),
    ((1, 5, 5, 1), (5, 5), (1, 1), (1, 1)),
    ((1, 4, 4, 8), (1, 1), (2, 2), (1, 1)),
    ((1, 1, 12, 3), (1, 4), (1, 3), (1, 2)),
    ((1, 10, 1, 2), (3, 1), (2, 1), (3, 1)),
])
def test_swg_matches_qonnx_im2col(ishape, kernel, stride, dilation):
    x = ints(-128, 127, ishape)
    (y,) = run([(s(*ishape), x)], lambda v: df.SWGOp(v, kernel, node_name="SWG", stride=stride, dilation=dilation))
    np.testing.assert_array_equal(y, qonnx_im2col(x, kernel, stride, dilation))


def test_swg_lanes_do_not_change_values():
    x = ints(-128, 127, (1, 5, 5, 4))
    ref = qonnx_im2col(x, (3, 3), (1, 1), (1, 1))
    for simd, parallel, depthwise in [(2, False, False), (4, True, False), (1, False, True)]:
        (y,) = run([(s(1, 5, 5, 4, lanes=simd), x)],
                   lambda v, p=parallel, d=depthwise: df.SWGOp(v, (3, 3), node_name="SWG", parallel_window=p, depthwise=d))
        np.testing.assert_array_equal(y, ref)


# ----------------------------------------------------------------------------- image layers


def test_fmpadding():
    x = ints(-8, 7, (1, 3, 4, 2))
    (y,) = run([(s(*x.shape, elem=si(4)), x)],
               lambda v: df.FMPaddingOp(v, (1, 2, 0, 3), node_name="FMPadding_0", pad_value=-8))
    ref = np.full((1, 4, 9, 2), -8)
    ref[:, 1:, 2:6, :] = x
    np.testing.assert_array_equal(y, ref)


@pytest.mark.parametrize("ishape, kernel, ceil_mode, pe", [
    ((1, 4, 6, 3), (2, 2), False, 3),
    ((1, 6, 6, 2), (3, 2), False, 2),
    ((1, 5, 7, 2), (2, 3), True, 2),
    ((1, 1, 9, 4), (1, 3), False, 2),
    ((1, 1, 10, 4), (1, 3), True, 1),
])
def test_streaming_maxpool(ishape, kernel, ceil_mode, pe):
    x = ints(-128, 127, ishape)
    (y,) = run([(s(*ishape, lanes=pe), x)],
               lambda v: df.StreamingMaxPoolOp(v, kernel, node_name="StreamingMaxPool_0", ceil_mode=ceil_mode))
    _, h, w, c = ishape
    kh, kw = kernel
    oh, ow = df.pool_output_dims((h, w), kernel, ceil_mode)
    ref = np.zeros((1, oh, ow, c), np.int64)
    for i, j, ch in itertools.product(range(oh), range(ow), range(c)):
        ref[0, i, j, ch] = x[0, i * kh : (i + 1) * kh, j * kw : (j + 1) * kw, ch].max()
    np.testing.assert_array_equal(y, ref)


def test_global_acc_pool():
    x = ints(0, 3, (1, 3, 4, 6))
    (y,) = run([(s(*x.shape, elem=ui(2), lanes=2), x)], lambda v: df.GlobalAccPoolOp(v, ui(6), node_name="G"))
    np.testing.assert_array_equal(y, x.sum(axis=(1, 2)).reshape(1, 1, 1, 6))


@pytest.mark.parametrize("k", [1, 3, 10])
def test_label_select(k):
    x = ints(-4, 4, (1, 10))  # few distinct values: many ties
    (y,) = run([(s(1, 10, lanes=5), x)], lambda v: df.LabelSelectOp(v, k, ui(8), node_name="LabelSelect_0"))
    ref = sorted(range(10), key=lambda i: (-x[0, i], i))[:k]
    np.testing.assert_array_equal(y[0], ref)
    np.testing.assert_array_equal(y, np.argsort(-x, axis=-1, kind="stable")[:, :k])


# ----------------------------------------------------------------------------- stream plumbing


def test_add_duplicate_dwc_fifo():
    a, b = ints(-128, 127, (1, 2, 2, 8)), ints(-128, 127, (1, 2, 2, 8))
    t = s(1, 2, 2, 8, lanes=2)

    def make(x, y):
        total = df.AddStreamsOp(x, y, si(9), node_name="AddStreams_0")
        wide = df.DWCOp(total, 8, node_name="StreamingDataWidthConverter_0")
        buffered = df.FIFOOp(wide, 16, node_name="StreamingFIFO_0")
        return df.DuplicateStreamsOp(buffered, 2, node_name="DuplicateStreams_0")

    y0, y1 = run([(t, a), (t, b)], make)
    np.testing.assert_array_equal(y0, a + b)
    np.testing.assert_array_equal(y1, a + b)


def test_partition_rejects_non_integer_input():
    with pytest.raises(FinnError, match="input 0 of StreamingDataflowPartition_0 holds non-integer values"):
        run([(s(1, 4), np.array([[0.5, 1, 2, 3]]))], lambda v: df.FIFOOp(v, 2, node_name="F"))
