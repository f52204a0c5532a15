"""to-dataflow on synthetic Brevitas-style exports (qonnx_models): the pipeline is not
tuned to the six BNN-PYNQ models.

For every network (MLPs and small CNNs; 1..8-bit weights and activations; bipolar, signed
and unsigned (QuantReLU) activations; per-tensor and per-channel weight scales; scales 1,
powers of two and arbitrary; both torch export paths; biases; negative BatchNorm
weights) the lowered module keeps no MatMul/Conv/MaxPool/Im2Col and no integer
thresholding outside a dataflow partition, and its outputs match qonnx's execute_onnx on
the cleaned model:

- bit for bit when every scale is a power of two (levels too, layer by layer);
- with an arbitrary scale the reference's float32 sums of scaled products are not a
  function of the integer accumulator, so an activation right at a level boundary may
  round the other way. We count such level flips (`arbitrary_scale_stats`) and, on every
  draw without one, demand max |error| <= 1e-5 of the output range.

Unsupported inputs (per-channel activation scales, activation zero points, max pools
with kernel != stride, Gemm with alpha != 1) must fail with a LoweringError that names
the pass, the node and the reason.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import onnx
import pytest
from qonnx_models import Spec, build, input_shape, make_model, random_spec

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import LoweringError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.frontend.qonnx import import_onnx, load_model
from finn_xdsl.passes.to_dataflow import ToDataflowPass
from finn_xdsl.sim import kernels as k
from finn_xdsl.sim.execute import execute, input_names

MLP = Spec(kind="mlp", image=(1, 8, 8), fcs=(32, 24))
# the last feature map is 1x1, as in CNV: one partition from input quantizer to output
CNN = Spec(kind="cnn", image=(3, 8, 8), convs=(16, 16), pool_after=(0,), fcs=(24,))

GRID: list[Spec] = [
    # weight / activation bit widths, both export paths
    MLP,
    MLP.replace(weight_bits=1, act_bits=1, export="dynamo", seed=1),
    MLP.replace(weight_bits=1, act_bits=2, in_bits=2, in_narrow=True, seed=2),
    MLP.replace(weight_bits=3, act_bits=4, export="dynamo", seed=3),
    MLP.replace(weight_bits=8, act_bits=8, fcs=(16,), seed=4),
    MLP.replace(weight_bits=4, act_bits=3, fcs=(48, 16, 16), seed=5),
    MLP.replace(weight_bits=5, act_bits=6, act_narrow=False, in_bits=1, seed=6),
    # unsigned activations (QuantReLU), 1..8 bits
    MLP.replace(act_signed=False, act_bits=1, weight_bits=1, seed=7),
    MLP.replace(act_signed=False, act_bits=2, export="dynamo", seed=8),
    MLP.replace(act_signed=False, act_bits=4, weight_bits=2, fc_bias=True, seed=9),
    MLP.replace(act_signed=False, act_bits=8, weight_bits=6, fcs=(16,), seed=10),
    # power-of-two scales, per-channel weight scales, biases, final layers
    MLP.replace(weight_scale="pot", act_scale="pot", seed=11),
    MLP.replace(weight_scale="pot", per_channel=True, act_scale="pot", act_signed=False, act_bits=3, seed=12),
    MLP.replace(weight_bits=1, weight_scale="pot", per_channel=True, fc_bias=True, export="dynamo", seed=13),
    MLP.replace(final="muladd", fc_bias=True, seed=14),
    MLP.replace(final="none", act_bits=1, weight_bits=2, seed=15),
    MLP.replace(final="quant", act_scale="pot", export="dynamo", seed=16),
    MLP.replace(fcs=(), seed=17),
    # arbitrary scales
    MLP.replace(weight_scale="any", seed=18),
    MLP.replace(act_scale="any", seed=19),
    MLP.replace(weight_scale="any", per_channel=True, act_scale="any", act_signed=False, act_bits=4, seed=20),
    MLP.replace(weight_bits=1, weight_scale="any", act_bits=1, export="dynamo", fc_bias=True, seed=21),
    MLP.replace(weight_bits=4, weight_scale="any", per_channel=True, act_scale="any", act_bits=3, seed=22),
    # CNNs
    CNN,
    CNN.replace(weight_bits=1, act_bits=1, export="dynamo", seed=31),
    CNN.replace(weight_bits=1, act_bits=2, pads=(1, 0), convs=(16, 16, 16), kernels=(3, 3, 2), seed=32),
    CNN.replace(weight_bits=4, act_bits=4, act_signed=False, pads=(1, 0), kernels=(3, 2), convs=(16, 16, 16), seed=33),
    CNN.replace(strides=(2, 1), pads=(1, 0), pool_after=(), kernels=(3, 4), act_signed=False, act_bits=2, seed=34),
    CNN.replace(weight_scale="pot", per_channel=True, act_scale="pot", conv_bias=True, seed=35),
    CNN.replace(weight_bits=8, act_bits=8, act_signed=False, export="dynamo", fc_bias=True, conv_bias=True, seed=36),
    CNN.replace(weight_scale="any", per_channel=True, act_scale="any", seed=37),
    CNN.replace(weight_bits=1, act_bits=1, pads=(1, 1), convs=(16, 16, 16), kernels=(3, 3, 2), pool_after=(0, 1),
                export="dynamo", seed=38),
    CNN.replace(image=(1, 8, 8), convs=(32, 16), kernels=(1, 4), pool_after=(0,), fcs=(), weight_bits=3, act_bits=3,
                seed=39),
    CNN.replace(weight_bits=2, act_bits=1, conv_bias=True, export="dynamo", final="quant", seed=40),
]
RANDOM: list[Spec] = [random_spec(i) for i in range(48)]


@dataclass
class Levels:
    """Listener collecting the integer activation levels of the lowered module, NCHW:
    quant-level MultiThresholds and the partitions' thresholding layers."""

    values: list[np.ndarray] = field(default_factory=list)

    def will_interpret_op(self, op, args):
        pass

    def did_interpret_op(self, op, results):
        if not results:
            return
        value = np.asarray(results[0], np.float64)
        if isinstance(op, q.MultiThresholdOp):
            channels_last = value.ndim == 4 and op.channel_axis() == 3
        elif isinstance(op, df.ThresholdingOp) or isinstance(op, df.MVAUOp) and op.thresholds is not None:
            channels_last = value.ndim == 4  # a partition's feature maps are NHWC
        else:
            return
        self.values.append(np.moveaxis(value, -1, 1) if channels_last else value)


