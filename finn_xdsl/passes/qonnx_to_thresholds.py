"""
qonnx-to-thresholds: QONNX quantizers to FINN's integer form.

- Weight quantizers (Quant/BipolarQuant of constants) are folded: the constant holds the
  integer levels with their quantized element type (si2, !qonnx.bipolar, ...); a scale or
  zero point other than 1/0 stays as a Sub/Mul after it.
- Activation quantizers become MultiThreshold (integer levels) followed by the same
  Sub/Mul. The thresholds are the exact float32 boundaries of the quantizer (found by
  search, see threshold_search), so y = MT(x) reproduces Quant(x) for every input,
  rounding ties included.
- BatchNormalization becomes Mul + Add with the scale and bias the reference folds it into
  (bit-exact), Gemm with alpha = 1 becomes MatMul (+ Add); a transposed weight
  quantizer (transB = 1, the non-TorchScript export of a Linear) is transposed at its
  constant, so its weights still fold to an integer matrix. Other alphas are reported.

Quantizers whose scale or zero point is not a per-channel constant cannot become
thresholds: the pass reports them (LoweringError) instead of leaving them in float.
Quantizers wider than `max_bits` (FINN's max_multithreshold_bit_width) are left alone;
they execute outside the hardware.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FloatAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    TypeAttribute,
    f32,
    i64,
)
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import LoweringError
from finn_xdsl.passes import rewrite_utils as ru
from finn_xdsl.passes.threshold_search import float_thresholds
from finn_xdsl.sim import kernels as k

PASS = "qonnx-to-thresholds"


def _flag(attr) -> bool:
    return bool(attr.value.data)


def _levels_type(bits: int, signed: bool) -> TypeAttribute:
    if bits == 1 and signed:
        return qt.bipolar
    return IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)


def _scale_ops(levels: q.QonnxOperation, zeropt: np.ndarray, scale: np.ndarray, result_type,
               name: str | None) -> list[q.QonnxOperation]:
    """(levels - zeropt) * scale as ops, skipping exact no-ops (zeropt 0, scale 1)."""
    ops: list[q.QonnxOperation] = []
    value = levels.results[0]
    if np.any(zeropt != 0):
        zp = ru.constant(zeropt.astype(np.float32), name=f"{name}_zeropt" if name else None)
        sub = ru.binary(q.SubOp, value, zp.output, ru.float_type(result_type), name and f"{name}_sub_zeropt")
        ops += [zp, sub]
        value = sub.results[0]
    if np.any(scale != 1):
        sc = ru.constant(scale.astype(np.float32), name=f"{name}_scale" if name else None)
        mul = ru.binary(q.MulOp, value, sc.output, ru.float_type(result_type), name and f"{name}_mul_scale")
        ops += [sc, mul]
    return ops


@dataclass
class FoldWeightQuant(RewritePattern):
    """Quant/BipolarQuant of constants -> constant integer levels (+ Sub/Mul)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.QuantOp | q.BipolarQuantOp, rewriter: PatternRewriter, /):
        if not isinstance(op, q.QuantOp | q.BipolarQuantOp):
            return
        values = [q.constant_value(v) for v in op.operands]
        if any(v is None for v in values):
            return
        name = ru.node_name(op)
        if isinstance(op, q.QuantOp):
            x, scale, zeropt, bits = values
            signed = _flag(op.signed)
            levels = k.quant_levels(x, scale, zeropt, bits, signed, _flag(op.narrow), op.rounding_mode.data)
            elem = _levels_type(int(bits.reshape(-1)[0]), signed)
        else:
            x, scale = values
            levels = np.where(x >= 0, np.float32(1), np.float32(-1))
            zeropt, elem = np.zeros(1, np.float32), qt.bipolar
        levels = np.ascontiguousarray(np.broadcast_to(levels, q.shape_of(op.output))).astype(np.float32)
        const = ru.constant(levels, elem, name=f"{name}_levels" if name else None)
        rest = _scale_ops(const, np.asarray(zeropt), np.asarray(scale), op.output.type, name)
        rewriter.replace(op, [const, *rest])


