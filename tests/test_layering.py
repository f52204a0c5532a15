"""
The package's layering, read from the imports of every module under finn_xdsl/ (lazy
imports inside functions count: they are dependencies all the same).

    dialects         import nothing of ours above them
    frontend, kernels, estimates
                     never passes, backends, verify, flow or tools
    passes           never backends, verify, flow or tools
    sim              never passes, backends, verify, flow or tools
    backends         never passes, verify, flow or tools
    verify           never flow or tools
    flow             never tools

`errors`, `boards`, `layer_libraries` and `utils` sit below everything and import none of the
layers. KNOWN_VIOLATIONS lists the imports that still break a rule, each with why; the
test fails when a new one appears and when a listed one is gone (then delete its line),
so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "finn_xdsl"
BASE = {"errors", "boards", "layer_libraries", "utils"}
LAYERS = ("dialects", "frontend", "kernels", "estimates", "passes", "sim", "backends", "verify", "flow", "tools")
ABOVE_DIALECTS = set(LAYERS) - {"dialects"}
FORBIDDEN = {
    "base": set(LAYERS),
    "dialects": ABOVE_DIALECTS,
    "frontend": {"passes", "backends", "verify", "flow", "tools"},
    "kernels": {"passes", "backends", "verify", "flow", "tools"},
    "estimates": {"passes", "backends", "verify", "flow", "tools"},
    "passes": {"backends", "verify", "flow", "tools"},
    "sim": {"passes", "backends", "verify", "flow", "tools"},
    "backends": {"passes", "verify", "flow", "tools"},
    "verify": {"flow", "tools"},
    "flow": {"tools"},
    "tools": set(),
    "top": set(),  # universe.py (the xDSL plugin: every registry), build.py (flow's old name)
}

# (importing module, imported module): why it is still there. Remove a line with its import.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2:
        return "top"
    if parts[1] in LAYERS:
        return parts[1]
    if parts[1] in BASE:
        return "base"
    return "top"


def imports_of(path: Path) -> set[str]:
    """The finn_xdsl modules a file imports (module level and inside functions)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("finn_xdsl.")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                pkg = module.split(".")[: -node.level] if not path.name == "__init__.py" else module.split(".")[
                    : len(module.split(".")) - node.level + 1]
                base = ".".join([*pkg, base] if base else pkg)
            if base.startswith("finn_xdsl."):
                # `from finn_xdsl.sim import host`: the submodule when there is one
                found |= {f"{base}.{a.name}" if _is_module(f"{base}.{a.name}") else base for a in node.names}
    return found


def _is_module(name: str) -> bool:
    p = PACKAGE.parent.joinpath(*name.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


def violations() -> dict[tuple[str, str], str]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        mine = layer_of(module)
        for imported in imports_of(path):
            theirs = layer_of(imported)
            if theirs in FORBIDDEN[mine]:
                out[(module, imported)] = f"{mine} imports {theirs}"
    return out


def test_layering():
    found = violations()
    new = {k: v for k, v in found.items() if k not in KNOWN_VIOLATIONS}
    gone = [k for k in KNOWN_VIOLATIONS if k not in found]
    assert not new, "imports breaking the layering:\n" + "\n".join(f"  {a} -> {b} ({why})" for (a, b), why in new.items())
    assert not gone, "fixed, delete from KNOWN_VIOLATIONS:\n" + "\n".join(f"  {a} -> {b}" for a, b in gone)


def test_every_module_has_a_layer():
    """A new top-level package must be placed in the rules before it is used."""
    tops = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
            if (p.is_dir() and (p / "__init__.py").is_file()) or (p.suffix == ".py")}
    assert tops <= set(LAYERS) | BASE | {"__init__", "universe", "build"}, tops
