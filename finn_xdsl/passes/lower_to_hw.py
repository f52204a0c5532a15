"""
lower-to-hw: the stitched accelerator as CIRCT `hw` IR, next to the dataflow IR it wires up.

    lower-to-hw

The dataflow IR stays: it says what each kernel *is*, and `-t sv` / `-t hls` need it to
write the per-layer wrappers / top functions. This pass only ADDS, at the top level of the
builtin.module, for every `dataflow.partition`:

* one `hw.module.extern @<node_name>` per layer, the interface of the wrapper `-t sv`
  writes for it or of the IP `-t hls` describes: `ap_clk`, `ap_rst_n`, then per input stream k `in<k>_V_TDATA` (in),
  `in<k>_V_TVALID` (in), `in<k>_V_TREADY` (out), then per output stream k `out<k>_V_TDATA`
  (out), `out<k>_V_TVALID` (out), `out<k>_V_TREADY` (in);
* one `hw.module @finn_design` (the partition's node_name when the module has several
  partitions) with ports `ap_clk`, `ap_rst_n`, `s_axis_<i>_tdata/_tvalid` (in) /
  `_tready` (out) per partition input and `m_axis_<j>_tdata/_tvalid` (out) / `_tready`
  (in) per partition output, whose body instantiates every layer in partition order.

A layer's `impl` is the backend that realises it. Every layer's ports are its plan's
(`kernels.plan.stream_ports`: the padded TDATA widths of its stream types), the ports the
wrapper `-t sv` prints and Vitis HLS gives our top functions
(`void L(hls::stream<ap_uint<W>>& in0_V, ...)`, `axis` interfaces, `ap_ctrl_none`), so the
hw IR and the layers cannot disagree. An RTL layer (impl "rtl", or "" for wires) the rtl/
library cannot implement fails here with the one-line reason its plan gives
(`kernels.plan_of`: the plan `legalize-layers` recorded, or decided now). An HLS layer
(impl "hls") is a Vitis HLS IP that `-t hls` describes; its extern carries the IP's VLNV as
the attribute `vlnv = "xilinx_finn:hls:<node_name>:1.0"`, the name `-t hls`'s vitis_hls
script exports it under and `-t tcl` instantiates it by. Top-level TDATA widths use the
same padding rule (`kernels.plan.padded`) on the partition's stream types.

Connectivity is by SSA value, in CIRCT's graph-region style: a consumer's `in<k>_V_TDATA`
operand is its producer's `out<m>_V_TDATA` result, and the producer's `out<m>_V_TREADY`
operand is the consumer's `in<k>_V_TREADY` result — a back-edge, so uses precede
definitions. xDSL 0.74 accepts that: `hw.module` is a single-block region whose verifier
does not check dominance, and the parser resolves forward references, so the IR
round-trips through finn-opt unchanged and no encoding trick (wires, registers) is needed.
CIRCT (the `circt` 1.62 Python bindings) parses xDSL's printing of these ops as is — even
xDSL's extern port spelling `in %port0 ap_clk: i1` — and its export_verilog gives the same
netlist as `-t sv` (tests/passes/test_lower_to_hw.py). `hw_only_module` gives the module
such tools need: the hw ops without the dataflow IR they do not know.

Each stream must have exactly one consumer (a layer or the partition's yield): an AXI
stream is point-to-point, fan-out needs a DuplicateStreams layer. Re-running replaces every
top-level hw op, so the pass is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import hw
from xdsl.dialects.builtin import ArrayAttr, FlatSymbolRefAttr, IntegerType, ModuleOp, StringAttr
from xdsl.ir import Block, BlockArgument, Region, SSAValue
from xdsl.passes import ModulePass

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import plan_of, style_of
from finn_xdsl.kernels.plan import Port, Refusal, padded, stream_ports
from finn_xdsl.layer_libraries import hls_vlnv

TOP_NAME = "finn_design"


def _port(name: str, width: int, direction: hw.Direction) -> hw.ModulePort:
    return hw.ModulePort(StringAttr(name), IntegerType(width), hw.DirectionAttr(direction))


def layer_ports(ports: list[Port]) -> list[hw.ModulePort]:
    """The extern's ports for a wrapper's stream ports, in the wrapper's order."""
    IN, OUT = hw.Direction.INPUT, hw.Direction.OUTPUT
    out = [_port("ap_clk", 1, IN), _port("ap_rst_n", 1, IN)]
    for p in ports:
        fwd, back = (IN, OUT) if p.direction == "in" else (OUT, IN)
        out += [_port(f"{p.name}_TDATA", p.width, fwd), _port(f"{p.name}_TVALID", 1, fwd),
                _port(f"{p.name}_TREADY", 1, back)]
    return out


