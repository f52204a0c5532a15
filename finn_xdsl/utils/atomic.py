"""
Output files that appear only when complete: the one way finn-xdsl writes a file that a
reader (a user, a resumed build, a second process) may look at while we write it.

A file is written under a temporary name in its own directory and then renamed over the
destination (`os.replace`, atomic on POSIX within one file system), so an error or an
interrupt leaves either the old file or none, never a truncated one. The temporary file
gets the mode an ordinary `open(path, "w")` would give (mkstemp makes it 0600).
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable


def write_atomically(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call write(tmp_path), then move tmp_path to path: a failure leaves no partial file."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.splitext(path)[1])
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomically(path: str | os.PathLike, text: str) -> None:
    """`text` to `path`, atomically."""

    def write(tmp: str) -> None:
        with open(tmp, "w") as f:
            f.write(text)

    write_atomically(path, write)


def write_json_atomic(path: str | os.PathLike, obj: object) -> None:
    """json.dump(obj, indent=2) to `path` (FINN's report layout, no trailing newline), atomically."""
    write_text_atomically(path, json.dumps(obj, indent=2))


class AtomicTextOutput(io.StringIO):
    """A text stream that reaches its file only when closed without an error in flight."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def close(self) -> None:
        if not self.closed and sys.exc_info()[0] is None:
            write_text_atomically(self.path, self.getvalue())
        super().close()
