"""Executable semantics of every IR level: the numpy reference interpreter
(`finn_xdsl.sim.execute.execute`) and the simulators around it.

Deliberately empty: the cocotb benches (`layer_cocotb`, `design_cocotb`) are imported from
this package inside every simulator process, and importing the interpreter (xDSL and all
dialects) there would add about a second to each simulation.
"""
