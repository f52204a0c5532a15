"""cocotb AXI4-Lite master for our `s_axilite_*` slave ports, with random timing.

Each channel is driven the way axis.py drives a stream: set the outputs, wait for ReadOnly,
decide whether the handshake happens at the coming edge, wait for the edge. AW and W are
sent by separate coroutines after independent random delays, so a slave sees the address
first, the data first or both together; BREADY and RREADY are raised with a probability
per cycle, so responses are back-pressured. One transaction per channel at a time.
"""

from __future__ import annotations

import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge

OKAY, SLVERR = 0, 2


class AxiLiteMaster:
    """Drives `<prefix>_AW*/W*/B*/AR*/R*` of `dut`, clocked by dut.ap_clk."""

    def __init__(self, dut, prefix: str = "s_axilite", seed: int = 0, max_delay: int = 3,
                 ready_prob: float = 0.6, timeout_cycles: int = 1000):
        self.dut = dut
        self.rng = random.Random(seed)
        self.max_delay = max_delay
        self.ready_prob = ready_prob
        self.timeout_cycles = timeout_cycles
        self.sig = {name: getattr(dut, f"{prefix}_{name}") for name in (
            "AWADDR", "AWVALID", "AWREADY", "WDATA", "WSTRB", "WVALID", "WREADY",
            "BRESP", "BVALID", "BREADY", "ARADDR", "ARVALID", "ARREADY",
            "RDATA", "RRESP", "RVALID", "RREADY")}
        for name in ("AWVALID", "WVALID", "BREADY", "ARVALID", "RREADY"):
            self.sig[name].value = 0

    async def _edges(self, n: int) -> None:
        for _ in range(n):
            await RisingEdge(self.dut.ap_clk)

    async def _send(self, channel: str, fields: dict[str, int], delay: int) -> None:
        """Offer one beat on `channel` (AW, W or AR) after `delay` cycles, until accepted."""
        await self._edges(delay)
        for name, value in fields.items():
            self.sig[name].value = value
        valid, ready = self.sig[f"{channel}VALID"], self.sig[f"{channel}READY"]
        valid.value = 1
        for _ in range(self.timeout_cycles):
            await ReadOnly()
            fire = int(ready.value) == 1
            await RisingEdge(self.dut.ap_clk)
            if fire:
                valid.value = 0
                return
        raise TimeoutError(f"AXI-lite {channel}: no {channel}READY in {self.timeout_cycles} cycles")

    async def _receive(self, channel: str, fields: tuple[str, ...]) -> list[int]:
        """Take one response on `channel` (B or R), READY high with self.ready_prob."""
        valid, ready = self.sig[f"{channel}VALID"], self.sig[f"{channel}READY"]
        for _ in range(self.timeout_cycles):
            take = self.rng.random() < self.ready_prob
            ready.value = int(take)
            await ReadOnly()
            got = [int(self.sig[name].value) for name in fields] if take and int(valid.value) else None
            await RisingEdge(self.dut.ap_clk)
            if got is not None:
                ready.value = 0
                return got
        raise TimeoutError(f"AXI-lite {channel}: no {channel}VALID in {self.timeout_cycles} cycles")

    async def write(self, addr: int, data: int, strb: int = 0xF) -> int:
        """Write one 32-bit word; returns BRESP. AW and W start after independent delays."""
        aw = cocotb.start_soon(self._send("AW", {"AWADDR": addr}, self.rng.randint(0, self.max_delay)))
        w = cocotb.start_soon(self._send(
            "W", {"WDATA": data & 0xFFFFFFFF, "WSTRB": strb}, self.rng.randint(0, self.max_delay)))
        (bresp,) = await self._receive("B", ("BRESP",))
        await aw
        await w
        return bresp

    async def read(self, addr: int) -> tuple[int, int]:
        """Read one 32-bit word; returns (RDATA, RRESP)."""
        await self._send("AR", {"ARADDR": addr}, self.rng.randint(0, self.max_delay))
        data, rresp = await self._receive("R", ("RDATA", "RRESP"))
        return data, rresp
