"""run_tool: how every kind of failure reaches the user."""

from __future__ import annotations

import pytest

from finn_xdsl.errors import FinnError
from finn_xdsl.tools.common import run_tool


def _raise(e: BaseException):
    def body():
        raise e

    return body


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (FinnError("m.onnx: bad\nthing"), 1, "error: m.onnx: bad thing"),
        (FileNotFoundError(2, "No such file or directory", "x.onnx"), 1, "error: x.onnx: No such file or directory"),
        (RuntimeError("boom"), 2, "error: internal error in finn-xdsl (RuntimeError: boom); rerun with --debug"),
    ],
)
def test_one_line_per_failure(error, code, line, capsys):
    assert run_tool(_raise(error), debug=False) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(line)


def test_debug_adds_traceback(capsys):
    assert run_tool(_raise(RuntimeError("boom")), debug=True) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("error: internal error")


def test_success_returns_zero():
    assert run_tool(lambda: None, debug=False) == 0
