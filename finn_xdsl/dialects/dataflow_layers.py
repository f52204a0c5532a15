"""
The `dataflow` layers on NHWC images without parameters: the sliding-window generator
(ConvolutionInputGenerator), FMPadding, StreamingMaxPool, GlobalAccPool and LabelSelect.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, IntegerAttr, StringAttr, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_base import (
    FALSE,
    ONE,
    RAM_STYLES,
    ZERO,
    DataflowOperation,
    check_fold,
    check_range_fits,
    stream_of,
)
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.utils.onnx_shapes import conv_output_dim

_ONES2 = DenseArrayBase.from_list(i64, [1, 1])



def _pair(op: DataflowOperation, prop: str, minimum: int) -> tuple[int, int]:
    values = op.value_of(prop)
    if len(values) != 2 or min(values) < minimum:
        raise VerifyException(f"{prop} must be two integers >= {minimum}, got {list(values)}")
    return values


# ----------------------------------------------------------------------------- SWG


@irdl_op_definition
class SWGOp(DataflowOperation):
    """FINN ConvolutionInputGenerator (sliding-window generator, im2col without padding).

    (1, IH, IW, C) -> (1, OH, OW, kh·kw·C), OH = (IH - dh(kh - 1) - 1) // sh + 1; each output
    pixel holds its patch in (kh, kw, C) order, C fastest (qonnx Im2Col's order).
    `depthwise` (feeding a VVAU) and `parallel_window` change the order and width of beats
    in hardware, never the values of the normal tensor. The output stream has SIMD lanes,
    or kh·kw·SIMD with `parallel_window` (a whole window of SIMD channels per beat).

    Cycles (FINN, CF = C / SIMD): HLS 2D `IW·kh·dh·CF + OH·max(OW·kw·kh·CF, sw·IW·CF)`,
    HLS 1D variants and RTL as in FINN's get_exp_cycles (see `cycles`); roughly
    OH·OW·kh·kw·CF plus the line-buffer fill.
    """

    name = "dataflow.swg"
    FINN_OP: ClassVar[str] = "ConvolutionInputGenerator"
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"ram_style": RAM_STYLES}
    KEEPS_DTYPE: ClassVar[bool] = True

    input = operand_def(StreamType)
    output = result_def(StreamType)

    kernel = prop_def(DenseArrayBase)
    stride = prop_def(DenseArrayBase, _ONES2)
    dilation = prop_def(DenseArrayBase, _ONES2)
    simd = prop_def(IntegerAttr[I64], ONE)
    depthwise = prop_def(BoolAttr, FALSE)
    parallel_window = prop_def(BoolAttr, FALSE)
    ram_style = prop_def(StringAttr, StringAttr("distributed"))

    def __init__(
        self,
        input: SSAValue | Operation,
        kernel: tuple[int, int],
        *,
        node_name: str,
        stride: tuple[int, int] = (1, 1),
        dilation: tuple[int, int] = (1, 1),
        simd: int | None = None,
        parallel_window: bool = False,
        **props,
    ):
        """Result shape from the window; `simd` defaults to the input lanes."""
        x = stream_of(input)
        simd = x.num_lanes if simd is None else simd
        _, ih, iw, c = x.shape
        (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
        shape = (1, conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw), kh * kw * c)
        lanes = kh * kw * simd if parallel_window else simd
        super().__init__(
            [input], [StreamType.of(shape, x.element_type, lanes)], node_name,
            kernel=tuple(kernel), stride=tuple(stride), dilation=tuple(dilation), simd=simd,
            parallel_window=parallel_window, **props,
        )

    def window(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(kernel, stride, dilation) as (h, w) pairs."""
        return self.value_of("kernel"), self.value_of("stride"), self.value_of("dilation")

    def verify_op(self) -> None:
        _, ih, iw, c = self.expect_rank4()
        (kh, kw) = _pair(self, "kernel", 1)
        (sh, sw) = _pair(self, "stride", 1)
        (dh, dw) = _pair(self, "dilation", 1)
        simd = self.value_of("simd")
        check_fold("C", c, "SIMD", simd)
        if (ih == 1 and kh != 1) or (iw == 1 and kw != 1):
            raise VerifyException(
                f"a dummy spatial dimension of size 1 needs a kernel of 1 there: "
                f"image {ih}x{iw}, kernel {kh}x{kw}"
            )
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        if oh < 1 or ow < 1:
            raise VerifyException(f"the dilated kernel {kh}x{kw} does not fit the image {ih}x{iw}")
        self.expect_shape(0, (1, oh, ow, kh * kw * c))
        self.expect_lanes(self.input, "input", "SIMD", simd)
        parallel = self.value_of("parallel_window")
        if parallel and not self.value_of("depthwise") and simd != c:
            raise VerifyException(f"parallel_window needs SIMD == C: C={c}, SIMD={simd}")
        lanes = kh * kw * simd if parallel else simd
        self.expect_lanes(self.output, "output", "kh*kw*SIMD" if parallel else "SIMD", lanes)

    # ------------------------------------------------------------------ cycles

    def _normalized(self) -> tuple[bool, tuple[int, int], tuple[int, int], tuple[int, int],
                                   tuple[int, int], tuple[int, int], int]:
        """(is_1d, ifm, ofm, kernel, stride, dilation, CF), 1-D cases with the long axis as W."""
        _, ih, iw, c = self.in_type().shape
        _, oh, ow, _ = self.out_type().shape
        k, s, d = self.window()
        dims = [(ih, iw), (oh, ow), k, s, d]
        is_1d = (ih == 1 and k[0] == 1) or (iw == 1 and k[1] == 1)
        if iw == 1 and k[1] == 1 and ih != 1:
            dims = [(b, a) for a, b in dims]
        cf = c // self.value_of("simd")
        return (is_1d, *dims, cf)  # type: ignore[return-value]

    def cycles(self) -> int:
        """FINN's get_exp_cycles of the HLS (impl "" or "hls") or RTL implementation."""
        is_1d, (ih, iw), (oh, ow), (kh, kw), (sh, sw), (dh, dw), cf = self._normalized()
        dw_ = self.value_of("depthwise")
        if self.impl.data == "rtl":
            return self._cycles_rtl(is_1d, ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, cf, dw_)
        if not is_1d:
            return int(iw * kh * dh * cf + oh * max(ow * kw * kh * cf, sw * iw * cf))
        if self.value_of("parallel_window") and cf == 1 and not dw_ and sw == 1 and dw == 1:
            return kw + ow
        if not dw_:
            return 1 + ow * kw * cf
        if dw == 1 and sw in (1, 2):
            return 1 + ow * kw * cf + cf * (kw - 1) - (kw - 1)
        return iw * cf + ow * kw * cf

    def _cycles_rtl(self, is_1d, ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, cf, depthwise) -> int:
        if self.value_of("parallel_window") or (kh == 1 and kw == 1):
            return ih * iw * cf + 2
        if is_1d:
            extra = cf * (kw - 1) * (sw - 1) - (kw - 1) if depthwise else 0
            return ow * kw * cf + extra + 2
        buf_min = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
        m = max(ow * kw * kh * cf, sw * iw * cf)
        if depthwise:
            m += ow * (sw - 1) * (cf - 1)
            return buf_min + oh * m + (sh - 1) * iw * cf
        return buf_min + oh * m


# ----------------------------------------------------------------------------- FMPadding


@irdl_op_definition
class FMPaddingOp(DataflowOperation):
    """FINN FMPadding: (1, H, W, C) -> (1, H + pt + pb, W + pl + pr, C), filled with pad_value.

    `padding` is [top, left, bottom, right] (FINN's order).
    Cycles: (C / SIMD) · OH · OW.
    """

    name = "dataflow.fmpadding"
    FINN_OP: ClassVar[str] = "FMPadding"
    KEEPS_DTYPE: ClassVar[bool] = True

    input = operand_def(StreamType)
    output = result_def(StreamType)

    padding = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr[I64], ZERO)
    simd = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, input: SSAValue | Operation, padding: tuple[int, int, int, int], *,
                 node_name: str, simd: int | None = None, **props):
        x = stream_of(input)
        simd = x.num_lanes if simd is None else simd
        n, h, w, c = x.shape
        pt, pl, pb, pr = padding
        out = StreamType.of((n, h + pt + pb, w + pl + pr, c), x.element_type, simd)
        super().__init__([input], [out], node_name, padding=tuple(padding), simd=simd, **props)

    def cycles(self) -> int:
        _, oh, ow, c = self.out_type().shape
        return c // self.value_of("simd") * oh * ow

    def verify_op(self) -> None:
        _, h, w, c = self.expect_rank4()
        pads = self.value_of("padding")
        if len(pads) != 4 or min(pads) < 0:
            raise VerifyException(f"padding must be 4 integers >= 0 (top, left, bottom, right), got {list(pads)}")
        simd = self.value_of("simd")
        check_fold("C", c, "SIMD", simd)
        pt, pl, pb, pr = pads
        self.expect_shape(0, (1, h + pt + pb, w + pl + pr, c))
        self.expect_lanes(self.input, "input", "SIMD", simd)
        self.expect_lanes(self.output, "output", "SIMD", simd)
        value = self.value_of("pad_value")
        elem = self.in_type().element_type
        if not qt.contains(elem, np.array([value])):
            raise VerifyException(f"pad_value {value} is out of range of {elem}")


