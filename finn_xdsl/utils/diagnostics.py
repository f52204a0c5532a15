"""
One-line diagnostics for user-facing errors.

xDSL reports a verification failure by printing the whole module with a caret under the
failing op, and a parse error with a multi-line excerpt. For a CNV-sized model that is
megabytes of text; users need one line: which file, which op (and ONNX node), what is
wrong. These helpers turn xDSL's exceptions into such a `FinnError`.

Warnings follow the same rule: `warn(message)` issues a `FinnWarning` through Python's
`warnings` (so tests capture it with `pytest.warns` and embedders can filter it), printed
by finn-opt / finn-build / any Python caller as the single line `warning: <message>` on
stderr instead of Python's two-line `file:line: Category: ...` plus source excerpt.
"""

from __future__ import annotations

import warnings

from xdsl.ir import Operation
from xdsl.utils.exceptions import ParseError, VerifyException

from finn_xdsl.errors import FinnError

_PREFIX = "Operation does not verify: "


def op_location(op: Operation) -> str:
    """`qonnx.conv 'Conv_0'` — the op name and, when it has one, its ONNX node name."""
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


# ----------------------------------------------------------------------------- warnings


class FinnWarning(UserWarning):
    """Something the user asked for was adjusted (e.g. an impl style fallback): one line."""


def warn(message: str) -> None:
    """Issue a one-line FinnWarning (whitespace collapsed, as FinnError does)."""
    warnings.warn(FinnWarning(" ".join(str(message).split())), stacklevel=2)


_python_format = warnings.formatwarning


def _format(message, category, filename, lineno, line=None) -> str:
    if isinstance(category, type) and issubclass(category, FinnWarning):
        return f"warning: {message}\n"
    return _python_format(message, category, filename, lineno, line)


# Only FinnWarnings change form; every other warning keeps Python's format.
warnings.formatwarning = _format
