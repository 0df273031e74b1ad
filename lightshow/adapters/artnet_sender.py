"""Art-Net output: every universe of a frame through one UDP socket.

Universes go unicast to the nodes that serve them (broadcast only when asked
for, as Art-Net 4 allows it only as a legacy option), each with its own
sequence number; unchanged universes are skipped but re-sent every second;
after a frame's universes one ArtSync goes to each node.  A socket error is
logged once per destination and then at most every ``error_interval_s``; the
other universes keep going.
"""

from __future__ import annotations

import errno
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from lightshow.protocol.artnet import ARTNET_PORT, ArtDmxPacker, build_artsync
from lightshow.protocol.refresh import KEEPALIVE_S, MAX_RATE_HZ, RefreshState, due_universes, mark_sent

log = logging.getLogger("lightshow.artnet")
Address = tuple[str, int]


@dataclass
class DestinationHealth:
    errors: int = 0
    suppressed: int = 0
    last_logged_s: float = -np.inf
    last_error: str = ""


@dataclass
class SendStats:
    frames: int = 0
    packets: int = 0
    skipped: int = 0
    errors: int = 0
    health: dict[Address, DestinationHealth] = field(default_factory=dict)


class ArtNetSender:
    """Sends (n_universes, 512) frames; ``routes[i]`` are universe i's destinations."""

    def __init__(self, universes: Sequence[int], routes: Sequence[Sequence[Address]],
                 sync: bool = True, keepalive_s: float = KEEPALIVE_S,
                 max_rate_hz: float = MAX_RATE_HZ, broadcast: str | None = None,
                 bind: Address = ("0.0.0.0", 0), error_interval_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        if len(routes) != len(universes):
            raise ValueError("one route list per universe")
        self.universes = list(universes)
        self.routes = [list(r) for r in routes]
        if broadcast is not None:
            self.routes = [[(broadcast, ARTNET_PORT)] for _ in self.universes]
        self.sync = sync
        self.sync_targets = sorted({addr for r in self.routes for addr in r})
        self.keepalive_s, self.max_rate_hz = keepalive_s, max_rate_hz
        self.error_interval_s = error_interval_s
        self.clock = clock
        self.packer = ArtDmxPacker(self.universes)
        self.state = RefreshState(len(self.universes))
        self.stats = SendStats()
        self._sync_packet = build_artsync()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
        self.sock.bind(bind)

    def _sendto(self, packet, address: Address, now_s: float) -> bool:
        try:
            self.sock.sendto(packet, address)
            return True
        except OSError as exc:
            self._note_error(address, exc, now_s)
            return False

    def _note_error(self, address: Address, exc: OSError, now_s: float) -> None:
        health = self.stats.health.setdefault(address, DestinationHealth())
        health.errors += 1
        self.stats.errors += 1
        health.last_error = errno.errorcode.get(exc.errno or 0, str(exc))
        if now_s - health.last_logged_s >= self.error_interval_s:
            extra = f" ({health.suppressed} more since)" if health.suppressed else ""
            log.warning("Art-Net to %s:%d failed: %s%s; retrying", address[0], address[1],
                        exc.strerror or exc, extra)
            health.last_logged_s, health.suppressed = now_s, 0
        else:
            health.suppressed += 1

    def send_frame(self, data: np.ndarray, now_s: float | None = None) -> int:
        """Send what is due of one frame; returns the number of ArtDmx packets sent."""
        now_s = self.clock() if now_s is None else now_s
        due = due_universes(self.state, data, now_s, self.keepalive_s, self.max_rate_hz)
        sequences = mark_sent(self.state, data, due, now_s)
        rows = self.packer.pack(data, sequences)
        sent = 0
        for index in np.flatnonzero(due):
            for address in self.routes[index]:
                sent += self._sendto(rows[index], address, now_s)
        if self.sync and sent:
            for address in self.sync_targets:
                self._sendto(self._sync_packet, address, now_s)
        self.stats.frames += 1
        self.stats.packets += sent
        self.stats.skipped += int(len(due) - due.sum())
        return sent

    def close(self) -> None:
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
