"""
finn-opt: xdsl-opt with finn-xdsl's dialects, passes and targets.

Reads `.mlir` (any level) or `.onnx` (through the QONNX frontend), runs a pass pipeline
(`-p 'pass{opt=v},pass'`) and prints the result with a target (`-t mlir` by default).
All of xdsl-opt's options work as they do there (`--split-input-file`,
`--verify-diagnostics`, `--print-op-generic`, `--time-passes`, ...). Errors in the input
print one `error:` line and exit 1; `--debug` shows the traceback too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.xdsl_opt_main import xDSLOptMain

from finn_xdsl.frontend.load import parse_mlir, register_dialects
from finn_xdsl.tools.common import run_tool
from finn_xdsl.utils.atomic import AtomicTextOutput
from finn_xdsl.utils.diagnostics import verify_module

# generic xDSL passes that are useful on every level
_XDSL_PASSES = ("canonicalize", "cse", "dce")


class FinnOptMain(xDSLOptMain):
    version_format = "finn-opt (finn-xdsl), built on xdsl {xdsl_version}"

    def __init__(self, args: Sequence[str] | None = None):
        super().__init__(description="finn-xdsl modular optimizer driver", args=args)

    def register_all_dialects(self):
        register_dialects(self.ctx)

    def register_all_passes(self):
        from xdsl.transforms import get_all_passes

        from finn_xdsl.passes import get_all_passes as get_finn_passes

        xdsl_passes = get_all_passes()
        for name in _XDSL_PASSES:
            self.register_pass(name, xdsl_passes[name])
        for name, factory in get_finn_passes().items():
            self.register_pass(name, factory)

    def register_all_targets(self):
        from xdsl.targets import get_all_targets

        from finn_xdsl.backends import get_all_targets as get_finn_targets

        self.available_targets["mlir"] = get_all_targets()["mlir"]
        self.available_targets.update(get_finn_targets())

    def register_all_frontends(self):
        def parse_mlir_input(io: IO[bytes]) -> ModuleOp:
            return parse_mlir(self.ctx, io.read(), self.get_input_name())

        def parse_onnx(io: IO[bytes]) -> ModuleOp:
            from finn_xdsl.frontend.qonnx import import_onnx

            return import_onnx(self.get_input_name(), io.read())

        self.available_frontends["mlir"] = parse_mlir_input
        self.available_frontends["onnx"] = parse_onnx

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser):
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--elide-constants",
            type=int,
            default=None,
            metavar="N",
            help="print dense attributes of more than N elements as dense_resource<__elided__> "
            "(readable, not parseable back; as mlir-opt's --mlir-elide-elementsattrs-if-larger)",
        )
        arg_parser.add_argument(
            "--debug",
            default=False,
            action="store_true",
            help="show the Python traceback of an error (for bug reports)",
        )

    def output_resulting_program(self, prog: ModuleOp) -> str:
        if self.args.elide_constants is None or self.args.target != "mlir":
            return super().output_resulting_program(prog)
        from finn_xdsl.utils.printing import print_elided

        return print_elided(prog, self.args.elide_constants) + "\n"

    def setup_pipeline(self):
        try:
            super().setup_pipeline()
        except (ValueError, TypeError) as e:
            from finn_xdsl.errors import FinnError

            passes = ", ".join(self.available_passes)
            raise FinnError(f"pass pipeline '{self.args.passes}': {e}; available passes: {passes}") from None

    def apply_passes(self, prog: ModuleOp):
        # Verify the input first so that a user's invalid IR gets a one-line message
        # naming the op; --verify-diagnostics keeps xdsl-opt's full report instead.
        if not (self.args.verify_diagnostics or self.args.disable_verify):
            verify_module(prog, self.get_input_name())
        super().apply_passes(prog)

    def prepare_output(self) -> IO[str]:
        if self.args.output_file is None:
            return sys.stdout
        return AtomicTextOutput(self.args.output_file)

    def prepare_input(self):
        try:
            return super().prepare_input()
        except ValueError as e:
            from finn_xdsl.errors import FinnError

            raise FinnError(f"{self.get_input_name()}: {e}; use .mlir or .onnx, or -f") from None


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    sys.exit(run_tool(lambda: FinnOptMain(argv).run(), "--debug" in argv))


if __name__ == "__main__":
    main()