def _fail(partition: df.PartitionOp, why: str) -> FinnError:
    return FinnError(f"lower-to-hw: dataflow.partition '{partition.display_name}': {why}")


def _check_point_to_point(partition: df.PartitionOp) -> None:
    """Each stream has exactly one consumer, a layer operand or the yield."""
    block = partition.block
    for v in [*block.args, *(r for layer in partition.layers() for r in layer.results)]:
        n = sum(1 for _ in v.uses)
        if n != 1:
            what = f"input {v.index}" if isinstance(v, BlockArgument) else f"an output of '{v.owner.display_name}'"
            hint = " (insert a DuplicateStreams layer for fan-out)" if n > 1 else ""
            raise _fail(partition, f"{what} has {n} consumers; an AXI stream needs exactly one{hint}")


def _top_ports(block: Block, yielded: list[SSAValue]) -> list[hw.ModulePort]:
    """ap_clk, ap_rst_n, then an AXI-Stream slave per partition input and a master per output."""
    IN, OUT = hw.Direction.INPUT, hw.Direction.OUTPUT
    top_ports = [_port("ap_clk", 1, IN), _port("ap_rst_n", 1, IN)]
    for i, arg in enumerate(block.args):
        assert isinstance(arg.type, StreamType)
        top_ports += [_port(f"s_axis_{i}_tdata", padded(arg.type.width_bits), IN),
                      _port(f"s_axis_{i}_tvalid", 1, IN), _port(f"s_axis_{i}_tready", 1, OUT)]
    for j, v in enumerate(yielded):
        assert isinstance(v.type, StreamType)
        top_ports += [_port(f"m_axis_{j}_tdata", padded(v.type.width_bits), OUT),
                      _port(f"m_axis_{j}_tvalid", 1, OUT), _port(f"m_axis_{j}_tready", 1, IN)]
    return top_ports


