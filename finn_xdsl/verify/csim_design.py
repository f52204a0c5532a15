"""
Whole-design C-simulation: every HLS layer of the partition, as `-t hls` wrote it, run in
one g++ program on many frames and checked bit-exact against the reference interpreter.

    result = simulate_csim(module, hls_dir, work_dir, frames)   # frames: partition inputs
    result.frames_per_second                                     # run time only

The generated `main.cpp` #includes every layer's `<hls_dir>/<L>/<L>.cpp` into one
translation unit (legal because everything but the top function `L` lives in
`namespace L_impl`), declares one `hls::stream` per SSA stream of the partition and calls
the layers once per frame in block order — a topological order, since SSA values are
defined before use. One call processes exactly one frame (the `-t hls` contract), so this
sequential schedule is a valid run of the dataflow graph: C-simulation checks values, not
timing, which is what RTL simulation (design_sim) is for.

Layers that are not HLS code:
- StreamingFIFO (always rtl) only buffers beats: in C-simulation it *is* the stream
  between its producer and consumer (hls::stream is unbounded).
- dataflow.reshape is a wire. Its verifier keeps element type and lanes and requires the
  lanes to divide both last dimensions, so beat k on either side holds the flat elements
  [k·lanes, (k+1)·lanes) of the same row-major order: the beats are identical and the
  stream passes through unchanged (`_alias` re-checks that on the types).
- anything else with impl != "hls" cannot run here: a one-line FinnError names it.
Fan-out happens only through DuplicateStreams (one stream, one reader), as in hardware.

The program also checks the schedule itself after every frame: each internal stream is
empty again, the input lost exactly one frame and the output gained exactly one, so a
layer that reads or writes the wrong number of beats fails at the frame it happens in
(exit code 2 with the stream's name) instead of shifting every later frame.

Timing: compile (csim.build, cached by source text, so a rebuild of unchanged sources
costs ~0 s) and run (the executable over all frames, process start to exit, hex files
already written) are measured separately.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.dialects.dataflow_types import StreamType
from finn_xdsl.errors import FinnError
from finn_xdsl.verify import csim
from finn_xdsl.verify.csim_layer import ap_int_max_w
from finn_xdsl.verify.design_sim import expected_beats
from finn_xdsl.sim.host import input_formats, output_formats, the_partition

IN_PORT = "s_axis_0"  # hex file stems: the stitched design's top-level port names
OUT_PORT = "m_axis_0"


@dataclass(frozen=True)
class CsimResult:
    """What one whole-design C-simulation cost (all frames matched the reference)."""

    frames: int
    compile_seconds: float  # csim.build wall time (≈ 0 when the executable was cached)
    run_seconds: float  # the executable over all frames, process start to exit

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.run_seconds


@dataclass
class _Stream:
    name: str  # C++ identifier
    label: str  # what hls::stream reports in its warnings
    width: int  # padded TDATA bits
    readers: int = 0


@dataclass
class _Plan:
    """The partition as C++: streams, layer calls in order, the design's ports."""

    streams: list[_Stream] = field(default_factory=list)
    by_value: dict[SSAValue, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)  # each layer's L.cpp
    inp: int = 0
    out: int = 0

    def new(self, value: SSAValue, label: str) -> int:
        assert isinstance(value.type, StreamType)
        self.streams.append(_Stream(f"s{len(self.streams)}", label, value.type.padded_width_bits))
        self.by_value[value] = len(self.streams) - 1
        return self.by_value[value]

    def read(self, value: SSAValue) -> str:
        s = self.streams[self.by_value[value]]
        s.readers += 1
        return s.name


def _alias(op: df.DataflowOperation) -> bool:
    """Whether `op` is a stream in C-simulation: a FIFO, or a reshape whose beats are
    provably the same on both sides (same element type, lanes, and element count)."""
    if isinstance(op, df.FIFOOp):
        return True
    if not isinstance(op, df.ReshapeOp):
        return False
    x, y = op.in_type(), op.out_type()
    if (x.element_type, x.num_lanes, x.beats()) != (y.element_type, y.num_lanes, y.beats()):
        raise FinnError(f"C-simulation: reshape '{op.display_name}' changes the beats ({x} -> {y}); "
                        "it must be a pure wire")
    return True


