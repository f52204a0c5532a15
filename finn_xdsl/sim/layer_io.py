"""
Every dataflow layer's input and output beats, as the reference interpreter computes them.

Per-layer verification (an RTL wrapper under Verilator, an HLS top function under g++
C-simulation, a mixed design checked layer by layer) needs, for each layer, the exact AXI
beats that enter and leave it. One interpreter run with a listener records every layer's
operand and result tensors; `StreamType`'s packing turns them into beats with TDATA padding,
the same words the hardware sees (docs/architecture.md#streams-and-packing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.kernels.packing import pack_beats


@dataclass
class LayerIO:
    """One layer's beats by port name (in0_V, in1_V, ... / out0_V, ...), frames concatenated."""

    inputs: dict[str, list[int]] = field(default_factory=dict)
    outputs: dict[str, list[int]] = field(default_factory=dict)


class _Recorder:
    """Interpreter listener: each dataflow layer's operands and results, appended per run."""

    def __init__(self, io: dict[str, LayerIO]):
        self.io = io

    def will_interpret_op(self, op, args):
        if isinstance(op, df.DataflowOperation):
            rec = self.io.setdefault(op.display_name, LayerIO())
            for i, value in enumerate(args):
                rec.inputs.setdefault(f"in{i}_V", []).extend(stream_beats(value, op.in_type(i)))

    def did_interpret_op(self, op, results):
        if isinstance(op, df.DataflowOperation):
            rec = self.io.setdefault(op.display_name, LayerIO())
            for j, value in enumerate(results):
                rec.outputs.setdefault(f"out{j}_V", []).extend(stream_beats(value, op.out_type(j)))


def stream_beats(value: np.ndarray, stream: df.StreamType) -> list[int]:
    """A tensor travelling on `stream`, packed into its AXI beats (padding bits zero)."""
    bipolar = isinstance(stream.element_type, qt.BipolarType)
    return pack_beats(np.asarray(value).reshape(stream.shape), stream.element_bits, stream.num_lanes, bipolar)


def record_layer_io(module: ModuleOp, inputs: Sequence[Sequence[np.ndarray]]) -> dict[str, LayerIO]:
    """Run the interpreter once per entry of `inputs` (each a list of @main's arguments) and
    return every dataflow layer's beats by node name, the runs' frames concatenated in order."""
    from finn_xdsl.sim.execute import execute

    io: dict[str, LayerIO] = {}
    recorder = _Recorder(io)
    for args in inputs:
        execute(module, list(args), recorder)
    return io
