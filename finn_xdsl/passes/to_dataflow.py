"""
to-dataflow: the standard lowering from an imported QONNX graph to streaming layers.

    qonnx-to-thresholds, streamline, lower-conv, streamline, convert-to-dataflow, dce

FINN's qonnx_to_finn -> tidy_up -> streamline -> convert_to_hw steps. Streamline runs
twice: once to absorb BatchNorm and scales while the graph is still NCHW, and again after
lower-conv, which may expose new chains (e.g. a scale moved below an im2col).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.dead_code_elimination import DeadCodeElimination

from finn_xdsl.passes.convert_to_dataflow import ConvertToDataflowPass
from finn_xdsl.passes.lower_conv import LowerConvPass
from finn_xdsl.passes.qonnx_to_thresholds import QonnxToThresholdsPass
from finn_xdsl.passes.streamline import StreamlinePass


@dataclass(frozen=True)
class ToDataflowPass(ModulePass):
    """QONNX-level qonnx IR -> dataflow partitions (the standard pipeline)."""

    name = "to-dataflow"

    max_bits: int = 8
    strict: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for p in (
            QonnxToThresholdsPass(max_bits=self.max_bits),
            StreamlinePass(),
            LowerConvPass(),
            StreamlinePass(),
            ConvertToDataflowPass(strict=self.strict),
            DeadCodeElimination(),
        ):
            p.apply(ctx, op)
