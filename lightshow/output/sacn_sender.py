"""sACN (E1.31) output: unicast to nodes or multicast per universe, with termination.

The same refresh rules as Art-Net decide which universes go out on a frame; on
close every universe sends three stream-terminated packets, so receivers let go
at once instead of holding the last look for 2.5 s.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid
from typing import Callable, Sequence

import numpy as np

from lightshow.protocol.refresh import KEEPALIVE_S, MAX_RATE_HZ, RefreshState, due_universes, mark_sent
from lightshow.protocol.sacn import (DEFAULT_PRIORITY, SACN_PORT, build_sacn_data, multicast_group,
                                     sacn_universe)

log = logging.getLogger("lightshow.sacn")
Address = tuple[str, int]
TERMINATION_PACKETS = 3


class SacnSender:
    """``routes[i]`` are rig universe i's unicast destinations; empty means multicast."""

    def __init__(self, universes: Sequence[int], routes: Sequence[Sequence[Address]],
                 priority: int = DEFAULT_PRIORITY, source_name: str = "lightshow",
                 keepalive_s: float = KEEPALIVE_S, max_rate_hz: float = MAX_RATE_HZ,
                 multicast_ttl: int = 8, clock: Callable[[], float] = time.monotonic):
        self.universes = [sacn_universe(u) for u in universes]
        self.routes = [list(r) or [(multicast_group(u), SACN_PORT)]
                       for u, r in zip(self.universes, routes)]
        self.priority, self.source_name = priority, source_name
        self.cid = uuid.uuid5(uuid.NAMESPACE_DNS, f"lightshow.{source_name}").bytes
        self.keepalive_s, self.max_rate_hz, self.clock = keepalive_s, max_rate_hz, clock
        self.state = RefreshState(len(self.universes))
        self.sequences = np.zeros(len(self.universes), dtype=np.uint8)
        self.errors = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, multicast_ttl)

    def _send(self, index: int, data: bytes, terminated: bool = False) -> int:
        packet = build_sacn_data(self.universes[index], data, int(self.sequences[index]),
                                 self.cid, self.source_name, self.priority, terminated)
        self.sequences[index] += 1  # uint8: wraps 255 -> 0 as E1.31 counts
        sent = 0
        for address in self.routes[index]:
            try:
                self.sock.sendto(packet, address)
                sent += 1
            except OSError as exc:
                self.errors += 1
                if self.errors == 1 or self.errors % 1000 == 0:
                    log.warning("sACN to %s failed: %s (%d errors)", address[0],
                                exc.strerror or exc, self.errors)
        return sent

    def send_frame(self, data: np.ndarray, now_s: float | None = None) -> int:
        now_s = self.clock() if now_s is None else now_s
        due = due_universes(self.state, data, now_s, self.keepalive_s, self.max_rate_hz)
        mark_sent(self.state, data, due, now_s)
        return sum(self._send(int(i), data[i].tobytes()) for i in np.flatnonzero(due))

    def close(self) -> None:
        """Stream termination for every universe, then the socket closes."""
        for index in range(len(self.universes)):
            for _ in range(TERMINATION_PACKETS):
                self._send(index, self.state.last_data[index].tobytes(), terminated=True)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
