"""Synthetic Brevitas-style QONNX models, built with onnx.helper.

They mimic what `brevitas.export.export_qonnx` writes for BNN-PYNQ-style networks (see
tests/data/*_ts_raw.onnx) without needing torch or Brevitas:

    [Reshape] Mul/Sub (input preprocessing) -> input Quant
    { Conv [+ bias] -> BatchNorm -> act quant [-> MaxPool] }*      (CNN only)
    Reshape | Flatten
    { Linear -> BatchNorm -> act quant }*
    Linear -> final scaling (TensorNorm: Sub/Div/Mul/Add, or Mul/Add, or nothing)

with, per model:
- export "ts" (TorchScript exporter): opset 13, Linear as Quant(W) -> Transpose ->
  MatMul [-> Add(bias)], Reshape(x, [1, -1]), parameters also listed as graph inputs;
  export "dynamo": opset 18, Linear as Gemm(transB = 1) with bias C, Flatten, scalars
  as ONNX Constant nodes.
- weights: 1 bit (BipolarQuant) or 2..8 bit (Quant signed, narrow), per-tensor or
  per-output-channel scales of shape (M, 1[, 1, 1]) as Brevitas writes them.
- activations: 1 bit signed (BipolarQuant), k bit signed (QuantIdentity/QuantHardTanh:
  Quant signed), or unsigned (QuantReLU: Relu -> Quant signed = 0).
- scales: "one", "pot" (powers of two), or "any" (arbitrary floats such as 0.0371).
- BatchNorm statistics calibrated on random inputs so that every level is used, with
  random signs of the BatchNorm weight (negative ones included).

`build(spec, path)` writes the model and returns the path.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from finn_xdsl.sim import kernels as k

F32 = np.float32
QONNX = "qonnx.custom_op.general"


@dataclass(frozen=True)
class Spec:
    """One synthetic network. Shapes are kept tiny: these run in unit tests."""

    kind: str = "mlp"  # "mlp" | "cnn"
    image: tuple[int, int, int] = (1, 8, 8)  # C, H, W
    convs: tuple[int, ...] = ()  # output channels per conv layer (CNN)
    pool_after: tuple[int, ...] = ()  # conv indices followed by MaxPool 2x2
    kernel: int = 3
    pads: tuple[int, ...] = ()  # per conv (default 0)
    strides: tuple[int, ...] = ()  # per conv (default 1)
    conv_bias: bool = False
    fcs: tuple[int, ...] = (32, 32)  # hidden fully connected widths
    classes: int = 10
    weight_bits: int = 2
    act_bits: int = 2
    act_signed: bool = True  # False: QuantReLU (Relu + unsigned Quant)
    act_narrow: bool = True  # signed activations only
    in_bits: int = 8  # input quantizer (signed; 1 = BipolarQuant)
    in_narrow: bool = False
    act_per_channel: bool = False  # per-channel activation scales (1, C[, 1, 1])
    act_zeropt: float = 0.0  # asymmetric activation quantizers (unsigned only)
    pool: tuple[int, int] = (2, 2)  # MaxPool kernel, stride
    kernels: tuple[int, ...] = ()  # per conv (default `kernel`)
    weight_scale: str = "one"  # one | pot | any
    per_channel: bool = False  # per-output-channel weight scales
    act_scale: str = "one"  # one | pot | any
    fc_bias: bool = False
    export: str = "ts"  # ts | dynamo
    final: str = "tensornorm"  # tensornorm | muladd | quant (8-bit output quantizer) | none
    seed: int = 0

    @property
    def name(self) -> str:
        if self.kind == "mlp":
            shape = "x".join(map(str, self.fcs)) or "lin"
        else:
            shape = "c" + "-".join(map(str, self.convs)) + "_f" + "-".join(map(str, self.fcs))
        act = f"{self.act_bits}a{'s' if self.act_signed else 'u'}"
        scales = f"w{self.weight_scale}{'pc' if self.per_channel else ''}_a{self.act_scale}"
        extra = "".join(
            f"_{tag}"
            for tag, on in (
                ("fcb", self.fc_bias), ("cb", self.conv_bias), ("wide", not self.act_narrow),
                ("pad", any(self.pads)), ("s2", any(s > 1 for s in self.strides)),
                ("apc", self.act_per_channel), ("zp", self.act_zeropt != 0), (f"in{self.in_bits}", self.in_bits != 8),
                (f"pool{self.pool[0]}{self.pool[1]}", self.pool != (2, 2)),
                ("k" + "".join(map(str, self.kernels)), bool(self.kernels)),
            )
            if on
        )
        return f"{self.kind}_{shape}_{self.weight_bits}w{act}_{scales}_{self.export}_{self.final}{extra}_s{self.seed}"

    @property
    def power_of_two(self) -> bool:
        """All scales (weights, activations) are powers of two: the lowering must be exact."""
        return self.weight_scale != "any" and self.act_scale != "any"

    def replace(self, **changes) -> Spec:
        return dataclasses.replace(self, **changes)


def _scale(kind: str, rng: np.random.Generator, shape=(), typical: float = 1.0) -> np.ndarray:
    """A positive scale of the given kind, near `typical`."""
    if kind == "one":
        return np.ones(shape, F32)
    raw = typical * rng.uniform(0.6, 1.6, shape)
    if kind == "pot":
        return (2.0 ** np.round(np.log2(raw))).astype(F32)
    return raw.astype(F32)


class _Graph:
    """Nodes and initializers, named as the exporter names them."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.rng = np.random.default_rng(spec.seed)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.counter = 0

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"/{base}_{self.counter}"

    def const(self, array, base: str = "Constant") -> str:
        """A constant: an initializer, or (dynamo export, scalars) a Constant node."""
        array = np.asarray(array)
        name = self.fresh(base)
        if self.spec.export == "dynamo" and array.size == 1:
            self.nodes.append(helper.make_node("Constant", [], [name], value=numpy_helper.from_array(array, name)))
        else:
            self.inits.append(numpy_helper.from_array(array, name))
        return name

    def param(self, array: np.ndarray, name: str) -> str:
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], base: str, domain: str = "", **attrs) -> str:
        out = self.fresh(f"{base}/{op}_output")
        self.nodes.append(helper.make_node(op, inputs, [out], name=f"/{base}/{op}", domain=domain, **attrs))
        return out

    # ------------------------------------------------------------------ quantizers

    def quant(self, x: str, scale, zeropt, bits: int, signed: bool, narrow: bool, base: str) -> str:
        ins = [x, self.const(np.asarray(scale, F32)), self.const(np.asarray(zeropt, F32)),
               self.const(np.asarray(float(bits), F32))]
        return self.node("Quant", ins, base, QONNX, signed=int(signed), narrow=int(narrow), rounding_mode="ROUND")

    def bipolar(self, x: str, scale, base: str) -> str:
        return self.node("BipolarQuant", [x, self.const(np.asarray(scale, F32))], base, QONNX)


