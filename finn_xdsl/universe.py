"""
finn-xdsl as an xDSL plugin: `xdsl-opt` and other xDSL tools discover our dialects,
passes and targets through the `xdsl.universe` entry point declared in pyproject.toml.
"""

from xdsl.universe import Universe

from finn_xdsl.backends import get_all_targets
from finn_xdsl.dialects import get_all_dialects
from finn_xdsl.passes import get_all_passes

FINN_UNIVERSE = Universe(
    all_dialects=get_all_dialects(),
    all_passes=get_all_passes(),
    all_targets=get_all_targets(),
)
