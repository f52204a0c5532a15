"""
Verifier failures of the dataflow dialect: one case per constraint, each asserting the
message (FINN's wording for folding constraints), plus the partition's structural checks
and the one-line diagnostic finn-opt prints.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from test_dataflow import fails, layer, module_of, s, si, ui
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region
from xdsl.rewriter import Rewriter

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects import qonnx as q
from finn_xdsl.dialects.qonnx_types import bipolar
from finn_xdsl.errors import FinnError
from finn_xdsl.utils.diagnostics import verify_module

W = np.ones((16, 8), np.int64)
T = np.array([[-1, 0, 1]] * 8)


SI2, SI32 = si(2), si(32)


def mvau(x=None, w=W, wt=SI2, out=SI32, **kw) -> df.MVAUOp:
    x = x or s(1, 16, lanes=kw.get("simd", 1))
    return layer(x, lambda v: df.MVAUOp(v, w, wt, out, node_name="MVAU_0", **kw))  # type: ignore[return-value]


def with_out(op: df.DataflowOperation, stream: df.StreamType, index: int = 0):
    """The op with result `index` retyped (to test the inferred-type checks)."""
    Rewriter.replace_value_with_new_type(op.results[index], stream)
    return op


def later(op: df.DataflowOperation, **props):
    """The op with properties changed after building, as a careless pass would.

    Builders derive stream types from the folding, and a stream type whose lanes do not
    divide its channels is rejected when it is made; so the FINN-worded folding messages
    show when the properties and the types disagree.
    """
    op.set_values(**props)
    return op


CASES: dict[str, tuple[Callable[[], df.DataflowOperation], str]] = {
    # common
    "impl": (lambda: mvau(impl="vhdl"), r'impl "vhdl" is not one of "", "hls", "rtl"'),
    "impl_not_offered": (lambda: layer(s(1, 4), lambda x: df.FIFOOp(x, 2, node_name="F", impl="hls")),
                         r'impl "hls" is not one of "", "rtl"'),
    "empty_name": (lambda: layer(s(1, 8), lambda x: df.DWCOp(x, 2, node_name="")), "node_name must not be empty"),
    # mvau
    "mvau_pe": (lambda: later(mvau(pe=2), pe=5), r"MH % PE == 0 violated: MH=8, PE=5"),
    "mvau_simd": (lambda: mvau(x=s(1, 16, lanes=1), simd=3), r"MW % SIMD == 0 violated: MW=16, SIMD=3"),
    "mvau_pe_zero": (lambda: later(mvau(), pe=0), r"PE must be >= 1, got 0"),
    "mvau_simd_lanes": (lambda: mvau(x=s(1, 16, lanes=4), simd=8), r"input lanes must equal SIMD: lanes=4, SIMD=8"),
    "mvau_pe_lanes": (lambda: with_out(mvau(pe=2), s(1, 8, elem=si(32), lanes=4)),
                      r"output lanes must equal PE: lanes=4, PE=2"),
    "mvau_mw": (lambda: mvau(x=s(1, 12)), r"input has 12 channels, weights have MW=16 rows"),
    "mvau_shape": (lambda: with_out(mvau(), s(1, 4, elem=si(32))),
                   r"result shape \[1, 4\] does not match the inferred shape \[1, 8\]"),
    "mvau_weight_range": (lambda: mvau(w=W * 2), "weights are out of range of INT2"),
    "mvau_weight_type": (lambda: mvau(wt=f32), "weight_type must be a quantized type"),
    "mvau_acc_range": (lambda: mvau(out=si(4)), r"accumulator range \[-128, 112\] does not fit the output type si4"),
    "mvau_acc_bipolar": (lambda: mvau(out=bipolar), "an MVAU without thresholds outputs integers"),
    "mvau_xnor_types": (lambda: mvau(binary_xnor=True), "binary_xnor needs a bipolar input and bipolar weights"),
    "mvau_thr_rows": (lambda: mvau(thresholds=T[:3], out=ui(2)), "thresholds have 3 rows, expected 1 or the 8 channels"),
    "mvau_thr_rank": (lambda: mvau(thresholds=T[0], out=ui(2)), r"thresholds must have rank 2"),
    "mvau_thr_sorted": (lambda: mvau(thresholds=T[:, ::-1], out=ui(2)),
                        r"thresholds must be sorted ascending in every row \(row 0 is not\)"),
    "mvau_levels": (lambda: mvau(thresholds=T, out=ui(1)), r"outputs 0 \+ \(0..3\) = \[0, 3\] does not fit the output type ui1"),
    "mvau_levels_act": (lambda: mvau(thresholds=T, out=ui(2), act_val=-1),
                        r"outputs -1 \+ \(0..3\) = \[-1, 2\] does not fit the output type ui2"),
    "mvau_bipolar_steps": (lambda: mvau(thresholds=T, out=bipolar), "a bipolar output takes exactly 1 threshold step, got 3"),
    "mvau_bipolar_act": (lambda: mvau(thresholds=T[:, :1], out=bipolar, act_val=-1), "a bipolar output takes act_val = 0"),
    "mvau_mem_mode": (lambda: mvau(mem_mode="ddr"), r'mem_mode "ddr" is not one of "internal_embedded"'),
    "mvau_ram_style": (lambda: mvau(ram_style="lut"), r'ram_style "lut" is not one of "auto", "block"'),
    # thresholding
    "thr_pe": (lambda: later(layer(s(1, 6, lanes=2), lambda x: df.ThresholdingOp(x, T[:1], ui(2), node_name="T")), pe=4),
               r"C % PE == 0 violated: C=6, PE=4"),
    "thr_rows": (lambda: layer(s(1, 4), lambda x: df.ThresholdingOp(x, T, ui(2), node_name="T")),
                 "thresholds have 8 rows, expected 1 or the 4 channels"),
    "thr_lanes": (lambda: layer(s(1, 4, lanes=2), lambda x: df.ThresholdingOp(x, T[:1], ui(2), node_name="T", pe=4)),
                  r"input lanes must equal PE: lanes=2, PE=4"),
    "thr_ram_style": (lambda: layer(s(1, 4), lambda x: df.ThresholdingOp(x, T[:1], ui(2), node_name="T", ram_style="ultra")),
                      r'ram_style "ultra" is not one of "distributed", "block"'),
    # channelwise
    "cw_func": (lambda: layer(s(1, 4), lambda x: df.ChannelwiseOp(x, "sub", np.array([1]), si(5), node_name="C")),
                r'func "sub" is not one of "cmp_le", "cmp_ge", "add", "mul"'),
    "cw_params": (lambda: layer(s(1, 4), lambda x: df.ChannelwiseOp(x, "add", np.array([1, 2]), si(5), node_name="C")),
                  r"params must have shape \(4,\) or \(1,\), got \[2\]"),
    "cw_range": (lambda: layer(s(1, 4), lambda x: df.ChannelwiseOp(x, "mul", np.array([3]), si(5), node_name="C")),
                 r"mul outputs \[-24, 21\] does not fit the output type si5"),
    "cw_cmp": (lambda: layer(s(1, 4), lambda x: df.ChannelwiseOp(x, "cmp_le", np.array([3]), bipolar, node_name="C")),
               r"cmp_le outputs \[0, 1\] does not fit"),
    # swg
    "swg_simd": (lambda: later(layer(s(1, 5, 5, 6, lanes=2), lambda x: df.SWGOp(x, (3, 3), node_name="S")), simd=4),
                 r"C % SIMD == 0 violated: C=6, SIMD=4"),
    "swg_rank": (lambda: layer(s(2, 5, 5, 6), lambda x: df.SWGOp(x, (3, 3), node_name="S")),
                 r"input must be an NHWC image with batch 1, got shape \[2, 5, 5, 6\]"),
    "swg_kernel": (lambda: later(layer(s(1, 5, 5, 2), lambda x: df.SWGOp(x, (3, 3), node_name="S")), stride=(0, 1)),
                   r"stride must be two integers >= 1, got \[0, 1\]"),
    "swg_fit": (lambda: later(layer(s(1, 5, 5, 2), lambda x: df.SWGOp(x, (3, 3), node_name="S")), dilation=(3, 1)),
                r"the dilated kernel 3x3 does not fit the image 5x5"),
    "swg_dummy": (lambda: later(layer(s(1, 1, 5, 2), lambda x: df.SWGOp(x, (1, 1), node_name="S")), kernel=(3, 1)),
                  r"a dummy spatial dimension of size 1 needs a kernel of 1 there"),
    "swg_parallel": (lambda: layer(s(1, 5, 5, 4, lanes=2), lambda x: df.SWGOp(x, (3, 3), node_name="S", parallel_window=True)),
                     r"parallel_window needs SIMD == C: C=4, SIMD=2"),
    "swg_out_lanes": (lambda: with_out(layer(s(1, 5, 5, 4, lanes=2), lambda x: df.SWGOp(x, (3, 3), node_name="S")),
                                       s(1, 3, 3, 36, lanes=4)), r"output lanes must equal SIMD: lanes=4, SIMD=2"),
    "swg_dtype": (lambda: with_out(layer(s(1, 5, 5, 4), lambda x: df.SWGOp(x, (3, 3), node_name="S")),
                                   s(1, 3, 3, 36, elem=si(8))), r"result element type si8 must equal the input's si4"),
    # fmpadding
    "pad_negative": (lambda: layer(s(1, 4, 4, 2), lambda x: df.FMPaddingOp(x, (1, -1, 1, 1), node_name="P")),
                     r"padding must be 4 integers >= 0"),
    "pad_value": (lambda: layer(s(1, 4, 4, 2, elem=ui(2)), lambda x: df.FMPaddingOp(x, (1, 1, 1, 1), node_name="P", pad_value=-1)),
                  r"pad_value -1 is out of range of ui2"),
    "pad_simd": (lambda: later(layer(s(1, 4, 4, 6, lanes=2), lambda x: df.FMPaddingOp(x, (1, 1, 1, 1), node_name="P")), simd=4),
                 r"C % SIMD == 0 violated: C=6, SIMD=4"),
    # maxpool
    "pool_divides": (lambda: layer(s(1, 5, 4, 2, lanes=2), lambda x: df.StreamingMaxPoolOp(x, (2, 2), node_name="M")),
                     r"IH % kh == 0 violated: IH=5, kh=2 \(set ceil_mode"),
    "pool_2d_pe": (lambda: layer(s(1, 4, 4, 8, lanes=2), lambda x: df.StreamingMaxPoolOp(x, (2, 2), node_name="M")),
                   r"2D StreamingMaxPool streams whole pixels: PE == C violated: C=8, PE=2"),
    "pool_1d_pe": (lambda: later(layer(s(1, 1, 8, 6, lanes=2), lambda x: df.StreamingMaxPoolOp(x, (1, 2), node_name="M")), pe=4),
                   r"C % PE == 0 violated: C=6, PE=4"),
    "pool_kernel": (lambda: layer(s(1, 2, 2, 2, lanes=2), lambda x: df.StreamingMaxPoolOp(x, (3, 3), node_name="M", ceil_mode=True)),
                    r"kernel 3x3 is larger than the image 2x2"),
    # global acc pool
    "gap_range": (lambda: layer(s(1, 4, 4, 2, elem=ui(2)), lambda x: df.GlobalAccPoolOp(x, ui(4), node_name="G")),
                  r"sums of 16 inputs \[0, 48\] does not fit the output type ui4"),
    "gap_pe": (lambda: later(layer(s(1, 4, 4, 6, lanes=2), lambda x: df.GlobalAccPoolOp(x, si(16), node_name="G")), pe=4),
               r"C % PE == 0 violated: C=6, PE=4"),
    # label select
    "ls_pe": (lambda: layer(s(1, 10, lanes=2), lambda x: df.LabelSelectOp(x, 1, ui(4), node_name="L", pe=4)),
              r"Labels % PE == 0 violated: Labels=10, PE=4"),
    "ls_k": (lambda: layer(s(1, 10), lambda x: df.LabelSelectOp(x, 11, ui(4), node_name="L")),
             r"k must be in \[1, Labels\]: k=11, Labels=10"),
    "ls_signed": (lambda: layer(s(1, 10), lambda x: df.LabelSelectOp(x, 1, si(8), node_name="L")),
                  "output element type must be unsigned, got si8"),
    "ls_width": (lambda: layer(s(1, 10), lambda x: df.LabelSelectOp(x, 1, ui(3), node_name="L")),
                 r"indices \[0, 9\] does not fit the output type ui3"),
    "ls_lanes": (lambda: with_out(layer(s(1, 10), lambda x: df.LabelSelectOp(x, 2, ui(4), node_name="L")),
                                  s(1, 2, elem=ui(4), lanes=2)), r"output lanes must be 1 \(one index per beat\), got 2"),
    # streams
    "add_types": (lambda: layer([s(1, 8), s(1, 8, elem=si(3))], lambda a, b: df.AddStreamsOp(a, b, si(5), node_name="A")),
                  "both inputs must have the same type"),
    "add_range": (lambda: layer([s(1, 8)] * 2, lambda a, b: df.AddStreamsOp(a, b, si(4), node_name="A")),
                  r"sums \[-16, 14\] does not fit the output type si4"),
    "dup_count": (lambda: layer(s(1, 8), lambda x: df.DuplicateStreamsOp(x, 1, node_name="D")),
                  "needs at least 2 outputs, got 1"),
    "dup_type": (lambda: with_out(layer(s(1, 8), lambda x: df.DuplicateStreamsOp(x, 2, node_name="D")), s(1, 8, lanes=2), 1),
                 r"output 1 has type .* expected the input's"),
    "dwc_tensor": (lambda: with_out(layer(s(1, 8), lambda x: df.DWCOp(x, 2, node_name="D")), s(1, 8, elem=si(3), lanes=2)),
                   "input and output must carry the same tensor"),
    "fifo_depth": (lambda: layer(s(1, 8), lambda x: df.FIFOOp(x, 1, node_name="F")), r"depth must be >= 2, got 1"),
    "fifo_style": (lambda: layer(s(1, 8), lambda x: df.FIFOOp(x, 2, node_name="F", impl_style="bram")),
                   r'impl_style "bram" is not one of "rtl", "vivado"'),
    "fifo_impl": (lambda: layer(s(1, 8), lambda x: df.FIFOOp(x, 2, node_name="F", impl="hls")),
                  r'impl "hls" is not one of "", "rtl"'),
    "fifo_type": (lambda: with_out(layer(s(1, 8), lambda x: df.FIFOOp(x, 2, node_name="F")), s(1, 8, lanes=2)),
                  r"output type .* must equal the input's"),
}


@pytest.mark.parametrize("name", CASES)
def test_verifier_rejects(name: str):
    make, match = CASES[name]
    fails(make(), match)


def test_one_line_diagnostic():
    op = later(mvau(), pe=5)
    with pytest.raises(FinnError) as info:
        verify_module(module_of(op), "m.mlir")
    assert str(info.value) == "m.mlir: dataflow.mvau 'MVAU_0': MH % PE == 0 violated: MH=8, PE=5"


# ----------------------------------------------------------------------------- partition


def _partition(arg_types, result_types, fill) -> df.PartitionOp:
    """A hand-made partition in @main: `fill(block)` adds the body's ops."""
    outer = Block(arg_types=[t.tensor if isinstance(t, df.StreamType) else t for t in arg_types])
    body = Block(arg_types=arg_types)
    fill(body)
    part = df.PartitionOp(outer.args, result_types, "StreamingDataflowPartition_0", Region(body))
    outer.add_op(part)
    outer.add_op(func.ReturnOp(*part.results))
    ModuleOp([func.FuncOp("main", (list(outer.arg_types), list(result_types)), Region(outer))])
    return part