@dataclass
class ActQuantToThresholds(RewritePattern):
    """Activation Quant -> MultiThreshold (exact float32 boundaries) + Sub/Mul."""

    max_bits: int

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.QuantOp, rewriter: PatternRewriter, /):
        if q.constant_value(op.x) is not None:
            return  # a weight: FoldWeightQuant
        params = [q.constant_value(v) for v in (op.scale, op.zeropt, op.bitwidth)]
        if any(v is None for v in params):
            raise LoweringError(PASS, op, "scale, zero point and bit width must be constants to lower to thresholds")
        scale, zeropt, bits = params
        nbits = int(bits.reshape(-1)[0])
        if nbits > self.max_bits:
            return  # FINN's max_multithreshold_bit_width: stays a float quantizer
        shape = q.shape_of(op.x)
        axis = 1 if len(shape) > 1 else 0
        svec, zvec = ru.channel_vector(scale, shape, axis), ru.channel_vector(zeropt, shape, axis)
        if svec is None or zvec is None:
            raise LoweringError(PASS, op, "scale and zero point must be per-tensor or per-channel (axis 1)")
        if np.any(svec <= 0):
            raise LoweringError(PASS, op, "a quantizer with a non-positive scale does not lower to thresholds")
        signed, narrow, mode = _flag(op.signed), _flag(op.narrow), op.rounding_mode.data
        if nbits == 1 and signed:
            lo, hi = -1, 1
            n_thresholds = 1
        else:
            lo, hi = int(k.min_int(signed, narrow, nbits)), int(k.max_int(signed, narrow, nbits))
            n_thresholds = hi - lo
        channels = max(len(svec), len(zvec))
        s = np.broadcast_to(svec, (channels,)).astype(np.float32)
        z = np.broadcast_to(zvec, (channels,)).astype(np.float32)
        bw = np.asarray(bits, np.float32)

        def count(x: np.ndarray) -> np.ndarray:
            level = k.quant_levels(np.asarray(x, np.float32), s, z, bw, signed, narrow, mode)
            if nbits == 1 and signed:
                return (level > 0).astype(np.int64)
            return (level - lo).astype(np.int64)

        thresholds = float_thresholds(count, n_thresholds, channels)
        self._replace(op, rewriter, thresholds, _levels_type(nbits, signed), lo, zeropt, scale)

    @staticmethod
    def _replace(op, rewriter, thresholds, elem, lo, zeropt, scale):
        name = ru.node_name(op)
        tconst = ru.constant(thresholds, name=f"{name}_thresholds" if name else None)
        bipolar = elem == qt.bipolar
        props = {
            "out_dtype": elem,
            "out_scale": FloatAttr(2.0 if bipolar else 1.0, f32),
            "out_bias": FloatAttr(-1.0 if bipolar else float(lo), f32),
            "data_layout": StringAttr(_layout(len(q.shape_of(op.x)))),
        }
        if name:
            props["node_name"] = StringAttr(name)
        mt = q.MultiThresholdOp.build(operands=[op.x, tconst.output],
                                      result_types=[ru.with_elem(op.output.type, elem)], properties=props)
        rest = _scale_ops(mt, np.asarray(zeropt), np.asarray(scale), op.output.type, name)
        rewriter.replace(op, [tconst, mt, *rest])


def _layout(rank: int) -> str:
    """ONNX channel-second layout string for a rank: NC, NCW, NCHW, NCDHW."""
    return "NC" + "DHW"[3 - (rank - 2) :] if rank >= 2 else "C"


@dataclass
class BipolarActToThresholds(RewritePattern):
    """Activation BipolarQuant -> MultiThreshold(x >= 0 -> +1 else -1) + Mul(scale)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.BipolarQuantOp, rewriter: PatternRewriter, /):
        if q.constant_value(op.x) is not None:
            return
        scale = q.constant_value(op.scale)
        if scale is None:
            raise LoweringError(PASS, op, "scale must be a constant to lower to thresholds")
        shape = q.shape_of(op.x)
        if ru.channel_vector(scale, shape, 1 if len(shape) > 1 else 0) is None:
            raise LoweringError(PASS, op, "scale must be per-tensor or per-channel (axis 1)")
        # x >= 0.0 is exactly BipolarQuant's test (-0.0 included)
        thresholds = np.zeros((1, 1), np.float32)
        ActQuantToThresholds._replace(op, rewriter, thresholds, qt.bipolar, -1, np.zeros(1, np.float32), scale)


@dataclass
class BatchNormToAffine(RewritePattern):
    """BatchNormalization -> Mul(s) + Add(b), s and b folded as the reference folds them."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.BatchNormOp, rewriter: PatternRewriter, /):
        params = [q.constant_value(v) for v in (op.scale, op.bias, op.mean, op.var)]
        if any(v is None for v in params):
            raise LoweringError(PASS, op, "scale, bias, mean and var must be constants")
        scale, bias, mean, var = (np.asarray(v, np.float32) for v in params)
        eps = np.float32(op.epsilon.value.data)
        inv_std = np.float32(1) / np.sqrt(var + eps)
        new_scale = inv_std * scale
        new_bias = bias - mean * new_scale
        shape = (-1,) + (1,) * (len(q.shape_of(op.x)) - 2)
        name = ru.node_name(op)
        s = ru.constant(new_scale.reshape(shape), name=name and f"{name}_mul")
        b = ru.constant(new_bias.reshape(shape), name=name and f"{name}_add")
        mul = ru.binary(q.MulOp, op.x, s.output, op.output.type, name and f"{name}_mul")
        add = ru.binary(q.AddOp, mul.output, b.output, op.output.type, name and f"{name}_add")
        rewriter.replace(op, [s, b, mul, add])


