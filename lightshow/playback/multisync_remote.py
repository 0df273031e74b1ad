"""Following a MultiSync master (Falcon Player, or lightshow with --sync-master) as a remote.

A time source that drives the transport too: the master's ``start`` (or, joining late, its
first ``sync``) starts the show at the master's position, each sync says where the master
is (seconds are the authority, as on FPP's remotes; between packets the position is
extrapolated on the monotonic clock), ``stop`` stops it, and a master silent for
``SILENT_S`` while playing counts as gone: the show stops cleanly and starts again when the
master comes back.  The player's one follow law then slews the playhead to the master or
jumps (see :mod:`lightshow.core.follow`).  Only packets for the sequence this remote holds
(``file_name``, by base name) are heard.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from lightshow.errors import FormatError
from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.protocol.multisync import MULTICAST_GROUP, MULTISYNC_PORT, OPEN, SEQUENCE, STOP, parse_sync

log = logging.getLogger("lightshow.multisync")
SILENT_S = 3.0     # a master syncs at least every 10 frames; this long without a word, it is gone


class MultiSyncRemote(UdpListener):
    name = "multisync"
    drives_transport = True
    thread_name = "lightshow-multisync"

    def __init__(self, file_name: str, bind_ip: str = "0.0.0.0", port: int = MULTISYNC_PORT,
                 clock=time.monotonic):
        self.file_name, self.clock = os.path.basename(file_name), clock
        self._lock = threading.Lock()
        self._position: tuple[float, float] | None = None   # (master seconds, when heard)
        self.master: str | None = None
        self.packets = self.ignored = 0
        sock = bound_udp_socket(bind_ip, port, "MultiSync", reuse=True)
        if bind_ip in ("0.0.0.0", ""):
            membership = socket.inet_aton(MULTICAST_GROUP) + socket.inet_aton("0.0.0.0")
            try:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
            except OSError as exc:
                log.warning("cannot join MultiSync multicast %s: %s", MULTICAST_GROUP, exc.strerror or exc)
        super().__init__(sock)

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            packet = parse_sync(data)
        except FormatError:
            self.ignored += 1
            return
        if packet.file_type != SEQUENCE or os.path.basename(packet.file_name) != self.file_name:
            self.ignored += 1
            return
        with self._lock:
            self.packets += 1
            self.master = sender[0]
            if packet.action == STOP:
                self._position = None
            elif packet.action != OPEN:                    # start or sync: the master plays
                self._position = (packet.seconds, self.clock())

    def show_time_s(self, now_s: float) -> float | None:
        """Where the master is at ``now_s``; None when it is stopped, silent or not heard yet."""
        with self._lock:
            if self._position is None:
                return None
            seconds, heard_s = self._position
            if now_s - heard_s > SILENT_S:
                log.warning("MultiSync master %s silent for %.0f s: stopping", self.master, now_s - heard_s)
                self._position = None
                return None
            return seconds + (now_s - heard_s)
