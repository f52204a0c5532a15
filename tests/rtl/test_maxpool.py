"""fx_streaming_maxpool: lint and cocotb + Verilator simulation over FINN's
StreamingMaxPool grid (1-D rows and columns and 2-D, square and non-square images and
kernels 2-5, PE 1 / a divisor / C, 1/2/4/8-bit, signed and unsigned, ceil_mode with
partial windows at the right and bottom edge); outputs bit-exact vs numpy.

Every build runs 10 frames through full throughput, TVALID gaps and TREADY back-pressure.
The RTL consumes one input beat per cycle and overlaps its outputs with the last window
row: one frame at full throughput is asserted within 5 % (or 20 cycles) of IH·IW·CF
(measured IH·IW·CF + 1 in every case), which is StreamingMaxPoolOp.cycles() of an
impl="rtl" layer. FINN's HLS formula (impl "hls"): 1-D OW·CF·(KW+1) is OW·CF - 1 above the
RTL (1-D k3 12x4 PE2: 32 vs 25); 2-D int(IW·IW·(1 + 1/KW²)) assumes a square image and is
OH·OW - 1 above the RTL for square ones (8x8 k2: 80 vs 65) but below it for tall or
ceil_mode images (10x6 k4 ceil: 38 vs 61). Each case prints both figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Block

from finn_xdsl.dialects.dataflow_layers import StreamingMaxPoolOp
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.layer_libraries import rtl_dir
from finn_xdsl.verify.rtlsim import lint, simulate

HERE = Path(__file__).parent

# IH, IW, C, KH, KW, PE, BITS, SIGNED, CEIL_MODE
CASES = {
    "2d_k2_pe=c_8b_signed": (8, 8, 3, 2, 2, 3, 8, 1, 0),
    "2d_k5_pe=c_1b_unsigned": (10, 10, 2, 5, 5, 2, 1, 0, 0),
    "2d_6x9_k2x3_pe=c_2b_signed": (6, 9, 2, 2, 3, 2, 2, 1, 0),
    "2d_8x12_k4_c1_4b_unsigned": (8, 12, 1, 4, 4, 1, 4, 0, 0),
    "1d_k3_pe2_4b_signed": (1, 12, 4, 1, 3, 2, 4, 1, 0),
    "1d_column_k2_pe1_8b_unsigned": (10, 1, 3, 2, 1, 1, 8, 0, 0),
    "ceil_2d_7x5_k2_pe=c_8b_signed": (7, 5, 3, 2, 2, 3, 8, 1, 1),
    "ceil_2d_8x7_k3x2_pe=c_4b_unsigned": (8, 7, 2, 3, 2, 2, 4, 0, 1),
    "ceil_2d_10x6_k4_c1_1b": (10, 6, 1, 4, 4, 1, 1, 0, 1),
    "ceil_2d_divisible_k3_2b_signed": (6, 6, 2, 3, 3, 2, 2, 1, 1),
    "ceil_1d_k3_pe1_2b_signed": (1, 10, 3, 1, 3, 1, 2, 1, 1),
    "ceil_1d_k4_pe=c_8b_signed": (1, 13, 4, 1, 4, 4, 8, 1, 1),
    "ceil_1d_column_k2_pe2_4b_signed": (9, 1, 4, 2, 1, 2, 4, 1, 1),
    # the carry-chain compare's ends (3 and 7 bits)
    "2d_k2_pe=c_3b_signed": (6, 6, 4, 2, 2, 4, 3, 1, 0),
    "2d_k3_pe=c_7b_unsigned": (6, 6, 3, 3, 3, 3, 7, 0, 0),
}
NAMES = ("IH", "IW", "C", "KH", "KW", "PE", "BITS", "SIGNED", "CEIL_MODE")


def op_cycles(p: dict, impl: str) -> int:
    """StreamingMaxPoolOp.cycles() of the layer (rtl: ours; hls: FINN's get_exp_cycles)."""
    elem = IntegerType(p["BITS"], Signedness.SIGNED if p["SIGNED"] else Signedness.UNSIGNED)
    x = Block(arg_types=[StreamType.of((1, p["IH"], p["IW"], p["C"]), elem, p["PE"])]).args[0]
    op = StreamingMaxPoolOp(x, (p["KH"], p["KW"]), node_name=f"StreamingMaxPool_{impl}_0",
                            ceil_mode=bool(p["CEIL_MODE"]), impl=impl)
    op.verify()
    return op.cycles()


@pytest.mark.parametrize("case", list(CASES))
def test_maxpool(case, tmp_path, record_property):
    p = dict(zip(NAMES, CASES[case]))
    src = [rtl_dir() / "fx_streaming_maxpool.sv"]
    lint(src, "fx_streaming_maxpool", p)
    cycles_file = tmp_path / "cycles.json"
    simulate(src, "fx_streaming_maxpool", "maxpool_cocotb", HERE, tmp_path / "build", p,
             extra_env={"PARAMS": json.dumps(p), "SEED": len(case), "CYCLES_FILE": cycles_file})
    measured = json.loads(cycles_file.read_text())
    exp = p["IH"] * p["IW"] * p["C"] // p["PE"]
    finn = op_cycles(p, "hls")
    record_property("cycles", measured["full_1"])
    record_property("expected_cycles", exp)
    record_property("op_cycles", finn)
    print(f"{case}: measured {measured}, expected {exp}, FINN's HLS cycles {finn}")
    assert abs(measured["full_1"] - exp) <= max(0.05 * exp, 20), (measured, exp)
    assert abs(measured["full_1"] - op_cycles(p, "rtl")) <= max(0.05 * exp, 20), measured


def test_sv_legalize_passes_ceil_mode():
    """The -t sv wrapper of a ceil_mode pool sets fx_streaming_maxpool's CEIL_MODE."""
    from finn_xdsl.kernels import rtl_plan as legalize

    x = Block(arg_types=[StreamType.of((1, 5, 7, 2), IntegerType(4, Signedness.SIGNED), 2)]).args[0]
    plan = legalize(StreamingMaxPoolOp(x, (2, 2), node_name="StreamingMaxPool_rtl_0", ceil_mode=True, impl="rtl"))
    assert plan.module == "fx_streaming_maxpool"
    assert (plan.params["CEIL_MODE"], plan.params["SIGNED"], plan.params["IH"], plan.params["IW"]) == (1, 1, 5, 7)
