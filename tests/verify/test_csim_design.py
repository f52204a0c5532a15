"""Whole-design C-simulation (finn_xdsl.verify.csim_design): every HLS layer of a real model,
written by -t hls, in one g++ program over many frames, bit-exact against the interpreter.

Models are lowered with to-folded{target-fps=10000 prefer=hls}, insert-dwc and
insert-fifos, so FIFOs (the stream itself in C-simulation) and width converters are in the
graph. Each model is compiled once (module fixture); the tests reuse the executable.
FINN_XDSL_FULL_BUILD=1 adds the other four bundled models.
"""

from __future__ import annotations

import os
import re
import shutil

import numpy as np
import pytest
from conftest import DATA, MODELS, model_path
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness
from xdsl.ir import Block, Region

from finn_xdsl.backends.hls import emit_hls
from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.sim.host import split_host, the_partition
from finn_xdsl.verify.csim_design import build_csim, design_main, simulate_csim
from finn_xdsl.verify.design_sim import expected_beats

FULL = os.environ.get("FINN_XDSL_FULL_BUILD") == "1"
DEFAULT = ["tfc_2w2a", "cnv_1w1a"]


def force_hls(module: ModuleOp) -> None:
    """impl="hls" on every layer but FIFOs and reshape wires: independent of how far
    specialize{prefer=hls} and insert-dwc's own choice of DWC style have come."""
    for op in the_partition(module).layers():
        if not isinstance(op, df.FIFOOp | df.ReshapeOp) and op.impl.data != "hls":
            op.set_values(impl="hls")


def lower(name: str) -> ModuleOp:
    from finn_xdsl.frontend.load import make_context
    from finn_xdsl.frontend.qonnx import import_onnx
    from finn_xdsl.passes.insert_dwc import InsertDwcPass
    from finn_xdsl.passes.insert_fifos import InsertFifosPass
    from finn_xdsl.passes.to_folded import ToFoldedPass

    module = import_onnx(model_path(f"{name}_ts_clean"))
    ctx = make_context()
    for p in (ToFoldedPass(target_fps=10000, prefer="hls"), InsertDwcPass(), InsertFifosPass()):
        p.apply(ctx, module)
    force_hls(module)
    return module


def sample_frames(module: ModuleOp, name: str, n: int, seed: int) -> list[np.ndarray]:
    """The model's sample input and n - 1 random images, as partition inputs."""
    split = split_host(module)
    x = np.load(DATA / f"{name}_input.npy").astype(np.float32)
    rng = np.random.default_rng(seed)
    xs = [x] + [rng.uniform(0, 1, x.shape).astype(np.float32) for _ in range(n - 1)]
    return [split.run_pre([v])[0] for v in xs]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """name -> (module, hls_dir, work_dir), lowered, emitted and compiled once per model."""
    cache: dict[str, tuple] = {}

    def get(name: str):
        if name not in cache:
            module = lower(name)
            root = tmp_path_factory.mktemp(name)
            emit_hls(module, root / "hls")
            build_csim(module, root / "hls", root / "csim")
            cache[name] = (module, root / "hls", root / "csim")
        return cache[name]

    return get


MODEL_CASES = [pytest.param(m, marks=[] if m in DEFAULT or FULL else
                            [pytest.mark.skip(reason="FINN_XDSL_FULL_BUILD=1 runs it")]) for m in MODELS]


@pytest.mark.parametrize("name", MODEL_CASES)
def test_model_is_bit_exact(built, name):
    """Sample input + 3 random frames through every layer, FIFOs and DWCs included; the
    layers run once per frame and every stream is checked to be drained between frames."""
    module, hls_dir, work = built(name)
    kinds = {type(op) for op in the_partition(module).layers()}
    assert df.FIFOOp in kinds and df.MVAUOp in kinds
    if name.startswith("cnv"):
        assert {df.DWCOp, df.SWGOp, df.StreamingMaxPoolOp} <= kinds
    res = simulate_csim(module, hls_dir, work, sample_frames(module, name, 4, seed=1))
    assert res.frames == 4 and res.run_seconds > 0 and res.frames_per_second > 0
    assert res.compile_seconds < 5  # the fixture built it: the cached executable is reused


