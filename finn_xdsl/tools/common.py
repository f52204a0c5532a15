"""
What the command-line tools share: the rule that a user error ends the program with one
`error:` line and exit code 1. Output files that appear only when complete are
`finn_xdsl.utils.atomic`'s; loading models is `finn_xdsl.frontend.load`'s (the build flow
needs it too).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError

from finn_xdsl.errors import FinnError
from finn_xdsl.utils.diagnostics import parse_error_message


def user_error_message(e: BaseException) -> str | None:  # noqa: C901
    """The one-line message for an error caused by the user's input, else None."""
    match e:
        case FinnError():
            return str(e)
        case ArgSpecParseError():
            # xDSL's pass/target spec syntax error: "<what> at pass-pipeline:1:32"
            lines = [line.strip() for line in str(e).splitlines() if line.strip()]
            where = next((line for line in lines if ":" in line and line.split(":")[0] in
                          ("pass-pipeline", "spec")), "")
            return (
                f"pass or target options: {lines[-1]}{' at ' + where if where else ''} in "
                f"'{lines[-3] if len(lines) >= 3 else ''}'; quote values containing / or -, "
                'e.g. file="out/config.json"'
            )
        case ParseError():
            return parse_error_message(e)
        case DiagnosticException():
            text = " ".join(str(e).split())
            return text if len(text) < 400 else _short(e)
        case OSError():
            where = f"{e.filename}: " if e.filename else ""
            return f"{where}{e.strerror or e}"
    return None


def run_tool(main: Callable[[], int | None], debug: bool) -> int:
    """Run a tool's body; every error becomes one line on stderr and a non-zero exit.

    User errors exit with 1. Anything else is a bug in finn-xdsl: it exits with 2 and
    asks for a report. `debug` adds the traceback, for bug reports.
    """
    try:
        return main() or 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except (Exception, ArgSpecParseError) as e:  # ArgSpecParseError is a BaseException
        if debug:
            traceback.print_exc()
        message = user_error_message(e)
        if message is not None:
            print(f"error: {message}", file=sys.stderr)
            return 1
        print(
            f"error: internal error in finn-xdsl ({type(e).__name__}: {' '.join(str(e).split())}); "
            "rerun with --debug and report the traceback",
            file=sys.stderr,
        )
        return 2


def _short(e: Exception) -> str:
    """A long xDSL diagnostic (it prints the whole module) cut to its message line."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    msgs = [line.strip("^ ") for line in lines if "does not verify" in line or "Error" in line]
    return msgs[0] if msgs else lines[0]