def _np_quant(x, scale, zeropt, bits, signed, narrow):
    if bits == 1 and signed:
        return k.bipolar_quant(x, np.asarray(scale, F32))
    return k.quant(x, np.asarray(scale, F32), np.asarray(zeropt, F32), np.asarray([bits], F32), signed, narrow,
                   "ROUND")


class _Builder(_Graph):
    """The layers, each also run in numpy on a calibration batch (to set BatchNorm
    statistics and scales so that every quantizer uses its whole range)."""

    def __init__(self, spec: Spec):
        super().__init__(spec)
        c, h, w = spec.image
        self.calib = self.rng.uniform(0, 1, (64, c, h, w)).astype(F32)

    # ------------------------------------------------------------------ layers

    def input(self, x: str) -> tuple[str, np.ndarray]:
        s = self.spec
        v = self.calib
        if s.kind == "mlp":
            x = self.node("Reshape", [x, self.const(np.array([1, -1], np.int64))], "flat_in")
            v = v.reshape(len(v), -1)
        # preprocessing as BNN-PYNQ: x * 2 - 1
        x = self.node("Sub", [self.node("Mul", [x, self.const(F32(2))], "pre"), self.const(np.array([1], F32))], "pre")
        v = v * F32(2) - F32(1)
        scale = F32(2.0 ** -(s.in_bits - 1)) if s.act_scale != "any" else F32(1.3 / 2 ** (s.in_bits - 1))
        if s.in_bits == 1:
            scale = F32(1)
        x = self.act_quant(x, s.in_bits, True, s.in_narrow, scale, F32(0), "input_quant", relu=False)
        return x, _np_quant(v, scale, F32(0), s.in_bits, True, s.in_narrow)

    def act_quant(self, x: str, bits: int, signed: bool, narrow: bool, scale, zeropt, base: str, relu: bool) -> str:
        if relu:
            x = self.node("Relu", [x], base)
        if bits == 1 and signed:
            return self.bipolar(x, np.asarray(scale, F32).reshape(np.shape(scale) or (1,)), base + "/act_quant")
        return self.quant(x, scale, zeropt, bits, signed, narrow, base + "/act_quant")

    def weights(self, shape: tuple[int, ...], base: str) -> tuple[str, np.ndarray]:
        """A quantized weight tensor (M, ...): the quantizer's output and its float value."""
        s = self.spec
        sshape = (shape[0],) + (1,) * (len(shape) - 1) if s.per_channel else (1,)
        raw = self.rng.normal(0, 1, shape).astype(F32)
        if s.weight_bits == 1:
            scale = _scale(s.weight_scale, self.rng, sshape, 0.05)
            out = self.bipolar(self.param(raw, f"{base}.weight"), scale, base + "/weight_quant")
            return out, np.where(raw >= 0, F32(1), F32(-1)) * scale
        top = 2 ** (s.weight_bits - 1) - 1
        scale = _scale(s.weight_scale, self.rng, sshape, 0.5 / top)
        raw = raw * F32(np.mean(scale) * top / 2)  # about 2 standard deviations at the top level
        if not s.per_channel:
            scale = scale.reshape(())  # Brevitas writes a per-tensor scale as a scalar
        out = self.quant(self.param(raw, f"{base}.weight"), scale, F32(0), s.weight_bits, True, True,
                         base + "/weight_quant")
        return out, _np_quant(raw, scale, F32(0), s.weight_bits, True, True)

    def act_scale(self, channels: int, rank: int) -> np.ndarray:
        s = self.spec
        typical = 4.0 / 2**s.act_bits
        if s.act_per_channel:  # "one" per channel: powers of two around 1
            kind = "pot" if s.act_scale == "one" else s.act_scale
            return _scale(kind, self.rng, (1, channels) + (1,) * (rank - 2), typical)
        return F32(_scale(s.act_scale, self.rng, (), typical))

    def batchnorm_act(self, x: str, acc: np.ndarray, base: str) -> tuple[str, np.ndarray]:
        """BatchNorm calibrated on `acc` so the activation quantizer uses its range, with
        some negative BatchNorm weights, then the activation quantizer."""
        s = self.spec
        c = acc.shape[1]
        axes = (0,) + tuple(range(2, acc.ndim))
        mean = acc.mean(axis=axes) + self.rng.normal(0, 0.3, c) * acc.std(axis=axes)
        var = acc.var(axis=axes) * self.rng.uniform(0.5, 2.0, c) + 1e-3
        scale = self.act_scale(c, acc.ndim)
        span = np.asarray(scale).reshape(-1) * (2 ** s.act_bits) / 2 if s.act_bits > 1 else np.ones(1)
        sign = np.where(self.rng.uniform(0, 1, c) < 0.25, -1.0, 1.0)
        gamma = sign * self.rng.uniform(0.5, 1.5, c) * span
        beta = self.rng.normal(0, 0.3, c) * span + (span if not s.act_signed else 0)
        params = [self.param(a.astype(F32), f"{base}_bn.{n}")
                  for a, n in ((gamma, "weight"), (beta, "bias"), (mean, "running_mean"), (var, "running_var"))]
        eps = 1e-5 if acc.ndim == 2 else 1e-4
        y = self.node("BatchNormalization", [x, *params], base + "_bn", epsilon=eps, momentum=1.0)
        v = k.batch_norm(acc, *(a.astype(F32) for a in (gamma, beta, mean, var)), eps)
        relu = not s.act_signed
        zeropt = F32(s.act_zeropt if relu else 0)
        narrow = s.act_narrow and s.act_signed
        y = self.act_quant(y, s.act_bits, s.act_signed, narrow, scale, zeropt, base + "_act", relu)
        if relu:
            v = np.maximum(v, 0)
        return y, _np_quant(v, scale, zeropt, s.act_bits, s.act_signed, narrow)

    def conv(self, x: str, v: np.ndarray, i: int, out_c: int) -> tuple[str, np.ndarray]:
        s = self.spec
        base = f"conv_features.{i}"
        kk = s.kernels[i] if i < len(s.kernels) else s.kernel
        pad = s.pads[i] if i < len(s.pads) else 0
        stride = s.strides[i] if i < len(s.strides) else 1
        w, wv = self.weights((out_c, v.shape[1], kk, kk), base)
        ins = [x, w]
        b = None
        if s.conv_bias:
            b = self.rng.normal(0, 1, out_c).astype(F32)
            ins.append(self.param(b, f"{base}.bias"))
        y = self.node("Conv", ins, base, kernel_shape=[kk, kk], pads=[pad] * 4, strides=[stride] * 2,
                      dilations=[1, 1], group=1)
        acc = k.conv(v, wv, b, (kk, kk), (stride, stride), (1, 1), (pad,) * 4, 1)
        y, v = self.batchnorm_act(y, acc, base)
        if i in s.pool_after:
            pk, ps = s.pool
            y = self.node("MaxPool", [y], f"{base}_pool", kernel_shape=[pk, pk], strides=[ps, ps], pads=[0] * 4,
                          ceil_mode=0, dilations=[1, 1])
            v = k.max_pool(v, (pk, pk), (ps, ps), (1, 1), (0,) * 4, False)
        return y, v

    def linear(self, x: str, v: np.ndarray, i: int, out_f: int) -> tuple[str, np.ndarray]:
        s = self.spec
        base = f"linear_features.{i}"
        w, wv = self.weights((out_f, v.shape[1]), base)
        b = self.rng.normal(0, 1, out_f).astype(F32) if s.fc_bias else None
        if s.export == "dynamo":
            ins = [x, w] + ([self.param(b, f"{base}.bias")] if b is not None else [])
            y = self.node("Gemm", ins, base, transB=1, alpha=1.0, beta=1.0)
        else:
            wt = self.node("Transpose", [w], base, perm=[1, 0])
            y = self.node("MatMul", [x, wt], base)
            if b is not None:
                y = self.node("Add", [y, self.param(b, f"{base}.bias")], base)
        acc = v @ wv.T + (b if b is not None else 0)
        return y, acc.astype(F32)

    def final(self, x: str, acc: np.ndarray) -> str:
        s = self.spec
        if s.final == "tensornorm":  # Brevitas' TensorNorm as exported: (x - mean) / var**0.5 * w + b
            mean, var = F32(acc.mean()), F32(acc.var() + 1e-4)
            x = self.node("Sub", [x, self.const(np.array([mean], F32), "running_mean")], "tensor_norm")
            std = self.node("Pow", [self.const(np.array([var], F32), "running_var"), self.const(F32(0.5))], "tensor_norm")
            x = self.node("Div", [x, std], "tensor_norm")
            x = self.node("Mul", [x, self.const(np.array([self.rng.uniform(0.5, 2)], F32), "weight")], "tensor_norm")
            return self.node("Add", [x, self.const(np.array([self.rng.normal()], F32), "bias")], "tensor_norm")
        if s.final == "quant":  # an 8-bit output quantizer (QuantIdentity) after the last layer
            top = float(np.abs(acc).max()) / 127
            scale = F32(top if s.act_scale == "any" else 2.0 ** np.ceil(np.log2(top)))
            return self.quant(x, scale, F32(0), 8, True, False, "out_quant")
        if s.final == "muladd":
            x = self.node("Mul", [x, self.const(np.array([0.37], F32))], "out_scale")
            return self.node("Add", [x, self.const(np.array([0.25], F32))], "out_bias")
        return x

    def build(self) -> onnx.ModelProto:
        s = self.spec
        c, h, w = s.image
        x, v = self.input("global_in")
        if s.kind == "cnn":
            for i, out_c in enumerate(s.convs):
                x, v = self.conv(x, v, i, out_c)
            if s.export == "dynamo":
                x = self.node("Flatten", [x], "flatten", axis=1)
            else:
                x = self.node("Reshape", [x, self.const(np.array([1, -1], np.int64))], "flatten")
            v = v.reshape(len(v), -1)
        for i, width in enumerate(s.fcs):
            x, acc = self.linear(x, v, i, width)
            x, v = self.batchnorm_act(x, acc, f"linear_features.{i}")
        x, acc = self.linear(x, v, len(s.fcs), s.classes)
        self.final(x, acc)
        self.nodes[-1].output[0] = "global_out"  # the last node writes the graph output
        inputs = [helper.make_tensor_value_info("global_in", TensorProto.FLOAT, [1, c, h, w])]
        if s.export == "ts":  # the TorchScript exporter lists parameters as inputs too
            inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in self.inits
                       if "." in t.name]
        graph = helper.make_graph(
            self.nodes, s.name, inputs,
            [helper.make_tensor_value_info("global_out", TensorProto.FLOAT, [1, s.classes])],
            initializer=self.inits,
        )
        opset = 13 if s.export == "ts" else 18
        model = helper.make_model(
            graph, producer_name="pytorch",
            opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid(QONNX, 2)],
        )
        model.ir_version = 8
        return model


