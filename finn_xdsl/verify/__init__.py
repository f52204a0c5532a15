"""Checking generated hardware against the reference interpreter: the Verilator/cocotb
runner (`rtlsim`) and g++ C-simulation (`csim`), per layer (`layer_rtlsim`, `csim_layer`,
`layer_verify`) and for the whole design (`design_sim`, `csim_design`), with their build
cache (`build_cache`). Above the backends, whose output they compile; `sim` keeps the
numpy semantics and the token model they compare with.

Deliberately empty: the cocotb benches (`layer_cocotb`, `design_cocotb`) are imported from
this package inside every simulator process, and importing the interpreter (xDSL and all
dialects) there would add about a second to each simulation.
"""
