"""
Whole-design estimates as FINN's `generate_estimate_reports` step writes them:
per-layer cycles and resources, network performance and op/param counts.

Only layers inside `dataflow.partition` ops count, in graph (block) order. A
`dataflow.reshape` is a wire that FINN deletes (RemoveCNVtoFCFlatten), so it is left
out of every report.
"""

from __future__ import annotations

import math

from xdsl.ir import Operation

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects.dataflow_base import DataflowOperation
from finn_xdsl.dialects.dataflow_compute import MVAUOp, ThresholdingOp
from finn_xdsl.dialects.dataflow_graph import PartitionOp, YieldOp
from finn_xdsl.dialects.dataflow_streams import ReshapeOp
from finn_xdsl.estimates import datatypes as dt
from finn_xdsl.estimates.resources import KEYS, layer_resources


def dataflow_layers(module: Operation) -> list[DataflowOperation]:
    """Every reported layer inside a dataflow.partition, in graph order (reshapes skipped)."""
    layers: list[DataflowOperation] = []
    for op in module.walk():
        if isinstance(op, PartitionOp):
            layers.extend(l for l in op.layers() if not isinstance(l, ReshapeOp))
    return layers


def is_last_node(op: DataflowOperation) -> bool:
    """No layer consumes op's results (FINN: find_direct_successors is None)."""
    for r in op.results:
        for use in r.uses:
            if not isinstance(use.operation, YieldOp):
                return False
    return True


def layer_cycles(layers: list[DataflowOperation]) -> dict[str, int]:
    """FINN estimate_layer_cycles.json: {node_name: int(get_exp_cycles())}."""
    return {op.display_name: int(op.cycles()) for op in layers}


def layer_resources_report(layers: list[DataflowOperation], fpgapart: str = DEFAULT_PART,
                           minimize: bool = True) -> dict:
    """FINN estimate_layer_resources.json, with "total" (non-efficiency keys as float)."""
    res = {op.display_name: layer_resources(op, fpgapart, minimize=minimize, last_node=is_last_node(op))
           for op in layers}
    total = {k: 0.0 for k in KEYS if "efficiency" not in k}
    for r in res.values():
        for k in total:
            total[k] += float(r[k])
    res["total"] = total
    return res


def critical_path_cycles(module: Operation) -> int:
    """Sum of layer cycles along the longest (most cycles) path through each partition.

    FINN's dataflow_performance: per node, the largest latency over its predecessors plus
    its own cycles (pessimistic, no overlap); the maximum over all nodes. A reshape passes
    its predecessor's value through with 0 cycles.
    """
    best = 0
    for part in module.walk():
        if not isinstance(part, PartitionOp):
            continue
        latency: dict[int, int] = {}
        for op in part.block.ops:
            if not isinstance(op, DataflowOperation):
                continue
            start = 0
            for v in op.operands:
                if isinstance(v.owner, Operation):
                    start = max(start, latency.get(id(v.owner), 0))
            latency[id(op)] = start + int(op.cycles())
            best = max(best, latency[id(op)])
    return best


def network_performance(module: Operation, clk_ns: float) -> dict:
    """FINN estimate_network_performance.json."""
    layers = dataflow_layers(module)
    cycles = layer_cycles(layers)
    crit = critical_path_cycles(module)
    if not cycles:
        return {"critical_path_cycles": crit, "max_cycles": 0, "max_cycles_node_name": "",
                "estimated_throughput_fps": 0.0, "estimated_latency_ns": crit * clk_ns}
    max_name = max(cycles, key=lambda k: cycles[k])  # first of the largest, graph order
    max_cycles = cycles[max_name]
    fps = (1e9 / clk_ns) / max_cycles if max_cycles else math.inf
    return {
        "critical_path_cycles": crit,
        "max_cycles": max_cycles,
        "max_cycles_node_name": max_name,
        "estimated_throughput_fps": fps,
        "estimated_latency_ns": crit * clk_ns,
    }


def layer_op_and_param_counts(op: DataflowOperation, minimize: bool = True) -> dict[str, int]:
    """FINN get_op_and_param_counts of one layer ({} where FINN has none)."""
    if isinstance(op, MVAUOp):
        mw, mh = op.mw, op.mh
        w_bits = dt.mvau_weight_bits(op, minimize)
        a_bits = op.in_type().element_bits
        bw1, bw2 = min(a_bits, w_bits), max(a_bits, w_bits)
        ret = {f"op_mac_{bw1}bx{bw2}b": mw * mh * op.vectors(), f"param_weight_{w_bits}b": mw * mh}
        if op.thresholds is not None:
            acc = dt.mvau_acc_bits(op, minimize, is_last_node(op))
            ret[f"param_threshold_{acc}b"] = mh
        return ret
    if isinstance(op, ThresholdingOp):
        t = op.threshold_values()
        return {f"param_threshold_{dt.thresholding_weight_bits(op)}b": op.in_type().channels * t.shape[1]}
    return {}


def op_and_param_counts(module: Operation, minimize: bool = True) -> dict:
    """FINN op_and_param_counts.json: per node counts plus "total" (summed per key)."""
    ret: dict = {}
    total: dict[str, int] = {}
    for op in dataflow_layers(module):
        counts = layer_op_and_param_counts(op, minimize)
        ret[op.display_name] = counts
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    ret["total"] = total
    return ret


def estimate_reports(module: Operation, clk_ns: float = 10.0, fpgapart: str = DEFAULT_PART,
                     minimize: bool = True) -> dict[str, dict]:
    """All four FINN report files as {file name: JSON object}."""
    layers = dataflow_layers(module)
    return {
        "estimate_layer_cycles.json": layer_cycles(layers),
        "estimate_layer_resources.json": layer_resources_report(layers, fpgapart, minimize),
        "estimate_network_performance.json": network_performance(module, clk_ns),
        "op_and_param_counts.json": op_and_param_counts(module, minimize),
    }
