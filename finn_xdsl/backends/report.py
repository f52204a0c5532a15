"""
`-t report{dir=DIR clock-ns=10 fpgapart=xc7z020clg400-1 minimize=true}`: FINN's estimate
reports.

Writes estimate_layer_cycles.json, estimate_layer_resources.json,
estimate_network_performance.json, op_and_param_counts.json and estimate_fifo_sizes.json
(every dataflow.fifo's depth, TDATA width and bits, plus "total_bits") into DIR (created; each
file written atomically; keys in graph order; indent 2 like FINN) and prints a short
summary to the output stream. `minimize` (default true) estimates with the widths FINN's
minimize_bit_width step gives, as FINN's flow always runs it before its estimates.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.network import estimate_reports
from finn_xdsl.estimates.resources import DEFAULT_PART


def write_json_atomic(path: str, obj: object) -> None:
    """json.dump(obj, indent=2) to `path` via a temporary file in the same directory."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp_", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(obj, f, indent=2)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def fifo_sizes(module: ModuleOp) -> dict:
    """{fifo node name: {depth, width, bits}, "total_bits": N}: the buffering size-fifos chose,
    at the depth and padded TDATA width the fx_fifo instance gets."""
    sizes: dict = {}
    total = 0
    for op in module.walk():
        if isinstance(op, df.FIFOOp):
            depth, width = op.adjusted_depth(), op.in_type().padded_width_bits
            sizes[op.display_name] = {"depth": depth, "width": width, "bits": depth * width}
            total += depth * width
    sizes["total_bits"] = total
    return sizes


@dataclass(frozen=True)
class ReportTarget(Target):
    name = "report"

    dir: str = "report"
    clock_ns: float | int = 10.0
    fpgapart: str = DEFAULT_PART
    minimize: bool = True

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        clk = float(self.clock_ns)
        reports = estimate_reports(module, clk, self.fpgapart, self.minimize)
        reports["estimate_fifo_sizes.json"] = fifo_sizes(module)
        os.makedirs(self.dir, exist_ok=True)
        for fname, obj in reports.items():
            write_json_atomic(os.path.join(self.dir, fname), obj)
        perf = reports["estimate_network_performance.json"]
        total = reports["estimate_layer_resources.json"]["total"]
        cycles = reports["estimate_layer_cycles.json"]
        print(f"report: {len(cycles)} layers, clock {clk:g} ns, part {self.fpgapart} -> {self.dir}", file=output)
        for name, c in cycles.items():
            r = reports["estimate_layer_resources.json"][name]
            print(f"  {name}: {c} cycles, LUT {r['LUT']}, BRAM_18K {r['BRAM_18K']}, "
                  f"URAM {r['URAM']}, DSP {r['DSP']}", file=output)
        print(f"max_cycles {perf['max_cycles']} ({perf['max_cycles_node_name']}), "
              f"critical_path_cycles {perf['critical_path_cycles']}", file=output)
        print(f"estimated_throughput_fps {perf['estimated_throughput_fps']:.2f}, "
              f"estimated_latency_ns {perf['estimated_latency_ns']:g}", file=output)
        print("total: " + ", ".join(f"{k} {v:g}" for k, v in total.items()), file=output)
        fifos = reports["estimate_fifo_sizes.json"]
        print(f"fifos: {len(fifos) - 1} FIFOs, {fifos['total_bits']} bits", file=output)
