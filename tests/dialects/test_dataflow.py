"""
The dataflow dialect: the stream type, every layer built with its Python builder inside a
partition, verified, printed and parsed back (custom and generic form), and what the ops
promise beyond verification (Python property access, FINN op types, cycle formulas).
Verifier failures are in test_dataflow_verify.py; the helpers here are shared with it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness, TensorType
from xdsl.ir import Block, Operation, Region
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.qonnx_types import bipolar
from finn_xdsl.frontend.load import make_context


def si(width: int) -> IntegerType:
    return IntegerType(width, Signedness.SIGNED)


def ui(width: int) -> IntegerType:
    return IntegerType(width, Signedness.UNSIGNED)


def s(*shape: int, elem=None, lanes: int = 1) -> df.StreamType:
    """!dataflow.stream<tensor<shape x elem>, lanes> (elem defaults to si4)."""
    return df.StreamType.of(shape, si(4) if elem is None else elem, lanes)


def partition_of(inputs: Sequence[df.StreamType], body: Callable) -> df.PartitionOp:
    """`func.func @main` whose tensor arguments feed a partition built by `body(*streams)`."""
    block = Block(arg_types=[t.tensor for t in inputs])
    part = df.PartitionOp.wrap(block.args, "StreamingDataflowPartition_0", body,
                               [t.num_lanes for t in inputs])
    block.add_op(part)
    block.add_op(func.ReturnOp(*part.results))
    fn = func.FuncOp("main", (list(block.arg_types), list(part.result_types)), Region(block))
    ModuleOp([fn])
    return part


def layer(inputs: df.StreamType | Sequence[df.StreamType], make: Callable[..., Operation]) -> df.DataflowOperation:
    """One layer `make(*streams)` in a partition; returns the layer."""
    inputs = [inputs] if isinstance(inputs, df.StreamType) else list(inputs)
    made: list[Operation] = []

    def body(*args):
        made.append(make(*args))
        return made[0].results

    partition_of(inputs, body)
    return made[0]  # type: ignore[return-value]


def module_of(op: Operation) -> ModuleOp:
    top = op
    while top.parent_op() is not None:
        top = top.parent_op()
    assert isinstance(top, ModuleOp)
    return top


def fails(op: Operation, match: str) -> None:
    """The op's own verifier rejects it with a message matching `match` (re.search)."""
    with pytest.raises(VerifyException, match=match):
        op.verify_()
    with pytest.raises(VerifyException):
        module_of(op).verify()


def to_text(op: Operation, generic: bool = False) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue()


def parse(text: str) -> ModuleOp:
    return Parser(make_context(), text, "test").parse_module()


RNG = np.random.default_rng(0)
W_SI2 = RNG.integers(-2, 2, (16, 8))
W_BIG = RNG.integers(-8, 8, (64, 32))  # 2048 values: prints as hex
W_BIP = RNG.choice([-1, 1], (32, 4))
T_4x3 = np.sort(RNG.integers(-10, 10, (8, 3)), axis=1)

