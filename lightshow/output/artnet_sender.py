"""Art-Net output: every universe of a frame through one UDP socket.

Universes go unicast to the nodes that serve them: the rig's nodes first, then (with a
node table from discovery) the live nodes that announced them in an ArtPollReply, routes
following the table as nodes come and go; broadcast only as a legacy fallback for universes
no node serves (see :mod:`lightshow.protocol.routing`).  Each universe has its own sequence
number; unchanged universes are skipped but re-sent every second; after a frame's universes
one ArtSync goes to each node, and optionally an ArtTimeCode of the show time: at once, or held
until :meth:`ArtNetSender.latch` (nodes that sync output what they received at the ArtSync, so
players that send their universes at once and their ArtSync at one agreed instant show the frame
together however long each took to send).  Small nodes
can be paced (a few packets per burst, then a gap) through :class:`Pacer`, so the other
nodes keep their timing.  A socket error is logged once per destination and then at most
every ``error_interval_s``; the other universes keep going.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Protocol, Sequence

import numpy as np

from lightshow.output.pacer import BurstPacing, Pacer
from lightshow.protocol.artnet_dmx import ArtDmxPacker
from lightshow.protocol.artnet_sync import build_artsync
from lightshow.protocol.artnet_timecode import build_arttimecode
from lightshow.protocol.node_table import NodeEntry
from lightshow.protocol.refresh import KEEPALIVE_S, MAX_RATE_HZ, RefreshState, due_universes, mark_sent
from lightshow.protocol.routing import route_universes
from lightshow.protocol.timecode import timecode_at

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
    packets: int = 0  # ArtDmx sent at once
    paced: int = 0  # ArtDmx handed to the pacer
    skipped: int = 0
    errors: int = 0
    health: dict[Address, DestinationHealth] = field(default_factory=dict)


class NodeSource(Protocol):
    """A live node table (``Discovery``): ``version`` grows when its nodes change."""

    version: int

    def nodes(self) -> list[NodeEntry]: ...


class ArtNetSender:
    """Sends (n_universes, 512) frames; ``routes[i]`` are universe i's rig destinations.

    ``routes[i]`` is None for a universe the rig sends another way (sACN).  ``nodes``: a
    live node table; universes without a rig destination go to the online nodes that
    announce them.  ``pacing``: node IP -> burst limits; ``default_pacing`` for every other
    node.  ``timecode``: an ArtTimeCode type (``TIMECODE_*``) to send the show time with
    (``show_s`` of :meth:`send_frame`) whenever its value changes.
    """

    def __init__(self, universes: Sequence[int], routes: Sequence[Sequence[Address]],
                 sync: bool = True, keepalive_s: float = KEEPALIVE_S,
                 max_rate_hz: float = MAX_RATE_HZ, broadcast: str | None = None,
                 bind: Address = ("0.0.0.0", 0), error_interval_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic, nodes: NodeSource | None = None,
                 pacing: Mapping[str, BurstPacing] | None = None,
                 default_pacing: BurstPacing | None = None, timecode: int | None = None,
                 timecode_offset_s: float = 0.0):
        if len(routes) != len(universes):
            raise ValueError("one route list per universe")
        self.universes = list(universes)
        self.rig_routes = [None if r is None else list(r) for r in routes]
        self.broadcast = broadcast
        self.node_source, self._nodes_version = nodes, None
        self.sync = sync
        self.pacing, self.default_pacing = dict(pacing or {}), default_pacing
        self.set_nodes(())
        self.timecode, self._last_timecode = timecode, None
        self.timecode_offset_s = timecode_offset_s     # the timecode at the show's start
        self.keepalive_s, self.max_rate_hz = keepalive_s, max_rate_hz
        self.error_interval_s = error_interval_s
        self.clock = clock
        self.packer = ArtDmxPacker(self.universes)
        self.state = RefreshState(len(self.universes))
        self.stats = SendStats()
        self._sync_packet = build_artsync()
        self._held: tuple[bool, float | None] | None = None   # the last frame's trailer: (any sent, show_s)
        self._errors_lock = threading.Lock()  # the pacer thread sends too
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
        self.sock.bind(bind)
        self.pacer = Pacer(lambda packet, address: self._sendto(packet, address, clock()),
                           clock) if self.pacing or default_pacing else None

    def set_nodes(self, nodes: Iterable[NodeEntry]) -> None:
        """Route from these nodes' announcements (rig destinations stay first)."""
        self.routes = route_universes(self.universes, self.rig_routes, nodes, self.broadcast)
        self.sync_targets = sorted({addr for r in self.routes for addr in r})
        # split once here, so the per-packet loop does no pacing look-ups
        self._direct = [[a for a in r if self._pacing_of(a) is None] for r in self.routes]
        self._paced = [[a for a in r if self._pacing_of(a) is not None] for r in self.routes]
        self._direct_targets = [a for a in self.sync_targets if self._pacing_of(a) is None]
        self._paced_targets = [a for a in self.sync_targets if self._pacing_of(a) is not None]

    def _pacing_of(self, address: Address) -> BurstPacing | None:
        return self.pacing.get(address[0], self.default_pacing)

    def _follow_nodes(self) -> None:
        version = self.node_source.version
        if version != self._nodes_version:
            self._nodes_version = version
            self.set_nodes(self.node_source.nodes())

    def _sendto(self, packet, address: Address, now_s: float) -> bool:
        try:
            self.sock.sendto(packet, address)
            return True
        except OSError as exc:
            self._note_error(address, exc, now_s)
            return False

    def _note_error(self, address: Address, exc: OSError, now_s: float) -> None:
        with self._errors_lock:
            self._count_error(address, exc, now_s)

    def _count_error(self, address: Address, exc: OSError, now_s: float) -> None:
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

    def send_frame(self, data: np.ndarray, now_s: float | None = None,
                   show_s: float | None = None, hold_sync: bool = False) -> int:
        """Send what is due of one frame, then its ArtSync and timecode (with ``hold_sync``, those
        wait for :meth:`latch`); returns the ArtDmx packets sent (or paced)."""
        now_s = self.clock() if now_s is None else now_s
        if self.node_source is not None:
            self._follow_nodes()
        due = due_universes(self.state, data, now_s, self.keepalive_s, self.max_rate_hz)
        sequences = mark_sent(self.state, data, due, now_s)
        rows = self.packer.pack(data, sequences)
        sent = 0
        paced: dict[Address, list] = {}
        for index in np.flatnonzero(due):
            for address in self._direct[index]:
                sent += self._sendto(rows[index], address, now_s)
            for address in self._paced[index]:  # copied: the packer reuses its rows
                paced.setdefault(address, []).append((int(index), bytes(rows[index])))
        self._held = (bool(sent or paced), show_s)
        trailer = [] if hold_sync else self._take_trailer(now_s)
        for address in self._paced_targets if trailer else ():
            paced.setdefault(address, []).extend(trailer)
        for address, packets in paced.items():
            self.pacer.submit(address, self._pacing_of(address), packets)
        n_paced = sum(isinstance(key, int) for packets in paced.values() for key, _ in packets)
        self.stats.frames += 1
        self.stats.packets += sent
        self.stats.paced += n_paced
        self.stats.skipped += int(len(due) - due.sum())
        return sent + n_paced

    def latch(self, now_s: float | None = None) -> None:
        """The held frame's ArtSync (its nodes output it now) and timecode (see ``hold_sync``)."""
        now_s = self.clock() if now_s is None else now_s
        trailer = self._take_trailer(now_s)
        for address in self._paced_targets if trailer else ():
            self.pacer.submit(address, self._pacing_of(address), trailer)

    def _take_trailer(self, now_s: float) -> list[tuple[str, bytes]]:
        """Send the last frame's ArtSync (when it sent any universe) and timecode to the direct
        nodes; returns them for the paced ones (nothing once taken)."""
        if self._held is None:
            return []
        any_sent, show_s = self._held
        self._held = None
        trailer = [("sync", self._sync_packet)] if self.sync and any_sent else []
        trailer += self._timecode(show_s)
        for _, packet in trailer:
            for address in self._direct_targets:
                self._sendto(packet, address, now_s)
        return trailer

    def _timecode(self, show_s: float | None) -> list[tuple[str, bytes]]:
        """An ArtTimeCode of the show time, when its value changed since the last one."""
        if self.timecode is None or show_s is None:
            return []
        stamp = timecode_at(show_s + self.timecode_offset_s, self.timecode)
        if stamp == self._last_timecode:
            return []
        self._last_timecode = stamp
        return [("timecode", build_arttimecode(*stamp, self.timecode))]

    def close(self) -> None:
        if self.pacer is not None:
            self.pacer.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
