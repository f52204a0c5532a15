"""
`-t report{dir=DIR clock-ns=10 fpgapart=xc7z020clg400-1 minimize=true}`: FINN's estimate
reports.

Writes estimate_layer_cycles.json, estimate_layer_resources.json,
estimate_network_performance.json, op_and_param_counts.json and estimate_fifo_sizes.json
(every dataflow.fifo's depth, TDATA width and bits, plus "total_bits") into DIR (created; each
file written atomically; keys in graph order; indent 2 like FINN) and prints a short
summary to the output stream. `minimize` (default true) estimates with the widths FINN's
minimize_bit_width step gives, as FINN's flow always runs it before its estimates.

Whose formulas: `impl` is the backend that realises a layer, so an impl="rtl" layer is OUR
rtl/ wrapper, not FINN's block, and is estimated with the models of our modules
(finn_xdsl/estimates/rtl, fitted against Yosys): plan = kernels.plan_of(layer), the
library module at plan.params plus the wrapper glue (the fx_memstream an
internal_decoupled MVAU carries; the 2p - MW adders of a raw bipolar MVAU), in FINN's keys:
LUT = LUT + LUTRAM cells, BRAM_18K, DSP, URAM 0, BRAM_efficiency = bits held in block RAM /
(BRAM_18K · 18 Kibit) (1 without BRAM). Such an entry carries one more key, "model", naming
where its numbers come from. When one of the wrapper's modules has no model yet, the whole
layer keeps FINN's formula and "model" says so (a partial sum would be neither). Under
FINN's conformance mode — `specialize{prefer=finn}` marks each partition `prefer = "finn"`
— every layer keeps FINN's formula and entry unchanged, as FINN reports its own blocks;
impl="hls" layers always do (FINN's HLS formulas stand in for our hls/ templates).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from finn_xdsl.boards import DEFAULT_PART
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.estimates.network import estimate_reports
from finn_xdsl.estimates.resources import KEYS
from finn_xdsl.estimates.rtl import MODEL_KEYS, module_resources
from finn_xdsl.kernels import decide, plan_of, style_of
from finn_xdsl.kernels.plan import LayerPlan, Refusal
from finn_xdsl.utils.atomic import write_json_atomic

BRAM18_BITS = 18 * 1024
# the partition attribute specialize{prefer=finn} sets (passes/specialize.CONFORMANCE_ATTR)
CONFORMANCE_ATTR = "prefer"


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


def conformance_mode(part: df.PartitionOp) -> bool:
    """Whether the partition was specialised under prefer=finn (FINN's formulas and names)."""
    attr = part.attributes.get(CONFORMANCE_ATTR)
    return getattr(attr, "data", None) == "finn"


def _instances(plan: LayerPlan) -> list[tuple[str, dict]]:
    """(library module, parameters) of every module instance in the layer's wrapper."""
    out = [(plan.module, dict(plan.params))] if plan.module else []
    if plan.memstream is not None:
        ms = plan.memstream
        params: dict = {"DEPTH": ms.depth, "WIDTH": ms.width}
        style = getattr(ms, "ram_style", None)
        if style is not None:
            params["RAM_STYLE"] = style
        out.append(("fx_memstream", params))
    return out


def _stored_bits(module: str, p: dict) -> int:
    """Bits a module instance keeps in memory (for BRAM_efficiency; 0 where not modelled)."""
    if module == "fx_memstream" or module == "fx_fifo":
        return int(p.get("DEPTH", 0)) * int(p.get("WIDTH", 0))
    if module == "fx_mvu":
        bits = 0 if p.get("WEIGHT_STREAM") else p["MW"] * p["MH"] * p["W_BITS"]
        return bits + (p["MH"] * p["N"] * p["T_BITS"] if p.get("USE_THRESHOLDS") else 0)
    if module == "fx_thresholding":
        return p["C"] * p["N"] * p["T_BITS"]
    if module == "fx_swg":
        return ((p["KH"] - 1) * p.get("DH", 1) + 1) * p["IW"] * p["C"] * p["BITS"]
    return 0


def rtl_model(layer: df.DataflowOperation) -> tuple[dict | None, str]:
    """Our model of an impl="rtl" layer's wrapper: ({LUT, LUTRAM, FF, BRAM18, DSP,
    "bram_bits"}, description), or (None, why) when a module has no model or the library
    cannot realise the layer."""
    try:
        plan = plan_of(layer) if style_of(layer) == "rtl" else decide(layer, "rtl")
    except Refusal as e:
        return None, f"-t sv cannot realise it: -t sv: {e}"
    return plan_model(plan)


def plan_model(plan: LayerPlan) -> tuple[dict | None, str]:
    """rtl_model of a wrapper plan (the benchmarks also price plans they modified)."""
    total = dict.fromkeys(MODEL_KEYS, 0) | {"bram_bits": 0}
    missing = []
    for module, params in _instances(plan):
        r = module_resources(module, params)
        if r is None:
            missing.append(module)
            continue
        for k in MODEL_KEYS:
            total[k] += r[k]
        if r["BRAM18"]:
            total["bram_bits"] += _stored_bits(module, params)
    if missing:
        return None, f"no model of {', '.join(missing)} yet"
    if plan.affine_out is not None:  # glue: per output lane an OUT_BITS-wide 2p - MW
        lanes, _, _, obits = plan.affine_out
        total["LUT"] += lanes * obits
    return total, "rtl model: " + " + ".join(m for m, _ in _instances(plan))


def finn_entry(model: dict) -> dict:
    """A model result in estimate_layer_resources.json's keys and order."""
    bram = model["BRAM18"]
    eff = min(1.0, model["bram_bits"] / (bram * BRAM18_BITS)) if bram else 1
    vals = {"BRAM_18K": bram, "BRAM_efficiency": eff, "LUT": model["LUT"] + model["LUTRAM"],
            "URAM": 0, "URAM_efficiency": 1, "DSP": model["DSP"]}
    return {k: vals[k] for k in KEYS}


def apply_rtl_models(module: ModuleOp, resources: dict) -> dict[str, str]:
    """Replace the FINN-formula entries of impl="rtl" layers outside conformance mode by our
    models (see the module docstring), recompute "total"; {layer: "model"} of those layers."""
    models: dict[str, str] = {}
    for part in module.walk():
        if not isinstance(part, df.PartitionOp) or conformance_mode(part):
            continue
        for layer in part.layers():
            name = layer.display_name
            if layer.impl.data != "rtl" or name not in resources:
                continue
            model, how = rtl_model(layer)
            if model is None:
                resources[name] = dict(resources[name]) | {"model": f"FINN formula ({how})"}
            else:
                resources[name] = finn_entry(model) | {"model": how}
            models[name] = resources[name]["model"]
    total = {k: 0.0 for k in KEYS if "efficiency" not in k}
    for name, r in resources.items():
        if name != "total":
            for k in total:
                total[k] += float(r[k])
    resources["total"] = total
    return models


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
        models = apply_rtl_models(module, reports["estimate_layer_resources.json"])
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
        if models:
            finn = sorted({m for m in models.values() if m.startswith("FINN")})
            n_ours = sum(not m.startswith("FINN") for m in models.values())
            print(f"rtl estimates: {n_ours} of {len(models)} rtl layers from models of our rtl/ modules"
                  + "".join(f"; {sum(m == f for m in models.values())} by {f}" for f in finn), file=output)