CASES: dict[str, Callable[[], df.DataflowOperation]] = {
    "mvau_noact": lambda: layer(s(1, 16, lanes=4), lambda x: df.MVAUOp(
        x, W_SI2, si(2), si(32), node_name="MVAU_0", pe=2)),
    "mvau_thresholds": lambda: layer(s(1, 4, 4, 16, elem=ui(2), lanes=16), lambda x: df.MVAUOp(
        x, W_SI2, si(2), ui(2), node_name="MVAU_1", thresholds=T_4x3, pe=8, mem_mode="internal_embedded",
        ram_style="block", impl="rtl")),
    "mvau_act_val": lambda: layer(s(1, 16, lanes=1), lambda x: df.MVAUOp(
        x, W_SI2, si(2), si(2), node_name="MVAU_2", thresholds=T_4x3[:1], act_val=-2)),
    "mvau_big_hex": lambda: layer(s(1, 64, lanes=8), lambda x: df.MVAUOp(
        x, W_BIG, si(4), si(32), node_name="MVAU_3", pe=4, simd=8, impl="hls")),
    "mvau_xnor": lambda: layer(s(1, 32, elem=bipolar, lanes=32), lambda x: df.MVAUOp(
        x, W_BIP, bipolar, bipolar, node_name="MVAU_4", thresholds=np.array([[16], [15], [17], [0]]),
        binary_xnor=True, pe=4)),
    "mvau_xnor_raw": lambda: layer(s(1, 32, elem=bipolar, lanes=32), lambda x: df.MVAUOp(
        x, W_BIP, bipolar, ui(6), node_name="MVAU_5", binary_xnor=True)),
    "thresholding": lambda: layer(s(1, 2, 2, 8, elem=si(8), lanes=4), lambda x: df.ThresholdingOp(
        x, T_4x3, si(3), node_name="Thresholding_0", act_val=-4)),
    "thresholding_bipolar": lambda: layer(s(1, 8, elem=si(8)), lambda x: df.ThresholdingOp(
        x, np.zeros((1, 1), np.int64), bipolar, node_name="Thresholding_1", ram_style="block", impl="hls")),
    "channelwise_add": lambda: layer(s(1, 2, 2, 4, lanes=2), lambda x: df.ChannelwiseOp(
        x, "add", np.array([1, -2, 3, 0]), si(5), node_name="ChannelwiseOp_0")),
    "channelwise_cmp": lambda: layer(s(1, 4), lambda x: df.ChannelwiseOp(
        x, "cmp_ge", np.array([0]), ui(1), node_name="ChannelwiseOp_1", impl="hls")),
    "swg": lambda: layer(s(1, 6, 6, 4, lanes=2), lambda x: df.SWGOp(
        x, (3, 3), node_name="ConvolutionInputGenerator_0", stride=(2, 2))),
    "swg_dilated_1d": lambda: layer(s(1, 1, 12, 2), lambda x: df.SWGOp(
        x, (1, 3), node_name="ConvolutionInputGenerator_1", dilation=(1, 2), depthwise=True, impl="rtl")),
    "swg_parallel": lambda: layer(s(1, 5, 5, 4, lanes=4), lambda x: df.SWGOp(
        x, (2, 2), node_name="ConvolutionInputGenerator_2", parallel_window=True, ram_style="block")),
    "fmpadding": lambda: layer(s(1, 4, 5, 6, lanes=3), lambda x: df.FMPaddingOp(
        x, (1, 2, 0, 1), node_name="FMPadding_0", pad_value=-1)),
    "maxpool_2d": lambda: layer(s(1, 4, 6, 8, lanes=8), lambda x: df.StreamingMaxPoolOp(
        x, (2, 2), node_name="StreamingMaxPool_0")),
    "maxpool_ceil": lambda: layer(s(1, 5, 5, 2, lanes=2), lambda x: df.StreamingMaxPoolOp(
        x, (2, 2), node_name="StreamingMaxPool_1", ceil_mode=True)),
    "maxpool_1d": lambda: layer(s(1, 1, 8, 6, lanes=3), lambda x: df.StreamingMaxPoolOp(
        x, (1, 4), node_name="StreamingMaxPool_2", impl="hls")),
    "global_acc_pool": lambda: layer(s(1, 3, 3, 4, elem=ui(2), lanes=2), lambda x: df.GlobalAccPoolOp(
        x, ui(5), node_name="GlobalAccPool_0")),
    "label_select": lambda: layer(s(1, 10, elem=si(8), lanes=5), lambda x: df.LabelSelectOp(
        x, 3, ui(8), node_name="LabelSelect_0")),
    "add_streams": lambda: layer([s(1, 4, 4, 8, lanes=2)] * 2, lambda a, b: df.AddStreamsOp(
        a, b, si(5), node_name="AddStreams_0")),
    "duplicate_streams": lambda: layer(s(1, 8, lanes=4), lambda x: df.DuplicateStreamsOp(
        x, 3, node_name="DuplicateStreams_0")),
    "dwc": lambda: layer(s(1, 2, 2, 12, lanes=4), lambda x: df.DWCOp(
        x, 6, node_name="StreamingDataWidthConverter_0", impl="hls")),
    "fifo": lambda: layer(s(1, 12, lanes=4), lambda x: df.FIFOOp(
        x, 32, node_name="StreamingFIFO_0", impl_style="vivado", ram_style="distributed", impl="rtl")),
}


@pytest.mark.parametrize("name", CASES)
def test_builds_and_verifies(name: str):
    op = CASES[name]()
    module_of(op).verify()


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("generic", [False, True])
def test_round_trip(name: str, generic: bool):
    module = module_of(CASES[name]())
    text = to_text(module, generic)
    parsed = parse(text)
    parsed.verify()
    assert to_text(parsed, generic) == text
    # and across forms: generic -> custom gives the custom text
    assert to_text(parse(to_text(module, True))) == to_text(module)


