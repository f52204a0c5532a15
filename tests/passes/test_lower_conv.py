"""lower-conv: Conv -> im2col + MatMul (NHWC), MaxPool -> max_pool_nhwc, transposes absorbed.

Every test executes the IR with the reference interpreter before and after the pass and
demands bit-identical outputs. Conv inputs are on a k/8 grid and weights small integers
(or ±1), so float sums are exact in any order: im2col + matmul sums in (k_h, k_w, C)
order, the reference conv in (C, k_h, k_w) order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest
from conftest import DATA, MODEL_FILES, model_family
from xdsl.dialects import func
from xdsl.dialects.builtin import (
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

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import bipolar, ternary
from finn_xdsl.errors import LoweringError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes import get_all_passes
from finn_xdsl.passes.lower_conv import LowerConvPass
from finn_xdsl.sim.execute import execute
from finn_xdsl.utils import onnx_shapes as shp

F32 = np.float32
LAYER_OPS = (q.MatMulOp, q.Im2ColOp, q.MaxPoolNHWCOp, q.MultiThresholdOp)
LOWERED_OPS = (q.MatMulOp, q.Im2ColOp, q.MaxPoolNHWCOp)


def si(width: int) -> IntegerType:
    return IntegerType(width, Signedness.SIGNED)


def run_pass(module: ModuleOp, *names: str) -> ModuleOp:
    out = module.clone()
    ctx = make_context()
    passes = get_all_passes()
    for name in names or ("lower-conv",):
        passes[name]()().apply(ctx, out)
    out.verify()
    return out


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return bool(np.all(a.view(f"u{a.itemsize}") == b.view(f"u{b.itemsize}")))
    return bool(np.array_equal(a, b))


def assert_same_outputs(before: ModuleOp, after: ModuleOp, inputs: Sequence[np.ndarray]) -> None:
    ref = execute(before, list(inputs))
    got = execute(after, list(inputs))
    assert set(ref) == set(got)
    for name in ref:
        assert same_bits(got[name], ref[name]), (
            f"{name}: {np.count_nonzero(got[name] != ref[name])} elements differ"
        )


def ops_named(module: ModuleOp) -> Counter:
    return Counter(op.name for op in module.walk())


def upstream(value: SSAValue) -> set[Operation]:
    seen: set[Operation] = set()
    work = [value]
    while work:
        v = work.pop()
        if isinstance(v.owner, Operation) and v.owner not in seen:
            seen.add(v.owner)
            work += list(v.owner.operands)
    return seen


def from_input(value: SSAValue) -> bool:
    """Whether `value` depends on a graph input (not only on constants)."""
    work, seen = [value], set()
    while work:
        v = work.pop()
        if isinstance(v.owner, Block):
            return True
        if v.owner not in seen:
            seen.add(v.owner)
            work += list(v.owner.operands)
    return False


def downstream(op: Operation) -> set[Operation]:
    seen: set[Operation] = set()
    work = [op]
    while work:
        cur = work.pop()
        for r in cur.results:
            for use in r.uses:
                if use.operation not in seen:
                    seen.add(use.operation)
                    work.append(use.operation)
    return seen


def transposes_between_layers(module: ModuleOp) -> list[q.TransposeOp]:
    """Transposes with a layer op (matmul, im2col, max_pool_nhwc, multithreshold) both
    upstream and downstream of them, except on the graph input side (nothing upstream
    runs channels-last yet: e.g. the input quantizer's MultiThreshold stays NCHW)."""
    bad = []
    for op in module.walk():
        if (
            isinstance(op, q.TransposeOp)
            and any(isinstance(u, LOWERED_OPS) for u in upstream(op.x))
            and any(isinstance(d, LAYER_OPS) for d in downstream(op))
        ):
            bad.append(op)
    return bad


# ----------------------------------------------------------------------------- bundled models


def model_inputs(name: str, module: ModuleOp) -> list[np.ndarray]:
    x = np.load(DATA / f"{model_family(name)}_input.npy")
    rng = np.random.default_rng(sum(map(ord, name)))
    return [
        x,
        rng.uniform(0, 1, x.shape).astype(F32),
        (rng.integers(0, 256, x.shape) / 255).astype(F32),
    ]


@pytest.mark.parametrize("name", MODEL_FILES)
def test_models_bit_identical(name, imported):
    module = imported(name).clone()
    lowered = run_pass(module)
    for x in model_inputs(name, module):
        assert_same_outputs(module, lowered, [x])
    counts = ops_named(lowered)
    assert counts["qonnx.conv"] == 0 and counts["qonnx.max_pool"] == 0
    assert transposes_between_layers(lowered) == []
    if name.startswith("cnv"):
        assert counts["qonnx.im2col"] == 6 and counts["qonnx.max_pool_nhwc"] == 2
        assert counts["qonnx.matmul"] == 9
        # the data path has one transpose: NCHW -> NHWC in front of the first im2col
        data_transposes = [
            op for op in lowered.walk() if isinstance(op, q.TransposeOp) and from_input(op.x)
        ]
        first = next(op for op in lowered.walk() if isinstance(op, q.Im2ColOp))
        assert data_transposes == [first.x.owner]
        assert first.x.owner.permutation() == (0, 2, 3, 1)
    else:
        assert counts["qonnx.transpose"] == 0


@pytest.mark.parametrize("name", ["cnv_1w1a_ts_clean", "cnv_2w2a_ts_raw"])
def test_idempotent(name, imported):
    once = run_pass(imported(name).clone())
    twice = run_pass(once)
    assert str(once) == str(twice)


def _has_pass(name: str) -> bool:
    try:
        get_all_passes()[name]()
    except (ImportError, AttributeError, KeyError):
        return False
    return True


@pytest.mark.parametrize("name", [m for m in MODEL_FILES if m.startswith("cnv")])
def test_after_thresholds_and_streamline(name, imported):
    pipeline = [p for p in ("qonnx-to-thresholds", "streamline") if _has_pass(p)]
    if not pipeline:
        pytest.skip("qonnx-to-thresholds and streamline are not there yet")
    streamlined = run_pass(imported(name).clone(), *pipeline)
    lowered = run_pass(streamlined)
    for x in model_inputs(name, streamlined):
        assert_same_outputs(streamlined, lowered, [x])
    counts = ops_named(lowered)
    assert counts["qonnx.conv"] == 0 and counts["qonnx.max_pool"] == 0
    assert transposes_between_layers(lowered) == []


# ----------------------------------------------------------------------------- hand-built IR


def _prop(value) -> Attribute:
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
    return DenseArrayBase.from_list(i64, list(value))


class Graph:
    """A func @main built op by op; `run` builds the module."""

    def __init__(self, *inputs: tuple[int, ...] | TensorType):
        types = [i if isinstance(i, TensorType) else TensorType(f32, i) for i in inputs]
        self.block = Block(arg_types=types)
        self.args = list(self.block.args)

    def const(self, array: np.ndarray, elem: Attribute | None = None) -> SSAValue:
        op = q.ConstantOp.from_numpy(np.asarray(array), elem)
        self.block.add_op(op)
        return op.output

    def op(self, cls, operands, shape, elem: Attribute = f32, **props) -> SSAValue:
        operands = list(operands)
        operands += [None] * (len(cls.get_irdl_definition().operands) - len(operands))
        op = cls.build(
            operands=operands,
            result_types=[TensorType(elem, list(shape))],
            properties={k: _prop(v) for k, v in props.items()},
        )
        self.block.add_op(op)
        return op.results[0]

    def module(self, *outputs: SSAValue) -> ModuleOp:
        self.block.add_op(func.ReturnOp(*outputs))
        fn = func.FuncOp(
            "main", ([a.type for a in self.args], [o.type for o in outputs]), Region(self.block)
        )
        module = ModuleOp([fn])
        module.verify()
        return module


def grid_input(rng, shape, denom=8, lo=-16, hi=16) -> np.ndarray:
    return (rng.integers(lo, hi + 1, size=shape) / denom).astype(F32)


def weights(rng, shape, elem=None) -> np.ndarray:
    if elem == bipolar:
        return np.where(rng.integers(0, 2, size=shape) == 1, 1, -1).astype(F32)
    return rng.integers(-3, 4, size=shape).astype(F32)


def conv_shape(x, w, kernel, strides, dil, pads, auto_pad="NOTSET"):
    pads = shp.pool_pads(x[2:], kernel, strides, dil, pads, auto_pad)
    return (x[0], w[0], *shp.window_output(x[2:], kernel, strides, dil, pads))


def check_lowering(module: ModuleOp, draws: int = 3, seed: int = 0) -> ModuleOp:
    lowered = run_pass(module)
    rng = np.random.default_rng(seed)
    fn = next(op for op in module.ops if isinstance(op, func.FuncOp))
    for _ in range(draws):
        inputs = [grid_input(rng, t.get_shape()) for t in fn.function_type.inputs]
        assert_same_outputs(module, lowered, inputs)
    counts = ops_named(lowered)
    assert counts["qonnx.conv"] == 0 and counts["qonnx.max_pool"] == 0
    return lowered


CONV_CASES = {
    # name: (x shape, w shape, props)
    "plain": ((1, 3, 6, 6), (4, 3, 3, 3), {}),
    "padding": ((1, 3, 6, 6), (4, 3, 3, 3), {"pads": (1, 1, 1, 1)}),
    "stride2": ((1, 2, 7, 7), (3, 2, 3, 3), {"strides": (2, 2), "pads": (1, 1, 1, 1)}),
    "dilation": ((1, 2, 9, 8), (3, 2, 3, 3), {"dilations": (2, 2)}),
    "dilation_mixed": ((1, 2, 9, 8), (3, 2, 3, 2), {"dilations": (2, 3), "strides": (1, 2)}),
    "rectangular": ((1, 2, 7, 6), (5, 2, 2, 3), {"pads": (0, 1, 1, 2)}),
    "same_upper": ((1, 2, 6, 5), (3, 2, 3, 3), {"auto_pad": "SAME_UPPER", "strides": (2, 2)}),
    "same_lower": ((1, 2, 6, 5), (3, 2, 2, 2), {"auto_pad": "SAME_LOWER"}),
    "valid": ((1, 2, 6, 5), (3, 2, 3, 3), {"auto_pad": "VALID"}),
    "pointwise": ((1, 4, 5, 5), (6, 4, 1, 1), {}),
    "pointwise_stride": ((1, 4, 5, 5), (6, 4, 1, 1), {"strides": (2, 2)}),
    "kernel_is_image": ((1, 3, 4, 4), (5, 3, 4, 4), {}),
    "batch2": ((2, 3, 5, 5), (4, 3, 3, 3), {"pads": (1, 1, 1, 1)}),
    "grouped": ((1, 4, 5, 5), (6, 2, 3, 3), {"group": 2, "pads": (1, 1, 1, 1)}),
    "depthwise": ((1, 3, 6, 6), (3, 1, 3, 3), {"group": 3, "pads": (1, 1, 1, 1)}),
    "depthwise_multiplier": ((1, 2, 5, 5), (4, 1, 3, 3), {"group": 2}),
}


def _conv_graph(
    x_shape, w_shape, props, bias=False, w_kind="constant", x_elem=f32, out_elem=f32, seed=0
):
    rng = np.random.default_rng(seed)
    g = Graph(TensorType(f32, x_shape))
    x = g.args[0]
    if x_elem != f32:
        # bring the input onto the element type's values
        scale = g.const(np.array([1.0], F32))
        bits = g.const(np.array([1.0 if x_elem == bipolar else 4.0], F32))
        zero = g.const(np.array([0.0], F32))
        x = g.op(q.QuantOp, [x, scale, zero, bits], x_shape, x_elem)
    w_elem = bipolar if w_kind == "bipolar" else None
    w_np = weights(rng, w_shape, w_elem)
    if w_kind == "quant":
        raw = g.const((w_np + rng.uniform(-0.3, 0.3, w_shape)).astype(F32))
        one, zero, two = (g.const(np.array([v], F32)) for v in (1.0, 0.0, 3.0))
        w = g.op(q.QuantOp, [raw, one, zero, two], w_shape, si(3))
    elif w_kind == "bipolar_quant":
        raw = g.const(rng.uniform(-1, 1, w_shape).astype(F32))
        w = g.op(q.BipolarQuantOp, [raw, g.const(np.array([1.0], F32))], w_shape, bipolar)
    else:
        w = g.const(w_np, w_elem or si(3))
    operands = [x, w]
    if bias:
        denom = 1 if out_elem != f32 else 8  # an integer conv result needs an integer bias
        operands.append(g.const(grid_input(rng, (w_shape[0],), denom=denom)))
    kernel = w_shape[2:]
    full = {"kernel_shape": kernel, **props}
    out = conv_shape(
        x_shape,
        w_shape,
        kernel,
        props.get("strides", (1, 1)),
        props.get("dilations", (1, 1)),
        props.get("pads"),
        props.get("auto_pad", "NOTSET"),
    )
    y = g.op(q.ConvOp, operands, out, out_elem, node_name="Conv_0", **full)
    return g.module(y)


@pytest.mark.parametrize("case", CONV_CASES)
@pytest.mark.parametrize("w_kind", ["constant", "quant"])
def test_conv_cases(case, w_kind):
    x_shape, w_shape, props = CONV_CASES[case]
    lowered = check_lowering(_conv_graph(x_shape, w_shape, props, w_kind=w_kind))
    counts = ops_named(lowered)
    pointwise = case.startswith("pointwise") and "strides" not in props
    assert counts["qonnx.im2col"] == (0 if pointwise else 1)
    assert counts["qonnx.matmul"] == 1
    if w_kind == "constant":
        # the weight matrix is a new constant: no ops on the weights
        assert counts["qonnx.transpose"] == 2 and counts["qonnx.reshape"] == 0
    if not pointwise:
        im2col = next(op for op in lowered.walk() if isinstance(op, q.Im2ColOp))
        group = props.get("group", 1)
        assert bool(im2col.depthwise.value.data) == (group == x_shape[1] == w_shape[0])


@pytest.mark.parametrize("w_kind", ["constant", "quant"])
def test_conv_with_bias(w_kind):
    lowered = check_lowering(
        _conv_graph((1, 3, 6, 6), (4, 3, 3, 3), {"pads": (1, 1, 1, 1)}, bias=True, w_kind=w_kind)
    )
    assert ops_named(lowered)["qonnx.add"] == 1


def test_bipolar_conv_with_padding_im2col_is_ternary():
    module = _conv_graph(
        (1, 3, 6, 6), (4, 3, 3, 3), {"pads": (1, 1, 1, 1)}, w_kind="bipolar", x_elem=bipolar
    )
    lowered = check_lowering(module)
    im2col = next(op for op in lowered.walk() if isinstance(op, q.Im2ColOp))
    assert q.elem_of(im2col.output) == ternary
    matmul = next(op for op in lowered.walk() if isinstance(op, q.MatMulOp))
    assert q.elem_of(matmul.rhs) == bipolar  # the constant keeps its element type


def test_bipolar_conv_without_padding_keeps_types():
    module = _conv_graph((1, 3, 6, 6), (4, 3, 3, 3), {}, w_kind="bipolar_quant", x_elem=bipolar)
    lowered = check_lowering(module)
    im2col = next(op for op in lowered.walk() if isinstance(op, q.Im2ColOp))
    assert q.elem_of(im2col.output) == bipolar


def test_grouped_bipolar_weights_become_ternary():
    module = _conv_graph((1, 4, 5, 5), (4, 2, 3, 3), {"group": 2}, w_kind="bipolar")
    lowered = check_lowering(module)
    matmul = next(op for op in lowered.walk() if isinstance(op, q.MatMulOp))
    assert q.elem_of(matmul.rhs) == ternary


def test_grouped_conv_with_computed_weights():
    module = _conv_graph(
        (1, 4, 5, 5), (4, 2, 3, 3), {"group": 2, "pads": (1, 1, 1, 1)}, w_kind="bipolar_quant"
    )
    lowered = check_lowering(module)
    assert ops_named(lowered)["qonnx.concat"] == 1


def test_conv_result_type_is_kept():
    module = _conv_graph(
        (1, 3, 6, 6), (4, 3, 3, 3), {}, w_kind="bipolar", x_elem=bipolar, out_elem=si(32)
    )
    lowered = check_lowering(module)
    matmul = next(op for op in lowered.walk() if isinstance(op, q.MatMulOp))
    assert q.elem_of(matmul.output) == si(32)
    back = next(iter(matmul.output.uses)).operation
    assert isinstance(back, q.TransposeOp) and q.elem_of(back.output) == si(32)


def test_conv_with_bias_integer_result():
    """With a bias, the integer result type is the biased sum's; the matmul of two integer
    tensors gives an integer (si32) accumulator, so convert-to-dataflow can take it."""
    module = _conv_graph(
        (1, 3, 6, 6), (4, 3, 3, 3), {}, bias=True, w_kind="bipolar", x_elem=bipolar, out_elem=si(32)
    )
    lowered = check_lowering(module)
    add = next(op for op in lowered.walk() if isinstance(op, q.AddOp))
    assert q.elem_of(add.output) == si(32)
    assert q.elem_of(add.lhs) == si(32)


POOL_CASES = {
    "k2s2": ((1, 3, 8, 8), {"kernel_shape": (2, 2), "strides": (2, 2)}),
    "pads": ((1, 2, 7, 7), {"kernel_shape": (3, 3), "strides": (2, 2), "pads": (1, 1, 1, 1)}),
    "ceil_mode": ((1, 2, 7, 7), {"kernel_shape": (2, 2), "strides": (2, 2), "ceil_mode": True}),
    "ceil_pads": (
        (1, 2, 5, 5),
        {"kernel_shape": (2, 2), "strides": (2, 2), "pads": (1, 1, 1, 1), "ceil_mode": True},
    ),
    "rect_stride1": ((2, 2, 6, 5), {"kernel_shape": (3, 2)}),
    "same_upper": (
        (1, 2, 7, 6),
        {"kernel_shape": (3, 3), "strides": (2, 2), "auto_pad": "SAME_UPPER"},
    ),
}


@pytest.mark.parametrize("case", POOL_CASES)
def test_max_pool_cases(case):
    x_shape, props = POOL_CASES[case]
    g = Graph(x_shape)
    kernel = props["kernel_shape"]
    strides = props.get("strides", (1, 1))
    pads = shp.pool_pads(
        x_shape[2:], kernel, strides, (1, 1), props.get("pads"), props.get("auto_pad", "NOTSET")
    )
    out = (
        *x_shape[:2],
        *shp.window_output(
            x_shape[2:], kernel, strides, (1, 1), pads, props.get("ceil_mode", False)
        ),
    )
    y = g.op(q.MaxPoolOp, [g.args[0]], out, node_name="MaxPool_0", **props)
    lowered = check_lowering(g.module(y))
    assert ops_named(lowered)["qonnx.max_pool_nhwc"] == 1


# ----------------------------------------------------------------------------- transpose plumbing


def conv_layer(g: Graph, x: SSAValue, m: int, rng, pads=(1, 1, 1, 1), name="Conv") -> SSAValue:
    n, c, h, w = q.shape_of(x)
    wt = g.const(weights(rng, (m, c, 3, 3)), si(3))
    out = conv_shape((n, c, h, w), (m, c, 3, 3), (3, 3), (1, 1), (1, 1), pads)
    return g.op(q.ConvOp, [x, wt], out, kernel_shape=(3, 3), pads=pads, node_name=name)


def test_chain_of_layers_has_no_inner_transposes():
    """conv -> mul/add (C,1,1) -> relu -> quant (per-channel scale) -> maxpool ->
    multithreshold -> conv -> bipolar_quant -> flatten -> matmul."""
    rng = np.random.default_rng(5)
    g = Graph((1, 3, 8, 8))
    y = conv_layer(g, g.args[0], 4, rng, name="Conv_0")
    y = g.op(
        q.MulOp, [y, g.const(np.array([1.0, 0.5, 2.0, 0.25], F32).reshape(4, 1, 1))], (1, 4, 8, 8)
    )
    y = g.op(q.AddOp, [g.const(grid_input(rng, (1, 4, 1, 1))), y], (1, 4, 8, 8))
    y = g.op(q.ReluOp, [y], (1, 4, 8, 8))
    scale = g.const(np.array([0.5, 0.25, 1.0, 0.5], F32).reshape(1, 4, 1, 1))
    y = g.op(
        q.QuantOp,
        [y, scale, g.const(np.zeros(1, F32)), g.const(np.array([4.0], F32))],
        (1, 4, 8, 8),
    )
    y = g.op(q.MaxPoolOp, [y], (1, 4, 4, 4), kernel_shape=(2, 2), strides=(2, 2))
    thresholds = np.sort(grid_input(rng, (4, 3)), axis=1)
    y = g.op(
        q.MultiThresholdOp,
        [y, g.const(thresholds)],
        (1, 4, 4, 4),
        si(3),
        out_dtype=si(3),
        out_bias=-3.0,
    )
    y = conv_layer(g, y, 5, rng, name="Conv_1")
    y = g.op(q.BipolarQuantOp, [y, g.const(np.ones(1, F32))], (1, 5, 4, 4), bipolar)
    y = g.op(q.FlattenOp, [y], (1, 80), bipolar)
    y = g.op(q.MatMulOp, [y, g.const(weights(rng, (80, 3)), si(3))], (1, 3))
    lowered = check_lowering(g.module(y))
    assert transposes_between_layers(lowered) == []
    assert ops_named(lowered)["qonnx.transpose"] == 1
    mt = next(op for op in lowered.walk() if isinstance(op, q.MultiThresholdOp))
    assert mt.data_layout.data == "NHWC"
    mul = next(op for op in lowered.walk() if isinstance(op, q.MulOp))
    assert q.shape_of(mul.rhs) == (4,)


def _scalar(g: Graph, v: float) -> SSAValue:
    return g.const(np.array([v], F32))


# elementwise ops after a lowered conv (output (1, 4, 6, 6)): each must take the
# transpose along (constants permuted), leaving none between the two convs
ELEMENTWISE = {
    "relu": lambda g, y: g.op(q.ReluOp, [y], (1, 4, 6, 6)),
    "identity": lambda g, y: g.op(q.IdentityOp, [y], (1, 4, 6, 6)),
    # (quantized again: the next conv's sums are only exact on a grid)
    "sigmoid": lambda g, y: g.op(
        q.QuantOp,
        [g.op(q.SigmoidOp, [y], (1, 4, 6, 6)), _scalar(g, 0.125), _scalar(g, 0.0), _scalar(g, 4.0)],
        (1, 4, 6, 6),
    ),
    "sub_const_first": lambda g, y: g.op(
        q.SubOp, [g.const(np.arange(4, dtype=F32).reshape(1, 4, 1, 1)), y], (1, 4, 6, 6)
    ),
    "div_channelwise": lambda g, y: g.op(
        q.DivOp, [y, g.const(np.array([1, 2, 4, 8], F32).reshape(4, 1, 1))], (1, 4, 6, 6)
    ),
    "pow_scalar": lambda g, y: g.op(q.PowOp, [y, _scalar(g, 2.0)], (1, 4, 6, 6)),
    "mul_full_constant": lambda g, y: g.op(
        q.MulOp, [y, g.const(np.arange(144, dtype=F32).reshape(4, 6, 6) / 8)], (1, 4, 6, 6)
    ),
    "bipolar_quant_channelwise": lambda g, y: g.op(
        q.BipolarQuantOp, [y, g.const(np.array([1, 2, 0.5, 4], F32).reshape(1, 4, 1, 1))], (1, 4, 6, 6)
    ),
    "quant": lambda g, y: g.op(
        q.QuantOp, [y, _scalar(g, 0.5), _scalar(g, 0.0), _scalar(g, 3.0)], (1, 4, 6, 6)
    ),
    "trunc_v1": lambda g, y: g.op(
        q.TruncOp,
        [y, _scalar(g, 1.0), _scalar(g, 0.0), _scalar(g, 8.0), None, _scalar(g, 4.0)],
        (1, 4, 6, 6),
    ),
    "trunc_v2": lambda g, y: g.op(
        q.TruncOp,
        [y, _scalar(g, 1.0), _scalar(g, 0.0), _scalar(g, 8.0), _scalar(g, 4.0), _scalar(g, 4.0)],
        (1, 4, 6, 6),
    ),
}


@pytest.mark.parametrize("case", ELEMENTWISE)
def test_transpose_moves_past_elementwise(case):
    rng = np.random.default_rng(12)
    g = Graph((1, 3, 6, 6))
    y = conv_layer(g, g.args[0], 4, rng, name="Conv_0")
    y = ELEMENTWISE[case](g, y)
    y = conv_layer(g, y, 2, rng, name="Conv_1")
    lowered = check_lowering(g.module(y))
    assert ops_named(lowered)["qonnx.transpose"] == 2  # graph input and output only
    assert transposes_between_layers(lowered) == []


def test_flatten_absorbed_with_computed_weights():
    rng = np.random.default_rng(6)
    g = Graph((1, 2, 5, 5))
    y = conv_layer(g, g.args[0], 3, rng, pads=(0, 0, 0, 0))
    raw = g.const(rng.uniform(-1, 1, (27, 4)).astype(F32))
    w = g.op(q.BipolarQuantOp, [raw, g.const(np.ones(1, F32))], (27, 4), bipolar)
    y = g.op(q.ReshapeOp, [y, g.const(np.array([1, -1], np.int64))], (1, 27))
    y = g.op(q.MatMulOp, [y, w], (1, 4))
    lowered = check_lowering(g.module(y))
    assert transposes_between_layers(lowered) == []


def test_batch_norm_after_conv_becomes_channels_last_affine():
    rng = np.random.default_rng(8)
    g = Graph((1, 3, 6, 6))
    y = conv_layer(g, g.args[0], 4, rng)
    params = [
        rng.uniform(0.5, 2, 4).astype(F32),
        rng.standard_normal(4).astype(F32),
        rng.standard_normal(4).astype(F32),
        rng.uniform(0.5, 9, 4).astype(F32),
    ]
    y = g.op(q.BatchNormOp, [y, *(g.const(p) for p in params)], (1, 4, 6, 6), epsilon=1e-4)
    lowered = check_lowering(g.module(y))
    counts = ops_named(lowered)
    assert counts["qonnx.batch_norm"] == 0 and counts["qonnx.transpose"] == 2
    # the one NHWC -> NCHW transpose left is the graph output's
    last = next(op for op in lowered.walk() if isinstance(op, func.ReturnOp)).operands[0].owner
    assert isinstance(last, q.TransposeOp)


def test_join_add_of_two_lowered_branches():
    rng = np.random.default_rng(9)
    g = Graph((1, 3, 6, 6))
    a = conv_layer(g, g.args[0], 4, rng, name="Conv_a")
    b = conv_layer(g, g.args[0], 4, rng, name="Conv_b")
    y = g.op(q.AddOp, [a, b], (1, 4, 6, 6))
    y = conv_layer(g, y, 2, rng, name="Conv_c")
    lowered = check_lowering(g.module(y))
    # one input transpose per branch, one at the output
    assert ops_named(lowered)["qonnx.transpose"] == 3
    assert transposes_between_layers(lowered) == []


def test_transpose_with_two_users_stays():
    rng = np.random.default_rng(10)
    g = Graph((1, 3, 6, 6))
    y = conv_layer(g, g.args[0], 4, rng)
    r = g.op(q.ReluOp, [y], (1, 4, 6, 6))
    s = g.op(q.SigmoidOp, [y], (1, 4, 6, 6))
    lowered = check_lowering(g.module(r, s))
    relu = next(op for op in lowered.walk() if isinstance(op, q.ReluOp))
    assert isinstance(relu.x.owner, q.TransposeOp)


def test_mul_with_computed_operand_stays():
    rng = np.random.default_rng(11)
    g = Graph((1, 3, 6, 6), (1, 4, 6, 6))
    y = conv_layer(g, g.args[0], 4, rng)
    y = g.op(q.MulOp, [y, g.args[1]], (1, 4, 6, 6))
    lowered = check_lowering(g.module(y))
    mul = next(op for op in lowered.walk() if isinstance(op, q.MulOp))
    assert isinstance(mul.lhs.owner, q.TransposeOp)


def test_one_d_conv_is_an_error():
    g = Graph((1, 2, 9))
    w = g.const(np.ones((3, 2, 3), F32))
    y = g.op(q.ConvOp, [g.args[0], w], (1, 3, 7), kernel_shape=(3,), node_name="Conv_1d")
    with pytest.raises(
        LoweringError, match=r"lower-conv: qonnx.conv 'Conv_1d': only 2-D convolutions"
    ):
        run_pass(g.module(y))


def test_dilated_max_pool_is_an_error():
    g = Graph((1, 2, 9, 9))
    y = g.op(
        q.MaxPoolOp,
        [g.args[0]],
        (1, 2, 7, 7),
        kernel_shape=(2, 2),
        dilations=(2, 2),
        node_name="MaxPool_d",
    )
    with pytest.raises(LoweringError, match="dilated max pools"):
        run_pass(g.module(y))


def test_pass_is_registered():
    assert get_all_passes()["lower-conv"]() is LowerConvPass
    assert LowerConvPass.name == "lower-conv"
