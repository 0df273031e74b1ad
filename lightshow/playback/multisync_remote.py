"""Following a MultiSync master (Falcon Player, or lightshow with --sync-master) as a remote.

A time source that drives the transport too: the master's ``start`` (or, joining late, its
first ``sync``) starts the show at the master's position, each sync says where the master
is (seconds are the authority, as on FPP's remotes; between packets the position is
extrapolated on the monotonic clock), ``stop`` stops it, and a master silent for
``SILENT_S`` while playing counts as lost: the show stops, or holds the frame it shows when
``on_loss="hold"`` (a ``stop`` from the master always stops), and follows again when the
master comes back.  The player's one follow law then slews the playhead to the master or
jumps (see :mod:`lightshow.core.follow`).  Only packets for the sequence this remote holds
(``file_name``, by base name) are heard.

Discovery: a discover ping heard on the socket is answered (to the asker) with this remote's
own ping (mode remote, the channel ranges it outputs); the remote pings the master it follows
when it first hears it and every ``PING_INTERVAL_S``, and, listening on all interfaces (and so
on the multicast group), pings the group once at start.  It sends nowhere else.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from lightshow.core.follow import FollowPolicy
from lightshow.errors import FormatError
from lightshow.output.multisync_sender import multisync_socket
from lightshow.output.udp_listener import UdpListener
from lightshow.protocol.multisync import (MULTICAST_GROUP, MULTISYNC_PORT, OPEN, SEQUENCE, STOP,
                                          TYPE_PING, TYPE_SYNC, build_ping, packet_type, parse_ping, parse_sync)

log = logging.getLogger("lightshow.multisync")
SILENT_S = 3.0     # a master syncs at least every 10 frames; this long without a word, it is lost
PING_INTERVAL_S = 60.0


class MultiSyncRemote(UdpListener):
    name = "multisync"
    drives_transport = True
    thread_name = "lightshow-multisync"
    stamp_arrivals = True
    # the master's seconds are stamped as they leave it and heard at the kernel's arrival time: the
    # error is steady to a fraction of a millisecond, so the playhead closes it to that (players
    # following one master then send a frame within a deadband of each other)
    follow_policy = FollowPolicy(deadband_s=0.0002)

    def __init__(self, file_name: str, bind_ip: str = "0.0.0.0", port: int = MULTISYNC_PORT,
                 clock=time.monotonic, on_loss: str = "stop", fps: float | None = None,
                 identity=None):
        self.file_name, self.clock = os.path.basename(file_name), clock
        self.fps, self.identity = fps, identity        # identity: a PingPacket template (see local_ping)
        self.bind_ip, self.port = bind_ip, port
        self._on_loss = on_loss
        self._lock = threading.Lock()
        self._position: tuple[float, float] | None = None   # (master seconds, when heard)
        self._state = "waiting"                             # waiting | locked | lost
        self._stopped_by_master = False
        self.master: str | None = None
        self.packets = self.ignored = self.pings_answered = self.losses = 0
        self.devices: dict[str, object] = {}               # pings heard, by IP
        self._next_ping_s: float | None = None
        super().__init__(multisync_socket(bind_ip, port, "MultiSync"))
        if bind_ip in ("0.0.0.0", "") and identity is not None:
            self._ping((MULTICAST_GROUP, port))

    @property
    def on_loss(self) -> str:
        """What the player does when the source says nothing: a master's stop always stops."""
        return "stop" if self._stopped_by_master else self._on_loss

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            kind = packet_type(data)
            if kind == TYPE_PING:
                self._heard_ping(parse_ping(data), sender)
                return
            if kind != TYPE_SYNC:
                self.ignored += 1
                return
            packet = parse_sync(data)
        except FormatError:
            self.ignored += 1
            return
        if packet.file_type != SEQUENCE or os.path.basename(packet.file_name) != self.file_name:
            self.ignored += 1
            return
        first = False
        with self._lock:
            self.packets += 1
            first = self.master != sender[0]
            self.master = sender[0]
            if packet.action == STOP:
                self._position, self._state, self._stopped_by_master = None, "waiting", True
            elif packet.action != OPEN:                    # start or sync: the master plays
                self._position = (packet.seconds, self._heard_s())
                self._state, self._stopped_by_master = "locked", False
        if first and self.identity is not None:
            self._ping((sender[0], self.port))
            self._next_ping_s = self.clock() + PING_INTERVAL_S

    def _heard_s(self) -> float:
        """When the datagram being handled arrived: the kernel's stamp on the monotonic clock (this
        thread may get the CPU milliseconds later, and the master's seconds are as of sending)."""
        stamped = self.arrival_s if self._arrivals is not None else None
        return stamped if stamped is not None and self.clock is time.monotonic else self.clock()

    def _heard_ping(self, ping, sender: tuple[str, int]) -> None:
        with self._lock:
            self.devices[sender[0]] = ping
        if ping.discover and self.identity is not None:
            self._ping(sender)
            self.pings_answered += 1

    def tick(self) -> None:
        if self._next_ping_s is not None and self.master and self.clock() >= self._next_ping_s:
            self._next_ping_s = self.clock() + PING_INTERVAL_S
            self._ping((self.master, self.port))

    def _ping(self, target: tuple[str, int]) -> None:
        try:
            self.sock.sendto(build_ping(self.identity), target)
        except OSError as exc:
            log.info("MultiSync ping to %s failed: %s", target[0], exc.strerror or exc)

    def show_time_s(self, now_s: float) -> float | None:
        """Where the master is at ``now_s``; None when it is stopped, silent or not heard yet."""
        with self._lock:
            if self._position is None:
                return None
            seconds, heard_s = self._position
            if now_s - heard_s > SILENT_S:
                log.warning("MultiSync master %s silent for %.0f s: %s", self.master, now_s - heard_s,
                            "holding the frame" if self._on_loss == "hold" else "stopping")
                self._position, self._state = None, "lost"
                self.losses += 1
                return None
            return seconds + (now_s - heard_s)

    def follow_status(self, error_s: float | None) -> dict:
        """The source, the master it follows, its state (waiting, locked, lost) and the playhead's
        error in show frames."""
        with self._lock:
            state, master = self._state, self.master
        return {"source": "multisync", "master": master, "state": state, "locked": state == "locked",
                "file": self.file_name, "packets": self.packets, "losses": self.losses,
                "on_loss": self._on_loss,
                "error_frames": (None if error_s is None or self.fps is None
                                 else round(error_s * self.fps, 2))}

