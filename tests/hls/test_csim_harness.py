"""finn_xdsl.verify.csim: the g++ C-simulation harness itself — hex stream I/O at any word
width, rebuild caching, and one-line FinnErrors for a missing g++ or hls4ml, compile
errors, warnings in our code (but not the ap_types headers' own), unread input and reads
of an empty stream."""

from __future__ import annotations

import shutil

import pytest

from finn_xdsl.errors import FinnError
from finn_xdsl.layer_libraries import hls_dir
from finn_xdsl.verify import csim
from finn_xdsl.verify.csim import ap_types_dir, build, compile_and_run, own_warnings, run

# copies in0 (W1 bits) to out0 and in1 (W2 bits) to out1, reversing the order of in1
_COPY = """#include <vector>
#include "fx_csim.hpp"

int main(int, char** argv) {
    hls::stream<ap_uint<1>> in0, out0;
    hls::stream<ap_uint<130>> in1, out1;
    fx_csim::load(argv[1], "in0", in0);
    fx_csim::load(argv[1], "in1", in1);
    while (!in0.empty()) out0.write(in0.read());
    std::vector<ap_uint<130>> words;
    while (!in1.empty()) words.push_back(in1.read());
    for (auto it = words.rbegin(); it != words.rend(); ++it) out1.write(*it);
    fx_csim::store(argv[1], "out0", out0);
    fx_csim::store(argv[1], "out1", out1);
    return 0;
}
"""


def test_ap_types_found_without_import():
    assert {"fx_mvau.hpp", "fx_thresholding.hpp"} <= {h.name for h in hls_dir().glob("*.hpp")}
    assert (ap_types_dir() / "ap_int.h").is_file()
    assert (ap_types_dir() / "hls_stream.h").is_file()


def test_hex_io_round_trip_and_cache(tmp_path):
    """1-bit and 130-bit words survive load/store; a second build of the same source reuses
    the executable, and runs with different data reuse one build."""
    wide = [0, 1, (1 << 130) - 1, 0x2_DEAD_BEEF_0123_4567_89AB_CDEF_0000_0001, 1 << 129]
    got = compile_and_run(_COPY, tmp_path, {"in0": [1, 0, 1, 1], "in1": wide})
    assert got == {"out0": [1, 0, 1, 1], "out1": wide[::-1]}
    exe = tmp_path / "csim"
    stamp = exe.stat().st_mtime_ns
    assert build(_COPY, tmp_path) == exe and exe.stat().st_mtime_ns == stamp
    assert run(exe, tmp_path / "again", {"in0": [], "in1": [5]}) == {"out0": [], "out1": [5]}


def test_compile_error_is_one_line(tmp_path):
    with pytest.raises(FinnError, match=r"g\+\+ failed on .*main\.cpp: .*error") as info:
        build("int main() { return undeclared; }\n", tmp_path)
    assert "\n" not in str(info.value)


def test_warning_in_our_code_fails(tmp_path):
    """-Wall warnings located in our sources fail the build and leave no executable."""
    with pytest.raises(FinnError, match=r"g\+\+ warnings in .*unused"):
        build("int main() { int unused = 1; return 0; }\n", tmp_path)
    assert not (tmp_path / "csim").exists()


def test_header_warnings_are_not_ours(tmp_path):
    ap = ap_types_dir()
    stderr = (
        f"{ap}/etc/ap_private.h:2110:42: warning: 'r' may be used uninitialized [-Wmaybe-uninitialized]\n"
        f"{tmp_path}/main.cpp:3:9: warning: unused variable 'x' [-Wunused-variable]\n"
        "In function 'int main()':\n"
    )
    assert own_warnings(stderr, ap) == [f"{tmp_path}/main.cpp:3:9: warning: unused variable 'x' [-Wunused-variable]"]


def test_unread_input_fails_run(tmp_path):
    src = """#include "fx_csim.hpp"
int main(int, char** argv) {
    hls::stream<ap_uint<8>> in0;
    fx_csim::load(argv[1], "in0", in0);
    in0.read();
    fx_csim::expect_consumed(in0, "in0");
    return 0;
}
"""
    with pytest.raises(FinnError, match="in0: 2 words left unread"):
        compile_and_run(src, tmp_path, {"in0": [1, 2, 3]})


def test_missing_gxx(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(FinnError, match=r"needs g\+\+ on PATH"):
        build(_COPY, tmp_path)


def test_missing_hls4ml(monkeypatch, tmp_path):
    monkeypatch.setattr(csim.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FinnError, match=r"pip install hls4ml==1\.3\.0"):
        build(_COPY, tmp_path)


def test_reading_an_empty_stream_fails(tmp_path):
    """C-simulation returns 0 from an empty stream where hardware would block: an error."""
    src = """#include "fx_csim.hpp"
int main(int, char** argv) {
    hls::stream<ap_uint<8>> in0("in0"), out0;
    fx_csim::load(argv[1], "in0", in0);
    for (int i = 0; i < 3; i++) out0.write(in0.read());
    fx_csim::store(argv[1], "out0", out0);
    return 0;
}
"""
    with pytest.raises(FinnError, match="would hang: .*'in0' is read while empty"):
        compile_and_run(src, tmp_path, {"in0": [1, 2]})