def test_main_calls_each_hls_layer_once_per_frame(built):
    """The generated program: one call per HLS layer in graph order, no call for FIFOs."""
    module, hls_dir, _ = built("tfc_2w2a")
    text = design_main(module, hls_dir)
    layers = the_partition(module).layers()
    hls = [op.display_name for op in layers if op.impl.data == "hls"]
    calls = re.findall(r"^        (\w+)\(s\d+(?:, s\d+)*\);$", text, re.MULTILINE)
    assert calls == hls
    assert not any(isinstance(op, df.FIFOOp) and op.display_name in text for op in layers)


def test_a_wrong_expected_beat_is_reported(built):
    """The comparison really compares: one flipped bit of the reference output is reported
    with its frame and beat."""
    module, hls_dir, work = built("tfc_2w2a")
    frames = sample_frames(module, "tfc_2w2a", 3, seed=2)
    want = expected_beats(module, frames)
    want[1][3] ^= 1
    with pytest.raises(FinnError, match=r"differs from the reference: frame 1 beat 3 got 0x[0-9a-f]+, expected"):
        simulate_csim(module, hls_dir, work, frames, expected=want)


def test_a_corrupted_weight_is_caught(built, tmp_path):
    """A wrong constant in a generated layer (bit 0 of the last MVAU's first weight word,
    i.e. W[0][0] of the output layer, in a copy of the -t hls folder) makes the
    C-simulation differ from the reference: the check sees the generated code, not only
    our own bookkeeping."""
    module, hls_dir, _ = built("tfc_2w2a")
    last = [op for op in the_partition(module).layers() if isinstance(op, df.MVAUOp)][-1].display_name
    bad = tmp_path / "hls"
    shutil.copytree(hls_dir, bad)
    params = bad / last / f"{last}_params.hpp"
    text = params.read_text()
    word = re.compile(r"\bweights\[\d+\] = \{\s*(0x[0-9a-fA-F]+)").search(text)
    params.write_text(text[:word.start(1)] + hex(int(word.group(1), 16) ^ 1) + text[word.end(1):])
    with pytest.raises(FinnError, match=r"differs from the reference: frame \d+ beat \d+ got"):
        simulate_csim(module, bad, tmp_path / "csim", sample_frames(module, "tfc_2w2a", 4, seed=3))


def test_a_non_hls_layer_is_a_one_line_error(built, tmp_path):
    """A mixed design cannot be C-simulated: the first non-HLS layer is named, no compile."""
    module, hls_dir, _ = built("tfc_2w2a")
    mixed = module.clone()
    mvau = [op for op in the_partition(mixed).layers() if isinstance(op, df.MVAUOp)][1]
    mvau.set_values(impl="rtl")
    with pytest.raises(FinnError) as err:
        simulate_csim(mixed, hls_dir, tmp_path / "csim", sample_frames(mixed, "tfc_2w2a", 1, seed=0))
    msg = str(err.value)
    assert "\n" not in msg
    assert f'layer {mvau.display_name} is impl="rtl", not HLS' in msg
    assert "use prefer=hls / finn-build --impl hls" in msg
    assert not (tmp_path / "csim").exists()


def test_missing_layer_source_is_an_error(built, tmp_path):
    module, _, _ = built("tfc_2w2a")
    with pytest.raises(FinnError, match=r"no .*MVAU_hls_0\.cpp \(write the HLS layers with -t hls"):
        simulate_csim(module, tmp_path / "empty", tmp_path / "csim", sample_frames(module, "tfc_2w2a", 1, seed=0))


# ----------------------------------------------------------------------------- hand-made graphs


def _si(bits: int) -> IntegerType:
    return IntegerType(bits, Signedness.SIGNED)


def _module(shape: tuple[int, ...], lanes: int, body) -> ModuleOp:
    """@main: one si8 partition input of `shape` streamed with `lanes`, layers by `body`."""
    stream = df.StreamType.of(shape, _si(8), lanes)
    block = Block(arg_types=[stream.tensor])
    part = df.PartitionOp.wrap(block.args, "StreamingDataflowPartition_0", body, [lanes])
    block.add_op(part)
    block.add_op(func.ReturnOp(*part.results))
    module = ModuleOp([func.FuncOp("main", ([stream.tensor], list(part.result_types)), Region(block))])
    module.verify()
    return module


def _random_frames(shape: tuple[int, ...], n: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(-128, 128, shape).astype(np.float32) for _ in range(n)]


