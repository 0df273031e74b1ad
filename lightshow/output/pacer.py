"""Bursts for small nodes: at most ``max_packets`` in a row to one node, then ``gap_s`` of quiet.

Some nodes have a few receive buffers and drop what arrives while they are full.  Their
packets go through a pacer thread instead of out at once, so the sender's frame (and every
other node's timing) never waits for them.  Per node the pacer keeps what is pending in
order: a universe updated before its packet went out is replaced in its place (the node gets
the newest data, no universe starves), and a frame's ArtSync (and ArtTimeCode) move to the
end, after that frame's universes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

Address = tuple[str, int]


@dataclass(frozen=True)
class BurstPacing:
    max_packets: int
    gap_s: float

    def __post_init__(self) -> None:
        if self.max_packets < 1 or not 0 <= self.gap_s < float("inf"):
            raise ValueError(f"pacing needs max_packets >= 1 and gap_s >= 0, found {self}")


@dataclass
class _Queue:
    pacing: BurstPacing
    pending: OrderedDict = field(default_factory=OrderedDict)
    next_burst_s: float = float("-inf")


class Pacer:
    """Sends queued packets per address in paced bursts from its own thread.

    ``send(packet, address)`` does the sending (and its error handling); keys that are
    strings (``"sync"``) are trailers: re-queueing one moves it to the end.
    """

    def __init__(self, send: Callable[[bytes, Address], object],
                 clock: Callable[[], float] = time.monotonic):
        self._send, self._clock = send, clock
        self._queues: dict[Address, _Queue] = {}
        self._wake = threading.Condition()
        self._halt = False
        self.sent = 0
        self.replaced = 0  # packets superseded before they went out: the node is too slow
        self.bursts: list[tuple[Address, float, int]] = []  # (address, start, packets), recent
        self._thread = threading.Thread(target=self._run, name="lightshow-pacer", daemon=True)
        self._thread.start()

    def submit(self, address: Address, pacing: BurstPacing,
               packets: list[tuple[Hashable, bytes]]) -> None:
        with self._wake:
            queue = self._queues.get(address)
            if queue is None or queue.pacing != pacing:
                queue = self._queues[address] = _Queue(pacing, queue.pending if queue else OrderedDict())
            for key, packet in packets:
                if isinstance(key, str):
                    queue.pending.pop(key, None)
                elif key in queue.pending:
                    self.replaced += 1
                queue.pending[key] = packet
            self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return sum(len(q.pending) for q in self._queues.values())

    def _take_due(self, now_s: float) -> tuple[list[tuple[Address, list[bytes]]], float | None]:
        """Bursts due now, and when the next one is due (None: nothing pending)."""
        due, next_s = [], None
        for address, queue in self._queues.items():
            if not queue.pending:
                continue
            if queue.next_burst_s <= now_s:
                count = min(queue.pacing.max_packets, len(queue.pending))
                due.append((address, [queue.pending.popitem(last=False)[1] for _ in range(count)]))
                queue.next_burst_s = now_s + queue.pacing.gap_s
                if not queue.pending:
                    continue
            next_s = queue.next_burst_s if next_s is None else min(next_s, queue.next_burst_s)
        return due, next_s

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._halt:
                    return
                due, next_s = self._take_due(self._clock())
                if not due:
                    self._wake.wait(None if next_s is None else max(0.0, next_s - self._clock()))
                    continue
            for address, packets in due:
                started = self._clock()
                for packet in packets:
                    self._send(packet, address)
                self.sent += len(packets)
                self.bursts.append((address, started, len(packets)))
                del self.bursts[:-1000]

    def close(self, flush_timeout_s: float = 1.0) -> None:
        """Let what is pending go out (for at most ``flush_timeout_s``), then stop."""
        deadline = self._clock() + flush_timeout_s
        while self.pending() and self._clock() < deadline:
            time.sleep(0.002)
        with self._wake:
            self._halt = True
            self._wake.notify()
        self._thread.join(timeout=2)
