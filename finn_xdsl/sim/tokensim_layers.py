"""
Cycle-accurate token models of the rtl/ library modules: no data, only the handshakes.

Each model mirrors the registers of its RTL module that decide TVALID / TREADY (counters,
credits, small output queues, pipeline latency), so that, fed the same TVALID / TREADY
sequences, it accepts and emits beats in exactly the cycles the RTL does. Data never
matters for timing in our library, which is what makes the models exact and cheap.

Protocol (one call each per cycle, driven by `tokensim.Simulation`):
  * `valid(k)` — output k's TVALID, from registered state only (all our modules register
    their outputs);
  * `ready(k)` — input k's TREADY, from registered state and, for AddStreams only, the
    input TVALIDs of this cycle (the RTL joins the two streams combinationally);
  * `tick(t)` — the clock edge: reads which of its edges fired this cycle and updates the
    state; returns True if anything changed or is still in flight (deadlock detection).

Facts modelled, per module (see the .sv file for each):
  fx_mvu        one tile per cycle; input beats only during fold nf == 0 (then replayed
                from ibuf); an issue on the last SIMD fold needs a credit of the 32-entry
                output FIFO; the result is visible 24 cycles after that issue; every tile
                also waits for its fx_memstream word (decoupled or fx_mvu's own ROM).
  fx_thresholding  K + 2 credits, K = ceil(log2(N + 1)) binary-search stages; a beat
                accepted in cycle t is valid in cycle t + K + 1.
  fx_swg        line buffer of M = BUF_MIN + EXTRA beats (SWG.buffer_beats); writes while
                the patch base leaves room, reads a patch beat once written into a 1-deep
                output register (loads when empty or being taken); frames back to back.
  fx_swg_parallel  a window pushed into a 2-deep output FIFO in the cycle its bottom-right
                pixel is accepted (that beat needs a credit); frames back to back.
  fx_streaming_maxpool  every input beat taken when the 2-deep output FIFO has room; an
                output on the last beat of each KH×KW window.
  fx_fmpadding  one output beat per cycle into a 2-deep FIFO; input taken only for pixels
                inside the image.
  fx_dwc        down (IN = R·OUT): 2 word slots; up (OUT = R·IN): the R-th beat waits for
                the output register; other ratios: a lane buffer, ready while it holds
                < 2·OUT lanes, valid with >= OUT.
  fx_fifo       count-based, ready iff count < DEPTH (no pass-through), valid iff count > 0.
  fx_label_select  queues two frames of results; stalls the last beat of a frame when full.
  fx_add_streams / fx_duplicate_streams  2-deep output queues.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from finn_xdsl.utils.onnx_shapes import conv_output_dim

NEVER = 1 << 62


def _until(pending: deque[int], t: int) -> int:
    """Quiet cycles before the tick that moves the first pending output into view."""
    return pending[0] - 1 - t if pending else NEVER


class Edge:
    """One AXI stream: this cycle's TVALID, TREADY and whether a beat moves."""

    __slots__ = ("count", "dst", "fire", "name", "ready", "src", "valid")

    def __init__(self, name: str = ""):
        self.src: Node | None = None  # producer and consumer, set by the simulation
        self.dst: Node | None = None
        self.valid = False
        self.ready = False
        self.fire = False
        self.count = 0  # beats moved so far
        self.name = name


class Node:
    """A token model: `ins` / `outs` are its edges, set by the simulation."""

    name = ""

    def __init__(self, name: str):
        self.name = name
        self.ins: list[Edge] = []
        self.outs: list[Edge] = []

    def valid(self, k: int) -> bool:
        raise NotImplementedError

    def ready(self, k: int) -> bool:
        raise NotImplementedError

    def tick(self, t: int) -> bool:
        raise NotImplementedError

    def quiet(self, t: int) -> int:
        """How many cycles from t on, if no edge of this node fires, its TVALID/TREADY stay
        as they are and its state changes only in the way `skip` applies in bulk. Models
        whose state moves only with their handshakes are quiet forever."""
        return NEVER

    def skip(self, t: int, k: int) -> None:
        """Advance k quiet cycles (t .. t+k-1) at once."""


