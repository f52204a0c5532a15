"""The host side of a build: @main cut around its partition, stream packing, the -t driver."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest
from conftest import DATA, MODELS, model_path
from xdsl.context import Context

from finn_xdsl.errors import FinnError
from finn_xdsl.sim.execute import execute
from finn_xdsl.sim.host import (
    StreamFormat,
    input_formats,
    output_formats,
    pack_input,
    split_host,
    unpack_output,
)


@pytest.fixture(scope="module")
def folded():
    """Each model lowered with to-folded at 1e4 fps, once per module."""
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass

    cache = {}

    def get(name: str):
        if name not in cache:
            m = import_onnx(model_path(f"{name}_ts_clean"))
            ToFoldedPass(target_fps=10000).apply(Context(), m)
            cache[name] = m
        return cache[name]

    return get


def _inputs(name: str) -> list[np.ndarray]:
    """The sample input and two random ones over its value range."""
    x = np.load(DATA / f"{name}_input.npy").astype(np.float32)
    rng = np.random.default_rng(1)
    rand = [rng.uniform(x.min(), x.max(), x.shape) for _ in range(2)]
    if np.all(x == np.round(x)):
        rand = [np.round(r) for r in rand]
    return [x] + [r.astype(np.float32) for r in rand]


@pytest.mark.parametrize("name", MODELS)
def test_pre_partition_post_equals_execute(folded, name):
    """pre-part -> pack -> unpack -> partition -> pack -> unpack -> post-part is bit-exact
    with executing the whole module, on the sample and random inputs."""
    module = folded(name)
    split = split_host(module)
    fin, fout = input_formats(module)[0], output_formats(module)[0]
    for x in _inputs(name):
        want = execute(module, [x])
        pre = split.run_pre([x])
        beats = pack_input(module, pre[0])
        assert len(beats) == fin.beats and all(0 <= b < (1 << fin.width) for b in beats)
        part = split.run_partition([fin.unpack(beats)])
        out_beats = fout.pack(part[0].reshape(fout.shape))
        got = split.run_post([unpack_output(module, out_beats)], pre)
        assert list(got) == list(want)
        for k in want:
            assert got[k].dtype == want[k].dtype and np.array_equal(got[k], want[k])


FORMATS = [
    StreamFormat((1, 8, 6), 3, 2, True, False, "INT2"),
    StreamFormat((1, 12), 4, 1, False, True, "BIPOLAR"),
    StreamFormat((2, 10), 5, 7, False, False, "UINT7"),
    StreamFormat((1, 1, 1, 10), 1, 16, True, False, "INT16"),
    StreamFormat((1, 64), 64, 1, False, False, "BINARY"),
]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f"{f.dtype}x{f.lanes}")
def test_pack_unpack_round_trip(fmt):
    """Every value of the type, at every lane, survives pack -> unpack; lane 0 is in the LSBs."""
    rng = np.random.default_rng(0)
    if fmt.bipolar:
        x = rng.choice([-1, 1], fmt.shape)
    else:
        lo, hi = (-(1 << (fmt.bits - 1)), (1 << (fmt.bits - 1))) if fmt.signed else (0, 1 << fmt.bits)
        x = rng.integers(lo, hi, fmt.shape)
        x.reshape(-1)[: hi - lo] = np.arange(lo, hi)[: x.size]
    beats = fmt.pack(x.astype(np.float32))
    assert len(beats) == fmt.beats
    assert all(0 <= b < (1 << (fmt.lanes * fmt.bits)) for b in beats)
    first = int(x.reshape(-1)[0])
    code = (first > 0) if fmt.bipolar else first & ((1 << fmt.bits) - 1)
    assert beats[0] & ((1 << fmt.bits) - 1) == code
    assert np.array_equal(fmt.unpack(beats), x.astype(np.float32))


def test_pack_errors_are_one_line():
    fmt = FORMATS[0]
    with pytest.raises(FinnError, match="shape"):
        fmt.pack(np.zeros((1, 8, 5)))
    with pytest.raises(FinnError, match="non-integer"):
        fmt.pack(np.full(fmt.shape, 0.5))
    with pytest.raises(FinnError, match="beats"):
        fmt.unpack([0, 1])


def test_no_partition_is_an_error(imported):
    module = imported("tfc_2w2a_ts_clean")
    with pytest.raises(FinnError, match="0 dataflow partitions"):
        split_host(module)


@pytest.mark.parametrize("name", ["tfc_1w1a", "cnv_2w2a"])
def test_driver_packs_like_the_host(folded, name, tmp_path):
    """-t driver's standalone driver.py (numpy + its copy of packing.py) packs the partition
    input into the same beats as the host, as little-endian DMA words, and unpacks outputs."""
    from finn_xdsl.backends.driver import DriverTarget

    module = folded(name)
    DriverTarget(dir=str(tmp_path)).emit(Context(), module, sys.stderr)
    sys.path.insert(0, str(tmp_path))
    try:
        spec = importlib.util.spec_from_file_location(f"driver_{name}", tmp_path / "driver.py")
        drv = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(drv)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("packing", None)
    split = split_host(module)
    fin, fout = input_formats(module)[0], output_formats(module)[0]
    xs = [split.run_pre([x])[0] for x in _inputs(name)]
    assert drv.input_beats(xs[0]) == fin.pack(xs[0])
    buf = drv.pack_input(np.concatenate(xs, axis=0))
    assert buf.dtype == np.uint8 and buf.shape == (len(xs), *fin.folded_shape[1:-1], fin.width // 8)
    words = buf.reshape(len(xs), -1, fin.width // 8)
    for x, w in zip(xs, words):
        assert [int.from_bytes(bytes(b), "little") for b in w] == fin.pack(x)
    ys = [split.run_partition([x])[0].reshape(fout.shape) for x in xs]
    out_buf = np.array(
        [[byte for beat in fout.pack(y) for byte in beat.to_bytes(fout.width // 8, "little")] for y in ys],
        dtype=np.uint8,
    )
    assert np.array_equal(drv.unpack_output(out_buf), np.concatenate(ys, axis=0))
    assert drv.IO_SHAPE_DICT["inputs"][0]["idt"] == fin.dtype
    assert drv.IO_SHAPE_DICT["outputs"][0]["oshape_packed"] == [*fout.folded_shape[:-1], fout.width // 8]


def test_values_from_before_the_partition_are_carried():
    """A post-part that uses a value defined before the partition (here: the scale constants,
    moved up) gets it as an extra argument from the pre-part; results stay bit-exact."""
    from finn_xdsl.dialects import qonnx
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.to_folded import ToFoldedPass
    from finn_xdsl.sim.execute import entry_function
    from finn_xdsl.sim.host import the_partition

    module = import_onnx(model_path("tfc_1w1a_ts_clean"))
    ToFoldedPass(target_fps=10000).apply(Context(), module)
    part = the_partition(module)
    block = entry_function(module).body.block
    after = list(block.ops)[list(block.ops).index(part) + 1:]
    moved = [op for op in after if isinstance(op, qonnx.ConstantOp)]
    assert moved
    for op in moved:
        op.detach()
        block.insert_op_before(op, part)
    split = split_host(module)
    assert len(split.carried) == len(moved)
    x = _inputs("tfc_1w1a")[1]
    pre = split.run_pre([x])
    got = split.run_post(split.run_partition(pre[: split.n_inputs]), pre)
    want = execute(module, [x])
    assert all(np.array_equal(got[k], want[k]) for k in want)
