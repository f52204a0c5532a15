"""
The `dataflow` layers that hold parameters: MVAU (matrix-vector-activation unit),
Thresholding and ChannelwiseOp. Their weights, thresholds and per-channel parameters are
dense integer properties built from bytes; large ones print as hex.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    BoolAttr,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    StringAttr,
)
from xdsl.ir import Attribute, Operation, SSAValue, TypeAttribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_base import (
    FALSE,
    MEM_MODES,
    ONE,
    RAM_STYLES,
    ZERO,
    DataflowOperation,
    check_fold,
    check_range_fits,
    check_threshold_levels,
    check_thresholds,
    checked_dense,
    dense_ints,
    dense_to_numpy,
    stream_of,
)
from finn_xdsl.dialects.dataflow_types import StreamType


def _threshold_attr(thresholds: np.ndarray | None) -> DenseIntOrFPElementsAttr | None:
    return None if thresholds is None else dense_ints(thresholds, width=64)


@irdl_op_definition
class MVAUOp(DataflowOperation):
    """FINN MVAU: y = MultiThreshold(x · W) (or the raw accumulator), x (..., MW) -> (..., MH).

    `weights` holds the weight values (bipolar ones as ±1) of shape (MW, MH); acc = x · W is
    computed exactly (int64). Without `thresholds` the output is acc (FINN noActivation).
    With thresholds (MH or 1, N): c = #{i : acc >= T[ch, i]}, output 2c - 1 for a bipolar
    output type, else c + act_val. In `binary_xnor` mode (bipolar input and weights) the
    hardware computes the popcount p = #(x_j == w_j) = (acc + MW) / 2 on {0, 1} bits; the
    raw output is p and thresholds are in the popcount domain: c = #{i : p >= T[ch, i]}.

    Folding: PE output channels and SIMD input channels per cycle; the input stream has
    SIMD lanes, the output PE lanes.
    Cycles: (MH / PE) · (MW / SIMD) · Π(vectors).
    """

    name = "dataflow.mvau"
    FINN_OP: ClassVar[str] = "MVAU"
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "mem_mode": MEM_MODES,
        "ram_style": RAM_STYLES,
        "ram_style_thresholds": ("auto", "block", "distributed"),
        "res_type": ("auto", "lut", "dsp"),
    }

    input = operand_def(StreamType)
    output = result_def(StreamType)

    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    thresholds = opt_prop_def(DenseIntOrFPElementsAttr)
    act_val = prop_def(IntegerAttr[I64], ZERO)
    binary_xnor = prop_def(BoolAttr, FALSE)
    pe = prop_def(IntegerAttr[I64], ONE)
    simd = prop_def(IntegerAttr[I64], ONE)
    mem_mode = prop_def(StringAttr, StringAttr("internal_decoupled"))
    ram_style = prop_def(StringAttr, StringAttr("auto"))
    ram_style_thresholds = prop_def(StringAttr, StringAttr("auto"))
    res_type = prop_def(StringAttr, StringAttr("auto"))
    runtime_writeable_weights = prop_def(BoolAttr, FALSE)

    def __init__(
        self,
        input: SSAValue | Operation,
        weights: np.ndarray,
        weight_type: Attribute,
        output_elem: Attribute,
        *,
        node_name: str,
        thresholds: np.ndarray | None = None,
        pe: int = 1,
        simd: int | None = None,
        **props,
    ):
        """Result: (..., MH) of `output_elem` with `pe` lanes; `simd` defaults to the input lanes."""
        x = stream_of(input)
        mh = int(np.shape(weights)[1])
        out = StreamType.of((*x.shape[:-1], mh), output_elem, pe)
        super().__init__(
            [input], [out], node_name,
            weights=dense_ints(weights), weight_type=weight_type,
            thresholds=_threshold_attr(thresholds), pe=pe,
            simd=x.num_lanes if simd is None else simd, **props,
        )

    # ------------------------------------------------------------------ accessors

    def weight_values(self) -> np.ndarray:
        """W as int64, shape (MW, MH)."""
        return dense_to_numpy(self.weights)

    def threshold_values(self) -> np.ndarray | None:
        return None if self.thresholds is None else dense_to_numpy(self.thresholds)

    @property
    def mw(self) -> int:
        return self.weights.get_shape()[0]

    @property
    def mh(self) -> int:
        return self.weights.get_shape()[1]

    def cycles(self) -> int:
        pe, simd = self.value_of("pe"), self.value_of("simd")
        return (self.mh // pe) * (self.mw // simd) * self.vectors()

    # ------------------------------------------------------------------ verification

    def verify_op(self) -> None:
        if len(self.weights.get_shape()) != 2:
            raise VerifyException(f"weights must have shape (MW, MH), got {list(self.weights.get_shape())}")
        mw, mh = self.mw, self.mh
        pe, simd = self.value_of("pe"), self.value_of("simd")
        check_fold("MH", mh, "PE", pe)
        check_fold("MW", mw, "SIMD", simd)
        # FINN's HLS ipgen also asserts SIMD >= MW / 1024; that is a code-generation limit
        # checked when HLS is generated (specialize runs before folding, as in FINN)
        x, y = self.in_type(), self.out_type()
        if x.channels != mw:
            raise VerifyException(f"input has {x.channels} channels, weights have MW={mw} rows")
        self.expect_shape(0, (*x.shape[:-1], mh))
        self.expect_lanes(self.input, "input", "SIMD", simd)
        self.expect_lanes(self.output, "output", "PE", pe)
        w = self._checked_weights()
        xnor = self.value_of("binary_xnor")
        if xnor and not (isinstance(x.element_type, qt.BipolarType)
                         and isinstance(self.weight_type, qt.BipolarType)):
            raise VerifyException("binary_xnor needs a bipolar input and bipolar weights")
        if self.thresholds is None:
            self._check_accumulator(w, x.element_type, y.element_type, xnor)
            return
        t = checked_dense(self.thresholds, "thresholds")
        check_thresholds(t, mh)
        check_threshold_levels(t.shape[1], self.value_of("act_val"), y.element_type)

    def _checked_weights(self) -> np.ndarray:
        w = checked_dense(self.weights, "weights")
        if not qt.is_quantized(self.weight_type):
            raise VerifyException(f"weight_type must be a quantized type, got {self.weight_type}")
        if not qt.contains(self.weight_type, w):
            raise VerifyException(f"weights are out of range of {qt.dtype_name(self.weight_type)}")
        return w

    def _check_accumulator(self, w: np.ndarray, x_elem: Attribute, out: Attribute, xnor: bool) -> None:
        """Without thresholds the output is the accumulator: its range must fit `out`."""
        if isinstance(out, qt.BipolarType | qt.TernaryType):
            raise VerifyException(f"an MVAU without thresholds outputs integers, not {out}")
        if xnor:
            lo, hi = 0, self.mw
        else:
            xlo, xhi = qt.value_range(x_elem)
            lo = int(np.minimum(w * xlo, w * xhi).sum(axis=0).min())
            hi = int(np.maximum(w * xlo, w * xhi).sum(axis=0).max())
        check_range_fits("accumulator range", lo, hi, out)


@irdl_op_definition
class ThresholdingOp(DataflowOperation):
    """FINN Thresholding: y = #{i : x >= T[c, i]} + act_val per channel c (last axis).

    A bipolar output type maps the count c in {0, 1} to 2c - 1. Thresholds (C or 1, N).
    Cycles: Π(vectors) · C / PE.
    """

    name = "dataflow.thresholding"
    FINN_OP: ClassVar[str] = "Thresholding"
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "mem_mode": ("internal_embedded", "internal_decoupled"),
        "ram_style": ("distributed", "block"),
    }

    input = operand_def(StreamType)
    output = result_def(StreamType)

    thresholds = prop_def(DenseIntOrFPElementsAttr)
    act_val = prop_def(IntegerAttr[I64], ZERO)
    pe = prop_def(IntegerAttr[I64], ONE)
    mem_mode = prop_def(StringAttr, StringAttr("internal_decoupled"))
    ram_style = prop_def(StringAttr, StringAttr("distributed"))
    runtime_writeable_weights = prop_def(BoolAttr, FALSE)

    def __init__(
        self,
        input: SSAValue | Operation,
        thresholds: np.ndarray,
        output_elem: Attribute,
        *,
        node_name: str,
        pe: int | None = None,
        **props,
    ):
        """Result: the input shape in `output_elem`; `pe` defaults to the input lanes."""
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        out = StreamType.of(x.shape, output_elem, pe)
        super().__init__([input], [out], node_name, thresholds=_threshold_attr(thresholds), pe=pe, **props)

    def threshold_values(self) -> np.ndarray:
        return dense_to_numpy(self.thresholds)

    def cycles(self) -> int:
        return self.vectors() * self.in_type().channels // self.value_of("pe")

    def verify_op(self) -> None:
        x = self.in_type()
        pe = self.value_of("pe")
        check_fold("C", x.channels, "PE", pe)
        self.expect_shape(0, x.shape)
        self.expect_lanes(self.input, "input", "PE", pe)
        self.expect_lanes(self.output, "output", "PE", pe)
        t = checked_dense(self.thresholds, "thresholds")
        check_thresholds(t, x.channels)
        check_threshold_levels(t.shape[1], self.value_of("act_val"), self.out_type().element_type)


CHANNELWISE_FUNCS = ("cmp_le", "cmp_ge", "add", "mul")


@irdl_op_definition
class ChannelwiseOp(DataflowOperation):
    """FINN ChannelwiseOp: y = func(x, p[c]) per channel c (last axis).

    func: cmp_le (x <= p, as 0/1), cmp_ge (x >= p, as 0/1), add (x + p), mul (x · p);
    `params` has shape (C,) or (1,).
    Cycles: Π(vectors) · C / PE.
    """

    name = "dataflow.channelwise"
    FINN_OP: ClassVar[str] = "ChannelwiseOp"
    IMPLS: ClassVar[tuple[str, ...]] = ("", "hls")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "func": CHANNELWISE_FUNCS,
        "ram_style": ("distributed", "block"),
    }

    input = operand_def(StreamType)
    output = result_def(StreamType)

    func = prop_def(StringAttr)
    params = prop_def(DenseIntOrFPElementsAttr)
    pe = prop_def(IntegerAttr[I64], ONE)
    ram_style = prop_def(StringAttr, StringAttr("distributed"))

    def __init__(
        self,
        input: SSAValue | Operation,
        func: str,
        params: np.ndarray,
        output_elem: Attribute,
        *,
        node_name: str,
        pe: int | None = None,
        **props,
    ):
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        out = StreamType.of(x.shape, output_elem, pe)
        super().__init__([input], [out], node_name, func=func, params=dense_ints(params, width=64), pe=pe, **props)

    def param_values(self) -> np.ndarray:
        return dense_to_numpy(self.params)

    def cycles(self) -> int:
        return self.vectors() * self.in_type().channels // self.value_of("pe")

    def verify_op(self) -> None:
        x = self.in_type()
        pe = self.value_of("pe")
        check_fold("C", x.channels, "PE", pe)
        self.expect_shape(0, x.shape)
        self.expect_lanes(self.input, "input", "PE", pe)
        self.expect_lanes(self.output, "output", "PE", pe)
        p = checked_dense(self.params, "params")
        if p.ndim != 1 or p.shape[0] not in (1, x.channels):
            raise VerifyException(f"params must have shape ({x.channels},) or (1,), got {list(p.shape)}")
        lo, hi = qt.value_range(x.element_type)
        func = self.func.data
        if func in ("cmp_le", "cmp_ge"):
            outs = np.array([0, 1])
        elif func == "add":
            outs = np.concatenate([lo + p, hi + p])
        else:
            outs = np.concatenate([lo * p, hi * p])
        check_range_fits(f"{func} outputs", int(outs.min()), int(outs.max()), self.out_type().element_type)
