"""lower-to-hw with HLS layers: an impl="hls" layer's extern is the Vitis HLS IP's interface.

A hand-written partition mixes RTL layers with HLS ones, among them a ChannelwiseOp, which
only our HLS library implements (`kernels.rtl_plan` refuses it): its extern's ports come
from the stream types (padded TDATA, the wrappers' names and order) and carry the IP's VLNV;
RTL externs are unchanged. The extern of every layer of tfc_2w2a and cnv_1w1a made all-HLS
has exactly the ports `-t hls` generates the top function with (`emit_hls`'s HlsLayer, an
independent derivation) and the VLNV its vitis_hls script exports. The attribute survives a
print -> parse round trip and CIRCT's parser; the stitching itself is the same as for RTL.
"""

from __future__ import annotations

import io

import pytest
from conftest import DATA
from xdsl.dialects import hw
from xdsl.dialects.builtin import StringAttr
from xdsl.parser import Parser
from xdsl.printer import Printer

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.layer_libraries import hls_vlnv
from finn_xdsl.kernels import rtl_plan as legalize
from finn_xdsl.passes.lower_to_hw import LowerToHwPass, hw_only_module

IN, OUT = hw.Direction.INPUT, hw.Direction.OUTPUT
_S8, _U2 = "!dataflow.stream<tensor<1x2x2x4xsi8>, 2>", "!dataflow.stream<tensor<1x2x2x4xui2>, 2>"
_S10 = "!dataflow.stream<tensor<1x2x2x4xsi10>, 2>"
_THR = ('dataflow.thresholding {x} {{node_name = "{name}", impl = "{impl}", pe = 2 : i64, '
        'thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>}} : (' + _S10 + ") -> " + _U2)
# channelwise (HLS only) -> thresholding (RTL) -> thresholding (HLS), 3 different port widths
MIXED = f"""
builtin.module {{
  func.func @main(%x: tensor<1x2x2x4xsi8>) -> tensor<1x2x2x4xui2> {{
    %y = dataflow.partition %x {{node_name = "P0"}} : (tensor<1x2x2x4xsi8>) -> tensor<1x2x2x4xui2> {{
    ^bb0(%0: {_S8}):
      %1 = dataflow.channelwise %0 {{node_name = "ChannelwiseOp_hls_0", impl = "hls", func = "mul", params = dense<[1, -1, 2, 0]> : tensor<4xi64>, pe = 2 : i64}} : ({_S8}) -> {_S10}
      %2, %3 = dataflow.duplicate_streams %1 {{node_name = "DuplicateStreams_hls_0", impl = "hls", pe = 2 : i64}} : ({_S10}) -> ({_S10}, {_S10})
      %4 = {_THR.format(x="%2", name="Thresholding_rtl_0", impl="rtl")}
      %5 = {_THR.format(x="%3", name="Thresholding_hls_0", impl="hls")}
      %6 = dataflow.add_streams %4, %5 {{node_name = "AddStreams_hls_0", impl = "hls", pe = 2 : i64}} : ({_U2}, {_U2}) -> !dataflow.stream<tensor<1x2x2x4xui3>, 2>
      %7 = dataflow.thresholding %6 {{node_name = "Thresholding_rtl_1", impl = "rtl", pe = 2 : i64, thresholds = dense<[[1, 2, 3]]> : tensor<1x3xi64>}} : (!dataflow.stream<tensor<1x2x2x4xui3>, 2>) -> {_U2}
      dataflow.yield %7 : {_U2}
    }}
    func.return %y : tensor<1x2x2x4xui2>
  }}
}}
"""


def _parse(text: str):
    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


def _print(op) -> str:
    s = io.StringIO()
    Printer(stream=s).print_op(op)
    return s.getvalue()


def _externs(module) -> dict[str, hw.HWModuleExternOp]:
    return {op.sym_name.data: op for op in module.ops if isinstance(op, hw.HWModuleExternOp)}


def _ports(op) -> list[tuple[str, hw.Direction, int]]:
    return [(p.port_name.data, p.dir.data, p.type.width.data) for p in op.module_type.ports.data]


def _expect(streams: list[tuple[str, int]]) -> list[tuple[str, hw.Direction, int]]:
    """ap_clk, ap_rst_n, then TDATA/TVALID/TREADY per (port, padded width), in<k>_V are inputs."""
    out = [("ap_clk", IN, 1), ("ap_rst_n", IN, 1)]
    for name, width in streams:
        fwd, back = (IN, OUT) if name.startswith("in") else (OUT, IN)
        out += [(f"{name}_TDATA", fwd, width), (f"{name}_TVALID", fwd, 1), (f"{name}_TREADY", back, 1)]
    return out