def _plan(module: ModuleOp, hls_dir: Path) -> _Plan:
    part = the_partition(module)
    if len(part.block.args) != 1 or len(part.outputs) != 1:
        raise FinnError("whole-design C-simulation supports partitions with one input and one output stream")
    plan = _Plan()
    plan.inp = plan.new(part.block.args[0], IN_PORT)
    for op in part.block.ops:
        if isinstance(op, df.YieldOp):
            plan.read(op.values[0])
            plan.out = plan.by_value[op.values[0]]
            continue
        assert isinstance(op, df.DataflowOperation)
        name = op.display_name
        if _alias(op):
            plan.by_value[op.results[0]] = plan.by_value[op.operands[0]]
            continue
        if op.impl.data != "hls":
            raise FinnError(
                f"C-simulation of {part.display_name}: layer {name} is impl=\"{op.impl.data}\", not HLS; "
                "use prefer=hls / finn-build --impl hls"
            )
        source = hls_dir / name / f"{name}.cpp"
        if not source.is_file():
            raise FinnError(f"C-simulation: no {source} (write the HLS layers with -t hls{{dir={hls_dir}}} first)")
        plan.sources.append(source)
        args = [plan.read(v) for v in op.operands]
        args += [plan.streams[plan.new(r, f"{name}.out{j}_V")].name for j, r in enumerate(op.results)]
        plan.calls.append(f"{name}({', '.join(args)});")
    for s in plan.streams:
        if s.readers != 1:
            why = "nobody reads it" if s.readers == 0 else f"{s.readers} layers read it (fan-out needs a DuplicateStreams)"
            raise FinnError(f"C-simulation of {part.display_name}: stream {s.label}: {why}")
    return plan


_MAIN = """\
// Whole-design C-simulation of {partition}, written by finn_xdsl.verify.csim_design.
{max_w}#include <cstddef>
#include <string>
#include "fx_csim.hpp"
{includes}

namespace {{

constexpr std::size_t IN_BEATS = {in_beats};
constexpr std::size_t OUT_BEATS = {out_beats};

template <int W>
void expect_size(hls::stream<ap_uint<W>>& s, std::size_t words, const char* name, std::size_t frame) {{
    if (s.size() != words)
        fx_csim::fail("after frame " + std::to_string(frame) + ", stream " + name + " holds " +
                      std::to_string(s.size()) + " words, expected " + std::to_string(words));
}}

}}  // namespace

int main(int argc, char** argv) {{
    if (argc != 2) fx_csim::fail("usage: csim RUN_DIR");
{decls}
    fx_csim::load<{in_width}>(argv[1], "{in_port}", {in_name});
    if ({in_name}.size() % IN_BEATS != 0) fx_csim::fail("the input is not a whole number of frames");
    const std::size_t frames = {in_name}.size() / IN_BEATS;
    for (std::size_t f = 0; f < frames; f++) {{
{calls}
{checks}
    }}
    fx_csim::store<{out_width}>(argv[1], "{out_port}", {out_name});
    return 0;
}}
"""


def design_main(module: ModuleOp, hls_dir: Path) -> str:
    """The C++ main of the whole-design C-simulation of `module`'s partition."""
    return _source(module, _plan(module, Path(hls_dir).resolve()))