def test_partition_valid():
    part = _partition([s(1, 8)], [TensorType(si(4), (1, 8))], lambda b: b.add_op(df.YieldOp(b.args[0])))
    module_of(part).verify()


def test_partition_float_input():
    outer = Block(arg_types=[TensorType(f32, (1, 8))])
    part = df.PartitionOp(outer.args, [], "P", Region(Block(arg_types=[s(1, 8)])))
    part.block.add_op(df.YieldOp())
    outer.add_op(part)
    outer.add_op(func.ReturnOp())
    ModuleOp([func.FuncOp("main", (list(outer.arg_types), []), Region(outer))])
    fails(part, r"input 0 must have a quantized element type, got tensor<1x8xf32>")


def test_partition_argument_type():
    part = _partition([s(1, 8)], [], lambda b: b.add_op(df.YieldOp()))
    Rewriter.replace_value_with_new_type(part.block.args[0], s(1, 8, elem=si(3)))
    fails(part, r"body argument 0 must be a !dataflow.stream of tensor<1x8xsi4>")


def test_partition_argument_count():
    part = _partition([s(1, 8)], [], lambda b: b.add_op(df.YieldOp()))
    part.block.insert_arg(s(1, 8), 1)
    fails(part, r"the body has 2 arguments for 1 inputs")


