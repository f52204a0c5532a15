"""
Transaction-level timing simulation of a `dataflow.partition`: how many cycles a frame
takes in steady state, how full each FIFO gets, and whether the design deadlocks.

Every layer becomes a token model of its rtl/ module (`tokensim_layers`: counters and
credits, no data), every stream an `Edge`; the simulation clocks them with the RTL's
two-phase handshake (TVALID/TREADY from registered state, then the edge), cycle-exact
but only where something happens (`run_nodes`). Because our modules' timing never depends on data, the models are exact
(tests/sim/test_tokensim_rtl.py compares them with Verilator cycle by cycle), and a
frame of CNV costs well under a second instead of a Verilator build and run.

Partition inputs are sources that offer one beat per cycle (optionally released one
frame per `period` cycles, as a paced producer would), outputs are sinks that are always
ready. `simulate_partition` returns a `TimingResult`; `size-fifos` uses it twice: with
unbounded FIFOs and a paced source to see how full each FIFO must get, then with the
chosen depths and a full-speed source to confirm the throughput.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field

from finn_xdsl.dialects import dataflow as df
from finn_xdsl.errors import FinnError
from finn_xdsl.kernels import specs
from finn_xdsl.kernels.fifo import FIFO
from finn_xdsl.sim import tokensim_layers as tl

UNBOUNDED = 1 << 40


@dataclass
class TimingResult:
    """What one token simulation measured."""

    frame_done: list[int]  # cycle in which each output frame's last beat left
    peaks: dict[str, int]  # FIFO node name -> peak occupancy (beats)
    deadlock: bool
    cycles: int  # cycles simulated
    first_accept: list[int] = field(default_factory=list)  # cycle of each input beat's accept (input 0)
    out_times: list[int] = field(default_factory=list)  # cycle of each output beat (output 0)

    @property
    def cycles_per_frame(self) -> int:
        """Steady-state initiation interval: the gap between the last two frames."""
        d = self.frame_done
        if len(d) >= 2:
            return d[-1] - d[-2]
        return d[-1] if d else 0

    @property
    def latency(self) -> int:
        return self.frame_done[0] + 1 if self.frame_done else 0


class Source(tl.Node):
    """A partition input: `frames` frames of `beats` beats, one per cycle at most; frame f
    is not offered before cycle f·period."""

    def __init__(self, name: str, beats: int, frames: int, period: int, record: bool):
        super().__init__(name)
        self.beats, self.total, self.period = beats, beats * frames, period
        self.sent = 0
        self.times: list[int] | None = [] if record else None
        self.t = 0

    def valid(self, k: int) -> bool:
        return self.sent < self.total and self.t >= (self.sent // self.beats) * self.period

    def ready(self, k: int) -> bool:
        raise AssertionError("a source has no input")

    def tick(self, t: int) -> bool:
        self.t = t + 1
        if self.outs[0].fire:
            if self.times is not None:
                self.times.append(t)
            self.sent += 1
            return True
        return self.sent < self.total and self.t < (self.sent // self.beats) * self.period

    def quiet(self, t: int) -> int:
        release = (self.sent // self.beats) * self.period
        return release - t if self.sent < self.total and t < release else tl.NEVER

    def skip(self, t: int, k: int) -> None:
        self.t = t + k


class Sink(tl.Node):
    """A partition output, always ready; notes when each frame's last beat arrives."""

    def __init__(self, name: str, beats: int, record: bool):
        super().__init__(name)
        self.beats = beats
        self.got = 0
        self.done: list[int] = []
        self.times: list[int] | None = [] if record else None

    def valid(self, k: int) -> bool:
        raise AssertionError("a sink has no output")

    def ready(self, k: int) -> bool:
        return True

    def tick(self, t: int) -> bool:
        if self.ins[0].fire:
            self.got += 1
            if self.times is not None:
                self.times.append(t)
            if self.got % self.beats == 0:
                self.done.append(t)
            return True
        return False