def reference_levels(model, context: dict[str, np.ndarray]) -> list[np.ndarray]:
    """The levels of every activation quantizer in the reference's execution, in order."""
    levels = []
    for node in model.graph.node:
        if node.op_type not in ("Quant", "BipolarQuant") or model.get_initializer(node.input[0]) is not None:
            continue
        x = context[node.input[0]]
        if node.op_type == "BipolarQuant":
            levels.append(np.where(x >= 0, 1.0, -1.0))
            continue
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        scale, zeropt, bits = (model.get_initializer(name) for name in node.input[1:])
        mode = attrs.get("rounding_mode", b"ROUND")
        levels.append(k.quant_levels(x, scale, zeropt, bits, bool(attrs.get("signed", 1)),
                                     bool(attrs.get("narrow", 0)), mode.decode() if isinstance(mode, bytes) else mode))
    return levels


def lower(path):
    module = import_onnx(path)
    lowered = module.clone()
    ToDataflowPass().apply(make_context(), lowered)
    return module, lowered


_HARDWARE = (q.MatMulOp, q.ConvOp, q.MaxPoolOp, q.GemmOp, q.MaxPoolNHWCOp, q.Im2ColOp)


def check_lowered(module) -> int:
    """All compute inside partitions; outside only the float input quantizer (and data
    movement, the float output scaling). Returns the number of partitions."""
    partitions = [op for op in module.walk() if isinstance(op, df.PartitionOp)]
    assert partitions, "no dataflow partition"
    outside = [op.name for op in module.walk() if isinstance(op, _HARDWARE)]
    assert not outside, f"left outside a partition: {outside}"
    for op in module.walk():
        if isinstance(op, q.MultiThresholdOp):
            assert not qt.is_quantized(q.elem_of(op.x)), "an integer MultiThreshold stayed outside"
    return len(partitions)


