"""
finn-exec: execute a model file with the reference interpreter.

    finn-exec MODEL.{onnx,mlir} --input X.{npy,npz} --output Y.{npy,npz}

A model with one input takes an `.npy`; with several, an `.npz` whose keys are the
graph input names (or arr_0, arr_1, ... in argument order, as numpy.savez writes them).
A model with one output writes an `.npy`; with several, ask for an `.npz` keyed by output
name. The output file appears only when execution succeeded.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import numpy as np

from finn_xdsl.errors import FinnError
from finn_xdsl.frontend.load import load_module
from finn_xdsl.tools.common import run_tool
from finn_xdsl.utils.atomic import write_atomically


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="finn-exec",
        description="Execute an .onnx (QONNX) or .mlir model with finn-xdsl's numpy "
        "reference interpreter.",
    )
    p.add_argument("model", help="model file: .onnx (QONNX) or .mlir at any level the interpreter knows")
    p.add_argument("--input", "-i", required=True, help=".npy (one input) or .npz (keyed by input name)")
    p.add_argument("--output", "-o", required=True, help=".npy (one output) or .npz (keyed by output name)")
    p.add_argument(
        "--print-ir",
        action="store_true",
        help="also print the model's IR to stdout (constants of more than 16 elements elided)",
    )
    p.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    return p


def read_inputs(path: str, names: list[str]) -> dict[str, np.ndarray]:
    """Inputs for a model with input `names` from an .npy or .npz file."""
    if not os.path.isfile(path):
        raise FinnError(f"{path}: no such file")
    try:
        data = np.load(path, allow_pickle=False)
    except Exception as e:
        raise FinnError(f"{path}: not a numpy .npy/.npz file ({e})") from None
    if isinstance(data, np.ndarray):
        if len(names) != 1:
            raise FinnError(
                f"{path}: the model has {len(names)} inputs ({', '.join(names)}); pass an .npz keyed by input name"
            )
        return {names[0]: data}
    with data:
        keys = list(data.keys())
        if set(names) <= set(keys):
            return {n: data[n] for n in names}
        positional = [f"arr_{i}" for i in range(len(names))]
        if keys == positional:
            return {n: data[k] for n, k in zip(names, positional)}
    raise FinnError(f"{path}: has arrays {', '.join(keys)}; the model's inputs are {', '.join(names)}")


def write_outputs(path: str, outputs: dict[str, np.ndarray]) -> None:
    suffix = os.path.splitext(path)[1]
    if suffix == ".npy":
        if len(outputs) != 1:
            raise FinnError(
                f"{path}: the model has {len(outputs)} outputs ({', '.join(outputs)}); use an .npz output file"
            )
        (value,) = outputs.values()
        write_atomically(path, lambda tmp: np.save(tmp, value))
    elif suffix == ".npz":
        write_atomically(path, lambda tmp: np.savez(tmp, **outputs))
    else:
        raise FinnError(f"{path}: output must be an .npy or .npz file")


def run(args: argparse.Namespace) -> int:
    from finn_xdsl.sim.execute import execute, input_names

    if os.path.splitext(args.output)[1] not in (".npy", ".npz"):
        raise FinnError(f"{args.output}: output must be an .npy or .npz file")
    module = load_module(args.model)
    inputs = read_inputs(args.input, input_names(module))
    try:
        outputs = execute(module, inputs)
    except FinnError as e:
        raise FinnError(f"{args.model}: {e}") from None
    write_outputs(args.output, outputs)
    if args.print_ir:
        from finn_xdsl.utils.printing import print_elided

        print(print_elided(module))
    for name, value in outputs.items():
        print(f"{name}: {value.dtype}{list(value.shape)} -> {args.output}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    sys.exit(run_tool(lambda: run(args), args.debug))


if __name__ == "__main__":
    main()
