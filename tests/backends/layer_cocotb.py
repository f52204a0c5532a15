"""The generic per-layer cocotb test for test_sv.py's `simulate(..., "layer_cocotb", HERE, ...)`.

It lives in the package (finn_xdsl.verify.layer_cocotb) because finn-build --verify runs it too;
cocotb registers every test object found in this module's namespace, so importing it is enough.
"""

from finn_xdsl.verify.layer_cocotb import layer_matches_interpreter  # noqa: F401
