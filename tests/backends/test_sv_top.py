"""The stitched top of `-t sv` (backends/sv_top.py), from `lower-to-hw`'s hw IR.

- Real models (tfc_2w2a, cnv_1w1a folded for 10000 fps): `finn_design.sv` with every
  layer wrapper and library file is Verilator `--lint-only -Wall` clean.
- Deterministic: two independent lowerings and emissions give byte-identical tops.
- hw IR the printer does not handle (other ops in the body, unknown callees) is a one-line
  FinnError, not a traceback or wrong Verilog.
The top's text and two-partition naming are FileCheck'ed in lit_tests/targets/sv_top.mlir;
its connectivity is cross-checked against CIRCT's export_verilog in
tests/passes/test_lower_to_hw.py.
"""

from __future__ import annotations

import io

import pytest
from conftest import DATA
from xdsl.parser import Parser

from finn_xdsl.backends.sv import SVTarget
from finn_xdsl.backends.sv_top import print_tops
from finn_xdsl.errors import FinnError
from finn_xdsl.verify.rtlsim import lint
from finn_xdsl.frontend.load import make_context


def _lowered(model: str):
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.lower_to_hw import LowerToHwPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ToFoldedPass(target_fps=10000).apply(make_context(), module)
    LowerToHwPass().apply(make_context(), module)
    return module


@pytest.mark.parametrize("model", ["tfc_2w2a", "cnv_1w1a"])
def test_top_lint_with_wrappers(model, tmp_path):
    out = io.StringIO()
    SVTarget(dir=str(tmp_path)).emit(make_context(), _lowered(model), out)
    assert "top: finn_design.sv" in out.getvalue()
    top = tmp_path / "finn_design.sv"
    others = sorted(p for p in tmp_path.glob("*.sv") if p != top)
    assert len(others) > 4
    lint([*others, top], "finn_design")


def test_deterministic(tmp_path):
    texts = []
    for run in ("a", "b"):
        SVTarget(dir=str(tmp_path / run)).emit(make_context(), _lowered("tfc_2w2a"), io.StringIO())
        texts.append((tmp_path / run / "finn_design.sv").read_bytes())
    assert texts[0] == texts[1]
    assert texts[0].count(b"\n    MVAU_") == 4


def _hw(body: str):
    text = f"""
builtin.module {{
  hw.module.extern @L(in %a: i1, out b: i1)
  hw.module @top(in %x: i1, out y: i1) {{
{body}
  }}
}}
"""
    module = Parser(make_context(), text).parse_module()
    return module


def test_printer_rejects_what_it_cannot_print():
    ok = _hw('    %b = hw.instance "l" @L(a: %x: i1) -> (b: i1)\n    hw.output %b : i1')
    assert "    L l (\n        .a (x),\n        .b (l_b)\n    );\n    assign y = l_b;\n" in print_tops(ok)["top.sv"]
    const = _hw('    %c = hw.constant 1 : i1\n    hw.output %c : i1')
    with pytest.raises(FinnError, match=r"^-t sv: hw.module @top: hw.constant in the body; only hw.instance"):
        print_tops(const)
    unknown = _hw('    %b = hw.instance "l" @M(a: %x: i1) -> (b: i1)\n    hw.output %b : i1')
    with pytest.raises(FinnError, match=r"^-t sv: hw.module @top: instance 'l' of unknown module @M$"):
        print_tops(unknown)
    wrong = _hw('    %b = hw.instance "l" @L(c: %x: i1) -> (b: i1)\n    hw.output %b : i1')
    with pytest.raises(FinnError, match=r"instance 'l' ports do not match @L$"):
        print_tops(wrong)
