"""
QONNX (.onnx) -> `qonnx` IR.

The model goes through qonnx's own ModelWrapper and cleanup (shape inference, constant
folding, unique node names, readable tensor names) and datatype inference, exactly as
FINN starts its flow, so node names and data types agree with what FINN users see. Then
every node becomes one `qonnx` op inside `func.func @main`; initializers become
`qonnx.constant` ops placed before their first use.

Everything that can go wrong with the user's file is checked *before* qonnx sees it,
because qonnx reports bad input with assertion errors and tracebacks. Each problem raises
a one-line `FinnError` naming the file, node and op.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Block, Region, SSAValue

from finn_xdsl.dialects import qonnx as q  # not `qonnx`: that names the qonnx package
from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.errors import FinnError
from finn_xdsl.utils.diagnostics import verify_module

# attribute on func arguments/results that keeps the ONNX graph input/output name
NAME_ATTR = "qonnx.name"

QONNX_DOMAINS = ("qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas")
_QONNX_OPS = {"Quant", "BipolarQuant", "Trunc", "MultiThreshold"}

_ONNX_ELEM_TO_NUMPY = {
    TensorProto.FLOAT: np.float32,
    TensorProto.DOUBLE: np.float64,
    TensorProto.FLOAT16: np.float16,
    TensorProto.INT64: np.int64,
    TensorProto.INT32: np.int32,
    TensorProto.INT16: np.int16,
    TensorProto.INT8: np.int8,
    TensorProto.UINT8: np.uint8,
}


def supported_ops() -> list[str]:
    """ONNX op types the frontend imports, sorted (used in error messages and docs)."""
    return sorted(q.BY_ONNX_OP)


def import_onnx(path: str | os.PathLike[str], data: bytes | None = None) -> ModuleOp:
    """Read a QONNX file (or its bytes, named `path`) and return the verified IR."""
    return import_model(load_model(path, data), str(path))


def load_model(path: str | os.PathLike[str], data: bytes | None = None):
    """Load, check and clean up a QONNX file; returns a qonnx ModelWrapper.

    With `data`, the model is read from those bytes and `path` only names it in errors.
    """
    path = str(path)
    if data is None:
        if not os.path.exists(path):
            raise FinnError(f"{path}: no such file")
        if os.path.isdir(path):
            raise FinnError(f"{path}: is a directory, expected an .onnx file")
    try:
        proto = onnx.load(path) if data is None else onnx.load_from_string(data)
    except Exception as e:  # protobuf raises several unrelated types
        raise FinnError(f"{path}: not an ONNX model ({type(e).__name__}: {e})") from None
    if not proto.HasField("graph") or len(proto.graph.node) == 0:
        raise FinnError(f"{path}: not an ONNX model (no graph nodes); export it with brevitas.export.export_qonnx")
    _check_ops(path, proto.graph.node)
    _check_input_shapes(path, proto)

    try:
        return _cleanup(proto)
    except FinnError:
        raise
    except Exception as e:
        raise FinnError(
            f"{path}: qonnx could not clean up the model ({type(e).__name__}: {e}); "
            "check it with onnx.checker.check_model"
        ) from None


def _cleanup(proto: onnx.ModelProto):
    """qonnx's cleanup_model, except that node names survive.

    Users find their layers by the names their exporter gave them (Netron, Brevitas
    module paths), so we keep them and only make missing or duplicate ones unique.
    Inner tensors get qonnx's readable names (`<node>_out0`, `<node>_param1`), which
    also replaces the random names GiveUniqueParameterTensors invents, so the import
    is deterministic; graph inputs and outputs keep their names.
    """
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.fold_constants import FoldConstants
    from qonnx.transformation.general import (
        GiveReadableTensorNames,
        GiveUniqueParameterTensors,
        RemoveStaticGraphInputs,
        RemoveUnusedTensors,
        SortGraph,
    )
    from qonnx.transformation.infer_datatypes import InferDataTypes
    from qonnx.transformation.infer_shapes import InferShapes
    from qonnx.transformation.quant_constant_folding import FoldTransposeIntoQuantInit

    for node in proto.graph.node:
        if node.op_type in ("Quant", "BipolarQuant", "Trunc"):
            node.domain = "qonnx.custom_op.general"  # as qonnx's cleanup does
    model = ModelWrapper(proto)
    for transformation in (
        InferShapes(),
        GiveUniqueParameterTensors(),
        FoldConstants(exclude_op_types=["Quant", "BipolarQuant", "QuantizeLinear", "DequantizeLinear"]),
        FoldTransposeIntoQuantInit(),
        RemoveUnusedTensors(),
        RemoveStaticGraphInputs(),
        SortGraph(),
    ):
        model = model.transform(transformation)
    _name_nodes(model.graph.node)
    io_names = [t.name for t in (*model.graph.input, *model.graph.output)]
    model = model.transform(GiveReadableTensorNames())
    # graph inputs/outputs keep the names users feed and read (execute_onnx dicts, .npz)
    for old, t in zip(io_names, [*model.graph.input, *model.graph.output]):
        if t.name != old and model.get_tensor_shape(old) is None:
            model.rename_tensor(t.name, old)
    for transformation in (InferShapes(), InferDataTypes()):
        model = model.transform(transformation)
    return model


def _name_nodes(nodes) -> None:
    """Give unnamed and duplicate-named nodes a unique `<OpType>_<k>` name."""
    taken = Counter(n.name for n in nodes if n.name)
    counters: Counter[str] = Counter()
    seen: set[str] = set()
    for node in nodes:
        if node.name and taken[node.name] == 1:
            continue
        if node.name and node.name not in seen:
            seen.add(node.name)  # the first of duplicates keeps its name
            continue
        while True:
            candidate = f"{node.op_type}_{counters[node.op_type]}"
            counters[node.op_type] += 1
            if candidate not in taken:
                break
        taken[candidate] += 1
        node.name = candidate


def _where(node: onnx.NodeProto) -> str:
    return f"node '{node.name or '<unnamed>'}' ({node.op_type})"


def _check_ops(path: str, nodes: Iterable[onnx.NodeProto]) -> None:
    for node in nodes:
        known = node.op_type in q.BY_ONNX_OP
        if known and node.op_type in _QONNX_OPS:
            known = node.domain in QONNX_DOMAINS
        elif known:
            known = node.domain in ("", "ai.onnx")
        if not known:
            domain = f" in domain '{node.domain}'" if node.domain else ""
            raise FinnError(
                f"{path}: {_where(node)}: unsupported operation{domain}; "
                f"supported: {', '.join(supported_ops())}"
            )


def _check_input_shapes(path: str, proto: onnx.ModelProto) -> None:
    initializers = {t.name for t in proto.graph.initializer}
    for inp in proto.graph.input:
        if inp.name in initializers:
            continue
        ttype = inp.type.tensor_type
        dims = [d.dim_param or (d.dim_value if d.HasField("dim_value") else "?") for d in ttype.shape.dim]
        if not ttype.HasField("shape") or any(not isinstance(d, int) or d <= 0 for d in dims):
            raise FinnError(
                f"{path}: graph input '{inp.name}' has a dynamic or unknown shape {dims}; "
                "export with a fixed input shape (e.g. batch size 1) or run "
                "'qonnx-cleanup --override-inpsize'"
            )


class _Importer:
    """Builds the IR for one cleaned-up ModelWrapper."""

    def __init__(self, model, path: str):
        self.model = model
        self.path = path
        self.values: dict[str, SSAValue] = {}
        self.initializers = {t.name: t for t in model.graph.initializer}
        self.block: Block | None = None

    def run(self) -> ModuleOp:
        graph = self.model.graph
        inputs = [i for i in graph.input if i.name not in self.initializers]
        in_types = [self.tensor_type(i.name) for i in inputs]
        self.block = Block(arg_types=in_types)
        for arg, inp in zip(self.block.args, inputs):
            self.bind(inp.name, arg)
        for node in graph.node:
            self.import_node(node)
        outs = []
        for o in graph.output:
            if o.name not in self.values:
                self.values[o.name] = self.constant(o.name)
            outs.append(self.values[o.name])
        self.block.add_op(func.ReturnOp(*outs))
        fn = func.FuncOp(
            "main",
            (in_types, [v.type for v in outs]),
            Region(self.block),
            arg_attrs=_names(i.name for i in inputs),
            res_attrs=_names(o.name for o in graph.output),
        )
        module = ModuleOp([fn])
        verify_module(module, self.path)
        return module

    # -- values and types

    def bind(self, name: str, value: SSAValue) -> None:
        value.name_hint = value_name(name)
        self.values[name] = value

    def tensor_type(self, name: str) -> TensorType:
        shape = self.model.get_tensor_shape(name)
        if shape is None or any((not isinstance(d, int)) or d <= 0 for d in shape):
            raise FinnError(
                f"{self.path}: tensor '{name}' has an unknown or dynamic shape {shape} after "
                "shape inference; give the model static shapes"
            )
        return TensorType(self.element_type(name), shape)

    def element_type(self, name: str) -> Attribute:
        vi = self.model.get_tensor_valueinfo(name)
        elem = vi.type.tensor_type.elem_type if vi is not None else TensorProto.FLOAT
        if elem != TensorProto.FLOAT:
            if elem not in _ONNX_ELEM_TO_NUMPY:
                raise FinnError(
                    f"{self.path}: tensor '{name}' has ONNX element type "
                    f"{TensorProto.DataType.Name(elem)}, which finn-xdsl does not support"
                )
            return qt.type_from_numpy(np.dtype(_ONNX_ELEM_TO_NUMPY[elem]))
        dtype = self.model.get_tensor_datatype(name)
        try:
            return qt.type_from_dtype_name(dtype.name)
        except ValueError:
            raise FinnError(
                f"{self.path}: tensor '{name}' has QONNX data type {dtype.name}, which "
                "finn-xdsl does not support"
            ) from None

    def constant(self, name: str) -> SSAValue:
        if name not in self.initializers:
            raise FinnError(f"{self.path}: tensor '{name}' is used but never defined")
        array = numpy_helper.to_array(self.initializers[name])
        if array.dtype == np.float32 or array.dtype not in [np.dtype(t) for t in _ONNX_ELEM_TO_NUMPY.values()]:
            array = array.astype(np.float32, copy=False)
        elem = None
        annotated = self.element_type(name)
        if qt.is_quantized(annotated) and array.dtype == np.float32 and qt.contains(annotated, array):
            elem = annotated
        op = q.ConstantOp.from_numpy(array, elem, node_name=name)
        self.block.add_op(op)
        self.bind(name, op.output)
        return op.output

    def operand(self, name: str) -> SSAValue | None:
        if name == "":
            return None
        if name not in self.values:
            return self.constant(name)
        return self.values[name]

    # -- nodes

    def import_node(self, node: onnx.NodeProto) -> None:
        where = f"{self.path}: {_where(node)}"
        cls = q.BY_ONNX_OP[node.op_type]
        if cls is q.ConstantOp:
            self.import_constant_node(node, where)
            return
        props = self.properties(node, cls, where)
        operands = self.operands(node, cls, where)
        odef = cls.get_irdl_definition()
        if len(node.output) != len(odef.results) and not (
            node.op_type == "MaxPool" and len(node.output) == 2 and node.output[1] == ""
        ):
            raise FinnError(
                f"{where}: has {len(node.output)} outputs, {cls.name} produces "
                f"{len(odef.results)} (e.g. MaxPool indices are not supported)"
            )
        result_types = [self.tensor_type(o) for o in node.output[: len(odef.results)]]
        if node.name:
            props["node_name"] = StringAttr(node.name)
        op = cls.build(operands=operands, result_types=result_types, properties=props)
        self.block.add_op(op)
        for name, res in zip(node.output, op.results):
            self.bind(name, res)

    def import_constant_node(self, node: onnx.NodeProto, where: str) -> None:
        attrs = {a.name: a for a in node.attribute}
        if set(attrs) != {"value"}:
            raise FinnError(f"{where}: only Constant nodes with a 'value' tensor are supported")
        array = numpy_helper.to_array(attrs["value"].t)
        op = q.ConstantOp.from_numpy(array, node_name=node.name or None)
        self.block.add_op(op)
        self.bind(node.output[0], op.output)

    def qonnx_opset(self, node: onnx.NodeProto) -> int:
        """The version of a QONNX op, chosen as qonnx's execute_onnx chooses it: the
        model's opset_import for the node's domain, else qonnx's preferred opset (1)."""
        from qonnx.util.basic import get_preferred_qonnx_opset

        return self.model.get_opset_imports().get(node.domain, get_preferred_qonnx_opset())

    def operands(self, node: onnx.NodeProto, cls, where: str) -> list:
        names = list(node.input)
        if cls is q.TruncOp:
            # qonnx runs Trunc_v1 (5 inputs) or Trunc_v2 (6 inputs, with out_scale) by the
            # model's opset_import of the node's domain, not by the number of inputs
            version = self.qonnx_opset(node)
            want = 5 if version < 2 else 6
            if len(names) != want:
                raise FinnError(
                    f"{where}: Trunc of qonnx opset {version} (the model's opset_import for "
                    f"'{node.domain}') takes {want} inputs, got {len(names)}; import "
                    f"'{node.domain}' version {2 if len(names) == 6 else 1} for this form"
                )
            if want == 5:  # no out_scale operand
                names.insert(4, "")
        defs = cls.get_irdl_definition().operands
        from xdsl.irdl import OptOperandDef, VarOperandDef

        result: list = []
        for i, (oname, odef) in enumerate(defs):
            # OptOperandDef subclasses VarOperandDef: test it first, an optional operand
            # in the middle (Trunc's out_scale) takes one name, not all the rest
            if isinstance(odef, VarOperandDef) and not isinstance(odef, OptOperandDef):
                result.append([self.operand(n) for n in names[i:] if n])
                names = names[: i + 1]
                break
            name = names[i] if i < len(names) else ""
            if name == "" and not isinstance(odef, OptOperandDef):
                raise FinnError(f"{where}: missing required input '{oname}'")
            result.append(self.operand(name))
        if len(names) > len(defs):
            raise FinnError(f"{where}: has {len(names)} inputs, {cls.name} takes at most {len(defs)}")
        return result

    def properties(self, node: onnx.NodeProto, cls, where: str) -> dict[str, Attribute]:
        values = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type in _QONNX_OPS:
            # qonnx's own defaults for attributes the exporter left out
            from qonnx.custom_op.registry import getCustomOp

            try:
                inst = getCustomOp(node, self.qonnx_opset(node))
            except KeyError as e:  # e.g. an opset_import version qonnx has no op for
                raise FinnError(f"{where}: qonnx has no implementation of it ({e})") from None
            types = inst.get_nodeattr_types()
            for name in cls.ONNX_ATTRS:
                if name not in values and name in types:
                    if types[name][1]:  # qonnx refuses to execute the node without it
                        raise FinnError(f"{where}: required attribute '{name}' is missing")
                    values[name] = inst.get_nodeattr(name)
        props: dict[str, Attribute] = {}
        for name, value in values.items():
            spec = cls.ONNX_ATTRS.get(name)
            if spec is None:
                raise FinnError(f"{where}: attribute '{name}' is not supported")
            try:
                props[spec.prop] = _convert(value, spec.kind)
            except (ValueError, TypeError) as e:
                raise FinnError(f"{where}: attribute '{name}' = {value!r} is invalid ({e})") from None
        return props