def _source(module: ModuleOp, plan: _Plan) -> str:
    inp, out = plan.streams[plan.inp], plan.streams[plan.out]
    max_w = ap_int_max_w(plan.sources)  # before anything includes ap_int.h
    checks = [f'        expect_size({inp.name}, (frames - f - 1) * IN_BEATS, "{inp.label}", f);']
    checks += [f'        expect_size({s.name}, 0, "{s.label}", f);' for s in plan.streams if s not in (inp, out)]
    checks.append(f'        expect_size({out.name}, (f + 1) * OUT_BEATS, "{out.label}", f);')
    return _MAIN.format(
        partition=the_partition(module).display_name,
        max_w=f"#define AP_INT_MAX_W {max_w}\n" if max_w else "",
        includes="\n".join(f'#include "{s}"' for s in plan.sources),
        in_beats=input_formats(module)[0].beats,
        out_beats=output_formats(module)[0].beats,
        decls="\n".join(f'    hls::stream<ap_uint<{s.width}>> {s.name}("{s.label}");' for s in plan.streams),
        in_width=inp.width, in_port=IN_PORT, in_name=inp.name,
        out_width=out.width, out_port=OUT_PORT, out_name=out.name,
        calls="\n".join(f"        {c}" for c in plan.calls),
        checks="\n".join(checks),
    )


def build_csim(module: ModuleOp, hls_dir: Path, work_dir: Path) -> tuple[Path, float]:
    """Generate and compile the whole-design main in `work_dir`: (executable, seconds).
    The templates come from the folder's own include/ copies (it is self-contained), and
    every generated file the main pulls in is part of csim.build's rebuild key."""
    hls_dir = Path(hls_dir).resolve()
    plan = _plan(module, hls_dir)
    depends = [f for s in plan.sources for f in sorted(s.parent.iterdir()) if f.suffix in (".cpp", ".hpp")]
    start = time.perf_counter()
    exe = csim.build(_source(module, plan), Path(work_dir), [hls_dir / "include"], library=False, depends=depends)
    return exe, time.perf_counter() - start


def run_csim(exe: Path, module: ModuleOp, run_dir: Path, frames: Sequence[np.ndarray]) -> tuple[list[list[int]], float]:
    """Run a built whole-design C-simulation on partition-input frames: (each frame's
    output beats, seconds from process start to exit)."""
    if not frames:
        raise FinnError("whole-design C-simulation needs at least one frame")
    fin, fout = input_formats(module)[0], output_formats(module)[0]
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / f"{IN_PORT}.in.hex").write_text("".join(f"{b:x}\n" for f in frames for b in fin.pack(f)))
    start = time.perf_counter()
    beats = csim.run(exe, run_dir, {}).get(OUT_PORT, [])
    seconds = time.perf_counter() - start
    if len(beats) != len(frames) * fout.beats:
        raise FinnError(f"C-simulation {exe} wrote {len(beats)} output beats for {len(frames)} frames "
                        f"of {fout.beats} beats")
    return [beats[i * fout.beats:(i + 1) * fout.beats] for i in range(len(frames))], seconds


def first_mismatch(got: Sequence[Sequence[int]], expected: Sequence[Sequence[int]]) -> str | None:
    """'frame F beat B got G, expected E' for the first differing beat, or None."""
    for f, (g, e) in enumerate(zip(got, expected, strict=True)):
        for b, (x, y) in enumerate(zip(g, e, strict=True)):
            if x != y:
                return f"frame {f} beat {b} got {x:#x}, expected {y:#x}"
    return None


def simulate_csim(module: ModuleOp, hls_dir: Path, work_dir: Path, frames: Sequence[np.ndarray],
                  expected: Sequence[Sequence[int]] | None = None) -> CsimResult:
    """C-simulate the partition's HLS layers (written by -t hls into `hls_dir`) on
    `frames` (partition input tensors); raises FinnError at the first output beat that
    differs from `expected` (default: the reference interpreter's beats,
    design_sim.expected_beats)."""
    work_dir = Path(work_dir)
    exe, compile_seconds = build_csim(module, hls_dir, work_dir)
    got, run_seconds = run_csim(exe, module, work_dir / "run", frames)
    want = expected_beats(module, frames) if expected is None else expected
    if len(want) != len(got) or any(len(w) != len(g) for w, g in zip(want, got)):
        raise FinnError(f"C-simulation: {len(want)} expected frames do not match the {len(got)} simulated ones in length")
    bad = first_mismatch(got, want)
    if bad:
        raise FinnError(f"C-simulation of {the_partition(module).display_name} differs from the reference: {bad}")
    return CsimResult(len(frames), compile_seconds, run_seconds)
