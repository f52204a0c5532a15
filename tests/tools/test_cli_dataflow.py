"""`finn-opt M.onnx -p to-dataflow` then `finn-exec` on the printed result, as a user runs
them: the dataflow-level IR round-trips through text and still gives the reference."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA, MODEL_FILES, model_family, model_path
from test_cli import assert_one_line_error, run


@pytest.mark.parametrize("name", MODEL_FILES)
def test_to_dataflow_then_exec(name, tmp_path):
    lowered = tmp_path / "lowered.mlir"
    r = run("finn-opt", model_path(name), "-p", "to-dataflow", "-o", lowered)
    assert r.returncode == 0, r.stderr
    text = lowered.read_text()
    assert "dataflow.partition" in text and "qonnx.matmul" not in text and "qonnx.conv" not in text
    out = tmp_path / "y.npy"
    family = model_family(name)
    r = run("finn-exec", lowered, "-i", DATA / f"{family}_input.npy", "-o", out)
    assert r.returncode == 0, r.stderr
    expected = np.load(DATA / f"{family}_output.npy")
    y = np.load(out)
    assert np.abs(y - expected).max() <= 1e-5 * np.ptp(expected)
    np.testing.assert_array_equal(y, expected)


def test_lowering_error_is_one_line(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text(
        "func.func @f(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {\n"
        '  %w = qonnx.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xui1>\n'
        '  %m = qonnx.matmul %x, %w {node_name = "fc"} : (tensor<1x2xf32>, tensor<2x2xui1>) -> tensor<1x2xf32>\n'
        "  func.return %m : tensor<1x2xf32>\n}\n"
    )
    out = tmp_path / "out.mlir"
    r = run("finn-opt", bad, "-p", "convert-to-dataflow", "-o", out)
    assert_one_line_error(r, "convert-to-dataflow: qonnx.matmul 'fc': its input is f32, not an integer tensor")
    assert not out.exists()
