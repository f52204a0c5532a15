"""
FINN's analytical estimates for dataflow designs (docs/finn_reference.md#reports and
#resource-estimates).

- `resources.layer_resources(op, fpgapart, minimize=...)`: one layer's LUT/BRAM/URAM/DSP.
- `network.estimate_reports(module, clk_ns, fpgapart)`: the four report JSON objects.
- `datatypes`: the widths FINN sees (as typed, or after FINN's minimize_bit_width).
"""

from finn_xdsl.estimates.network import (
    critical_path_cycles,
    dataflow_layers,
    estimate_reports,
    layer_cycles,
    layer_resources_report,
    network_performance,
    op_and_param_counts,
)
from finn_xdsl.estimates.resources import layer_resources

__all__ = [
    "critical_path_cycles",
    "dataflow_layers",
    "estimate_reports",
    "layer_cycles",
    "layer_resources",
    "layer_resources_report",
    "network_performance",
    "op_and_param_counts",
]