def _reshape_module() -> ModuleOp:
    """Thresholding (1,2,3,4) -> reshape (1,24) -> Thresholding, 2 lanes, as the
    conv-to-FC flatten sits."""
    rng = np.random.default_rng(5)
    t1 = np.sort(rng.integers(-60, 60, (4, 3)), axis=1)
    t2 = np.sort(rng.integers(-2, 3, (24, 1)), axis=1)

    def body(x):
        a = df.ThresholdingOp(x, t1, _si(3), node_name="Thresholding_hls_0", act_val=-1, impl="hls")
        r = df.ReshapeOp(a, (1, 24), node_name="Reshape_0")
        return df.ThresholdingOp(r, t2, _si(2), node_name="Thresholding_hls_1", act_val=-1, impl="hls").results

    return _module((1, 2, 3, 4), 2, body)


def test_a_reshape_passes_the_stream_through(tmp_path):
    """The reshape is a wire (the same stream feeds the next layer) and the result matches
    the interpreter, which reshapes the tensor, on 20 frames."""
    module = _reshape_module()
    emit_hls(module, tmp_path / "hls")
    text = design_main(module, tmp_path / "hls")
    assert "Thresholding_hls_0(s0, s1);" in text and "Thresholding_hls_1(s1, s2);" in text
    res = simulate_csim(module, tmp_path / "hls", tmp_path / "csim", _random_frames((1, 2, 3, 4), 20, 6))
    assert res.frames == 20


def test_a_layer_that_miscounts_beats_fails_at_that_frame(tmp_path):
    """The per-frame stream checks: a layer that writes one beat too few per call (the
    loop bound of its generated output glue edited) stops the program after frame 0,
    naming the stream, instead of shifting every later frame."""
    module = _reshape_module()
    emit_hls(module, tmp_path / "hls")
    source = tmp_path / "hls" / "Thresholding_hls_1" / "Thresholding_hls_1.cpp"
    text, n = re.subn(r"(void glue_out0_V\(.*\n\s*for \(unsigned i = 0; i < )12;", r"\g<1>11;", source.read_text())
    assert n == 1
    source.write_text(text)
    with pytest.raises(FinnError, match=r"after frame 0, stream Thresholding_hls_1\.out0_V holds 11 words, expected 12"):
        simulate_csim(module, tmp_path / "hls", tmp_path / "csim", _random_frames((1, 2, 3, 4), 3, 6))


def test_fan_out_and_join(tmp_path):
    """A residual shape: DuplicateStreams -> (Thresholding | FIFO) -> AddStreams. Layers
    with several output or input ports get one stream each, in port order."""
    t = np.sort(np.random.default_rng(7).integers(-100, 100, (6, 15)), axis=1)

    def body(x):
        dup = df.DuplicateStreamsOp(x, 2, node_name="DuplicateStreams_hls_0", impl="hls")
        thr = df.ThresholdingOp(dup.results[0], t, _si(8), node_name="Thresholding_hls_0", act_val=-8, impl="hls")
        skip = df.FIFOOp(dup.results[1], 4, node_name="StreamingFIFO_rtl_0", impl="rtl")
        return df.AddStreamsOp(thr, skip, _si(9), node_name="AddStreams_hls_0", impl="hls").results

    module = _module((1, 5, 6), 3, body)
    emit_hls(module, tmp_path / "hls")
    text = design_main(module, tmp_path / "hls")
    assert "DuplicateStreams_hls_0(s0, s1, s2);" in text and "AddStreams_hls_0(s3, s2, s4);" in text
    res = simulate_csim(module, tmp_path / "hls", tmp_path / "csim", _random_frames((1, 5, 6), 10, 8))
    assert res.frames == 10


def test_fan_out_without_duplicate_streams_is_an_error(tmp_path):
    """One stream read by two ports cannot be hardware (AXI-Stream has one reader)."""

    def body(x):
        return df.AddStreamsOp(x, x, _si(9), node_name="AddStreams_hls_0", impl="hls").results

    module = _module((1, 4), 2, body)
    emit_hls(module, tmp_path / "hls")
    with pytest.raises(FinnError, match=r"stream s_axis_0: 2 layers read it \(fan-out needs a DuplicateStreams\)"):
        simulate_csim(module, tmp_path / "hls", tmp_path / "csim", _random_frames((1, 4), 1, 0))
