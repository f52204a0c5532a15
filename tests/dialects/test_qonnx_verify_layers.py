"""
Verifier failures of the qonnx dialect, part 2: elementwise ops, BatchNormalization,
pools and data movement. As in part 1, every case is one change away from a valid op
and names the message it must produce.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import f32, i32, i64

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import bipolar

from qonnx_helpers import build, fa, fails, fails_one_line, ia, si, t


def bn(x=None, scale=None, var=None, result=None, **props):
    c = fa(1, 1, 1)
    return build(q.BatchNormOp, [x or t(1, 3, 4, 4), c if scale is None else scale, fa(0, 0, 0), fa(0, 0, 0),
                                 c if var is None else var], [result or t(1, 3, 4, 4)], **props)


def max_pool(x=None, result=None, **props):
    props.setdefault("kernel_shape", (2, 2))
    props.setdefault("strides", (2, 2))
    return build(q.MaxPoolOp, [x or t(1, 2, 6, 6, elem=bipolar)], [result or t(1, 2, 3, 3, elem=bipolar)], **props)


def avg_pool(x=None, result=None, **props):
    props.setdefault("kernel_shape", (3, 3))
    return build(q.AveragePoolOp, [x or t(1, 2, 5, 5)], [result or t(1, 2, 3, 3)], **props)


def reshape(x=None, shape=None, result=None, **props):
    return build(q.ReshapeOp, [x or t(2, 3), ia(3, 2) if shape is None else shape], [result or t(3, 2)], **props)


def concat(inputs=None, result=None, axis=1):
    default = [t(1, 2, 4), t(1, 3, 4)]
    return build(q.ConcatOp, [default if inputs is None else inputs], [result or t(1, 5, 4)], axis=axis)


def pad(x=None, pads=None, value=None, result=None, **props):
    return build(q.PadOp, [x or t(2, 3), ia(0, 1, 0, 1) if pads is None else pads, value],
                 [result or t(2, 5)], **props)


def topk(x=None, k=None, values=None, indices=None, **props):
    return build(q.TopKOp, [x or t(1, 10), ia(3) if k is None else k],
                 [values or t(1, 3), indices or t(1, 3, elem=i64)], **props)


def argmax(x=None, result=None, **props):
    return build(q.ArgMaxOp, [x or t(2, 5)], [result or t(2, 1, elem=i64)], axis=1, **props)


def test_helpers_build_valid_ops():
    """The defaults above are valid; each case below changes one thing."""
    for op in (bn(), max_pool(), avg_pool(), reshape(), concat(), pad(), topk(), argmax(),
               pad(value=np.array(1.0, np.float32)), max_pool(x=t(1, 2, 5, 5, elem=bipolar), ceil_mode=True)):
        op.verify()


CASES = [
    # --- elementwise
    pytest.param(lambda: build(q.AddOp, [t(2, 3), t(4)], [t(2, 3)]), r"shapes \(2, 3\), \(4,\) do not broadcast",
                 id="add-broadcast"),
    pytest.param(lambda: build(q.SubOp, [t(2, 3), fa(1)], [t(2, 1)]),
                 r"result shape \[2, 1\] does not match the inferred shape \[2, 3\]", id="sub-shape"),
    pytest.param(lambda: build(q.MulOp, [t(1, 4), t(3, 1)], [t(1, 4)]), r"does not match the inferred shape \[3, 4\]",
                 id="mul-shape"),
    pytest.param(lambda: build(q.DivOp, [t(3), t(2)], [t(3)]), "do not broadcast", id="div-broadcast"),
    pytest.param(lambda: build(q.PowOp, [t(3), t(2, 1)], [t(3)]), r"inferred shape \[2, 3\]", id="pow-shape"),
    pytest.param(lambda: build(q.ReluOp, [t(1, 4)], [t(4)]), r"result shape \[4\] does not match", id="relu-shape"),
    pytest.param(lambda: build(q.SigmoidOp, [t(1, 4)], [t(1, 4, 1)]), "does not match", id="sigmoid-shape"),
    pytest.param(lambda: build(q.SqrtOp, [t(2)], [t(3)]), "does not match", id="sqrt-shape"),
    pytest.param(lambda: build(q.IdentityOp, [t(1, 4, elem=si(4))], [t(1, 4)]),
                 "result element type f32 must equal the input's si4", id="identity-dtype"),
    pytest.param(lambda: build(q.IdentityOp, [t(1, 4)], [t(4, 1)]), "does not match", id="identity-shape"),
    # --- qonnx.batch_norm
    pytest.param(lambda: bn(training_mode=True), "training_mode is not supported; export the model in eval mode",
                 id="bn-training"),
    pytest.param(lambda: bn(x=t(3), result=t(3)), r"input must be \(N, C, ...\)", id="bn-rank"),
    pytest.param(lambda: bn(scale=fa(1, 1, 1, 1)), r"scale must have shape \[3\], got \[4\]", id="bn-scale"),
    pytest.param(lambda: bn(var=np.ones((1, 3), np.float32)), r"var must have shape \[3\], got \[1, 3\]", id="bn-var"),
    pytest.param(lambda: bn(epsilon=-1.0), "epsilon must be non-negative", id="bn-epsilon"),
    pytest.param(lambda: bn(result=t(1, 3, 4, 5)), "does not match the inferred shape", id="bn-shape"),
    # --- qonnx.max_pool
    pytest.param(lambda: max_pool(result=t(1, 2, 2, 2, elem=bipolar)),
                 r"result shape \[1, 2, 2, 2\] does not match the inferred shape \[1, 2, 3, 3\]", id="maxpool-shape"),
    pytest.param(lambda: max_pool(x=t(1, 2, 5, 5, elem=bipolar)),
                 r"inferred shape \[1, 2, 2, 2\]", id="maxpool-floor"),
    pytest.param(lambda: max_pool(result=t(1, 2, 3, 3)), "result element type f32 must equal the input's",
                 id="maxpool-dtype"),
    pytest.param(lambda: max_pool(kernel_shape=(7, 7), strides=(1, 1)), "window 7 is larger than padded input 6",
                 id="maxpool-window"),
    pytest.param(lambda: max_pool(kernel_shape=(2,)), "kernel_shape must have 2 entries, got 1",
                 id="maxpool-kernel-length"),
    pytest.param(lambda: max_pool(auto_pad="SAME_UPPER", kernel_shape=(2, 2, 2)),
                 "kernel_shape must have 2 entries, got 3", id="maxpool-same-kernel-length"),
    pytest.param(lambda: max_pool(dilations=(0, 1)), r"dilations must be positive, got \[0, 1\]",
                 id="maxpool-dilations"),
    pytest.param(lambda: max_pool(storage_order=2), "storage_order must be 0 .* or 1", id="maxpool-storage-order"),
    pytest.param(lambda: max_pool(x=t(1, 2, elem=bipolar), result=t(1, 2, elem=bipolar)),
                 r"input must be \(N, C, spatial...\)", id="maxpool-rank"),
    # --- qonnx.average_pool
    pytest.param(lambda: avg_pool(result=t(1, 2, 5, 5)), r"inferred shape \[1, 2, 3, 3\]", id="avgpool-shape"),
    pytest.param(lambda: avg_pool(pads=(1, 1, 1), result=t(1, 2, 5, 5)), "pads must have 4 entries, got 3",
                 id="avgpool-pads"),
    pytest.param(lambda: avg_pool(strides=(1, 1, 1)), "strides must have 2 entries, got 3", id="avgpool-strides"),
    pytest.param(lambda: avg_pool(auto_pad="FULL"), "unknown auto_pad 'FULL'", id="avgpool-auto-pad"),
    # --- qonnx.global_average_pool
    pytest.param(lambda: build(q.GlobalAveragePoolOp, [t(1, 3)], [t(1, 3)]), r"input must be \(N, C, spatial...\)",
                 id="gap-rank"),
    pytest.param(lambda: build(q.GlobalAveragePoolOp, [t(1, 3, 4, 4)], [t(1, 3)]),
                 r"result shape \[1, 3\] does not match the inferred shape \[1, 3, 1, 1\]", id="gap-shape"),
    # --- qonnx.reshape
    pytest.param(lambda: reshape(shape=ia(4, 2), result=t(4, 2)),
                 r"cannot reshape \(2, 3\) \(6 elements\) to \(4, 2\)", id="reshape-incompatible"),
    pytest.param(lambda: reshape(shape=ia(-1, 4), result=t(2, 4)), r"cannot reshape \(2, 3\) to \(-1, 4\)",
                 id="reshape-infer"),
    pytest.param(lambda: reshape(shape=ia(-1, -1)), "at most one dimension of the new shape may be -1",
                 id="reshape-two-inferred"),
    pytest.param(lambda: reshape(shape=ia(3, -2)), "invalid dimension -2 in new shape", id="reshape-negative"),
    pytest.param(lambda: reshape(result=t(2, 3)), r"result shape \[2, 3\] does not match the inferred shape \[3, 2\]",
                 id="reshape-shape"),
    pytest.param(lambda: reshape(shape=fa(3, 2)), "shape must be a 1-D i64 tensor, got tensor<2xf32>",
                 id="reshape-float-shape"),
    pytest.param(lambda: reshape(shape=np.array([3, 2], np.int32)), "shape must be a 1-D i64 tensor, got tensor<2xi32>",
                 id="reshape-i32-shape"),
    pytest.param(lambda: reshape(shape=t(1, 2, elem=i64)), "shape must be a 1-D i64 tensor", id="reshape-2d-shape"),
    pytest.param(lambda: reshape(shape=t(2, elem=i64), result=t(4, 2)),
                 "result and input hold different numbers of elements", id="reshape-dynamic-count"),
    pytest.param(lambda: reshape(x=t(2, 3, elem=si(4))), "result element type f32 must equal the input's si4",
                 id="reshape-dtype"),
    # --- qonnx.flatten
    pytest.param(lambda: build(q.FlattenOp, [t(2, 3)], [t(6, 1)], axis=3), "axis 3 is out of range for rank 2",
                 id="flatten-axis"),
    pytest.param(lambda: build(q.FlattenOp, [t(2, 3)], [t(1, 6)], axis=-3), "axis -3 is out of range for rank 2",
                 id="flatten-negative-axis"),
    pytest.param(lambda: build(q.FlattenOp, [t(2, 3, 4)], [t(6, 4)]),
                 r"result shape \[6, 4\] does not match the inferred shape \[2, 12\]", id="flatten-shape"),
    # --- qonnx.transpose
    pytest.param(lambda: build(q.TransposeOp, [t(1, 2, 3)], [t(1, 1, 2)], perm=(0, 0, 1)),
                 r"perm \[0, 0, 1\] is not a permutation of 3 axes", id="transpose-duplicate"),
    pytest.param(lambda: build(q.TransposeOp, [t(1, 2, 3)], [t(2, 1)], perm=(1, 0)),
                 r"perm \[1, 0\] is not a permutation of 3 axes", id="transpose-length"),
    pytest.param(lambda: build(q.TransposeOp, [t(1, 2, 3)], [t(1, 2, 3)]),
                 r"inferred shape \[3, 2, 1\]", id="transpose-shape"),
    # --- qonnx.concat
    pytest.param(lambda: concat(inputs=[t(1, 2, 4), t(1, 3, 5)]),
                 r"input shapes \[\[1, 2, 4\], \[1, 3, 5\]\] differ off axis 1", id="concat-off-axis"),
    pytest.param(lambda: concat(inputs=[t(1, 2, 4), t(1, 3)]), "differ off axis 1", id="concat-rank"),
    pytest.param(lambda: concat(axis=3), "axis 3 is out of range for rank 3", id="concat-axis"),
    pytest.param(lambda: concat(result=t(1, 6, 4)), r"inferred shape \[1, 5, 4\]", id="concat-shape"),
    pytest.param(lambda: concat(inputs=[]), "needs at least one input", id="concat-empty"),
    # --- qonnx.pad
    pytest.param(lambda: pad(mode="wrap"), "mode 'wrap' is not constant, reflect or edge", id="pad-mode"),
    pytest.param(lambda: pad(pads=ia(0, 1)), r"pads must be an i64 tensor of shape \[4\]", id="pad-length"),
    pytest.param(lambda: pad(pads=fa(0, 1, 0, 1)), r"pads must be an i64 tensor of shape \[4\]", id="pad-float"),
    pytest.param(lambda: pad(pads=ia(-2, 0, 0, 0), result=t(0, 3)), r"pads \[-2, 0, 0, 0\] leave an empty tensor",
                 id="pad-empty"),
    pytest.param(lambda: pad(result=t(2, 4)), r"inferred shape \[2, 5\]", id="pad-shape"),
    pytest.param(lambda: pad(value=fa(0, 0)), r"the pad value must be a scalar, got shape \[2\]", id="pad-value"),
    pytest.param(lambda: pad(pads=t(4, elem=i64), result=t(10)), "result rank 1 differs from input rank 2",
                 id="pad-rank"),
    pytest.param(lambda: pad(x=t(2, 3, elem=si(4)), result=t(2, 5, elem=si(8))),
                 "result element type si8 must equal the input's si4", id="pad-dtype"),
    # --- qonnx.topk
    pytest.param(lambda: topk(k=ia(11), values=t(1, 11), indices=t(1, 11, elem=i64)),
                 r"k = 11 is out of range 1..10", id="topk-k-large"),
    pytest.param(lambda: topk(k=ia(0), values=t(1, 0), indices=t(1, 0, elem=i64)), r"k = 0 is out of range 1..10",
                 id="topk-k-zero"),
    pytest.param(lambda: topk(k=ia(3, 3)), r"k must be an i64 tensor of shape \[1\]", id="topk-k-shape"),
    pytest.param(lambda: topk(k=np.array([3], np.int32)), r"k must be an i64 tensor of shape \[1\]",
                 id="topk-k-type"),
    pytest.param(lambda: topk(axis=2), "axis 2 is out of range for rank 2", id="topk-axis"),
    pytest.param(lambda: topk(values=t(1, 4), indices=t(1, 4, elem=i64)),
                 r"result shape \[1, 4\] does not match the inferred shape \[1, 3\]", id="topk-values-shape"),
    pytest.param(lambda: topk(k=t(1, elem=i64), values=t(2, 3), indices=t(2, 3, elem=i64)),
                 r"values shape \[2, 3\] differs from input \[1, 10\] off axis 1", id="topk-dynamic-k"),
    pytest.param(lambda: topk(indices=t(1, 3, elem=i32)), "indices must be i64 with the shape of values",
                 id="topk-indices-type"),
    pytest.param(lambda: topk(indices=t(1, 2, elem=i64)), "indices must be i64 with the shape of values",
                 id="topk-indices-shape"),
    pytest.param(lambda: topk(x=t(1, 10, elem=si(8))), "values must have the input's element type",
                 id="topk-values-type"),
    # --- qonnx.argmax
    pytest.param(lambda: argmax(result=t(2, 1)), "result must be an i64 tensor", id="argmax-f32"),
    pytest.param(lambda: argmax(result=t(2, 1, elem=i32)), "result must be an i64 tensor", id="argmax-i32"),
    pytest.param(lambda: build(q.ArgMaxOp, [t(2, 5)], [t(2, 1, elem=i64)], axis=-3),
                 "axis -3 is out of range for rank 2", id="argmax-axis"),
    pytest.param(lambda: argmax(keepdims=False), r"result shape \[2, 1\] does not match the inferred shape \[2\]",
                 id="argmax-keepdims"),
    # --- qonnx.im2col, qonnx.max_pool_nhwc (more in tests/sim/test_layout_ops.py)
    pytest.param(lambda: build(q.Im2ColOp, [t(1, 5, 5, 2)], [t(1, 3, 3, 9)], kernel_size=(3, 3), stride=(1, 1)),
                 r"result shape \[1, 3, 3, 9\] does not match the inferred shape \[1, 3, 3, 18\]", id="im2col-shape"),
    pytest.param(lambda: build(q.MaxPoolNHWCOp, [t(1, 6, 6)], [t(1, 3, 3)], kernel_shape=(2, 2)),
                 "input must be a 4-D NHWC tensor", id="max_pool_nhwc-rank"),
]


@pytest.mark.parametrize(("make", "match"), CASES)
def test_verifier_rejects(make, match):
    fails(make(), match)


@pytest.mark.parametrize(("make", "match"), CASES)
def test_one_line_diagnostic(make, match):
    fails_one_line(make(), match)


def test_cases_cover_their_ops():
    assert {type(p.values[0]()) for p in CASES} == set(q.OPS[8:])


def test_reshape_zero_copies_a_dimension():
    reshape(shape=ia(0, -1), result=t(2, 3)).verify()
    reshape(x=t(2, 0), shape=ia(0, 0), result=t(0, 0), allowzero=True).verify()


def test_pad_crops_with_negative_pads():
    pad(pads=ia(0, -1, 0, 1), result=t(2, 3)).verify()


def test_average_pool_result_type_may_change():
    """An average of integers is not an integer: AveragePool need not keep the dtype."""
    avg_pool(x=t(1, 2, 5, 5, elem=si(8))).verify()


def test_flatten_axis_bounds_are_inclusive():
    build(q.FlattenOp, [t(2, 3)], [t(6, 1)], axis=2).verify()
    build(q.FlattenOp, [t(2, 3)], [t(1, 6)], axis=-2).verify()
    build(q.FlattenOp, [t(2, 3)], [t(1, 6)], axis=0).verify()


def test_concat_result_type_may_widen():
    build(q.ConcatOp, [[t(1, 2, elem=si(4)), t(1, 2, elem=si(4))]], [t(1, 4, elem=si(4))], axis=1).verify()


def test_elementwise_result_dtype_is_free():
    build(q.AddOp, [t(1, 4, elem=si(8)), t(1, 4, elem=si(8))], [t(1, 4, elem=si(9))]).verify()
    build(q.MulOp, [t(1, 4, elem=bipolar), fa(0.5)], [t(1, 4, elem=f32)]).verify()