# ----------------------------------------------------------------------------- pooling


@irdl_op_definition
class StreamingMaxPoolOp(DataflowOperation):
    """FINN StreamingMaxPool: max over kh x kw windows with stride = kernel, NHWC.

    OH = H // kh (ceil(H / kh) with `ceil_mode`, whose last window is partial). 1-D pooling
    (H = 1, kh = 1) folds channels by PE; 2-D pooling streams whole pixels (PE == C).
    Cycles: HLS (FINN's formula, admittedly rough) 1-D OW · (C / PE) · (kw + 1), 2-D
    int(IW · IW · (1 + 1 / (kw · kw))); RTL (our rtl/fx_streaming_maxpool, which FINN lacks)
    IH · IW · C/PE + 1: it takes one beat a cycle and overlaps the output phase that FINN's
    HLS kernel spends separately, so only the input beats (+1 of latency) count.
    """

    name = "dataflow.streaming_maxpool"
    FINN_OP: ClassVar[str] = "StreamingMaxPool"
    KEEPS_DTYPE: ClassVar[bool] = True

    input = operand_def(StreamType)
    output = result_def(StreamType)

    kernel = prop_def(DenseArrayBase)
    ceil_mode = prop_def(BoolAttr, FALSE)
    pe = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, input: SSAValue | Operation, kernel: tuple[int, int], *, node_name: str,
                 ceil_mode: bool = False, pe: int | None = None, **props):
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        n, h, w, c = x.shape
        out = StreamType.of((n, *pool_output_dims((h, w), kernel, ceil_mode), c), x.element_type, pe)
        super().__init__([input], [out], node_name, kernel=tuple(kernel), ceil_mode=ceil_mode, pe=pe, **props)

    def is_1d(self) -> bool:
        _, h, w, _ = self.in_type().shape
        kh, kw = self.value_of("kernel")
        return (h == 1 and kh == 1) or (w == 1 and kw == 1)

    def cycles(self) -> int:
        _, h, w, c = self.in_type().shape
        _, oh, ow, _ = self.out_type().shape
        kh, kw = self.value_of("kernel")
        if self.impl.data == "rtl":
            return h * w * (c // self.value_of("pe")) + 1
        if self.is_1d():
            ow, kw = (oh, kh) if w == 1 and kw == 1 and h != 1 else (ow, kw)
            return ow * (c // self.value_of("pe")) * (kw + 1)
        return int(w * w * (1 + 1 / (kw * kw)))

    def verify_op(self) -> None:
        _, h, w, c = self.expect_rank4()
        kh, kw = _pair(self, "kernel", 1)
        pe = self.value_of("pe")
        ceil = self.value_of("ceil_mode")
        if not ceil:
            for dim, size, k, kname in (("IH", h, kh, "kh"), ("IW", w, kw, "kw")):
                if size % k != 0:
                    raise VerifyException(
                        f"{dim} % {kname} == 0 violated: {dim}={size}, {kname}={k} "
                        "(set ceil_mode to pool partial windows)"
                    )
        if kh > h or kw > w:
            raise VerifyException(f"kernel {kh}x{kw} is larger than the image {h}x{w}")
        self.expect_shape(0, (1, *pool_output_dims((h, w), (kh, kw), ceil), c))
        if self.is_1d():
            check_fold("C", c, "PE", pe)
        elif pe != c:
            raise VerifyException(f"2D StreamingMaxPool streams whole pixels: PE == C violated: C={c}, PE={pe}")
        self.expect_lanes(self.input, "input", "PE", pe)
        self.expect_lanes(self.output, "output", "PE", pe)


def pool_output_dims(dims: tuple[int, int], kernel: tuple[int, int], ceil_mode: bool) -> tuple[int, int]:
    if ceil_mode:
        return tuple(-(-d // k) for d, k in zip(dims, kernel))  # type: ignore[return-value]
    return tuple(d // k for d, k in zip(dims, kernel))  # type: ignore[return-value]


@irdl_op_definition
class GlobalAccPoolOp(DataflowOperation):
    """FINN GlobalAccPool: (1, H, W, C) -> (1, 1, 1, C), the sum over H·W per channel.

    (GlobalAveragePool becomes this plus a scalar multiplication by 1 / (H·W).) The output
    type must hold H·W times the input range.
    Cycles: Π(folded input[:-1]) + C / PE = H·W·C/PE + C/PE.
    """

    name = "dataflow.global_acc_pool"
    FINN_OP: ClassVar[str] = "GlobalAccPool"
    IMPLS: ClassVar[tuple[str, ...]] = ("", "hls")

    input = operand_def(StreamType)
    output = result_def(StreamType)

    pe = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, input: SSAValue | Operation, output_elem: Attribute, *, node_name: str,
                 pe: int | None = None, **props):
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        out = StreamType.of((x.shape[0], 1, 1, x.shape[-1]), output_elem, pe)
        super().__init__([input], [out], node_name, pe=pe, **props)

    def cycles(self) -> int:
        _, h, w, c = self.in_type().shape
        cf = c // self.value_of("pe")
        return h * w * cf + cf

    def verify_op(self) -> None:
        _, h, w, c = self.expect_rank4()
        pe = self.value_of("pe")
        check_fold("C", c, "PE", pe)
        self.expect_shape(0, (1, 1, 1, c))
        self.expect_lanes(self.input, "input", "PE", pe)
        self.expect_lanes(self.output, "output", "PE", pe)
        lo, hi = qt.value_range(self.in_type().element_type)
        check_range_fits(f"sums of {h * w} inputs", h * w * lo, h * w * hi, self.out_type().element_type)


# ----------------------------------------------------------------------------- LabelSelect


@irdl_op_definition
class LabelSelectOp(DataflowOperation):
    """FINN LabelSelect: the indices of the k largest values of the last axis (Labels).

    Indices come largest value first; equal values keep the lower index first (ONNX TopK).
    The output is (..., k) of an unsigned type holding Labels - 1, one index per beat.
    Cycles: HLS (FINN) Labels / PE; RTL (our rtl/fx_label_select) max(Labels / PE, k): it
    reads the next frame while emitting the k indices of the last, so the slower side counts.
    """

    name = "dataflow.label_select"
    FINN_OP: ClassVar[str] = "LabelSelect"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    k = prop_def(IntegerAttr[I64], ONE)
    pe = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, input: SSAValue | Operation, k: int, output_elem: Attribute, *,
                 node_name: str, pe: int | None = None, **props):
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        out = StreamType.of((*x.shape[:-1], k), output_elem, 1)
        super().__init__([input], [out], node_name, k=k, pe=pe, **props)

    def cycles(self) -> int:
        beats = self.in_type().channels // self.value_of("pe")
        return max(beats, self.value_of("k")) if self.impl.data == "rtl" else beats

    def verify_op(self) -> None:
        x, y = self.in_type(), self.out_type()
        labels, k, pe = x.channels, self.value_of("k"), self.value_of("pe")
        check_fold("Labels", labels, "PE", pe)
        if not 1 <= k <= labels:
            raise VerifyException(f"k must be in [1, Labels]: k={k}, Labels={labels}")
        self.expect_shape(0, (*x.shape[:-1], k))
        self.expect_lanes(self.input, "input", "PE", pe)
        if y.num_lanes != 1:
            raise VerifyException(f"output lanes must be 1 (one index per beat), got {y.num_lanes}")
        elem = y.element_type
        if not (qt.is_quantized(elem) and qt.value_range(elem)[0] == 0 and not isinstance(elem, qt.BipolarType)):
            raise VerifyException(f"output element type must be unsigned, got {elem}")
        check_range_fits("indices", 0, labels - 1, elem)
