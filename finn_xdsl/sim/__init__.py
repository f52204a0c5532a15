"""Executable semantics of every IR level: the numpy reference interpreter."""

from finn_xdsl.sim.execute import execute, input_names, output_names

__all__ = ["execute", "input_names", "output_names"]