def make_model(spec: Spec) -> onnx.ModelProto:
    return _Builder(spec).build()


def build(spec: Spec, directory: Path) -> Path:
    """Write `spec`'s model to directory/<name>.onnx and return the path."""
    path = Path(directory) / f"{spec.name}.onnx"
    onnx.save(make_model(spec), str(path))
    return path


def input_shape(spec: Spec) -> tuple[int, ...]:
    return (1, *spec.image)


def random_spec(seed: int, **fixed) -> Spec:
    """A seeded random network of the supported kind: MLP or CNN, any bit widths, signs,
    scales, export path, biases, final scaling, kernels, paddings and pools (2x2 only
    where the feature map allows). `fixed` overrides fields."""
    rng = np.random.default_rng(10_000 + seed)

    def pick(*options):
        return options[int(rng.integers(len(options)))]

    d = {
        "kind": pick("mlp", "cnn"), "seed": 10_000 + seed,
        "weight_bits": int(pick(1, 1, 2, 2, 3, 4, 5, 6, 7, 8)),
        "act_bits": int(pick(1, 1, 2, 2, 3, 4, 5, 6, 7, 8)),
        "act_signed": bool(rng.random() < 0.5), "act_narrow": bool(rng.random() < 0.7),
        "weight_scale": pick("one", "pot", "any"), "per_channel": bool(rng.random() < 0.4),
        "act_scale": pick("one", "pot", "any"), "fc_bias": bool(rng.random() < 0.3),
        "export": pick("ts", "dynamo"), "final": pick("tensornorm", "muladd", "none", "quant"),
        "in_bits": int(pick(8, 8, 8, 4, 2, 1)), "in_narrow": bool(rng.random() < 0.3),
    }
    d.update(fixed)
    if d["kind"] == "mlp":
        d.setdefault("image", (1, int(pick(4, 6, 8)), 8))
        d.setdefault("fcs", tuple(int(pick(8, 16, 24, 32)) for _ in range(int(pick(0, 1, 2, 3)))))
        return Spec(**d)
    n = int(pick(1, 2, 3))
    kernels, pads, pools, size = [], [], [], 8
    for i in range(n):
        kernel, pad = int(pick(1, 2, 3, 3)), int(pick(0, 1))
        if size + 2 * pad < kernel:
            kernel, pad = 1, 0
        kernels.append(kernel)
        pads.append(pad)
        size = size - kernel + 1 + 2 * pad
        if size >= 4 and rng.random() < 0.5:
            pools.append(i)
            size //= 2
    d.setdefault("image", (int(pick(1, 3)), 8, 8))
    d.setdefault("convs", tuple(int(pick(8, 16)) for _ in range(n)))
    d.setdefault("fcs", tuple(int(pick(16, 24)) for _ in range(int(pick(0, 1, 2)))))
    d.update(kernels=tuple(kernels), pads=tuple(pads), pool_after=tuple(pools), conv_bias=bool(rng.random() < 0.3))
    return Spec(**d)
