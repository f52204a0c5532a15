"""QONNX frontend: every bundled model imports, keeps its names and types, and round-trips."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import onnx
import pytest
from conftest import MODEL_FILES, model_path
from onnx import TensorProto, helper
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.printer import Printer

from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import bipolar
from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import make_context, parse_mlir
from finn_xdsl.frontend.qonnx import import_onnx, load_model, supported_ops, value_name


def _print(module, generic: bool = False) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(module)
    return out.getvalue()


@pytest.mark.parametrize("name", MODEL_FILES)
def test_import_keeps_every_node(name, imported):
    """One op per cleaned ONNX node, in order, named after it."""
    module = imported(name)
    model = load_model(model_path(name))
    ops = [op for op in module.walk() if isinstance(op, q.QonnxOperation) and not isinstance(op, q.ConstantOp)]
    assert [op.node_name.data for op in ops] == [n.name for n in model.graph.node]
    assert [type(op).ONNX_OP for op in ops] == [n.op_type for n in model.graph.node]


@pytest.mark.parametrize("name", MODEL_FILES)
def test_import_types_follow_qonnx_datatypes(name, imported):
    """Each result's element type is the IR form of qonnx's inferred DataType."""
    module = imported(name)
    model = load_model(model_path(name))
    annotated = {n.output[0]: model.get_tensor_datatype(n.output[0]).name for n in model.graph.node}
    from finn_xdsl.dialects.qonnx_types import dtype_name

    seen = {}
    for op in module.walk():
        if isinstance(op, q.QonnxOperation) and not isinstance(op, q.ConstantOp):
            seen[op.results[0].name_hint] = dtype_name(q.elem_of(op.results[0]))
    assert seen == {value_name(k): v for k, v in annotated.items()}


@pytest.mark.parametrize("name", MODEL_FILES)
def test_round_trip_custom_and_generic(name, imported):
    module = imported(name)
    ctx = make_context()
    for generic in (False, True):
        text = _print(module, generic)
        again = _print(parse_mlir(ctx, text, name), generic)
        assert again == text


def test_names_and_signature(imported):
    module = imported("tfc_2w2a_ts_raw")
    fn = next(op for op in module.ops if isinstance(op, func.FuncOp))
    assert fn.sym_name.data == "main"
    # graph input/output names survive cleanup: they are the keys users feed
    assert fn.arg_attrs.data[0].data["qonnx.name"].data == "onnx::Reshape_0"
    assert fn.res_attrs.data[0].data["qonnx.name"].data == "65"
    # and so do the exporter's node names
    names = [op.node_name.data for op in fn.walk() if isinstance(op, q.MatMulOp)]
    assert names == [f"/features.{i}/MatMul" for i in (2, 6, 10, 14)]
    assert fn.function_type.inputs.data[0].get_shape() == (1, 1, 28, 28)
    kinds = Counter(type(op).__name__ for op in fn.walk())
    assert kinds["QuantOp"] == 8 and kinds["MatMulOp"] == 4 and kinds["BatchNormOp"] == 3
    # the raw export's weight Transposes are folded into the initializers by cleanup
    assert kinds["TransposeOp"] == 0


def test_quantized_element_types(imported):
    module = imported("cnv_1w2a_ts_clean")
    si2 = IntegerType(2, Signedness.SIGNED)
    elems = Counter(str(q.elem_of(op.results[0])) for op in module.walk() if isinstance(op, q.QuantOp | q.BipolarQuantOp))
    assert elems[str(bipolar)] == 9  # 9 bipolar weight tensors
    assert elems[str(si2)] == 8  # 2-bit activations
    assert elems["f32"] == 1  # the scaled 8-bit input quantizer
    convs = [op for op in module.walk() if isinstance(op, q.ConvOp)]
    assert len(convs) == 6 and all(q.elem_of(c.w) == bipolar for c in convs)


def test_constants_are_bytes_not_lists(imported):
    module = imported("cnv_1w1a_ts_clean")
    consts = [op for op in module.walk() if isinstance(op, q.ConstantOp)]
    big = max(consts, key=lambda c: len(c.value.data.data))
    assert big.to_numpy().shape == (256, 256, 3, 3)
    assert "0x" in _print(module).split(big.node_name.data, 1)[1][:200]


def test_supported_ops_cover_the_models():
    for name in MODEL_FILES:
        for node in onnx.load(str(model_path(name))).graph.node:
            assert node.op_type in supported_ops()


# ----------------------------------------------------------------------------- bad input


def _save(tmp_path, nodes, inputs, outputs, inits=(), name="m.onnx"):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


def test_unsupported_op_names_node_and_lists_supported(tmp_path):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    path = _save(tmp_path, [helper.make_node("Softmax", ["x"], ["y"], name="sm0")], [x], [y])
    with pytest.raises(FinnError, match=r"node 'sm0' \(Softmax\): unsupported operation; supported: Add, ArgMax"):
        import_onnx(path)


def test_dynamic_input_shape(tmp_path):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])
    path = _save(tmp_path, [helper.make_node("Relu", ["x"], ["y"], name="r")], [x], [y])
    with pytest.raises(FinnError, match=r"graph input 'x' has a dynamic or unknown shape \['N', 4\]"):
        import_onnx(path)


def test_missing_and_non_onnx_files(tmp_path):
    with pytest.raises(FinnError, match="no such file"):
        import_onnx(tmp_path / "nope.onnx")
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"this is not protobuf \xff\xfe")
    with pytest.raises(FinnError, match="not an ONNX model"):
        import_onnx(bad)
    empty = tmp_path / "empty.onnx"
    empty.write_bytes(b"")
    with pytest.raises(FinnError, match="no graph nodes"):
        import_onnx(empty)


def test_unknown_attribute_is_rejected(tmp_path):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    node = helper.make_node("Relu", ["x"], ["y"], name="r0", foo=3)
    path = _save(tmp_path, [node], [x], [y])
    with pytest.raises(FinnError, match=r"node 'r0' \(Relu\): attribute 'foo' is not supported"):
        import_onnx(path)


def test_maxpool_indices_output_is_rejected(tmp_path):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 2, 2])
    i = helper.make_tensor_value_info("i", TensorProto.INT64, [1, 1, 2, 2])
    node = helper.make_node("MaxPool", ["x"], ["y", "i"], name="mp", kernel_shape=[2, 2], strides=[2, 2])
    path = _save(tmp_path, [node], [x], [y, i])
    with pytest.raises(FinnError, match=r"node 'mp' \(MaxPool\): has 2 outputs"):
        import_onnx(path)


def test_invalid_model_is_reported_by_the_verifier(tmp_path):
    """A model that ONNX shape inference accepts but our verifier rejects: one line, named."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    scale = helper.make_tensor("s", TensorProto.FLOAT, [], [1.0])
    zp = helper.make_tensor("z", TensorProto.FLOAT, [], [0.0])
    bw = helper.make_tensor("b", TensorProto.FLOAT, [], [2.5])
    node = helper.make_node("Quant", ["x", "s", "z", "b"], ["y"], name="q0", domain="qonnx.custom_op.general",
                            signed=1, narrow=0, rounding_mode="ROUND")
    graph = helper.make_graph([node], "g", [x], [y], initializer=[scale, zp, bw])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                     helper.make_opsetid("qonnx.custom_op.general", 2)])
    path = tmp_path / "q.onnx"
    onnx.save(model, str(path))
    with pytest.raises(FinnError) as info:
        import_onnx(path)
    assert "qonnx.quant 'q0'" in str(info.value)
    assert "bitwidth must be an integer" in str(info.value)
    assert "\n" not in str(info.value)


def test_imported_constants_match_initializers(imported):
    module = imported("tfc_1w1a_ts_clean")
    model = load_model(model_path("tfc_1w1a_ts_clean"))
    for op in module.walk():
        if isinstance(op, q.ConstantOp):
            np.testing.assert_array_equal(op.to_numpy(), model.get_initializer(op.node_name.data))
