"""
One-line diagnostics for user-facing errors.

xDSL reports a verification failure by printing the whole module with a caret under the
failing op, and a parse error with a multi-line excerpt. For a CNV-sized model that is
megabytes of text; users need one line: which file, which op (and ONNX node), what is
wrong. These helpers turn xDSL's exceptions into such a `FinnError`.
"""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.utils.exceptions import ParseError, VerifyException

from finn_xdsl.errors import FinnError

_PREFIX = "Operation does not verify: "


def op_location(op: Operation) -> str:
    """`quant.conv 'Conv_0'` — the op name and, when it has one, its ONNX node name."""
    node_name = op.properties.get("node_name")
    if node_name is not None and hasattr(node_name, "data"):
        return f"{op.name} '{node_name.data}'"
    return op.name


def _first_line(text: str) -> str:
    for line in str(text).strip().splitlines():
        line = line.strip()
        if line:
            return line.removeprefix(_PREFIX)
    return "invalid IR"


def verify_module(module: Operation, source: str) -> None:
    """Verify every op; raise a one-line FinnError naming the first op that fails."""
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except VerifyException as e:
            cause = e.__cause__ if isinstance(e.__cause__, VerifyException) else e
            raise FinnError(f"{source}: {op_location(op)}: {_first_line(str(cause))}") from None


def parse_error_message(e: ParseError) -> str:
    """`file:line:col: message` for an xDSL parse error."""
    try:
        loc = e.span.get_location()
        return f"{loc.file}:{loc.line}:{loc.col}: {_first_line(e.msg)}"
    except Exception:  # a span without a source still has a message
        return _first_line(e.msg)
