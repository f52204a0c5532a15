"""
Loading a model file of any kind we know into IR: .onnx through the QONNX frontend, .mlir
through xDSL's parser with our dialects registered. Every tool and the build flow start
here, so it sits with the frontend, below everything that transforms or prints the IR.
"""

from __future__ import annotations

import os

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import ParseError

from finn_xdsl.errors import FinnError
from finn_xdsl.utils.diagnostics import parse_error_message, verify_module

MODEL_SUFFIXES = (".onnx", ".mlir")


def register_dialects(ctx: Context) -> None:
    """xDSL's dialects (func, hw, ...) and ours, all registered lazily."""
    from xdsl.dialects import get_all_dialects

    from finn_xdsl.dialects import get_all_dialects as get_finn_dialects

    for name, factory in {**get_all_dialects(), **get_finn_dialects()}.items():
        if name not in ctx.registered_dialect_names:
            ctx.register_dialect(name, factory)


def make_context() -> Context:
    ctx = Context()
    register_dialects(ctx)
    return ctx


def parse_mlir(ctx: Context, text: str | bytes, name: str) -> ModuleOp:
    """Parse MLIR text; a syntax error becomes a one-line FinnError with file:line:col."""
    from xdsl.parser import Parser

    try:
        return Parser(ctx, text, name).parse_module()
    except ParseError as e:
        raise FinnError(parse_error_message(e)) from None


def load_module(path: str, ctx: Context | None = None) -> ModuleOp:
    """Load and verify an .onnx or .mlir file."""
    suffix = os.path.splitext(path)[1]
    if suffix not in MODEL_SUFFIXES:
        raise FinnError(f"{path}: unknown file type '{suffix}'; expected one of {', '.join(MODEL_SUFFIXES)}")
    if not os.path.isfile(path):
        raise FinnError(f"{path}: no such file")
    if suffix == ".onnx":
        from finn_xdsl.frontend.qonnx import import_onnx

        return import_onnx(path)
    with open(path, "rb") as f:
        module = parse_mlir(ctx or make_context(), f.read(), path)
    verify_module(module, path)
    return module