def test_large_weights_print_as_hex():
    text = to_text(module_of(CASES["mvau_big_hex"]()))
    assert 'weights = dense<"0x' in text
    parsed = parse(text)
    mvau = next(op for op in parsed.walk() if isinstance(op, df.MVAUOp))
    np.testing.assert_array_equal(mvau.weight_values(), W_BIG)


# ----------------------------------------------------------------------------- stream type


def test_stream_type_geometry():
    t = s(1, 28, 28, 64, elem=si(2), lanes=8)
    assert t.folded_shape() == (1, 28, 28, 8, 8)
    assert t.beats() == 28 * 28 * 8
    assert t.vectors() == 28 * 28
    assert (t.width_bits, t.padded_width_bits) == (16, 16)
    b = s(1, 10, elem=bipolar, lanes=5)
    assert (b.element_bits, b.width_bits, b.padded_width_bits) == (1, 5, 8)
    assert s(1, 6, elem=ui(3), lanes=3).padded_width_bits == 16
    assert t.with_lanes(64).folded_shape() == (1, 28, 28, 1, 64)
    assert t.with_element_type(ui(4)).element_type == ui(4)


def test_stream_type_syntax():
    t = s(1, 4, 4, 6, elem=bipolar, lanes=3)
    assert str(t) == "!dataflow.stream<tensor<1x4x4x6x!qonnx.bipolar>, 3>"
    module = parse(f"func.func @f(%a: {t}) {{\n  func.return\n}}")
    fn = next(iter(module.ops))
    assert isinstance(fn, func.FuncOp) and fn.function_type.inputs.data[0] == t


@pytest.mark.parametrize("shape, elem, lanes, match", [
    ((1, 6), si(4), 4, r"lanes must divide the last dimension: 6 % 4 != 0"),
    ((1, 6), si(4), 0, r"lanes must be >= 1, got 0"),
    ((1, 6), IntegerType(32), 1, r"stream elements must be quantized integers"),
    ((), si(4), 1, r"rank >= 1"),
    ((-1, 6), si(4), 1, r"static shape"),
])
def test_stream_type_verifier(shape, elem, lanes, match):
    with pytest.raises(VerifyException, match=match):
        df.StreamType(TensorType(elem, shape), lanes)


def test_stream_type_parse_error():
    with pytest.raises(Exception, match="expected a ranked tensor type"):
        parse("func.func @f(%a: !dataflow.stream<i32, 1>) {\n  func.return\n}")


# ----------------------------------------------------------------------------- Python API


def test_property_access():
    op = CASES["mvau_thresholds"]()
    assert isinstance(op, df.MVAUOp)
    assert (op.value_of("pe"), op.value_of("simd"), op.mw, op.mh) == (8, 16, 16, 8)
    assert op.value_of("mem_mode") == "internal_embedded"
    assert op.value_of("binary_xnor") is False
    np.testing.assert_array_equal(op.threshold_values(), T_4x3)
    np.testing.assert_array_equal(op.weight_values(), W_SI2)
    op.set_values(pe=4, ram_style="distributed", binary_xnor=False)
    assert op.pe.value.data == 4 and op.ram_style.data == "distributed"
    swg = CASES["swg"]()
    assert swg.value_of("kernel") == (3, 3) and swg.value_of("dilation") == (1, 1)


def test_finn_names():
    assert CASES["mvau_noact"]().finn_op_type() == "MVAU"
    assert CASES["mvau_thresholds"]().finn_op_type() == "MVAU_rtl"
    assert CASES["fifo"]().finn_op_type() == "StreamingFIFO_rtl"
    assert df.BY_FINN_OP["ConvolutionInputGenerator"] is df.SWGOp
    assert set(df.BY_FINN_OP) == {op.FINN_OP for op in df.LAYERS}


def test_partition_api():
    op = CASES["add_streams"]()
    part = op.parent_op()
    assert isinstance(part, df.PartitionOp)
    assert part.layers() == [op]
    assert part.display_name == "StreamingDataflowPartition_0"
    assert [a.type for a in part.block.args] == [s(1, 4, 4, 8, lanes=2)] * 2
    assert part.outputs[0].type == TensorType(si(5), (1, 4, 4, 8))