def _convert(value, kind: str) -> Attribute:
    if isinstance(value, bytes):
        value = value.decode()
    match kind:
        case "int":
            return IntegerAttr(int(value), i64)
        case "bool":
            return BoolAttr.from_bool(bool(int(value))) if hasattr(BoolAttr, "from_bool") else IntegerAttr.from_bool(bool(int(value)))
        case "float":
            return FloatAttr(float(value), f32)
        case "str":
            if not isinstance(value, str):
                raise TypeError("expected a string")
            return StringAttr(value)
        case "ints":
            return DenseArrayBase.from_list(i64, [int(v) for v in value])
        case "type":
            return qt.type_from_dtype_name(str(value))
    raise AssertionError(f"unknown attribute kind {kind}")


def _names(names: Iterable[str]) -> ArrayAttr[DictionaryAttr]:
    return ArrayAttr([DictionaryAttr({NAME_ATTR: StringAttr(n)}) for n in names])


_INVALID = re.compile(r"[^\w$.-]")


def value_name(tensor: str) -> str:
    """An SSA name hint for an ONNX tensor name (xDSL allows [A-Za-z_$.-][\\w$.-]*)."""
    name = _INVALID.sub("_", tensor.lstrip("/"))
    return name if re.match(r"[A-Za-z_$.-]", name) else f"t{name}"


def import_model(model, path: str = "<model>") -> ModuleOp:
    """Build the `qonnx` IR of a cleaned-up qonnx ModelWrapper."""
    return _Importer(model, path).run()