def _lower_partition(partition: df.PartitionOp, top_name: str) -> list[hw.HWModuleExternOp | hw.HWModuleOp]:
    """The externs of the partition's layers and its top module."""
    layers = partition.layers()
    try:  # an RTL layer the library cannot realise fails here, with its plan's reason
        ports_of = [plan_of(layer).ports if style_of(layer) == "rtl" else stream_ports(layer) for layer in layers]
    except Refusal as e:
        raise FinnError(f"lower-to-hw: {e}") from None
    block = partition.block

    _check_point_to_point(partition)
    IN, OUT = hw.Direction.INPUT, hw.Direction.OUTPUT
    yielded = list(block.last_op.operands) if block.last_op is not None else []
    top_ports = _top_ports(block, yielded)
    body = Block(arg_types=[p.type for p in top_ports if p.dir.data == IN])
    top_in = {p.port_name.data: a for p, a in zip([p for p in top_ports if p.dir.data == IN], body.args, strict=True)}
    for name, arg in top_in.items():
        arg.name_hint = name  # readable IR; the SV printer names nets itself
    clk, rst = top_in["ap_clk"], top_in["ap_rst_n"]

    # the (TDATA, TVALID) source and the TREADY sink of every stream
    source: dict[SSAValue, tuple[SSAValue, SSAValue]] = {}
    sink: dict[SSAValue, SSAValue] = {}
    for i, arg in enumerate(block.args):
        source[arg] = (top_in[f"s_axis_{i}_tdata"], top_in[f"s_axis_{i}_tvalid"])
    for j, v in enumerate(yielded):
        sink[v] = top_in[f"m_axis_{j}_tready"]

    externs: list[hw.HWModuleExternOp | hw.HWModuleOp] = []
    instances: list[tuple[hw.InstanceOp, df.DataflowOperation, list[str]]] = []
    for layer, axis in zip(layers, ports_of, strict=True):
        name = layer.display_name
        ports = layer_ports(axis)
        ext = hw.HWModuleExternOp(StringAttr(name), hw.ModuleType(ArrayAttr(ports)))
        if layer.impl.data == "hls":
            ext.attributes["vlnv"] = StringAttr(hls_vlnv(name))
        externs.append(ext)
        in_names = [p.port_name.data for p in ports if p.dir.data == IN]
        outs = [(p.port_name.data, p.type) for p in ports if p.dir.data == OUT]
        # operands are placeholders until every instance exists (the TREADY back-edges)
        inst = hw.InstanceOp(name, FlatSymbolRefAttr(name), [(n, clk) for n in in_names], outs)
        res = {n: r for (n, _), r in zip(outs, inst.results, strict=True)}
        for n, r in res.items():
            r.name_hint = f"{name}_{n}"
        for k, v in enumerate(layer.operands):
            sink[v] = res[f"in{k}_V_TREADY"]
        for m, r in enumerate(layer.results):
            source[r] = (res[f"out{m}_V_TDATA"], res[f"out{m}_V_TVALID"])
        instances.append((inst, layer, in_names))

    for inst, layer, in_names in instances:
        conn: dict[str, SSAValue] = {"ap_clk": clk, "ap_rst_n": rst}
        for k, v in enumerate(layer.operands):
            conn[f"in{k}_V_TDATA"], conn[f"in{k}_V_TVALID"] = source[v]
        for m, r in enumerate(layer.results):
            conn[f"out{m}_V_TREADY"] = sink[r]
        inst.operands = [conn[n] for n in in_names]
        body.add_op(inst)

    outputs: list[SSAValue] = []
    for i, arg in enumerate(block.args):
        outputs.append(sink[arg])
    for v in yielded:
        outputs += list(source[v])
    body.add_op(hw.OutputOp(outputs))
    # hw.output lists the outputs in port order: s_axis tready, then m_axis tdata/tvalid
    order = [p.port_name.data for p in top_ports if p.dir.data == OUT]
    assert order == [f"s_axis_{i}_tready" for i in range(len(block.args))] + [
        f"m_axis_{j}_{s}" for j in range(len(yielded)) for s in ("tdata", "tvalid")]
    top = hw.HWModuleOp(StringAttr(top_name), hw.ModuleType(ArrayAttr(top_ports)), Region(body))
    return [*externs, top]


def is_hw_op(op) -> bool:
    return isinstance(op, hw.HWModuleOp | hw.HWModuleExternOp)


def hw_only_module(module: ModuleOp) -> ModuleOp:
    """A builtin.module holding clones of `module`'s top-level hw ops only (for CIRCT tools,
    which know nothing of the dataflow dialects)."""
    return ModuleOp([op.clone() for op in module.ops if is_hw_op(op)])


@dataclass(frozen=True)
class LowerToHwPass(ModulePass):
    name = "lower-to-hw"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for old in [o for o in op.ops if is_hw_op(o)]:
            op.body.block.erase_op(old)
        partitions = df.partitions(op)
        new: list[hw.HWModuleExternOp | hw.HWModuleOp] = []
        seen: dict[str, str] = {}
        for p in partitions:
            top = TOP_NAME if len(partitions) == 1 else p.display_name
            for m in _lower_partition(p, top):
                name = m.sym_name.data
                if name in seen:
                    raise _fail(p, f"module name '{name}' is already used in partition '{seen[name]}'"
                                " (layer and partition names must be unique across the design)")
                seen[name] = p.display_name
                new.append(m)
        op.body.block.add_ops(new)
