"""
Size limits of the code under finn_xdsl/: no function over 80 lines, no file over 600.

Long functions are where decisions hide (a printer that also legalises, a pass that also
estimates); short ones can be read, named and tested alone. A function's length is
counted from its `def` line to its last line, docstring and nested functions included,
decorators not; methods and nested functions are checked too, named `Class.method` /
`outer.inner`. A file's length is its number of lines.

KNOWN_OVERSIZED lists the functions still over the limit, each with why; the test fails
when a new one appears and when a listed one is gone (then delete its line), so the list
only shrinks — the same ratchet as tests/test_layering.py's KNOWN_VIOLATIONS.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "finn_xdsl"
MAX_FUNCTION_LINES = 80
MAX_FILE_LINES = 600

# (file relative to the repository, qualified function name): why it is still long.
# Remove a line when the function is split.
KNOWN_OVERSIZED: dict[tuple[str, str], str] = {
}


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, lines) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def oversized_functions() -> dict[tuple[str, str], int]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for name, lines in _functions(ast.parse(path.read_text(), rel)):
            if lines > MAX_FUNCTION_LINES:
                found[(rel, name)] = lines
    return found


def test_no_function_over_80_lines():
    found = oversized_functions()
    new = {k: v for k, v in found.items() if k not in KNOWN_OVERSIZED}
    gone = [k for k in KNOWN_OVERSIZED if k not in found]
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(
        f"  {path}: {name} ({lines} lines)" for (path, name), lines in new.items())
    assert not gone, "now short enough, delete from KNOWN_OVERSIZED:\n" + "\n".join(
        f"  {path}: {name}" for path, name in gone)


def test_no_file_over_600_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in sorted(PACKAGE.rglob("*.py"))
            if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES}
    assert not long, f"files over {MAX_FILE_LINES} lines: {long}"


def test_measure():
    """The measure itself: def line to last line, decorators out, methods and nesting named."""
    source = ("@d\ndef f():\n    def g():\n        pass\n    return g\n\n"
              "class C:\n    def m(self):\n        pass\n")
    tree = ast.parse(source)
    assert dict(_functions(tree)) == {"f": 4, "f.g": 2, "C.m": 2}
