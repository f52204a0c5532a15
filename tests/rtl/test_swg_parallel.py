"""fx_swg_parallel (parallel_window: one whole window per beat): lint and cocotb + Verilator
simulation over square and non-square images and kernels 1-5, strides 1-3 (incl. stride >
kernel with unused last rows), dilations 1-2, C 1/2/3/64, 1/2/4/8-bit, 1-D rows and
columns, odd image sizes; outputs bit-exact vs numpy im2col (the interpreter's SWG) packed
KH·KW·C lanes per beat.

Every build runs 10 frames through full throughput, TVALID gaps and TREADY back-pressure
(tests/rtl/axis.py PHASES), and replays the recorded handshakes through the token model
(kernels.swg.SWGParallel), which must match the RTL's TREADY/TVALID in every cycle.
Cycles at full throughput, both asserted within 5 % (or 20 cycles):
  * one frame (first input offered -> last window out): the last window leaves one cycle
    after its bottom-right pixel P = ((OH-1)·SH + (KH-1)·DH)·IW + (OW-1)·SW + (KW-1)·DW is
    accepted, P + 2 (exact in every case; the module docstring explains why);
  * the steady-state period, (full_3 - full_1) / 2: the module takes one pixel per cycle
    whatever the output does, so IH·IW, against SWGOp.cycles() for impl "rtl" with
    parallel_window (IH·IW + 2, FINN's formula for its parallel mode; unchanged).
Measured (full_1 / period / cycles()): k3 7x7x3 50 / 49 / 51; c64 k3 9x9 1b 82 / 81 / 83;
k2 s3 12x11 (last row unused) 122 / 132 / 134.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow_layers import SWGOp
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, KH, KW, SH, SW, DH, DW, BITS
CASES = {
    "k3s1_c3_8b": (7, 7, 3, 3, 3, 1, 1, 1, 1, 8),
    "k5x2_s2x3_d2_c2_2b": (13, 11, 2, 5, 2, 2, 3, 2, 2, 2),
    "k4x3_s3x1_dw2_c1_1b": (11, 10, 1, 4, 3, 3, 1, 1, 2, 1),
    "k1_s2_c3_8b": (7, 9, 3, 1, 1, 2, 2, 1, 1, 8),
    "cnv_like_c64_k3_1b": (9, 9, 64, 3, 3, 1, 1, 1, 1, 1),
    "c64_k2_s2_2b": (8, 8, 64, 2, 2, 2, 2, 1, 1, 2),
    "k2_s3_stride_gt_kernel_8b": (12, 11, 3, 2, 2, 3, 3, 1, 1, 8),
    "9x11_k3x5_d2x1_s1x2_c1_1b": (9, 11, 1, 3, 5, 1, 2, 2, 1, 1),
    "1d_k3_s2_d2_c3_8b": (1, 19, 3, 1, 3, 1, 2, 1, 2, 8),
    "1d_k5_s1_c2_4b": (1, 16, 2, 1, 5, 1, 1, 1, 1, 4),
    "1d_column_k5_s3_c1_2b": (14, 1, 1, 5, 1, 3, 1, 1, 1, 2),
}
NAMES = ("IH", "IW", "C", "KH", "KW", "SH", "SW", "DH", "DW", "BITS")


def out_dims(p: dict) -> tuple[int, int]:
    oh = (p["IH"] - p["DH"] * (p["KH"] - 1) - 1) // p["SH"] + 1
    ow = (p["IW"] - p["DW"] * (p["KW"] - 1) - 1) // p["SW"] + 1
    return oh, ow


def single_frame_cycles(p: dict) -> int:
    """The last window's bottom-right pixel P (0-based, raster order), accepted in cycle P,
    is out of the 2-deep output FIFO one cycle later: P + 2 cycles in all."""
    oh, ow = out_dims(p)
    last_y = (oh - 1) * p["SH"] + (p["KH"] - 1) * p["DH"]
    last_x = (ow - 1) * p["SW"] + (p["KW"] - 1) * p["DW"]
    return last_y * p["IW"] + last_x + 2


def op_cycles(p: dict) -> int:
    """SWGOp.cycles() of the layer with impl "rtl" and parallel_window (SIMD = C)."""
    elem = IntegerType(p["BITS"], Signedness.UNSIGNED)
    x = Block(arg_types=[StreamType.of((1, p["IH"], p["IW"], p["C"]), elem, p["C"])]).args[0]
    op = SWGOp(x, (p["KH"], p["KW"]), node_name="ConvolutionInputGenerator_rtl_0",
               stride=(p["SH"], p["SW"]), dilation=(p["DH"], p["DW"]), simd=p["C"],
               parallel_window=True, impl="rtl")
    op.verify()
    return op.cycles()


def _close(measured: float, expected: int) -> bool:
    return abs(measured - expected) <= max(0.05 * expected, 20)


@pytest.mark.parametrize("case", list(CASES))
def test_swg_parallel(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_swg_parallel.sv", rtl_dir() / "fx_fifo.sv"]
    lint(src, "fx_swg_parallel", p)
    cycles_file = tmp_path / "cycles.json"
    simulate(src, "fx_swg_parallel", "swg_parallel_cocotb", HERE, tmp_path / "build", p,
             extra_env={"PARAMS": json.dumps(p), "SEED": len(case), "CYCLES_FILE": cycles_file})
    measured = json.loads(cycles_file.read_text())
    single = single_frame_cycles(p)
    period = (measured["full_3"] - measured["full_1"]) / 2
    op = op_cycles(p)
    record_property("cycles", measured["full_1"])
    record_property("period", period)
    record_property("op_cycles", op)
    print(f"{case}: measured {measured}, single frame expected {single}, period {period}, "
          f"SWGOp.cycles {op}")
    assert _close(measured["full_1"], single), (measured, single)
    assert _close(period, op), (period, op)


def test_sv_legalize_parallel_window():
    """The -t sv wrapper of a parallel_window SWG instantiates fx_swg_parallel with its
    window parameters; a depthwise parallel window of several channel folds is refused."""
    from finn_xdsl.errors import FinnError
    from finn_xdsl.kernels import rtl_plan as legalize

    elem = IntegerType(2, Signedness.SIGNED)
    x = Block(arg_types=[StreamType.of((1, 9, 8, 4), elem, 4)]).args[0]
    plan = legalize(SWGOp(x, (3, 2), node_name="ConvolutionInputGenerator_rtl_1", stride=(2, 1),
                          dilation=(1, 2), parallel_window=True, impl="rtl"))
    assert plan.module == "fx_swg_parallel"
    assert plan.library == ("fx_swg_parallel", "fx_fifo")
    assert plan.params == {"IH": 9, "IW": 8, "C": 4, "KH": 3, "KW": 2, "SH": 2, "SW": 1, "DH": 1, "DW": 2,
                           "BITS": 2}
    assert [(q.name, q.width) for q in plan.ports] == [("in0_V", 8), ("out0_V", 48)]
    y = Block(arg_types=[StreamType.of((1, 6, 6, 4), elem, 2)]).args[0]
    dw = SWGOp(y, (3, 3), node_name="ConvolutionInputGenerator_rtl_2", simd=2, depthwise=True,
               parallel_window=True, impl="rtl")
    with pytest.raises(FinnError, match="parallel_window.*SIMD=2.*C=4"):
        legalize(dw)
