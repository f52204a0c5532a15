"""insert-dwc, insert-fifos and size-fifos on the bundled models.

For every model at 1e3 / 1e4 / 1e5 fps and the fastest folding: size-fifos' depths make
the token simulation reach the analytic bound (the slowest layer's cycles()) within 1 %
without deadlock, the IR still computes bit-exactly what it did, and sizing again changes
nothing. The 1e3 fps CNV cases simulate ~10^5 cycles per frame and run only with
FINN_XDSL_FULL_FIFOS=1.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from conftest import MODELS, model_path
from pass_harness import model_inputs, run

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow import partitions
from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import make_context
from finn_xdsl.passes.apply_folding import apply_folding_config
from finn_xdsl.passes.insert_dwc import InsertDwcPass
from finn_xdsl.passes.insert_fifos import InsertFifosPass
from finn_xdsl.passes.size_fifos import SizeFifosPass, size_partition
from finn_xdsl.passes.to_folded import ToFoldedPass
from finn_xdsl.sim.tokensim import analytic_bound, simulate_partition

FASTEST = 1e12  # set-folding unfolds everything it can
RATES = [1e3, 1e4, 1e5, FASTEST]
FULL = os.environ.get("FINN_XDSL_FULL_FIFOS") == "1"


def _cases() -> list:
    cases = []
    for m in MODELS:
        for fps in RATES:
            slow = m.startswith("cnv") and fps == 1e3 and not FULL
            marks = [pytest.mark.skip(reason="~1 min each; FINN_XDSL_FULL_FIFOS=1 runs it")] if slow else []
            cases.append(pytest.param(m, fps, id=f"{m}-{fps:g}", marks=marks))
    return cases


def _folded(imported, model: str, fps: float):
    module = imported(f"{model}_ts_clean").clone()
    ToFoldedPass(target_fps=fps, prefer="rtl").apply(make_context(), module)
    return module


def _fifos(module) -> dict[str, int]:
    return {op.display_name: op.value_of("depth") for op in module.walk() if isinstance(op, df.FIFOOp)}


@pytest.mark.parametrize(("model", "fps"), _cases())
def test_size_fifos_reaches_bound(imported, model, fps):
    module = _folded(imported, model, fps)
    inputs = model_inputs(module, f"{model}_ts_clean", draws=1)
    before = run(module, inputs)
    (part,) = partitions(module)
    sizing = size_partition(part)
    bound = analytic_bound(part)
    assert sizing.bound == bound
    assert sizing.target == int(bound * 1.01), "no fallback target: the bound itself is reachable"
    assert sizing.cycles_per_frame <= 1.01 * bound
    check = simulate_partition(part, 4)  # the IR as left by the pass, one frame more
    assert not check.deadlock
    assert check.cycles_per_frame <= 1.01 * bound
    assert all(d > 2 for d in _fifos(module).values())
    module.verify()
    for b, a in zip(before, run(module, inputs)):
        for bo, ao in zip(b, a):
            np.testing.assert_array_equal(ao, bo)
    depths = _fifos(module)
    SizeFifosPass().apply(make_context(), module)
    assert _fifos(module) == depths


def test_without_fifos_tfc_misses_bound(imported):
    """The reason for FIFOs: MVAUs that read input only in their first fold stall their producer.
    (fx_mvu's 32-entry output queue absorbs most of it, but not all.)"""
    module = _folded(imported, "tfc_2w2a", 1e4)
    (part,) = partitions(module)
    r = simulate_partition(part, 3)
    assert not r.deadlock
    assert r.cycles_per_frame > 1.02 * analytic_bound(part)


def test_insert_fifos_is_idempotent_and_uses_config(imported, tmp_path):
    module = _folded(imported, "tfc_2w2a", 1e4)
    apply_folding_config(module, {"MVAU_rtl_1": {"inFIFODepths": [17], "outFIFODepths": [5]},
                                  "MVAU_rtl_2": {"inFIFODepths": [9]}})
    InsertFifosPass().apply(make_context(), module)
    first = _fifos(module)
    InsertFifosPass().apply(make_context(), module)
    InsertDwcPass().apply(make_context(), module)
    assert _fifos(module) == first
    assert sorted(first.values()) == [2, 2, 2, 9, 17]  # max(producer out 5, consumer in 9) = 9
    (part,) = partitions(module)
    ops = part.layers()
    names = [op.display_name for op in ops]
    fifo = ops[names.index("MVAU_rtl_1") + 1]
    assert isinstance(fifo, df.FIFOOp) and fifo.value_of("depth") == 9


def test_insert_fifos_no_shallow(imported):
    module = _folded(imported, "tfc_2w2a", 1e4)
    InsertFifosPass(create_shallow=False).apply(make_context(), module)
    assert _fifos(module) == {}
    InsertFifosPass(create_shallow=False, default_depth=3).apply(make_context(), module)
    assert list(_fifos(module).values()) == [3] * 5


def test_bad_fifo_depths_in_config(imported):
    module = _folded(imported, "tfc_2w2a", 1e4)
    with pytest.raises(FinnError, match=r"outFIFODepths must be a list of 1 integers >= 1"):
        apply_folding_config(module, {"MVAU_rtl_1": {"outFIFODepths": "deep"}})


def test_deadlock_is_detected(imported):
    """A depth-1 FIFO behind a layer still moves beats (at half rate); a design whose sink
    never drains would hang: the simulation reports a deadlock instead of spinning."""
    module = _folded(imported, "tfc_2w2a", 1e4)
    InsertFifosPass().apply(make_context(), module)
    (part,) = partitions(module)
    slow = simulate_partition(part, 2, depths={n: 1 for n in _fifos(module)})
    assert not slow.deadlock
    from finn_xdsl.sim import tokensim

    class Stuck(tokensim.Sink):
        def ready(self, k):
            return False

    orig = tokensim.Sink
    tokensim.Sink = Stuck  # type: ignore[misc]
    try:
        stuck = simulate_partition(part, 2)
    finally:
        tokensim.Sink = orig  # type: ignore[misc]
    assert stuck.deadlock and not stuck.frame_done


def test_report_lists_fifo_bits(imported, tmp_path):
    import io

    from finn_xdsl.backends.report import ReportTarget

    module = _folded(imported, "tfc_2w2a", 1e4)
    SizeFifosPass().apply(make_context(), module)
    out = io.StringIO()
    ReportTarget(dir=str(tmp_path)).emit(make_context(), module, out)
    sizes = json.loads((tmp_path / "estimate_fifo_sizes.json").read_text())
    assert sizes == {"StreamingFIFO_rtl_1": {"depth": 36, "width": 8, "bits": 288},
                     "StreamingFIFO_rtl_2": {"depth": 15, "width": 8, "bits": 120}, "total_bits": 408}
    assert "fifos: 2 FIFOs, 408 bits" in out.getvalue()
    assert model_path("tfc_2w2a_ts_clean").exists()