class MVU(Node):
    """fx_mvu: SF·NF tile issues per vector; see the module docstring.

    Every tile also needs a weight word from an fx_memstream: the wrapper's (mem_mode
    internal_decoupled, into in1_V) or fx_mvu's own (internal_embedded, WEIGHT_STREAM = 0),
    which behave alike, so `weight_stream` no longer changes the timing. The memstream
    reads its ROM (registered) into a 2-entry prefetch buffer, so after reset its first word
    is valid two edges later; the edge that releases ap_rst_n already issues the first read
    (`ws_rvalid` starts set), which is why the first input beat is taken in cycle 1.
    An output is visible exactly LATENCY cycles after its last tile's issue, whatever the
    configuration; the issue of a fold's last tile needs one of FDEPTH output credits.
    """

    FDEPTH = 32
    LATENCY = 24

    def __init__(self, name: str, sf: int, nf: int, weight_stream: bool = False):
        super().__init__(name)
        self.sf_n, self.nf_n = sf, nf
        self.sf = self.nf = 0
        self.reserved = 0
        self.fcount = 0
        self.pending: deque[int] = deque()
        self.weight_stream = True  # embedded weights come from fx_mvu's own fx_memstream
        self.ws_rvalid = True
        self.ws_count = 0

    def valid(self, k: int) -> bool:
        return self.fcount > 0

    def ready(self, k: int) -> bool:
        return (self.nf == 0 and (self.sf != self.sf_n - 1 or self.reserved < self.FDEPTH)
                and (not self.weight_stream or self.ws_count > 0))

    def tick(self, t: int) -> bool:
        last = self.sf == self.sf_n - 1
        wvalid = not self.weight_stream or self.ws_count > 0
        issue = (not last or self.reserved < self.FDEPTH) and wvalid and (self.nf != 0 or self.ins[0].fire)
        if issue:
            if last:
                self.sf = 0
                self.nf = 0 if self.nf == self.nf_n - 1 else self.nf + 1
                self.pending.append(t + self.LATENCY)
                self.reserved += 1
            else:
                self.sf += 1
        read = False
        if self.weight_stream:
            # fx_memstream: read while buffered + in flight - this cycle's pop < 2
            read = self.ws_count + self.ws_rvalid - issue < 2
            self.ws_count += self.ws_rvalid - issue
            self.ws_rvalid = read
        if self.outs[0].fire:
            self.reserved -= 1
            self.fcount -= 1
        pending = self.pending
        busy = issue or bool(pending) or (self.weight_stream and (read or self.ws_rvalid))
        while pending and pending[0] <= t + 1:
            pending.popleft()
            self.fcount += 1
        return busy

    def quiet(self, t: int) -> int:
        wvalid = not self.weight_stream or self.ws_count > 0
        replaying = self.nf != 0 and wvalid
        if replaying:
            # tiles issue every cycle; the last SIMD fold's issue is an event; the memstream
            # must be in its steady state (one word read, one used per cycle)
            if self.weight_stream and not (self.ws_count == 1 and self.ws_rvalid):
                return 0
            k = self.sf_n - 1 - self.sf
        else:
            # nothing issues without an input beat: the memstream must be full and idle
            if self.weight_stream and not (self.ws_count == 2 and not self.ws_rvalid):
                return 0
            k = NEVER
        return min(k, _until(self.pending, t))

    def skip(self, t: int, k: int) -> None:
        if self.nf != 0 and (not self.weight_stream or self.ws_count > 0):
            self.sf += k


