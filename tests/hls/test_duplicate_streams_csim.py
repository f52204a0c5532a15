"""hls/fx_duplicate_streams.hpp: g++ C-simulation over the DuplicateStreams grid of
tests/rtl/test_streams.py (2, 3 and 4 outputs, PE 1 / partial / full, 1-8-bit): every
output stream must carry exactly the input beats. One g++ build runs the whole grid."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from rtl_grids import rtl_test_module

from finn_xdsl.kernels.packing import pack_beats
from finn_xdsl.verify.csim import compile_and_run

VECTORS = 20


DUPLICATE_STREAMS = rtl_test_module("test_streams").DUPLICATE_STREAMS


def case_id(p: dict) -> str:
    return f"C{p['C']}-PE{p['PE']}-{p['BITS']}b-x{p['N_OUT']}"


def main_cpp(cases: list[dict]) -> str:
    """One main running every case i on stream in<i> -> out<i>_<j>, j < N_OUT."""
    body = []
    for i, p in enumerate(cases):
        n, args = p["N_OUT"], f"{p['C']}, {p['PE']}, {p['BITS']}, {p['N_OUT']}"
        stores = "\n".join(f'        fx_csim::store(argv[1], "out{i}_{j}", out[{j}]);' for j in range(n))
        body.append(f"""    {{
        hls::stream<ap_uint<{p["PE"] * p["BITS"]}>> in, out[{n}];
        fx_csim::load(argv[1], "in{i}", in);
        fx_duplicate_streams<{args}>(in, out, 1);
        fx_duplicate_streams<{args}>(in, out, {VECTORS - 1});
        fx_csim::expect_consumed(in, "in{i}");
{stores}
    }}""")
    return '#include "fx_duplicate_streams.hpp"\n#include "fx_csim.hpp"\n\nint main(int, char** argv) {\n' + (
        "\n".join(body) + "\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    """Build and run the whole grid once: {case id: (every output's beats, input beats)}."""
    inputs = {}
    for i, p in enumerate(DUPLICATE_STREAMS):
        rng = np.random.default_rng(zlib.crc32(case_id(p).encode()))
        inputs[f"in{i}"] = pack_beats(rng.integers(0, 1 << p["BITS"], size=(VECTORS, p["C"])), p["BITS"], p["PE"])
    got = compile_and_run(main_cpp(DUPLICATE_STREAMS), tmp_path_factory.mktemp("duplicate_streams_csim"), inputs)
    return {case_id(p): ([got.get(f"out{i}_{j}") for j in range(p["N_OUT"])], inputs[f"in{i}"])
            for i, p in enumerate(DUPLICATE_STREAMS)}


@pytest.mark.parametrize("case", [case_id(p) for p in DUPLICATE_STREAMS])
def test_duplicate_streams_csim(case, grid_run):
    outs, beats = grid_run[case]
    assert len(beats) > 0
    for j, got in enumerate(outs):
        assert got == beats, f"out{j} differs"
