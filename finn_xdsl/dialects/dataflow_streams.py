"""
The `dataflow` ops that join, fork, reshape or buffer streams without computing on
channels: AddStreams, DuplicateStreams, the data width converter (DWC) and the FIFO.
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import I64, IntegerAttr, StringAttr
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, var_result_def
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.dataflow_base import (
    ONE,
    RAM_STYLES,
    DataflowOperation,
    check_fold,
    check_range_fits,
    stream_of,
)
from finn_xdsl.dialects.dataflow_types import StreamType


@irdl_op_definition
class AddStreamsOp(DataflowOperation):
    """FINN AddStreams: y = a + b elementwise, two streams of the same type.

    The output type must hold the sum of the input ranges.
    Cycles: Π(vectors) · C / PE (FINN's HLS kernel and our rtl/ module alike).
    """

    name = "dataflow.add_streams"
    FINN_OP: ClassVar[str] = "AddStreams"

    lhs = operand_def(StreamType)
    rhs = operand_def(StreamType)
    output = result_def(StreamType)

    pe = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation, output_elem: Attribute,
                 *, node_name: str, pe: int | None = None, **props):
        a = stream_of(lhs)
        pe = a.num_lanes if pe is None else pe
        super().__init__([lhs, rhs], [StreamType.of(a.shape, output_elem, pe)], node_name, pe=pe, **props)

    def cycles(self) -> int:
        return self.vectors() * self.in_type().channels // self.value_of("pe")

    def verify_op(self) -> None:
        a, b = self.in_type(0), self.in_type(1)
        if a != b:
            raise VerifyException(f"both inputs must have the same type, got {a} and {b}")
        pe = self.value_of("pe")
        check_fold("C", a.channels, "PE", pe)
        self.expect_shape(0, a.shape)
        self.expect_lanes(self.lhs, "input", "PE", pe)
        self.expect_lanes(self.output, "output", "PE", pe)
        lo, hi = qt.value_range(a.element_type)
        check_range_fits("sums", 2 * lo, 2 * hi, self.out_type().element_type)


@irdl_op_definition
class DuplicateStreamsOp(DataflowOperation):
    """FINN DuplicateStreams: copies one stream to n >= 2 outputs of the same type.

    Cycles: Π(vectors) · C / PE (FINN's HLS kernel and our rtl/ module alike).
    """

    name = "dataflow.duplicate_streams"
    FINN_OP: ClassVar[str] = "DuplicateStreams"

    input = operand_def(StreamType)
    outputs = var_result_def(StreamType)

    pe = prop_def(IntegerAttr[I64], ONE)

    def __init__(self, input: SSAValue | Operation, count: int = 2, *, node_name: str,
                 pe: int | None = None, **props):
        x = stream_of(input)
        pe = x.num_lanes if pe is None else pe
        super().__init__([input], [[x.with_lanes(pe)] * count], node_name, pe=pe, **props)

    def cycles(self) -> int:
        return self.vectors() * self.in_type().channels // self.value_of("pe")

    def verify_op(self) -> None:
        x = self.in_type()
        pe = self.value_of("pe")
        check_fold("C", x.channels, "PE", pe)
        self.expect_lanes(self.input, "input", "PE", pe)
        if len(self.outputs) < 2:
            raise VerifyException(f"needs at least 2 outputs, got {len(self.outputs)}")
        for r in self.outputs:
            if r.type != x:
                raise VerifyException(f"output {r.index} has type {r.type}, expected the input's {x}")


@irdl_op_definition
class DWCOp(DataflowOperation):
    """FINN StreamingDataWidthConverter: the same tensor, re-beated from in lanes to out lanes.

    Any ratio: our rtl/fx_dwc and hls/fx_dwc.hpp both handle the general (LCM) case; FINN's
    RTL DWC needs an integer ratio, which only specialize{prefer=finn} still applies.
    Cycles: FINN has no cycle model for it (0); it moves max(in beats, out beats) beats.
    """

    name = "dataflow.dwc"
    FINN_OP: ClassVar[str] = "StreamingDataWidthConverter"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    def __init__(self, input: SSAValue | Operation, lanes: int, *, node_name: str, **props):
        super().__init__([input], [stream_of(input).with_lanes(lanes)], node_name, **props)

    def cycles(self) -> int:
        return 0

    def verify_op(self) -> None:
        x, y = self.in_type(), self.out_type()
        if x.tensor != y.tensor:
            raise VerifyException(f"input and output must carry the same tensor, got {x.tensor} and {y.tensor}")


@irdl_op_definition
class ReshapeOp(DataflowOperation):
    """The same elements in the same order, seen as another shape: a wire, no hardware.

    The stream of (1, H, W, C) in channels-last order is beat for beat the stream of the
    flattened (1, H·W·C), so the flatten between the last conv and the first fully
    connected layer costs nothing in hardware (FINN's RemoveCNVtoFCFlatten deletes it);
    this op keeps the types honest instead of deleting it. Lanes are unchanged and must
    divide both last dimensions. Cycles: 0.
    """

    name = "dataflow.reshape"
    FINN_OP: ClassVar[str] = "Reshape"

    input = operand_def(StreamType)
    output = result_def(StreamType)

    def __init__(self, input: SSAValue | Operation, shape: tuple[int, ...], *, node_name: str, **props):
        x = stream_of(input)
        super().__init__([input], [StreamType.of(tuple(shape), x.element_type, x.num_lanes)], node_name, **props)

    def cycles(self) -> int:
        return 0

    def verify_op(self) -> None:
        x, y = self.in_type(), self.out_type()
        if x.element_type != y.element_type:
            raise VerifyException(f"element types differ: {x.element_type} and {y.element_type}")
        if math.prod(x.shape) != math.prod(y.shape):
            raise VerifyException(f"shapes {list(x.shape)} and {list(y.shape)} hold different numbers of elements")
        if x.num_lanes != y.num_lanes:
            raise VerifyException(f"lanes must not change: {x.num_lanes} -> {y.num_lanes}; use a dwc")


FIFO_IMPL_STYLES = ("rtl", "vivado")


@irdl_op_definition
class FIFOOp(DataflowOperation):
    """FINN StreamingFIFO: buffers up to `depth` beats; values pass unchanged.

    impl_style "rtl" is a shift-register FIFO (Q_srl), "vivado" an axis_data_fifo whose
    depth is rounded up to a power of two.
    Cycles: FINN has no cycle model for it (0).
    """

    name = "dataflow.fifo"
    FINN_OP: ClassVar[str] = "StreamingFIFO"
    IMPLS: ClassVar[tuple[str, ...]] = ("", "rtl")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "impl_style": FIFO_IMPL_STYLES,
        "ram_style": RAM_STYLES,
    }

    input = operand_def(StreamType)
    output = result_def(StreamType)

    depth = prop_def(IntegerAttr[I64])
    impl_style = prop_def(StringAttr, StringAttr("rtl"))
    ram_style = prop_def(StringAttr, StringAttr("auto"))

    def __init__(self, input: SSAValue | Operation, depth: int, *, node_name: str, **props):
        super().__init__([input], [stream_of(input)], node_name, depth=depth, **props)

    def adjusted_depth(self) -> int:
        """The depth the hardware gets: a power of two for impl_style "vivado"."""
        depth = self.value_of("depth")
        if self.impl_style.data == "vivado":
            return 1 << (depth - 1).bit_length()
        return depth

    def cycles(self) -> int:
        return 0

    def verify_op(self) -> None:
        if self.value_of("depth") < 2:
            raise VerifyException(f"depth must be >= 2, got {self.value_of('depth')}")
        if self.out_type() != self.in_type():
            raise VerifyException(f"output type {self.out_type()} must equal the input's {self.in_type()}")