class Thresholding(Node):
    """fx_thresholding with N thresholds per channel: K = ceil(log2(N + 1)) search stages,
    then the output queue; K + 1 cycles from accept to valid, K + 2 credits."""

    def __init__(self, name: str, n: int):
        super().__init__(name)
        stages = max(1, int(n).bit_length())  # ceil(log2(n + 1))
        self.latency = stages + 1
        self.depth = stages + 2  # credits
        self.inflight = 0
        self.count = 0
        self.pending: deque[int] = deque()

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.inflight < self.depth

    def tick(self, t: int) -> bool:
        accept, pop = self.ins[0].fire, self.outs[0].fire
        self.inflight += accept - pop
        if accept:
            self.pending.append(t + self.latency)
        if pop:
            self.count -= 1
        busy = accept or bool(self.pending)
        while self.pending and self.pending[0] <= t + 1:
            self.pending.popleft()
            self.count += 1
        return busy

    def quiet(self, t: int) -> int:
        return _until(self.pending, t)


class SWG(Node):
    """fx_swg: line buffer of M beats, patch reads in (oy, ox, ky, kx, f) order, or
    (oy, ox, f, ky, kx) for depthwise; frames follow each other without a gap (beat and
    patch indices run on across frames). The output register loads when empty or being
    taken. parallel_window (a whole window per beat) is another module, fx_swg_parallel,
    modelled by `SWGParallel`."""

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int,
                 dh: int, dw: int, simd: int, depthwise: bool = False):
        super().__init__(name)
        self.m = self.buffer_beats(ih, iw, c, kh, kw, sh, sw, dh, dw, simd, depthwise)
        cf = c // simd
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        self.total = ih * iw * cf
        if depthwise:
            oy, ox, f, ky, kx = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(cf), np.arange(kh),
                                            np.arange(kw), indexing="ij")
        else:
            oy, ox, ky, kx, f = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(kh), np.arange(kw),
                                            np.arange(cf), indexing="ij")
        base = (oy * sh * iw + ox * sw) * cf
        src = base + ky * dh * iw * cf + kx * dw * cf + f
        self.base = base.ravel().tolist()
        self.src = src.ravel().tolist()
        self.n_out = len(self.src)
        self.wr = 0  # beats written, all frames
        self.j = 0  # next output beat of the frame
        self.frame = 0  # beat index of the frame's first input beat
        self.ocount = 0

    @staticmethod
    def buffer_beats(ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int, dh: int, dw: int,
                     simd: int, depthwise: bool = False) -> int:
        """fx_swg's M: BUF_MIN plus the run-ahead the largest patch step needs (see the .sv)."""
        cf = c // simd
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        buf_min = ((kh - 1) * dh * iw + (kw - 1) * dw + 1) * cf
        j_row = (sh * iw - (ow - 1) * sw) * cf
        j_max = j_row if oh > 1 and j_row > sw * cf else sw * cf
        lag = kh * kw + cf - 1 if depthwise else kh * kw * cf
        return buf_min + max(0, j_max - lag + 1)

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.wr < self.frame + self.base[self.j] + self.m

    def tick(self, t: int) -> bool:
        pop = self.outs[0].fire
        push = self.frame + self.src[self.j] < self.wr and (self.ocount == 0 or pop)
        if self.ins[0].fire:
            self.wr += 1
        if push:
            self.j += 1
            if self.j == self.n_out:
                self.j, self.frame = 0, self.frame + self.total
        self.ocount += push - pop
        return self.ins[0].fire or push or pop

    def quiet(self, t: int) -> int:
        return 0 if self.ocount == 0 and self.frame + self.src[self.j] < self.wr else NEVER