def reference(model, x) -> tuple[np.ndarray, list[np.ndarray]]:
    """qonnx's execute_onnx: the output and the activation levels."""
    from qonnx.core.onnx_exec import execute_onnx

    iname, oname = model.graph.input[0].name, model.graph.output[0].name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = execute_onnx(model, {iname: x}, return_full_exec_context=True)
    return context[oname], reference_levels(model, context)


def inputs(spec: Spec, draws: int) -> list[np.ndarray]:
    """Inputs in [0, 1] (as the networks expect), outside it, and on the 8-bit grid."""
    rng = np.random.default_rng(spec.seed)
    shape = input_shape(spec)
    xs = []
    for i in range(draws):
        if i % 3 == 0:
            x = rng.uniform(0, 1, shape)
        elif i % 3 == 1:
            x = rng.uniform(-1, 2, shape)
        else:
            x = rng.integers(0, 256, shape) / 255.0
        xs.append(x.astype(np.float32))
    return xs


@dataclass
class Stats:
    draws: int = 0
    draws_with_flip: int = 0
    levels: int = 0  # activation levels compared
    flipped: int = 0  # of which differ from the reference's
    max_rel_error: float = 0.0  # max |error| / output range, over draws without a flip

    def add(self, other: Stats) -> None:
        for name in ("draws", "draws_with_flip", "levels", "flipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.max_rel_error = max(self.max_rel_error, other.max_rel_error)


def compare(spec: Spec, path, module, lowered, draws: int) -> Stats:
    """Run reference, imported and lowered module; exact where the scales allow it."""
    model = load_model(path)
    iname = input_names(module)[0]
    stats = Stats()
    for i, x in enumerate(inputs(spec, draws)):
        expected, ref_levels = reference(model, x)
        levels = Levels()
        (got,) = execute(lowered, {iname: x}, levels).values()
        assert len(ref_levels) == len(levels.values), "activation quantizers and thresholding layers differ in number"
        flips = sum(int(np.count_nonzero(r != d.reshape(r.shape))) for r, d in zip(ref_levels, levels.values))
        stats.levels += sum(r.size for r in ref_levels)
        stats.flipped += flips
        stats.draws += 1
        if spec.power_of_two:
            (interp,) = execute(module, {iname: x}).values()
            np.testing.assert_array_equal(interp, expected, err_msg=f"interpreter, draw {i}")
            np.testing.assert_array_equal(got, expected, err_msg=f"lowered, draw {i}")
            assert flips == 0
        elif flips:
            stats.draws_with_flip += 1
        else:
            span = float(np.ptp(expected)) or 1.0
            err = float(np.abs(got.astype(np.float64) - expected).max()) / span
            stats.max_rel_error = max(stats.max_rel_error, err)
            assert err <= 1e-5, f"draw {i}: max |error| {err:.3g} of the output range without a level flip"
    return stats


def run(spec: Spec, tmp_path, draws: int = 3) -> tuple[int, Stats]:
    path = build(spec, tmp_path)
    module, lowered = lower(path)
    partitions = check_lowered(lowered)
    return partitions, compare(spec, path, module, lowered, draws)


def _check_flips(stats: Stats) -> None:
    # a flip needs a quantizer input within float32 rounding of a level boundary: rare
    assert stats.flipped <= max(2, stats.levels // 1000), stats


@pytest.mark.parametrize("spec", GRID, ids=[s.name for s in GRID])
def test_grid(spec, tmp_path):
    partitions, stats = run(spec, tmp_path)
    assert partitions == 1
    _check_flips(stats)


@pytest.mark.parametrize("spec", RANDOM, ids=[s.name for s in RANDOM])
def test_random_networks(spec, tmp_path):
    partitions, stats = run(spec, tmp_path, draws=2)
    # a CNN whose last feature map is larger than 1x1 gets its flatten outside (see
    # test_flatten_of_a_feature_map_stays_in_the_partition): the FC layers then form a
    # second partition
    assert partitions <= 2
    _check_flips(stats)


ARBITRARY = [random_spec(100 + i, act_scale="any") for i in range(6)] + [
    random_spec(200 + i, weight_scale="any", per_channel=bool(i % 2)) for i in range(6)
]


def test_arbitrary_scale_statistics(tmp_path, capsys):
    """Level flips with arbitrary scales, over several networks and inputs each."""
    total = Stats()
    for i, spec in enumerate(ARBITRARY):
        directory = tmp_path / str(i)
        directory.mkdir()
        total.add(run(spec, directory, draws=4)[1])
    with capsys.disabled():
        print(f"\narbitrary scales: {len(ARBITRARY)} networks, {total.draws} inputs, {total.levels} activation "
              f"levels, {total.flipped} flipped ({total.draws_with_flip} inputs with a flip); max |error| "
              f"{total.max_rel_error:.3g} of the output range on inputs without a flip")
    _check_flips(total)


def test_flatten_of_a_feature_map_stays_in_the_partition(tmp_path):
    """(1, H, W, C) -> (1, H*W*C) with H*W > 1 becomes a dataflow.reshape (a wire): one
    partition, as FINN's RemoveCNVtoFCFlatten gives."""
    spec = CNN.replace(pool_after=(1,), seed=50)  # last feature map 2x2
    partitions, _ = run(spec, tmp_path, draws=1)
    assert partitions == 1


# ------------------------------------------------------------------ unsupported inputs


def _lowering_error(spec: Spec, tmp_path, proto: onnx.ModelProto | None = None) -> str:
    path = build(spec, tmp_path) if proto is None else tmp_path / "model.onnx"
    if proto is not None:
        onnx.save(proto, str(path))
    module = import_onnx(path)
    with pytest.raises(LoweringError) as info:
        ToDataflowPass().apply(make_context(), module)
    return str(info.value)


@pytest.mark.parametrize("spec", [MLP.replace(act_per_channel=True, act_scale="pot", seed=60),
                                  CNN.replace(act_per_channel=True, seed=61)], ids=["mlp", "cnn"])
def test_per_channel_activation_scale_is_reported(spec, tmp_path):
    """x * s[c] @ W needs weights W * s[c]: no longer integers (FINN cannot either)."""
    message = _lowering_error(spec, tmp_path)
    assert message.startswith("convert-to-dataflow: qonnx.")
    assert "scaled per channel by qonnx.mul '/" in message and "act_quant/Quant_mul_scale'" in message


@pytest.mark.parametrize("spec", [MLP.replace(act_signed=False, act_zeropt=1.0, seed=62),
                                  CNN.replace(act_signed=False, act_zeropt=2.0, seed=63)], ids=["mlp", "cnn"])
def test_activation_zero_point_is_reported(spec, tmp_path):
    message = _lowering_error(spec, tmp_path)
    assert message.startswith("convert-to-dataflow: qonnx.")
    assert "shifted by qonnx.sub '/" in message and "zero point" in message


def test_overlapping_max_pool_is_reported(tmp_path):
    spec = CNN.replace(convs=(16,), pool=(3, 2), seed=64)
    message = _lowering_error(spec, tmp_path)
    assert message == ("convert-to-dataflow: qonnx.max_pool_nhwc '/conv_features.0_pool/MaxPool': "
                       "streaming_maxpool needs kernel == stride and no padding")


def test_gemm_alpha_is_reported(tmp_path):
    spec = MLP.replace(export="dynamo", seed=65)
    proto = make_model(spec)
    gemm = next(n for n in proto.graph.node if n.op_type == "Gemm")
    next(a for a in gemm.attribute if a.name == "alpha").f = 0.5
    message = _lowering_error(spec, tmp_path, proto)
    assert message.startswith("qonnx-to-thresholds: qonnx.gemm '/linear_features.0/Gemm': Gemm with alpha = 0.5")
