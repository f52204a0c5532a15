"""
The `qonnx` dialect: a QONNX graph as SSA IR.

One op per QONNX/ONNX node type that Brevitas exports (Quant, BipolarQuant, Trunc,
MultiThreshold and the standard ONNX ops around them). Tensors are builtin ranked tensors
whose element type carries the QONNX DataType (see `qonnx_types`). Every op keeps the
ONNX node name in `node_name`, because it becomes the layer name in reports and the
location of every error we print.

Ops follow ONNX semantics exactly (the reference interpreter in `finn_xdsl.sim` is the
executable definition); the class variables `ONNX_OP` and `ONNX_ATTRS` say which ONNX
node and attributes an op stands for, which is all the frontend needs to import it.
Verifiers check what ONNX requires: static shapes, shape agreement, attribute ranges and
element types that can hold the op's results.
"""
from __future__ import annotations

from xdsl.ir import Dialect

from finn_xdsl.dialects.qonnx_base import (  # noqa: F401  (the dialect's public API)
    AUTO_PADS,
    ROUNDING_MODES,
    ConstantOp,
    OnnxAttr,
    QonnxOperation,
    constant_value,
    elem_of,
    ints,
    shape_of,
)
from finn_xdsl.dialects.qonnx_nn_ops import (
    AddOp,
    AveragePoolOp,
    BatchNormOp,
    ConvOp,
    DivOp,
    GemmOp,
    GlobalAveragePoolOp,
    IdentityOp,
    MatMulOp,
    MaxPoolOp,
    MulOp,
    PowOp,
    ReluOp,
    SigmoidOp,
    SqrtOp,
    SubOp,
)
from finn_xdsl.dialects.qonnx_layout_ops import Im2ColOp, MaxPoolNHWCOp
from finn_xdsl.dialects.qonnx_quant_ops import (
    BipolarQuantOp,
    MultiThresholdOp,
    QuantOp,
    TruncOp,
)
from finn_xdsl.dialects.qonnx_tensor_ops import (
    ArgMaxOp,
    ConcatOp,
    FlattenOp,
    PadOp,
    ReshapeOp,
    TopKOp,
    TransposeOp,
)
from finn_xdsl.dialects.qonnx_types import BipolarType, TernaryType, bipolar, ternary  # noqa: F401

OPS: tuple[type[QonnxOperation], ...] = (
    ConstantOp,
    QuantOp,
    BipolarQuantOp,
    TruncOp,
    MultiThresholdOp,
    MatMulOp,
    GemmOp,
    ConvOp,
    AddOp,
    SubOp,
    MulOp,
    DivOp,
    PowOp,
    ReluOp,
    SigmoidOp,
    SqrtOp,
    IdentityOp,
    BatchNormOp,
    MaxPoolOp,
    AveragePoolOp,
    GlobalAveragePoolOp,
    ReshapeOp,
    FlattenOp,
    TransposeOp,
    ConcatOp,
    PadOp,
    TopKOp,
    ArgMaxOp,
    # channels-last ops of lower-conv (qonnx custom ops)
    Im2ColOp,
    MaxPoolNHWCOp,
)

# ONNX op type -> op class, for the frontend and its "supported ops" message.
BY_ONNX_OP: dict[str, type[QonnxOperation]] = {op.ONNX_OP: op for op in OPS}

Qonnx = Dialect("qonnx", list(OPS), [BipolarType, TernaryType])
