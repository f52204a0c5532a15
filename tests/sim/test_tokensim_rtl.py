"""The token models of finn_xdsl.sim.tokensim against the real RTL, cycle by cycle.

For a representative layer of each kind in TFC-w2a2 and CNV-w1a1 (10k fps folding), a
parallel-window SWG of CNV-w1a1 (100k fps folding), and the single-stream layers of
test_sv's synthetic partition the models do not reach
(FMPadding, Thresholding, an MVAU with its weights in fx_mvu's ROM, LabelSelect): the
`-t sv` wrapper runs in Verilator with input offered every cycle and output always taken
(tokensim_cocotb.py records the cycle of every input accept and output beat over two
frames); the layer's token model (`tokensim.layer_timing`) must give exactly the same
cycles. One Verilator build per layer.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
from conftest import DATA

from finn_xdsl.backends.sv import SVTarget, legalize_module, sources_for
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.passes.insert_fifos import InsertFifosPass
from finn_xdsl.sim.tokensim import beats_of, layer_timing

HERE = Path(__file__).parent
FRAMES = 2
CASES = [
    ("tfc_2w2a", "MVAU_rtl_1"),  # SF=64, NF=64: reads in fold 0, replays 63 folds
    ("tfc_2w2a", "MVAU_rtl_3"),  # NF=10 < output FIFO credits
    ("tfc_2w2a", "StreamingFIFO_rtl_1"),
    ("cnv_1w1a", "ConvolutionInputGenerator_rtl_4"),  # line buffer, frames do not overlap
    ("cnv_1w1a", "ConvolutionInputGenerator_rtl_0"),
    ("cnv_1w1a", "StreamingMaxPool_rtl_1"),
    ("cnv_1w1a", "StreamingDataWidthConverter_rtl_6"),  # 64 -> 48 lanes
    ("cnv_1w1a", "StreamingDataWidthConverter_rtl_3"),  # 128 -> 2
    ("cnv_1w1a", "StreamingDataWidthConverter_rtl_12"),  # 1 -> 36
    ("cnv_1w1a", "MVAU_rtl_8"),
    ("synthetic", "FMPadding_rtl_0"),
    ("synthetic", "Thresholding_rtl_0"),
    ("synthetic", "MVAU_rtl_1"),  # mem_mode internal_embedded: no fx_memstream
    ("synthetic", "LabelSelect_rtl_0"),
    ("synthetic", "StreamingFIFO_rtl_0"),
    ("cnv_1w1a@100000", "ConvolutionInputGenerator_rtl_1"),  # parallel_window: fx_swg_parallel
]


@functools.cache
def _lowered(model: str):
    if model == "synthetic":
        backends = str(HERE.parent / "backends")
        if backends not in sys.path:  # test_sv imports its sibling ir_text
            sys.path.insert(0, backends)
        spec = importlib.util.spec_from_file_location("_sv_cases", HERE.parent / "backends" / "test_sv.py")
        sv_cases = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(sv_cases)  # type: ignore[union-attr]
        return sv_cases._parse(sv_cases._synthetic_module())
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    model, _, fps = model.partition("@")  # "model@fps": folded for fps instead of 10000
    module = import_onnx(DATA / f"{model}_ts_clean.onnx")
    ToFoldedPass(target_fps=int(fps or 10000), prefer="rtl").apply(make_context(), module)
    InsertFifosPass(default_depth=4).apply(make_context(), module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    cache: dict[str, tuple] = {}

    def get(model: str):
        if model not in cache:
            module = _lowered(model)
            out_dir = tmp_path_factory.mktemp(f"tok_{model}")
            SVTarget(dir=str(out_dir)).emit(None, module, io.StringIO())  # type: ignore[arg-type]
            ops = {op.display_name: op for op in module.walk() if isinstance(op, df.DataflowOperation)}
            plans = {p.name: p for p in legalize_module(module)}
            cache[model] = (out_dir, plans, ops)
        return cache[model]

    return get


@pytest.mark.parametrize(("model", "layer"), CASES, ids=[f"{m}-{n}" for m, n in CASES])
def test_model_matches_rtl(model, layer, generated, tmp_path):
    from finn_xdsl.verify.rtlsim import simulate

    out_dir, plans, ops = generated(model)
    op, plan = ops[layer], plans[layer]
    ins, outs = layer_timing(op, FRAMES)
    assert len(ins) == FRAMES * beats_of(op.in_type()) and len(outs) == FRAMES * beats_of(op.out_type())
    case = tmp_path / "case.json"
    result = tmp_path / "result.json"
    case.write_text(json.dumps({"in_beats": len(ins), "out_beats": len(outs), "result": str(result)}))
    params = {k: f'"{out_dir / v}"' for k, v in plan.file_params.items()}
    simulate([Path(s) for s in sources_for(plan, str(out_dir))], layer, "tokensim_cocotb", HERE,
             tmp_path / "build", params, extra_env={"TIMING_CASE": str(case)})
    rtl = json.loads(result.read_text())
    first_in = next((i for i, (a, b) in enumerate(zip(rtl["in"], ins)) if a != b), None)
    first_out = next((i for i, (a, b) in enumerate(zip(rtl["out"], outs)) if a != b), None)
    assert first_in is None, f"input beat {first_in}: RTL cycle {rtl['in'][first_in]}, model {ins[first_in]}"
    assert first_out is None, f"output beat {first_out}: RTL cycle {rtl['out'][first_out]}, model {outs[first_out]}"
    assert rtl == {"in": ins, "out": outs}