def _transposed_2d(value: np.ndarray) -> np.ndarray:
    """A constant broadcasting against a 2-D tensor, transposed alongside it."""
    value = np.asarray(value)
    return np.ascontiguousarray(value.reshape((1,) * (2 - value.ndim) + value.shape).T) if value.ndim else value


def _transpose(value: SSAValue) -> tuple[SSAValue, list[Operation]]:
    """value.T: a new constant for a constant, a quantizer of the transposed constant for a
    weight quantizer (qonnx's FoldTransposeIntoQuantInit, so the weights still fold to an
    integer matrix), else a qonnx.transpose."""
    shape = q.shape_of(value)
    result_type = TensorType(q.elem_of(value), shape[::-1])
    owner = value.owner
    if isinstance(owner, q.ConstantOp):
        const = ru.constant(np.ascontiguousarray(owner.to_numpy().T), q.elem_of(value), ru.node_name(owner))
        return const.output, [const]
    if isinstance(owner, q.QuantOp | q.BipolarQuantOp) and q.constant_value(owner.x) is not None:
        params = [q.constant_value(v) for v in owner.operands[1:]]
        if all(p is not None for p in params):
            consts = [ru.constant(q.constant_value(owner.x).T.copy(), q.elem_of(owner.x))]
            consts += [ru.constant(_transposed_2d(p)) for p in params]
            new = type(owner).create(operands=[c.output for c in consts], result_types=[result_type],
                                     properties=dict(owner.properties), attributes=dict(owner.attributes))
            return new.results[0], [*consts, new]
    t = q.TransposeOp.build(operands=[value], result_types=[result_type],
                            properties={"perm": DenseArrayBase.from_list(i64, [1, 0])})
    return t.results[0], [t]


@dataclass
class GemmToMatMul(RewritePattern):
    """Gemm(alpha = 1) -> MatMul(op(A), op(B)) [+ Add(beta * C)] (exact: no fused
    multiply-add). A transposed constant or weight quantizer becomes a transposed
    constant (quantizer), so that the weights stay a constant integer matrix."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: q.GemmOp, rewriter: PatternRewriter, /):
        if op.alpha.value.data != 1.0:
            raise LoweringError(PASS, op, f"Gemm with alpha = {op.alpha.value.data} (alpha * A * B + C is one "
                                "fused rounding) does not lower to MatMul; only alpha = 1 is supported")
        name = ru.node_name(op)
        ops: list[Operation] = []
        a, b = op.a, op.b
        if _flag(op.trans_a):
            a, new = _transpose(a)
            ops += new
        if _flag(op.trans_b):
            b, new = _transpose(b)
            ops += new
        has_bias = op.c is not None and op.beta.value.data != 0.0
        # the product of integer operands is an integer accumulator (as for an exported
        # MatMul), whatever type the Gemm's biased result has
        mm_type = ru.with_elem(op.output.type, ru.acc_type(a, b, q.elem_of(op.output))) if has_bias else op.output.type
        mm = q.MatMulOp.build(operands=[a, b], result_types=[mm_type],
                              properties={"node_name": StringAttr(name)} if name else {})
        ops.append(mm)
        beta = op.beta.value.data
        if has_bias:
            c = op.c
            if beta != 1.0:
                bc = ru.constant(np.asarray(beta, np.float32).reshape(1))
                cm = ru.binary(q.MulOp, c, bc.output, ru.float_type(c.type))
                ops += [bc, cm]
                c = cm.results[0]
            ops.append(ru.binary(q.AddOp, mm.results[0], c, op.output.type, name and f"{name}_bias"))
        rewriter.replace(op, ops)


@dataclass(frozen=True)
class QonnxToThresholdsPass(ModulePass):
    """QONNX quantizers -> integer weights and MultiThresholds; BatchNorm -> affine."""

    name = "qonnx-to-thresholds"

    max_bits: int = 8

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        # Gemm first, so that a transposed weight quantizer is still a quantizer to transpose
        PatternRewriteWalker(GemmToMatMul(), apply_recursively=False).rewrite_module(op)
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    FoldWeightQuant(),
                    ActQuantToThresholds(self.max_bits),
                    BipolarActToThresholds(),
                    BatchNormToAffine(),
                ]
            ),
            apply_recursively=True,
        ).rewrite_module(op)
