"""Element types of the qonnx dialect and their QONNX DataType names."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects.builtin import (
    Float16Type,
    Float64Type,
    IntegerType,
    f16,
    f32,
    f64,
    i1,
    i32,
    i64,
)

from finn_xdsl.dialects import qonnx_types as qt
from finn_xdsl.dialects.qonnx_types import BipolarType, TernaryType, bipolar, ternary

from qonnx_helpers import parse, si, t, to_text, ui

INT_NAMES = [f"INT{w}" for w in (2, 3, 4, 5, 6, 7, 8, 16, 24, 32)]
# UINT1 is the same type as BINARY and prints as BINARY (test_uint1_is_binary)
UINT_NAMES = [f"UINT{w}" for w in range(2, 9)]


@pytest.mark.parametrize("name", [*INT_NAMES, *UINT_NAMES, "BINARY", "BIPOLAR", "TERNARY", "FLOAT32"])
def test_dtype_name_round_trip(name):
    assert qt.dtype_name(qt.type_from_dtype_name(name)) == name


@pytest.mark.parametrize(
    ("name", "type"),
    [
        ("INT2", si(2)),
        ("INT32", si(32)),
        ("UINT8", ui(8)),
        ("BINARY", ui(1)),
        ("BIPOLAR", bipolar),
        ("TERNARY", ternary),
        ("FLOAT32", f32),
        ("FLOAT16", f16),
        ("FLOAT64", f64),
    ],
)
def test_type_from_dtype_name(name, type):
    assert qt.type_from_dtype_name(name) == type


def test_uint1_is_binary():
    """UINT1 and BINARY are one type; its canonical name is BINARY, as in QONNX."""
    assert qt.type_from_dtype_name("UINT1") == qt.type_from_dtype_name("BINARY")
    assert qt.dtype_name(ui(1)) == "BINARY"


@pytest.mark.parametrize(
    "name", ["INT0", "UINT0", "INT1", "INT65", "UINT100", "FOO", "", "INT", "UINT", "INT-4", "int4", "INT4 ", "INT²", "FLOAT8"]
)
def test_bad_dtype_names(name):
    with pytest.raises(ValueError, match="unsupported QONNX data type"):
        qt.type_from_dtype_name(name)


@pytest.mark.parametrize("type", [i32, i64, i1, IntegerType(8)])
def test_signless_integers_have_no_dtype_name(type):
    """Signless integers are ONNX index tensors, not QONNX data types."""
    with pytest.raises(ValueError, match="no QONNX data type name"):
        qt.dtype_name(type)


@pytest.mark.parametrize(
    ("type", "expected"),
    [
        (si(2), True), (ui(1), True), (si(32), True), (bipolar, True), (ternary, True),
        (f32, False), (f16, False), (i64, False), (i1, False),
    ],
)
def test_is_quantized(type, expected):
    assert qt.is_quantized(type) is expected


@pytest.mark.parametrize(
    ("type", "lo", "hi", "count"),
    [
        (si(2), -2, 1, 4),
        (si(8), -128, 127, 256),
        (si(32), -(2**31), 2**31 - 1, 2**32),
        (ui(1), 0, 1, 2),
        (ui(4), 0, 15, 16),
        (ui(8), 0, 255, 256),
        (bipolar, -1, 1, 2),
        (ternary, -1, 1, 3),
    ],
)
def test_value_range_and_count(type, lo, hi, count):
    assert qt.value_range(type) == (lo, hi)
    assert qt.value_count(type) == count


@pytest.mark.parametrize("type", [f32, f64])
def test_value_range_rejects_floats(type):
    with pytest.raises(ValueError, match="not a quantized type"):
        qt.value_range(type)


@pytest.mark.parametrize(
    ("type", "values", "expected"),
    [
        (si(2), [-2, -1, 0, 1], True),
        (si(2), [2], False),
        (si(2), [-3], False),
        (si(2), [0.5], False),
        (si(2), [np.nan], False),
        (si(2), [np.inf], False),
        (ui(2), [0, 3], True),
        (ui(2), [-1], False),
        (ui(1), [0, 1], True),
        (bipolar, [-1, 1, 1], True),
        (bipolar, [0], False),
        (bipolar, [-1, 0.5], False),
        (ternary, [-1, 0, 1], True),
        (ternary, [2], False),
        (ternary, [0.5], False),
        (f32, [0.123, 1e30], True),
        (si(4), [], True),
        (bipolar, [], True),
    ],
)
def test_contains(type, values, expected):
    assert qt.contains(type, np.array(values, dtype=np.float32)) is expected


def test_contains_any_shape():
    values = np.array([[-1, 1], [1, -1]], dtype=np.float32)
    assert qt.contains(bipolar, values)
    assert not qt.contains(ui(1), values)


@pytest.mark.parametrize(
    ("type", "dtype"),
    [
        (f32, np.float32), (f16, np.float16), (f64, np.float64),
        (i64, np.int64), (i32, np.int32), (IntegerType(8), np.int8),
        # quantized values live in float32 containers, as in QONNX
        (si(4), np.float32), (si(32), np.float32), (ui(8), np.float32), (ui(1), np.float32),
        (bipolar, np.float32), (ternary, np.float32),
    ],
)
def test_storage_dtype(type, dtype):
    assert qt.storage_dtype(type) == np.dtype(dtype)


@pytest.mark.parametrize(
    ("type", "dtype"),
    [
        (f32, np.float32), (f16, np.float16), (f64, np.float64),
        (IntegerType(8), np.int8), (i32, np.int32), (i64, np.int64),
        (si(8), np.int8), (si(16), np.int16), (ui(8), np.uint8), (ui(64), np.uint64),
    ],
)
def test_numpy_dtype(type, dtype):
    assert qt.numpy_dtype(type) == np.dtype(dtype)


@pytest.mark.parametrize("type", [si(2), ui(1), i1, IntegerType(24), bipolar, ternary])
def test_numpy_dtype_rejects_non_storage_types(type):
    with pytest.raises(ValueError, match="not a storage type"):
        qt.numpy_dtype(type)


@pytest.mark.parametrize(
    ("dtype", "type"),
    [
        (np.float32, f32), (np.float16, f16), (np.float64, f64),
        (np.int8, IntegerType(8)), (np.int16, IntegerType(16)), (np.int32, i32), (np.int64, i64),
        (np.uint8, ui(8)), (np.uint16, ui(16)), (np.uint32, ui(32)), (np.uint64, ui(64)),
    ],
)
def test_type_from_numpy(dtype, type):
    assert qt.type_from_numpy(np.dtype(dtype)) == type
    # and back: the storage type has exactly the numpy layout
    assert qt.numpy_dtype(type) == np.dtype(dtype)


@pytest.mark.parametrize("dtype", [np.bool_, np.complex64, np.str_, object])
def test_type_from_numpy_rejects(dtype):
    with pytest.raises(ValueError, match="unsupported tensor element type"):
        qt.type_from_numpy(np.dtype(dtype))


def test_dialect_types_print_and_parse():
    text = "builtin.module attributes {a = tensor<2x!qonnx.bipolar>, b = tensor<3x!qonnx.ternary>} {\n}"
    module = parse(text)
    assert to_text(module) == text
    a, b = module.attributes["a"], module.attributes["b"]
    assert a == t(2, elem=bipolar) and isinstance(a.element_type, BipolarType)
    assert b == t(3, elem=ternary) and isinstance(b.element_type, TernaryType)


def test_float_names_are_float_types():
    assert isinstance(qt.type_from_dtype_name("FLOAT16"), Float16Type)
    assert isinstance(qt.type_from_dtype_name("FLOAT64"), Float64Type)
