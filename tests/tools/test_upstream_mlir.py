"""
Upstream MLIR reads our generic IR at every level and gives back the same module.

Why the quant-level dialect is called `qonnx`: upstream MLIR owns `quant`
(`!quant.uniform<...>`), so an MLIR tool that registers it (iree-opt does) rejected every
module we printed (`unknown quantized type bipolar`). Two upstream parsers are tried:
`iree-opt` (PyPI iree-base-compiler, in the test extra: a missing iree-opt fails the
test rather than skipping it) and the MLIR core of CIRCT's Python bindings (the test extra's `circt`),
which also verifies the `hw` ops of the last level. Both run with unregistered dialects
allowed; their generic output must parse back into our module (up to SSA names and the
order of properties).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from finn_xdsl.frontend.load import make_context, parse_mlir

LEVELS = {  # level -> the passes that reach it from the imported model
    "qonnx": [],
    "dataflow": ["to-folded"],
    "hw": ["to-folded", "insert-dwc", "insert-fifos", "lower-to-hw"],
}


def _iree_opt() -> str | None:
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    return shutil.which("iree-opt", path=path)


def _generic(module: ModuleOp) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(module)
    return out.getvalue() + "\n"


def _canonical(module: ModuleOp) -> str:
    """The generic text without what upstream MLIR changes on the way: SSA names (it
    numbers values) and the order of properties and attributes (it sorts them). Compared
    as text because xDSL's is_structurally_equivalent rejects the forward references of
    graph regions (hw.module)."""
    module = module.clone()
    for op in module.walk():
        op.properties = dict(sorted(op.properties.items()))
        op.attributes = dict(sorted(op.attributes.items()))
        for value in (*op.results, *(a for r in op.regions for b in r.blocks for a in b.args)):
            value.name_hint = None
    return _generic(module)


@pytest.fixture(scope="module")
def levels(imported):
    """The generic text of TFC-w1a1 (bipolar types, thresholds) at each level."""
    from finn_xdsl.passes import get_all_passes

    ctx = make_context()
    out = {}
    for level, passes in LEVELS.items():
        module = imported("tfc_1w1a_ts_clean").clone()
        for name in passes:
            options = {"target_fps": 10000} if name == "to-folded" else {}
            get_all_passes()[name]()(**options).apply(ctx, module)
        out[level] = (module, _generic(module))
    return out


def _through_iree(text: str) -> str:
    exe = _iree_opt()
    if exe is None:
        pytest.fail("iree-opt not found: install the test extra (pip install '.[test]')")
    r = subprocess.run([exe, "--allow-unregistered-dialect", "--mlir-print-op-generic", "-"],
                       input=text, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[:2000]
    return r.stdout


def _through_circt(text: str) -> str:
    from circt import ir

    with ir.Context() as ctx:
        ctx.allow_unregistered_dialects = True
        module = ir.Module.parse(text)
        assert module.operation.verify()
        return module.operation.get_asm(print_generic_op_form=True)


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("through", [_through_iree, _through_circt], ids=["iree-opt", "circt"])
def test_upstream_mlir_round_trips_our_ir(levels, level, through):
    module, text = levels[level]
    back = parse_mlir(make_context(), through(text), f"{level}.mlir")
    back.verify()
    assert _canonical(back) == _canonical(module)


def test_iree_opt_owns_quant():
    """The reason for the name: `quant.` ops with our types are rejected upstream."""
    exe = _iree_opt()
    if exe is None:
        pytest.fail("iree-opt not found: install the test extra (pip install '.[test]')")
    text = '"quant.constant"() : () -> tensor<2x!quant.bipolar>\n'
    r = subprocess.run([exe, "--allow-unregistered-dialect", "-"], input=text, capture_output=True, text=True)
    assert r.returncode != 0 and "unknown quantized type bipolar" in r.stderr