def beats_of(t: df.StreamType) -> int:
    """Beats per frame of a stream."""
    return t.vectors() * (t.channels // t.num_lanes)


def model_of(op: df.DataflowOperation, fifo_depth: int | None = None) -> tl.Node:
    """The token model of one layer (its spec's), with the parameters its SystemVerilog
    wrapper gets; `fifo_depth` overrides a FIFO's depth."""
    spec = specs().get(type(op))
    if spec is None or spec.tokens is None:
        raise FinnError(f"tokensim: {op.display_name}: no timing model for {op.finn_op_type() or op.name}")
    return spec.tokens(op, fifo_depth)


def build(part: df.PartitionOp, frames: int, period: int, depths: Mapping[str, int] | None,
          record: bool) -> tuple[list[tl.Node], list[tl.Edge], list[Source], list[Sink], list[FIFO]]:
    """Nodes and edges of a partition (reshapes, and FIFOs of depth 0 in `depths`, are wires:
    their two sides share an edge)."""
    depths = depths or {}
    nodes: list[tl.Node] = []
    edges: dict[object, tl.Edge] = {}
    sources = [Source(f"in{i}", beats_of(a.type), frames, period, record)  # type: ignore[arg-type]
               for i, a in enumerate(part.block.args)]

    def is_wire(op) -> bool:
        return isinstance(op, df.ReshapeOp) or (isinstance(op, df.FIFOOp) and depths.get(op.display_name) == 0)

    def edge_of(value) -> tl.Edge:
        while is_wire(value.owner):
            value = value.owner.input
        if value not in edges:
            edges[value] = tl.Edge(str(value.name_hint or ""))
        return edges[value]

    for i, a in enumerate(part.block.args):
        sources[i].outs = [edge_of(a)]
    fifos: list[FIFO] = []
    for op in part.layers():
        if is_wire(op):
            continue
        node = model_of(op, depths.get(op.display_name))
        node.ins = [edge_of(v) for v in op.operands]
        node.outs = [edge_of(r) for r in op.results]
        nodes.append(node)
        if isinstance(node, FIFO):
            fifos.append(node)
    yield_op = part.block.last_op
    assert isinstance(yield_op, df.YieldOp)
    sinks = []
    for j, v in enumerate(yield_op.values):
        sink = Sink(f"out{j}", beats_of(v.type), record)  # type: ignore[arg-type]
        sink.ins = [edge_of(v)]
        sinks.append(sink)
    # every edge needs exactly one driver and one reader
    drivers: dict[int, int] = {}
    readers: dict[int, int] = {}
    for n in [*sources, *nodes, *sinks]:
        for e in n.outs:
            drivers[id(e)] = drivers.get(id(e), 0) + 1
        for e in n.ins:
            readers[id(e)] = readers.get(id(e), 0) + 1
    for v, e in edges.items():
        if drivers.get(id(e), 0) != 1 or readers.get(id(e), 0) != 1:
            raise FinnError(f"tokensim: {part.display_name}: stream {e.name or v} needs one producer and "
                            f"one consumer (use dataflow.duplicate_streams to fork)")
    return [*sources, *nodes, *sinks], list(edges.values()), sources, sinks, fifos


def simulate_partition(part: df.PartitionOp, frames: int = 3, *, depths: Mapping[str, int] | None = None,
                       unbounded: bool = False, period: int = 0, max_cycles: int | None = None,
                       record: bool = False) -> TimingResult:
    """Run `frames` frames through the partition's token models.

    depths: FIFO node name -> depth override (0: the FIFO is left out, a wire); unbounded: every FIFO infinitely deep;
    period: release input frame f at cycle f·period (0: as fast as the design takes them);
    max_cycles: give up after this many cycles (default: generous, from the layers' cycles).
    record: keep the cycle of every beat on input 0 and output 0 (for the RTL comparison).
    """
    if unbounded:
        depths = {op.display_name: UNBOUNDED for op in part.layers() if isinstance(op, df.FIFOOp)}
    nodes, _, sources, sinks, fifos = build(part, frames, period, depths, record)
    if max_cycles is None:
        worst = max([op.cycles() for op in part.layers()] + [beats_of(a.type) for a in part.block.args])  # type: ignore[arg-type]
        max_cycles = (frames + 2) * (4 * worst + 1000) + frames * period
    t, deadlock = run_nodes(nodes, sinks, frames, max_cycles)
    done = [max(ts) for ts in zip(*(s.done for s in sinks))] if sinks else []
    return TimingResult(
        frame_done=done,
        peaks={f.name: f.peak for f in fifos},
        deadlock=deadlock,
        cycles=t,
        first_accept=sources[0].times or [] if sources else [],
        out_times=sinks[0].times or [] if sinks else [],
    )


def _handshakes(touched: dict[int, tl.Node], t: int) -> list[tl.Edge]:
    """Bring the touched models to cycle `t` and recompute their TVALID/TREADY (and those of
    a joining consumer's other inputs); the edges whose handshake may have changed."""
    recheck: list[tl.Edge] = []
    for n in touched.values():
        if n.last < t:
            n.skip(n.last, t - n.last)
            n.last = t
        for k, e in enumerate(n.outs):
            e.valid = n.valid(k)
            recheck.append(e)
            c = e.dst
            if c.joins and c.order not in touched:
                for j, ce in enumerate(c.ins):
                    ce.ready = c.ready(j)
                    recheck.append(ce)
        for k, e in enumerate(n.ins):
            e.ready = n.ready(k)
            recheck.append(e)
    return recheck


def _tick(dirty: list[tl.Node], t: int, heap: list, frames: int) -> int:
    """Clock the models of cycle `t`, scheduling their next due cycle; the sinks finished."""
    finished = 0
    for n in dirty:
        n.tick(t)
        n.last = t + 1
        q = n.quiet(t + 1)
        if q < tl.NEVER:
            n.wake = t + 1 + q
            heapq.heappush(heap, (n.wake, n.order, n))
        else:
            n.wake = -1
        if isinstance(n, Sink) and len(n.done) == frames and n.ins[0].fire:
            finished += 1
    return finished


def run_nodes(nodes: list[tl.Node], sinks: list[Sink], frames: int, max_cycles: int) -> tuple[int, bool]:
    """Clock the token models until every sink has `frames` frames; (cycles, deadlocked).

    Event-driven, but cycle-exact: in a cycle only the models next to a moving beat, or
    whose own state is due to change (`Node.quiet`: an MVU replaying its buffered vector,
    a result leaving a pipeline, a paced source releasing a frame), are clocked; any other
    model catches up on the cycles it sat out in one step (`Node.skip`) when next touched.
    Cycles in which nothing at all is due are skipped. Slow, heavily folded designs are
    mostly such waits. When no beat can move and no model will ever change by itself, the
    design is deadlocked.
    """
    for i, n in enumerate(nodes):
        n.order, n.last, n.wake = i, 0, 0  # position, cycle its state is current for, next due cycle
        for e in n.outs:
            e.src = n
        for e in n.ins:
            e.dst = n
    heap = [(0, n.order, n) for n in nodes]
    hot: set[tl.Edge] = set()
    dirty = list(nodes)
    finished = 0
    t = 0
    while True:
        # models due now catch up and recompute their handshakes
        touched: dict[int, tl.Node] = {n.order: n for n in dirty}
        due: list[tl.Node] = []
        while heap and heap[0][0] <= t:
            w, _, n = heapq.heappop(heap)
            if n.wake == w:
                due.append(n)
                touched[n.order] = n
        for e in _handshakes(touched, t):
            if e.valid and e.ready:
                hot.add(e)
            else:
                hot.discard(e)
        # this cycle's transfers and the models that must be clocked
        clock = {n.order: n for n in due}
        for e in hot:
            e.fire = True
            for n in (e.src, e.dst):
                if n.order not in clock:
                    if n.last < t:
                        n.skip(n.last, t - n.last)
                        n.last = t
                    clock[n.order] = n
        dirty = [clock[i] for i in sorted(clock)]
        finished += _tick(dirty, t, heap, frames)
        for e in hot:
            e.fire = False
        if finished == len(sinks):
            return t + 1, False
        if dirty:
            t += 1
        elif heap:
            t = max(t + 1, heap[0][0])
        else:
            return t, True  # nothing can move and nothing will change: deadlock
        if t >= max_cycles:
            return t, True


def layer_timing(op: df.DataflowOperation, frames: int = 2) -> tuple[list[int], list[int]]:
    """One layer alone, input offered every cycle and output always taken: the cycles of
    its input accepts and output beats (what test_tokensim_rtl compares with Verilator)."""
    src = Source("in0", beats_of(op.in_type()), frames, 0, True)
    node = model_of(op)
    sink = Sink("out0", beats_of(op.out_type()), True)
    src.outs = node.ins = [tl.Edge("in")]
    node.outs = sink.ins = [tl.Edge("out")]
    worst = max(op.cycles(), beats_of(op.in_type()), beats_of(op.out_type()))
    _, deadlock = run_nodes([src, node, sink], [sink], frames, (frames + 2) * (4 * worst + 1000))
    if deadlock:
        raise FinnError(f"tokensim: {op.display_name}: no progress alone")
    return src.times or [], sink.times or []


def analytic_bound(part: df.PartitionOp) -> int:
    """The design's ideal initiation interval: the slowest layer's cycles()."""
    return max((op.cycles() for op in part.layers()), default=0)