class SWGParallel(Node):
    """fx_swg_parallel: a shift register of pixels; the beat that is a window's bottom-right
    pixel pushes the whole window into a 2-deep output FIFO in the cycle it is accepted.
    Such a beat waits for a FIFO credit, any other beat is always taken; frames follow
    each other without a gap."""

    DEPTH = 2

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, sh: int, sw: int,
                 dh: int, dw: int):
        super().__init__(name)
        oh, ow = conv_output_dim(ih, kh, sh, dh), conv_output_dim(iw, kw, sw, dw)
        y, x = np.meshgrid(np.arange(ih), np.arange(iw), indexing="ij")
        ys, xs = y - (kh - 1) * dh, x - (kw - 1) * dw
        hit_y = (ys >= 0) & (ys % sh == 0) & (ys // sh < oh)
        hit_x = (xs >= 0) & (xs % sw == 0) & (xs // sw < ow)
        self.hits = (hit_y & hit_x).ravel().tolist()
        self.i = 0
        self.ocount = 0

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return not self.hits[self.i] or self.ocount < self.DEPTH

    def tick(self, t: int) -> bool:
        take, pop = self.ins[0].fire, self.outs[0].fire
        if take:
            self.ocount += self.hits[self.i]
            self.i = self.i + 1 if self.i + 1 < len(self.hits) else 0
        self.ocount -= pop
        return take or pop


class MaxPool(Node):
    """fx_streaming_maxpool: takes a beat whenever its output FIFO has room; the last beat
    of each window (cut at the image edge in ceil mode) pushes an output."""

    def __init__(self, name: str, ih: int, iw: int, c: int, kh: int, kw: int, pe: int):
        super().__init__(name)
        cf = c // pe
        y, x, _ = np.meshgrid(np.arange(ih), np.arange(iw), np.arange(cf), indexing="ij")
        last_y = (y % kh == kh - 1) | (y == ih - 1)
        last_x = (x % kw == kw - 1) | (x == iw - 1)
        self.pushes = (last_y & last_x).ravel().tolist()
        self.i = 0
        self.ocount = 0

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.ocount < 2

    def tick(self, t: int) -> bool:
        take, pop = self.ins[0].fire, self.outs[0].fire
        if take:
            self.ocount += self.pushes[self.i]
            self.i = self.i + 1 if self.i + 1 < len(self.pushes) else 0
        self.ocount -= pop
        return take or pop


class FMPadding(Node):
    """fx_fmpadding: one output beat per cycle; padding beats need no input."""

    def __init__(self, name: str, ih: int, iw: int, c: int, pads: tuple[int, int, int, int], simd: int):
        super().__init__(name)
        pt, pl, pb, pr = pads
        oh, ow, cf = pt + ih + pb, pl + iw + pr, c // simd
        y, x, _ = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(cf), indexing="ij")
        self.in_img = ((y >= pt) & (y < pt + ih) & (x >= pl) & (x < pl + iw)).ravel().tolist()
        self.j = 0
        self.ocount = 0
        # the edge that releases ap_rst_n already pushes a leading padding beat (cf. MVU)
        if not self.in_img[0]:
            self.j, self.ocount = 1 % len(self.in_img), 1

    def valid(self, k: int) -> bool:
        return self.ocount > 0

    def ready(self, k: int) -> bool:
        return self.ocount < 2 and self.in_img[self.j]

    def tick(self, t: int) -> bool:
        push = self.ocount < 2 and (not self.in_img[self.j] or self.ins[0].fire)
        if push:
            self.j = self.j + 1 if self.j + 1 < len(self.in_img) else 0
            self.ocount += 1
        if self.outs[0].fire:
            self.ocount -= 1
        return push or self.outs[0].fire

    def quiet(self, t: int) -> int:
        return 0 if self.ocount < 2 and not self.in_img[self.j] else NEVER


class DWC(Node):
    """fx_dwc, by the lane ratio: "down" (IN = R·OUT) two input-word slots, ready while one
    is free, a slot freed with its R-th piece; "up" (OUT = R·IN) the R-th beat of a word
    loads the output register and waits while it is still full; "general" a lane buffer,
    ready below 2·OUT lanes, valid from OUT lanes."""

    def __init__(self, name: str, in_lanes: int, out_lanes: int):
        super().__init__(name)
        self.a, self.b = in_lanes, out_lanes
        if in_lanes % out_lanes == 0:
            self.kind, self.r = "down", in_lanes // out_lanes
        elif out_lanes % in_lanes == 0:
            self.kind, self.r = "up", out_lanes // in_lanes
        else:
            self.kind, self.r = "general", 0
        self.count = 0  # down: full slots; up: output register full; general: lanes held
        self.k = 0  # down: piece of the oldest slot; up: beats of the word taken

    def valid(self, k: int) -> bool:
        return self.count >= self.b if self.kind == "general" else self.count > 0

    def ready(self, k: int) -> bool:
        if self.kind == "down":
            return self.count < 2
        if self.kind == "up":
            return not (self.k == self.r - 1 and self.count)
        return self.count < 2 * self.b

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        if self.kind == "down":
            self.count += push
            if pop:
                self.k = (self.k + 1) % self.r
                self.count -= self.k == 0
        elif self.kind == "up":
            if push:
                self.k = (self.k + 1) % self.r
                self.count += self.k == 0
            self.count -= pop
        else:
            self.count += self.a * push - self.b * pop
        return push or pop


class FIFO(Node):
    """fx_fifo: DEPTH entries, no fall-through of TREADY; records its peak occupancy."""

    def __init__(self, name: str, depth: int):
        super().__init__(name)
        self.depth = depth
        self.count = 0
        self.peak = 0

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.count < self.depth

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        self.count += push - pop
        self.peak = max(self.peak, self.count)
        return push or pop


class LabelSelect(Node):
    """fx_label_select: NB input beats per frame, K output beats, two frames queued.

    PE > 1: a frame's lane lists pass M = clog2(PE) merge levels (sv[m]: level m's input
    holds a frame) before the queue; the levels move on together unless the last one has a
    frame and the queue is full, and a beat waits while the lane lists hold a frame that
    cannot move on. PE = 1: the last beat loads the queue directly."""

    def __init__(self, name: str, labels: int, pe: int, k: int):
        super().__init__(name)
        self.nb, self.k = labels // pe, k
        self.sv = [False] * (pe - 1).bit_length()
        self.beat = 0
        self.qcount = 0
        self.kpos = 0

    def _adv(self) -> bool:
        return not (self.sv and self.sv[-1] and self.qcount == 2)

    def valid(self, k: int) -> bool:
        return self.qcount > 0

    def ready(self, k: int) -> bool:
        if not self.sv:
            return self.beat != self.nb - 1 or self.qcount != 2
        return not self.sv[0] or self._adv()

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        last = self.beat == self.nb - 1
        if push:
            self.beat = 0 if last else self.beat + 1
        done = False
        if pop:
            done = self.kpos == self.k - 1
            self.kpos = 0 if done else self.kpos + 1
        if not self.sv:
            qpush = push and last
        else:
            adv = self._adv()
            qpush = self.sv[-1] and adv
            if adv:
                self.sv = [push and last] + self.sv[:-1]
            elif push and last:
                self.sv[0] = True
        self.qcount += qpush - done
        return push or pop or any(self.sv)

    def quiet(self, t: int) -> int:
        return 0 if any(self.sv) and self._adv() else NEVER


class AddStreams(Node):
    """fx_add_streams: joins both inputs into a 2-deep queue."""

    def __init__(self, name: str):
        super().__init__(name)
        self.count = 0

    def valid(self, k: int) -> bool:
        return self.count > 0

    def ready(self, k: int) -> bool:
        return self.ins[0].valid and self.ins[1].valid and self.count != 2

    def tick(self, t: int) -> bool:
        push, pop = self.ins[0].fire, self.outs[0].fire
        self.count += push - pop
        return push or pop


class Duplicate(Node):
    """fx_duplicate_streams: one 2-deep queue per output; takes a beat when all have room."""

    def __init__(self, name: str, n: int):
        super().__init__(name)
        self.counts = [0] * n

    def valid(self, k: int) -> bool:
        return self.counts[k] > 0

    def ready(self, k: int) -> bool:
        return all(c != 2 for c in self.counts)

    def tick(self, t: int) -> bool:
        push = self.ins[0].fire
        moved = push
        for i, e in enumerate(self.outs):
            self.counts[i] += push - e.fire
            moved = moved or e.fire
        return moved