def test_partition_constructor_makes_stream_arguments():
    block = Block(arg_types=[TensorType(si(4), (1, 8))])
    part = df.PartitionOp(block.args, [TensorType(si(4), (1, 8))], "P", lanes=[4])
    assert [a.type for a in part.block.args] == [s(1, 8, lanes=4)]
    part.block.add_op(df.YieldOp(part.block.args[0]))
    part.verify_()


# ----------------------------------------------------------------------------- cycles


@pytest.mark.parametrize("name, cycles", [
    ("mvau_noact", (8 // 2) * (16 // 4) * 1),
    ("mvau_thresholds", (8 // 8) * (16 // 16) * 16),
    ("mvau_big_hex", (32 // 4) * (64 // 8)),
    ("thresholding", 4 * 8 // 4),
    ("channelwise_add", 4 * 4 // 2),
    # HLS 2D: IW*kh*dh*CF + OH*max(OW*kw*kh*CF, sw*IW*CF), CF = 2
    ("swg", 6 * 3 * 1 * 2 + 2 * max(2 * 3 * 3 * 2, 2 * 6 * 2)),
    # RTL 1D depthwise default: OW*kw*CF + CF(kw-1)(sw-1) - (kw-1) + 2
    ("swg_dilated_1d", 8 * 3 * 2 + 2 * 2 * 0 - 2 + 2),
    ("fmpadding", (6 // 3) * 5 * 8),
    ("maxpool_2d", int(6 * 6 * (1 + 1 / 4))),
    ("maxpool_1d", 2 * (6 // 3) * (4 + 1)),
    ("global_acc_pool", 9 * 2 + 2),
    ("label_select", 10 // 5),
    ("add_streams", 16 * 8 // 2),
    ("duplicate_streams", 8 // 4),
    ("dwc", 0),
    ("fifo", 0),
])
def test_cycles(name: str, cycles: int):
    assert CASES[name]().cycles() == cycles


def test_swg_cycles_variants():
    def swg(shape, kernel, **kw):
        return layer(s(*shape, lanes=kw.pop("lanes", 1)), lambda x: df.SWGOp(x, kernel, node_name="C", **kw))

    # HLS 1D (non-depthwise): 1 + OW*kw*CF
    assert swg((1, 1, 10, 4), (1, 3)).cycles() == 1 + 8 * 3 * 4
    # HLS 1D parallel: kw + OW
    assert swg((1, 1, 10, 4), (1, 3), lanes=4, parallel_window=True).cycles() == 3 + 8
    # HLS 1D depthwise: 1 + OW*kw*CF + CF*(kw-1) - (kw-1)
    assert swg((1, 1, 10, 4), (1, 3), depthwise=True).cycles() == 1 + 8 * 3 * 4 + 4 * 2 - 2
    # HLS 1D depthwise naive (dilation): IW*CF + OW*kw*CF
    assert swg((1, 1, 10, 4), (1, 3), depthwise=True, dilation=(1, 2)).cycles() == 10 * 4 + 6 * 3 * 4
    # a column image is normalised to a row
    assert swg((1, 10, 1, 4), (3, 1)).cycles() == 1 + 8 * 3 * 4
    # RTL parallel: IH*IW*CF + 2; RTL 2D default: buf_min + OH*max(...)
    assert swg((1, 4, 4, 2), (1, 1), impl="rtl").cycles() == 4 * 4 * 2 + 2
    cf = 2
    buf_min = ((3 - 1) * 1 * 6 + (3 - 1) * 1 + 1) * cf
    assert swg((1, 6, 6, 2), (3, 3), impl="rtl").cycles() == buf_min + 4 * max(4 * 9 * cf, 1 * 6 * cf)
    dw = swg((1, 6, 6, 2), (3, 3), impl="rtl", depthwise=True, stride=(2, 2))
    m = max(2 * 9 * cf, 2 * 6 * cf) + 2 * 1 * (cf - 1)
    assert dw.cycles() == buf_min + 2 * m + 1 * 6 * cf


def test_fifo_adjusted_depth():
    op = CASES["fifo"]()
    assert op.adjusted_depth() == 32
    op.set_values(depth=33)
    assert op.adjusted_depth() == 64
    op.set_values(impl_style="rtl")
    assert op.adjusted_depth() == 33
