"""
Cycle-accurate token models of the rtl/ library modules: no data, only the handshakes.
This file holds what every model shares (`Node`, `Edge`, the protocol below); each layer's
model is in its spec (`finn_xdsl/kernels/<layer>.py`, `LayerSpec.tokens`), next to the
plan that configures the module it mirrors.

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

Facts modelled, per module (see the .sv file and the model in kernels/ for each):
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

NEVER = 1 << 62


def until(pending: deque[int], t: int) -> int:
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
    """A token model: `ins` / `outs` are its edges, set by the simulation. `joins`: its
    TREADY follows its input TVALIDs of the same cycle (AddStreams)."""

    name = ""
    joins = False

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
