"""
`!dataflow.stream`: the type of one AXI stream between two hardware layers.

A stream carries a whole tensor, one beat at a time. Its parameters are the *normal*
tensor type (shape and element type, NHWC / channels last) and `lanes`, the number of
elements per beat (the producer's PE or SIMD). Everything about the wire follows from
these two (docs/architecture.md#streams-and-packing): the folded shape is the normal
shape with the last dimension split into (C / lanes, lanes), time runs row-major over all
but the last folded dimension, and the beat is lanes × element bits wide, padded to whole
bytes on ports.

Keeping the normal type in the stream type lets the reference interpreter and every
pass reason about values without unfolding anything: lanes change timing and widths,
never values.
"""

from __future__ import annotations

import math

from xdsl.dialects.builtin import IntAttr, IntegerType, TensorType
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import qonnx_types as qt


def element_bits(elem: Attribute) -> int:
    """Bits of one element on the wire: BIPOLAR is one bit ({-1, +1} as {0, 1}), TERNARY two."""
    if isinstance(elem, qt.BipolarType):
        return 1
    if isinstance(elem, qt.TernaryType):
        return 2
    if isinstance(elem, IntegerType):
        return elem.width.data
    raise ValueError(f"type {elem} has no hardware bit width")


@irdl_attr_definition
class StreamType(ParametrizedAttribute, TypeAttribute):
    """`!dataflow.stream<tensor<1x28x28x64xsi2>, 8>`: a tensor streamed `lanes` elements per beat."""

    name = "dataflow.stream"

    tensor: TensorType
    lanes: IntAttr

    def __init__(self, tensor: TensorType, lanes: int | IntAttr = 1):
        super().__init__(tensor, IntAttr(lanes) if isinstance(lanes, int) else lanes)

    @staticmethod
    def of(shape: tuple[int, ...] | list[int], elem: Attribute, lanes: int = 1) -> StreamType:
        """The stream of a tensor<shape x elem>, `lanes` elements per beat."""
        return StreamType(TensorType(elem, shape), lanes)

    # ------------------------------------------------------------------ properties

    @property
    def shape(self) -> tuple[int, ...]:
        """The normal (unfolded) shape."""
        return self.tensor.get_shape()

    @property
    def element_type(self) -> Attribute:
        return self.tensor.element_type

    @property
    def num_lanes(self) -> int:
        return self.lanes.data

    @property
    def channels(self) -> int:
        """The last (innermost) dimension, which lanes fold."""
        return self.shape[-1]

    def folded_shape(self) -> tuple[int, ...]:
        """(..., C / lanes, lanes): FINN's folded shape, a reshape without transpose."""
        return (*self.shape[:-1], self.channels // self.num_lanes, self.num_lanes)

    def beats(self) -> int:
        """Beats per tensor (per frame): all elements / lanes."""
        return math.prod(self.shape) // self.num_lanes

    def vectors(self) -> int:
        """Π(shape[:-1]): FINN's Π(numInputVectors)."""
        return math.prod(self.shape[:-1])

    @property
    def element_bits(self) -> int:
        return element_bits(self.element_type)

    @property
    def width_bits(self) -> int:
        """Bits of one beat: lanes × element bits."""
        return self.num_lanes * self.element_bits

    @property
    def padded_width_bits(self) -> int:
        """The beat width on an AXI-Stream port: rounded up to a multiple of 8."""
        return -(-self.width_bits // 8) * 8

    def with_lanes(self, lanes: int) -> StreamType:
        return StreamType(self.tensor, lanes)

    def with_element_type(self, elem: Attribute) -> StreamType:
        return StreamType(TensorType(elem, self.shape), self.lanes)

    # ------------------------------------------------------------------ verification

    def verify(self) -> None:
        shape = self.shape
        if not shape:
            raise VerifyException(f"{self}: a stream needs a tensor of rank >= 1")
        if any(d < 0 for d in shape):
            raise VerifyException(f"{self}: a stream needs a static shape")
        if not qt.is_quantized(self.element_type):
            raise VerifyException(
                f"{self}: stream elements must be quantized integers (si<N>, ui<N>, "
                f"!qonnx.bipolar, !qonnx.ternary), got {self.element_type}"
            )
        lanes = self.num_lanes
        if lanes < 1:
            raise VerifyException(f"{self}: lanes must be >= 1, got {lanes}")
        if shape[-1] % lanes != 0:
            raise VerifyException(
                f"{self}: lanes must divide the last dimension: {shape[-1]} % {lanes} != 0"
            )

    # ------------------------------------------------------------------ syntax

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_attribute(self.tensor)
            printer.print_string(", ")
            printer.print_int(self.num_lanes)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[TensorType, IntAttr]:
        with parser.in_angle_brackets():
            pos = parser.pos
            tensor = parser.parse_type()
            if not isinstance(tensor, TensorType):
                parser.raise_error("expected a ranked tensor type", pos, parser.pos)
            parser.parse_punctuation(",")
            lanes = parser.parse_integer(allow_boolean=False)
        return (tensor, IntAttr(lanes))
