"""Helpers for the estimate tests: FINN baselines and FINN-folded dataflow designs."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

BASELINES = TESTS / "data" / "finn_baseline_estimates"


def load_baseline(run: str, fname: str) -> dict:
    return json.loads((BASELINES / run / fname).read_text())


# FINN config attribute -> our property
_PROPS = {"PE": "pe", "SIMD": "simd", "ram_style": "ram_style", "mem_mode": "mem_mode",
          "resType": "res_type", "parallel_window": "parallel_window",
          "runtime_writeable_weights": "runtime_writeable_weights"}


def finn_name(our_name: str, impl: str) -> str:
    """MVAU_0 + hls -> MVAU_hls_0 (FINN's SpecializeLayers naming)."""
    m = re.fullmatch(r"(.*)_(\d+)", our_name)
    assert m, our_name
    return f"{m.group(1)}_{impl}_{m.group(2)}"


def folded_design(model: str, folding: dict):
    """Our to-dataflow design of `model`, each layer FINN named in `folding` given FINN's
    impl (from the name), name and folding attributes.

    Only properties change; stream types keep to-dataflow's lanes (the estimates read
    PE/SIMD from the properties), so the module is not re-verified.
    """
    from finn_xdsl.estimates import dataflow_layers
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_dataflow import ToDataflowPass

    module = import_onnx(TESTS / "data" / f"{model}.onnx")
    ToDataflowPass().apply(make_context(), module)
    for op in dataflow_layers(module):
        for impl in ("hls", "rtl"):
            name = finn_name(op.display_name, impl)
            if name in folding:
                props = {_PROPS[k]: v for k, v in folding[name].items() if k in _PROPS}
                if "parallel_window" in props:
                    props["parallel_window"] = bool(props["parallel_window"])
                if "runtime_writeable_weights" in props:
                    props["runtime_writeable_weights"] = bool(props["runtime_writeable_weights"])
                op.set_values(impl=impl, node_name=name, **props)
                break
    return module
