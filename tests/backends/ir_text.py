"""Spelling hand-written dataflow IR in tests: dense weight attributes and stream types."""

from __future__ import annotations

import numpy as np


def dense(a: np.ndarray, width: int) -> str:
    """A 2-D integer array as `dense<...> : tensor<RxCxi<width>>`."""
    rows = "[" + ", ".join("[" + ", ".join(str(int(v)) for v in r) + "]" for r in a) + "]"
    return f"dense<{rows}> : tensor<{a.shape[0]}x{a.shape[1]}xi{width}>"


def stream(shape: str, elem: str, lanes: int) -> str:
    """`!dataflow.stream<tensor<shape x elem>, lanes>`."""
    return f"!dataflow.stream<tensor<{shape}x{elem}>, {lanes}>"
