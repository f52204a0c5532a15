"""
The stitched top level of `-t sv`: each `hw.module` of the IR (from `lower-to-hw`) printed
as a plain SystemVerilog module over the per-layer wrappers.

Two halves, as for the wrappers (the layer plans of `kernels` / `sv.py`): `legalize_top` checks the hw IR
has the one shape this printer handles — a `hw.module` whose body is `hw.instance`s of
modules present in the IR plus `hw.output`, all ports and values `iN` — and names every
net; `print_top` only prints. Anything else is a one-line FinnError, so a hand-edited or
foreign hw IR cannot silently produce wrong Verilog.

Shape of the output (deterministic: IR order throughout):

    module finn_design (
        input  logic        ap_clk,            // top ports, in hw.module port order
        ...
    );
        logic [15:0] MVAU_rtl_0_out0_V_TDATA;  // one net per instance result
        ...
        MVAU_rtl_0 MVAU_rtl_0 (.ap_clk(ap_clk), ...);   // named port connections
        assign m_axis_0_tdata = Reshape_0_out0_V_TDATA; // hw.output onto the top outputs
    endmodule

A net is named `<instance>_<port>`, the name the instance result would have in CIRCT's own
export_verilog (minus its leading underscore), so the two outputs diff readably. A top
input feeding an instance is connected by its port name, without a net.

Instances of HLS layers (externs with a `vlnv`, see lower-to-hw) are printed like any other:
they name the Verilog module Vitis HLS generates for the layer's top function, which has the
same ports. Such a top only elaborates together with that Verilog
(`<hls dir>/<L>/project_<L>/sol1/impl/verilog/`, after hls_synth.sh); a comment line in the
file lists those modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.dialects import hw
from xdsl.dialects.builtin import IntegerType, ModuleOp
from xdsl.ir import SSAValue

from finn_xdsl.errors import FinnError


@dataclass
class TopPlan:
    """Everything `print_top` prints for one hw.module."""

    name: str
    ports: list[tuple[str, str, int]] = field(default_factory=list)  # (name, "in"/"out", width)
    nets: list[tuple[str, int]] = field(default_factory=list)  # (name, width)
    # (instance name, module name, [(port, net or top port)]) in module port order
    instances: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    assigns: list[tuple[str, str]] = field(default_factory=list)  # (top output, source)
    hls: list[str] = field(default_factory=list)  # instantiated modules that are Vitis HLS IP


def _fail(name: str, why: str) -> FinnError:
    return FinnError(f"-t sv: hw.module @{name}: {why}")


def _width(name: str, what: str, t) -> int:
    if not isinstance(t, IntegerType):
        raise _fail(name, f"{what} has type {t}; only iN ports are printed")
    return t.width.data


def top_modules(module: ModuleOp) -> list[hw.HWModuleOp]:
    """The hw.module ops at the top level of `module` (one per partition), in IR order."""
    return [op for op in module.ops if isinstance(op, hw.HWModuleOp)]


def legalize_top(top: hw.HWModuleOp, module: ModuleOp) -> TopPlan:
    """The print plan of one hw.module; FinnError if it is not instances + hw.output."""
    name = top.sym_name.data
    callees = {op.sym_name.data: op for op in module.ops if isinstance(op, hw.HWModuleExternOp | hw.HWModuleOp)}
    plan = TopPlan(name)
    ports = top.module_type.ports.data
    for p in ports:
        d = "in" if p.dir.data == hw.Direction.INPUT else "out"
        if p.dir.data not in (hw.Direction.INPUT, hw.Direction.OUTPUT):
            raise _fail(name, f"port {p.port_name.data} is {p.dir.data.name.lower()}; only in/out are printed")
        plan.ports.append((p.port_name.data, d, _width(name, f"port {p.port_name.data}", p.type)))
    inputs = [p.port_name.data for p in ports if p.dir.data == hw.Direction.INPUT]
    outputs = [p.port_name.data for p in ports if p.dir.data == hw.Direction.OUTPUT]
    names: dict[SSAValue, str] = dict(zip(top.body.block.args, inputs, strict=True))
    taken = set(inputs) | set(outputs)
    body = list(top.body.block.ops)
    # name every result first: connections may refer to later instances (TREADY back-edges)
    for op in body:
        if isinstance(op, hw.OutputOp):
            continue
        if not isinstance(op, hw.InstanceOp):
            raise _fail(name, f"{op.name} in the body; only hw.instance and hw.output are printed")
        inst = op.instance_name.data
        if op.module_name.root_reference.data not in callees:
            raise _fail(name, f"instance '{inst}' of unknown module @{op.module_name.root_reference.data}")
        for port, r in zip(op.result_names.data, op.results, strict=True):
            net = f"{inst}_{port.data}"
            if net in taken:
                raise _fail(name, f"net name '{net}' is used twice")
            taken.add(net)
            names[r] = net
            plan.nets.append((net, _width(name, f"'{inst}' port {port.data}", r.type)))
    for op in body:
        if isinstance(op, hw.OutputOp):
            if len(op.inputs) != len(outputs):
                raise _fail(name, f"hw.output has {len(op.inputs)} values for {len(outputs)} outputs")
            plan.assigns = [(o, names[v]) for o, v in zip(outputs, op.inputs, strict=True)]
            continue
        assert isinstance(op, hw.InstanceOp)
        callee = callees[op.module_name.root_reference.data]
        conn = {a.data: names[v] for a, v in zip(op.arg_names.data, op.inputs, strict=True)}
        conn.update({r.data: names[v] for r, v in zip(op.result_names.data, op.results, strict=True)})
        order = [p.port_name.data for p in callee.module_type.ports.data]
        if sorted(order) != sorted(conn):
            raise _fail(name, f"instance '{op.instance_name.data}' ports do not match @{callee.sym_name.data}")
        plan.instances.append((op.instance_name.data, callee.sym_name.data, [(p, conn[p]) for p in order]))
        if "vlnv" in callee.attributes and callee.sym_name.data not in plan.hls:
            plan.hls.append(callee.sym_name.data)
    return plan


def _range(width: int) -> str:
    return f"[{width - 1}:0]" if width > 1 else ""


def print_top(plan: TopPlan) -> str:
    """The SystemVerilog text of one plan."""
    what = f"{len(plan.instances)} layers stitched by AXI-Stream"
    out = [f"// {plan.name}: {what} (generated by finn-xdsl lower-to-hw + -t sv; do not edit)"]
    if plan.hls:
        out.append(f"// HLS layers, Verilog from vitis_hls (-t hls + vivado/hls_synth.sh): {', '.join(plan.hls)}")
    out.append(f"module {plan.name} (")
    rw = max([len(_range(w)) for _, _, w in plan.ports] + [0])
    decls = [f"    {'input ' if d == 'in' else 'output'} logic {_range(w):{rw}} {n}" for n, d, w in plan.ports]
    out += [d + ("," if i < len(decls) - 1 else "") for i, d in enumerate(decls)]
    out.append(");")
    nw = max([len(_range(w)) for _, w in plan.nets] + [0])
    out += [f"    logic {_range(w):{nw}} {n};" for n, w in plan.nets]
    for inst, mod, conns in plan.instances:
        out.append(f"    {mod} {inst} (")
        pw = max(len(p) for p, _ in conns)
        out += [f"        .{p:{pw}} ({n})" + ("," if i < len(conns) - 1 else "") for i, (p, n) in enumerate(conns)]
        out.append("    );")
    out += [f"    assign {o} = {src};" for o, src in plan.assigns]
    out.append("endmodule")
    out.append("")
    return "\n".join(out)


def print_tops(module: ModuleOp) -> dict[str, str]:
    """File name -> text for every hw.module of `module` (all legalised before printing)."""
    plans = [legalize_top(top, module) for top in top_modules(module)]
    return {f"{plan.name}.sv": print_top(plan) for plan in plans}
