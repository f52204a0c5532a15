"""finn_xdsl.utils.atomic: a file appears whole or not at all, with the usual mode."""

from __future__ import annotations

import json
import os
import stat

import pytest

from finn_xdsl.utils.atomic import AtomicTextOutput, write_atomically, write_json_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_json_as_finn_writes_it(tmp_path):
    path = tmp_path / "r.json"
    write_json_atomic(path, {"a": 1, "b": [1, 2]})
    assert path.read_text() == json.dumps({"a": 1, "b": [1, 2]}, indent=2)
    umask = os.umask(0)
    os.umask(umask)
    assert _mode(path) == 0o666 & ~umask  # not mkstemp's 0600
    assert os.listdir(tmp_path) == ["r.json"]


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.npy"
    path.write_text("old")

    def fail(tmp: str) -> None:
        with open(tmp, "w") as f:
            f.write("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically(path, fail)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.npy"]


def test_text_output_only_when_closed_cleanly(tmp_path):
    path = tmp_path / "o.mlir"
    with AtomicTextOutput(str(path)) as out:
        out.write("module {}\n")
        assert not path.exists()
    assert path.read_text() == "module {}\n"

    other = tmp_path / "p.mlir"
    with pytest.raises(ValueError), AtomicTextOutput(str(other)) as out:
        out.write("half")
        raise ValueError
    assert not other.exists()