def test_mixed_partition():
    module = _parse(MIXED)
    LowerToHwPass().apply(make_context(), module)
    module.verify()
    ext = _externs(module)
    # HLS layers: widths from the stream types (si10 x 2 lanes = 20 -> 24 bits; ui2 x 2 -> 8)
    assert _ports(ext["ChannelwiseOp_hls_0"]) == _expect([("in0_V", 16), ("out0_V", 24)])
    assert _ports(ext["DuplicateStreams_hls_0"]) == _expect([("in0_V", 24), ("out0_V", 24), ("out1_V", 24)])
    assert _ports(ext["Thresholding_hls_0"]) == _expect([("in0_V", 24), ("out0_V", 8)])
    assert _ports(ext["AddStreams_hls_0"]) == _expect([("in0_V", 8), ("in1_V", 8), ("out0_V", 8)])
    for name in ("ChannelwiseOp_hls_0", "DuplicateStreams_hls_0", "Thresholding_hls_0", "AddStreams_hls_0"):
        assert ext[name].attributes["vlnv"] == StringAttr(f"xilinx_finn:hls:{name}:1.0") == StringAttr(hls_vlnv(name))
    # RTL layers: the wrapper plans' ports, no vlnv
    layers = {op.display_name: op for op in module.walk() if isinstance(op, df.DataflowOperation)}
    for name in ("Thresholding_rtl_0", "Thresholding_rtl_1"):
        plan = legalize(layers[name])
        assert _ports(ext[name]) == _expect([(p.name, p.width) for p in plan.ports])
        assert "vlnv" not in ext[name].attributes
    # the RTL and the HLS thresholding of the same stream types have the same interface
    assert _ports(ext["Thresholding_rtl_0"]) == _ports(ext["Thresholding_hls_0"])
    # stitched alike: every instance in layer order, the HLS ones included
    top = next(op for op in module.ops if isinstance(op, hw.HWModuleOp))
    insts = [op.instance_name.data for op in top.body.block.ops if isinstance(op, hw.InstanceOp)]
    assert insts == list(layers)
    # idempotent, and the attribute survives print -> parse
    once = _print(module)
    assert 'vlnv = "xilinx_finn:hls:ChannelwiseOp_hls_0:1.0"' in once
    LowerToHwPass().apply(make_context(), module)
    assert _print(module) == once
    assert _print(_parse(once)) == once


def test_rtl_refusal_only_for_rtl_layers():
    """ChannelwiseOp has no RTL module: unspecialised (impl "", which goes the RTL way like a
    wire) it is refused with -t sv's one-line reason; as impl="hls" it lowers (above)."""
    bad = MIXED.replace('"ChannelwiseOp_hls_0", impl = "hls"', '"ChannelwiseOp_0"')
    with pytest.raises(FinnError, match=r"^lower-to-hw: dataflow.channelwise 'ChannelwiseOp_0': no rtl/ library "
                                        r"module implements ChannelwiseOp$"):
        LowerToHwPass().apply(make_context(), _parse(bad))


@pytest.mark.parametrize("model", ["tfc_2w2a", "cnv_1w1a"])
def test_externs_match_emit_hls(model, tmp_path):
    """Every layer made HLS: the extern's ports are the generated top function's ports (names,
    order, padded widths as HlsLayer gives them) and its vlnv is what the IP is exported as."""
    from finn_xdsl.backends.hls import emit_hls
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ToFoldedPass(target_fps=10000).apply(make_context(), module)
    layers = [layer for p in module.walk() if isinstance(p, df.PartitionOp) for layer in p.layers()]
    for layer in layers:
        layer.impl = StringAttr("hls")
    LowerToHwPass().apply(make_context(), module)
    generated = emit_hls(module, tmp_path)
    assert [g.name for g in generated] == [layer.display_name for layer in layers]
    ext = _externs(module)
    for g in generated:
        assert _ports(ext[g.name]) == _expect([*g.inputs, *g.outputs]), g.name
        assert ext[g.name].attributes["vlnv"] == StringAttr(f"xilinx_finn:hls:{g.name}:1.0")
        assert f"-vendor xilinx_finn -library hls -version 1.0 -ipname {g.name} " in \
            (g.directory / f"hls_syn_{g.name}.tcl").read_text()


def test_circt_parses_the_vlnv_attribute():
    circt = pytest.importorskip("circt")
    from circt import ir

    module = _parse(MIXED)
    LowerToHwPass().apply(make_context(), module)
    ctx = ir.Context()
    circt.register_dialects(ctx)
    with ctx:
        parsed = ir.Module.parse(_print(hw_only_module(module)))
        assert parsed.operation.verify()
        assert 'vlnv = "xilinx_finn:hls:AddStreams_hls_0:1.0"' in str(parsed)
