"""
Our dialects, registered lazily by name as xDSL registers its own: importing a dialect
module costs time, and `finn-opt --help` must not pay for dialects it never parses.
"""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_qonnx() -> Dialect:
    from finn_xdsl.dialects.qonnx import Qonnx

    return Qonnx


def get_dataflow() -> Dialect:
    from finn_xdsl.dialects.dataflow import Dataflow

    return Dataflow


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Name -> factory of every dialect finn-xdsl defines."""
    return {"qonnx": get_qonnx, "dataflow": get_dataflow}
