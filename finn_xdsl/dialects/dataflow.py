"""
The `dataflow` dialect: streaming hardware layers, one op per FINN HW layer.

Every layer consumes and produces `!dataflow.stream` values (one SSA value per AXI
stream; see `dataflow_types`), NHWC / channels last. Properties carry what FINN keeps in
node attributes: the folding (PE, SIMD, parallel_window), weights and thresholds (dense
integer attributes), memory and RAM styles, `impl` ("" until specialised to "hls" or
"rtl") and `node_name`, the layer name used in reports and folding configs. Verifiers
enforce FINN's folding constraints with FINN's wording ("MH % PE == 0 violated: ...").
A `dataflow.partition` (FINN's StreamingDataflowPartition) embeds a design in the tensor
world. The reference interpreter (`finn_xdsl.sim.dataflow`) is the executable definition:
bit-exact integer semantics on the normal (unfolded) tensors.

Files: dataflow_types (the stream type), dataflow_base (base class, helpers),
dataflow_compute (MVAU, Thresholding, ChannelwiseOp), dataflow_layers (SWG, FMPadding,
StreamingMaxPool, GlobalAccPool, LabelSelect), dataflow_streams (AddStreams,
DuplicateStreams, DWC, FIFO), dataflow_graph (partition, yield).
"""

from __future__ import annotations

from xdsl.ir import Dialect

from finn_xdsl.dialects.dataflow_base import (  # noqa: F401  (the dialect's public API)
    IMPL_VALUES,
    MEM_MODES,
    RAM_STYLES,
    DataflowOperation,
    dense_ints,
    dense_to_numpy,
    from_attr,
    stream_of,
    to_attr,
)
from finn_xdsl.dialects.dataflow_compute import (
    CHANNELWISE_FUNCS,  # noqa: F401
    ChannelwiseOp,
    MVAUOp,
    ThresholdingOp,
)
from finn_xdsl.dialects.dataflow_graph import PartitionOp, YieldOp, partitions  # noqa: F401
from finn_xdsl.dialects.dataflow_layers import (
    FMPaddingOp,
    GlobalAccPoolOp,
    LabelSelectOp,
    StreamingMaxPoolOp,
    SWGOp,
    conv_output_dim,  # noqa: F401
    pool_output_dims,  # noqa: F401
)
from finn_xdsl.dialects.dataflow_streams import (
    FIFO_IMPL_STYLES,  # noqa: F401
    AddStreamsOp,
    DuplicateStreamsOp,
    DWCOp,
    FIFOOp,
    ReshapeOp,
)
from finn_xdsl.dialects.dataflow_types import StreamType, element_bits  # noqa: F401

# every layer op, in definition order: the subclasses of DataflowOperation the files above
# define, so a new layer op needs no entry here
LAYERS: tuple[type[DataflowOperation], ...] = tuple(DataflowOperation.__subclasses__())

# FINN op type (without _hls/_rtl) -> layer op class, for folding configs and reports.
BY_FINN_OP: dict[str, type[DataflowOperation]] = {op.FINN_OP: op for op in LAYERS}

Dataflow = Dialect("dataflow", [PartitionOp, YieldOp, *LAYERS], [StreamType])