def test_partition_foreign_op():
    def fill(b):
        b.add_op(q.ConstantOp.from_numpy(np.zeros(2, np.float32)))
        b.add_op(df.YieldOp())

    fails(_partition([s(1, 8)], [], fill), "only dataflow layers may appear in a partition, found qonnx.constant")


def test_partition_yield_count():
    part = _partition([s(1, 8)], [TensorType(si(4), (1, 8))], lambda b: b.add_op(df.YieldOp()))
    fails(part, r"the body yields 0 streams for 1 results")


def test_partition_result_type():
    part = _partition([s(1, 8)], [TensorType(si(5), (1, 8))], lambda b: b.add_op(df.YieldOp(b.args[0])))
    fails(part, r"result 0 has type tensor<1x8xsi5>, the body yields a stream of tensor<1x8xsi4>")


def test_partition_needs_yield():
    part = _partition([s(1, 8)], [], lambda b: b.add_op(df.DWCOp(b.args[0], 2, node_name="D")))
    fails(part, "the body must end with dataflow.yield")


def test_yield_outside_partition():
    block = Block(arg_types=[s(1, 8)])
    y = df.YieldOp(block.args[0])
    block.add_op(y)
    ModuleOp([func.FuncOp("main", ([s(1, 8)], []), Region(block))])
    with pytest.raises(Exception, match="dataflow.partition"):
        y.verify()


def test_partition_unique_layer_names():
    def fill(b):
        f0 = df.FIFOOp(b.args[0], 2, node_name="StreamingFIFO_0")
        f1 = df.FIFOOp(f0, 2, node_name="StreamingFIFO_0")
        for op in (f0, f1, df.YieldOp()):
            b.add_op(op)

    fails(_partition([s(1, 8)], [], fill), "two layers are named 'StreamingFIFO_0'")
