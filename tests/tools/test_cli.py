"""finn-opt and finn-exec as a user runs them: real processes, real files.

Every bad-input case must print exactly one `error:` line on stderr, exit with 1, show
no traceback and leave no output file behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from conftest import DATA, MODEL_FILES, model_family, model_path
from onnx import TensorProto, helper

BIN = Path(sys.executable).parent


def run(tool: str, *args, cwd=None) -> subprocess.CompletedProcess:
    exe = BIN / tool
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", f"finn_xdsl.tools.{tool.replace('-', '_')}"]
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# ----------------------------------------------------------------------------- finn-exec


@pytest.mark.parametrize("name", MODEL_FILES)
def test_finn_exec_reproduces_reference(name, tmp_path):
    family = model_family(name)
    out = tmp_path / "y.npy"
    result = run("finn-exec", model_path(name), "--input", DATA / f"{family}_input.npy", "--output", out)
    assert result.returncode == 0, result.stderr
    expected = np.load(DATA / f"{family}_output.npy")
    y = np.load(out)
    assert np.abs(y - expected).max() <= 1e-5 * np.ptp(expected)


def test_finn_exec_on_mlir_equals_onnx(tmp_path):
    mlir = tmp_path / "tfc.mlir"
    assert run("finn-opt", model_path("tfc_1w2a_ts_raw"), "-o", mlir).returncode == 0
    x = DATA / "tfc_1w2a_input.npy"
    assert run("finn-exec", mlir, "-i", x, "-o", tmp_path / "a.npy").returncode == 0
    assert run("finn-exec", model_path("tfc_1w2a_ts_raw"), "-i", x, "-o", tmp_path / "b.npy").returncode == 0
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


def _two_input_model(path: Path) -> None:
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [1, 4])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 4])
    s = helper.make_tensor_value_info("s", TensorProto.FLOAT, [1, 4])
    d = helper.make_tensor_value_info("d", TensorProto.FLOAT, [1, 4])
    nodes = [helper.make_node("Add", ["a", "b"], ["s"], name="add"), helper.make_node("Sub", ["a", "b"], ["d"], name="sub")]
    graph = helper.make_graph(nodes, "two", [a, b], [s, d])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))


def test_finn_exec_several_inputs_and_outputs(tmp_path):
    model = tmp_path / "two.onnx"
    _two_input_model(model)
    a, b = np.arange(4, dtype=np.float32)[None], np.full((1, 4), 0.5, np.float32)
    np.savez(tmp_path / "in.npz", a=a, b=b)
    assert run("finn-exec", model, "-i", tmp_path / "in.npz", "-o", tmp_path / "out.npz").returncode == 0
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_array_equal(out["s"], a + b)
        np.testing.assert_array_equal(out["d"], a - b)
    # positional arrays as numpy.savez(*arrays) writes them
    np.savez(tmp_path / "pos.npz", a, b)
    assert run("finn-exec", model, "-i", tmp_path / "pos.npz", "-o", tmp_path / "out2.npz").returncode == 0
    # several outputs cannot go to one .npy
    r = run("finn-exec", model, "-i", tmp_path / "in.npz", "-o", tmp_path / "out.npy")
    assert_one_line_error(r, "has 2 outputs (s, d); use an .npz output file")
    assert not (tmp_path / "out.npy").exists()
    # several inputs cannot come from one .npy
    np.save(tmp_path / "a.npy", a)
    r = run("finn-exec", model, "-i", tmp_path / "a.npy", "-o", tmp_path / "o.npz")
    assert_one_line_error(r, "the model has 2 inputs (a, b); pass an .npz keyed by input name")


# ----------------------------------------------------------------------------- bad input


@pytest.fixture
def sample(tmp_path):
    np.save(tmp_path / "x.npy", np.load(DATA / "tfc_1w1a_input.npy"))
    return tmp_path / "x.npy"


def test_missing_model_file(tmp_path, sample):
    out = tmp_path / "y.npy"
    assert_one_line_error(run("finn-exec", tmp_path / "nope.onnx", "-i", sample, "-o", out), "nope.onnx: no such file")
    assert_one_line_error(run("finn-opt", tmp_path / "nope.onnx"), "nope.onnx")
    assert not out.exists()


def test_not_an_onnx_file(tmp_path, sample):
    bad = tmp_path / "bad.onnx"
    bad.write_text("definitely not a protobuf\n")
    out = tmp_path / "y.npy"
    assert_one_line_error(run("finn-exec", bad, "-i", sample, "-o", out), "bad.onnx: not an ONNX model")
    assert_one_line_error(run("finn-opt", bad), "bad.onnx: not an ONNX model")
    assert not out.exists()


def test_unsupported_op(tmp_path, sample):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 28, 28])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 28, 28])
    graph = helper.make_graph([helper.make_node("Softmax", ["x"], ["y"], name="probs")], "g", [x], [y])
    path = tmp_path / "sm.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    line = assert_one_line_error(run("finn-opt", path), "node 'probs' (Softmax): unsupported operation")
    assert "supported: Add, ArgMax, AveragePool, BatchNormalization" in line and "Quant" in line
    assert_one_line_error(run("finn-exec", path, "-i", sample, "-o", tmp_path / "y.npy"), "node 'probs' (Softmax)")


def test_dynamic_shape(tmp_path):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="r")], "g", [x], [y])
    path = tmp_path / "dyn.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    assert_one_line_error(run("finn-opt", path), "graph input 'x' has a dynamic or unknown shape ['batch', 4]")


INVALID_IR = """\
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  %s = qonnx.constant dense<1.0> : tensor<f32>
  %z = qonnx.constant dense<0.0> : tensor<f32>
  %b = qonnx.constant dense<2.0> : tensor<f32>
  %y = qonnx.quant %x, %s, %z, %b {node_name = "act0"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x8xf32>
  func.return %y : tensor<1x8xf32>
}
"""


def test_invalid_ir(tmp_path, sample):
    path = tmp_path / "bad.mlir"
    path.write_text(INVALID_IR)
    out = tmp_path / "out.mlir"
    assert_one_line_error(run("finn-opt", path, "-o", out), "qonnx.quant 'act0': result shape [1, 8] does not match")
    assert not out.exists()
    assert_one_line_error(run("finn-exec", path, "-i", sample, "-o", tmp_path / "y.npy"), "qonnx.quant 'act0'")


def test_parse_error_has_file_line_col(tmp_path):
    path = tmp_path / "syntax.mlir"
    path.write_text("func.func @main() {\n  %0 = qonnx.nonsense : () -> ()\n}\n")
    line = assert_one_line_error(run("finn-opt", path))
    assert f"{path}:2:" in line


def test_wrong_input_shape(tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 3), np.float32))
    out = tmp_path / "y.npy"
    r = run("finn-exec", model_path("tfc_1w1a_ts_clean"), "-i", tmp_path / "x.npy", "-o", out)
    assert_one_line_error(r, "input 'global_in' has shape [3, 3], the model expects [1, 1, 28, 28]")
    assert not out.exists()


def test_unknown_suffixes(tmp_path, sample):
    assert_one_line_error(run("finn-exec", tmp_path / "m.txt", "-i", sample, "-o", tmp_path / "y.npy"), "unknown file type '.txt'")
    r = run("finn-exec", model_path("tfc_1w1a_ts_clean"), "-i", sample, "-o", tmp_path / "y.csv")
    assert_one_line_error(r, "output must be an .npy or .npz file")
    (tmp_path / "m.txt").write_text("x")
    assert_one_line_error(run("finn-opt", tmp_path / "m.txt"), "Unrecognized file extension 'txt'")


def test_debug_shows_traceback(tmp_path):
    r = run("finn-opt", tmp_path / "nope.onnx", "--debug")
    assert r.returncode == 1 and "Traceback" in r.stderr and r.stderr.strip().splitlines()[-1].startswith("error: ")


# ----------------------------------------------------------------------------- finn-opt


def test_finn_opt_output_is_deterministic(tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}.mlir"
        assert run("finn-opt", model_path("tfc_2w2a_ts_raw"), "-o", out).returncode == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_finn_opt_generic_and_split_input(tmp_path):
    text = "\n// -----\n".join(
        f'%c{i} = "qonnx.constant"() <{{value = dense<{i}.0> : tensor<2xf32>}}> : () -> tensor<2xf32>' for i in range(3)
    )
    path = tmp_path / "s.mlir"
    path.write_text(text)
    r = run("finn-opt", path, "--split-input-file")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("// -----") == 2 and r.stdout.count("qonnx.constant dense<") == 3
    r = run("finn-opt", path, "--split-input-file", "--print-op-generic")
    assert r.stdout.count('"qonnx.constant"()') == 3


def test_finn_opt_help_lists_tools():
    r = run("finn-opt", "--help")
    assert r.returncode == 0 and "--split-input-file" in r.stdout and "--verify-diagnostics" in r.stdout
    assert "--debug" in r.stdout
    r = run("finn-exec", "--help")
    assert r.returncode == 0 and "--input" in r.stdout


def test_verify_diagnostics_mode(tmp_path):
    path = tmp_path / "bad.mlir"
    path.write_text(INVALID_IR)
    r = run("finn-opt", path, "--verify-diagnostics")
    assert r.returncode == 0
    assert "result shape [1, 8] does not match the inferred shape [1, 4]" in r.stdout


def test_console_scripts_are_installed():
    assert (BIN / "finn-opt").exists() and (BIN / "finn-exec").exists(), os.listdir(BIN)


def test_unquoted_option_path_is_one_line(tmp_path):
    r = run("finn-opt", model_path("tfc_2w2a_ts_clean"), "-p", "to-dataflow,apply-folding{file=/tmp/x.json}")
    assert_one_line_error(r, "pass or target options: Unknown token", 'quote values containing / or -')
    r = run("finn-opt", model_path("tfc_2w2a_ts_clean"), "-t", "report{dir=/tmp/r}")
    assert_one_line_error(r, "pass or target options: Unknown token")
