"""A MultiSync master: tells Falcon Player remotes (or lightshow remotes) what plays, and where.

Fed the show's position every output tick, it sends what FPP's own master sends: ``open`` and
``start`` when the show starts playing, a ``sync`` with the frame and the seconds at FPP's
cadence (every 4th frame up to frame 32, then every 10th) and at once after a jump, and
``stop`` when it stops.  Packets go to multicast 239.70.80.80 by default, or to the
addresses given (broadcast or unicast); a failing destination is logged and the others go on.

With an ``identity`` (a :class:`~lightshow.protocol.multisync.PingPacket`, see :func:`local_ping`)
it also pings the same destinations, and only those, when it opens and every
``PING_INTERVAL_S``, so that FPP's MultiSync page and ``lightshow nodes`` list it as a master.
A master asked to listen (:class:`PingAnswerer`, ``--sync-listen BIND``) also answers discover
pings heard on that address; it listens nowhere unless asked.
"""

from __future__ import annotations

import logging
import socket
import time

from lightshow.errors import FormatError
from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.protocol.multisync import (MULTICAST_GROUP, MULTISYNC_PORT, OPEN, SEQUENCE, START, STOP, SYNC,
                                          SYSTEM_OTHER, TYPE_PING, PingPacket, build_ping, build_sync, packet_type,
                                          parse_ping, sync_due)

log = logging.getLogger("lightshow.multisync")
PING_INTERVAL_S = 60.0



def multisync_socket(bind_ip: str, port: int, purpose: str) -> socket.socket:
    """A UDP socket bound to ``bind_ip``:``port`` for MultiSync; bound to all interfaces
    (``0.0.0.0``), it also joins FPP's multicast group, where FPP and xLights send."""
    sock = bound_udp_socket(bind_ip, port, purpose, reuse=True)
    if bind_ip in ("0.0.0.0", ""):
        membership = socket.inet_aton(MULTICAST_GROUP) + socket.inet_aton("0.0.0.0")
        try:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        except OSError as exc:
            log.warning("cannot join MultiSync multicast %s: %s", MULTICAST_GROUP, exc.strerror or exc)
    return sock

class MultiSyncSender:
    def __init__(self, file_name: str, fps: float, targets: list[tuple[str, int]] | None = None,
                 identity: PingPacket | None = None, clock=time.monotonic):
        self.file_name, self.fps = file_name, fps
        self.targets = targets or [(MULTICAST_GROUP, MULTISYNC_PORT)]
        self.identity, self.clock = identity, clock
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        self._last_frame: int | None = None          # None: not playing
        self.sent = self.pings = 0
        self._failed: set[tuple[str, int]] = set()
        self._next_ping_s: float | None = None
        self.ping()

    def ping(self) -> None:
        """Say who this master is to every destination (nothing without an identity)."""
        if self.identity is None:
            return
        self._next_ping_s = self.clock() + PING_INTERVAL_S
        self._send_packet(build_ping(self.identity))
        self.pings += 1

    def update(self, show_s: float | None, tick_s: float | None = None) -> None:
        """The show is at ``show_s`` (None: not playing) at this tick, due at ``tick_s`` on the
        clock.  With ``tick_s`` the seconds sent are the show's as the packet leaves (the tick's
        other output went first: a remote that takes them as of arrival would run late by that)."""
        if self._next_ping_s is not None and self.clock() >= self._next_ping_s:
            self.ping()
        if show_s is None:
            if self._last_frame is not None:
                self._send(STOP, self._last_frame, self._last_frame / self.fps)
                self._last_frame = None
            return
        frame = int(round(show_s * self.fps))
        if self._last_frame is None:
            self._send(OPEN, frame, show_s)
            self._send(START, frame, show_s, tick_s)
        elif sync_due(frame) or not 0 <= frame - self._last_frame <= 2:     # the cadence, or a jump
            self._send(SYNC, frame, show_s, tick_s)
        self._last_frame = frame

    def _send(self, action: int, frame: int, seconds: float, tick_s: float | None = None) -> None:
        if tick_s is not None:
            seconds += max(0.0, self.clock() - tick_s)
        self._send_packet(build_sync(action, SEQUENCE, frame, seconds, self.file_name))

    def _send_packet(self, packet: bytes) -> None:
        for target in self.targets:
            try:
                self.sock.sendto(packet, target)
                self.sent += 1
                self._failed.discard(target)
            except OSError as exc:
                if target not in self._failed:
                    self._failed.add(target)
                    log.warning("MultiSync to %s failed: %s", target[0], exc.strerror or exc)

    def close(self) -> None:
        if self._last_frame is not None:
            self.update(None)
        self.sock.close()


def local_ping(mode: int, ip: str, ranges: str, hostname: str | None = None) -> PingPacket:
    """This lightshow's own ping: system type 'other', its version, ``mode`` (MODE_* flags), the
    address it is known by (``0.0.0.0`` when it is not one IPv4 address) and its channel ranges."""
    from importlib import metadata

    try:
        version = metadata.version("lightshow")
    except metadata.PackageNotFoundError:
        version = "0.0"
    parts = (version.split(".") + ["0", "0"])[:2]
    major, minor = (min(int(p), 0xFFFF) if p.isdigit() else 0 for p in parts)
    host = (hostname or socket.gethostname()).encode()[:64].decode("utf-8", "ignore")
    try:
        socket.inet_aton(ip)
        known = ip if ip.count(".") == 3 else "0.0.0.0"
    except OSError:
        known = "0.0.0.0"
    return PingPacket(False, SYSTEM_OTHER, major, minor, mode, known, host,
                      f"lightshow {version}"[:40], "lightshow", ranges)


def source_ip_towards(target: tuple[str, int]) -> str:
    """The local address packets to ``target`` leave from (a connected UDP socket sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(target)
            return probe.getsockname()[0]
        except OSError:
            return "0.0.0.0"


class PingAnswerer(UdpListener):
    """A master listening for discover pings (``--sync-listen BIND``) on ``bind_ip:port`` and
    answering each one, to the asker only, with its own ping; it binds what it is given and
    nothing more (on all interfaces, ``0.0.0.0``, it also joins the multicast group, where FPP and
    xLights ask).  Pings that are not discovers are counted in ``heard`` and not answered."""

    thread_name = "lightshow-multisync-pings"

    def __init__(self, identity: PingPacket, bind_ip: str, port: int = MULTISYNC_PORT):
        self.identity, self.answered, self.ignored = identity, 0, 0
        self.heard: dict[str, PingPacket] = {}
        self._answer = build_ping(identity)
        super().__init__(multisync_socket(bind_ip, port, "MultiSync pings"))

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            if packet_type(data) != TYPE_PING:
                self.ignored += 1
                return
            ping = parse_ping(data)
        except FormatError:
            self.ignored += 1
            return
        self.heard[sender[0]] = ping
        if not ping.discover:
            return
        try:
            self.sock.sendto(self._answer, sender)
            self.answered += 1
        except OSError as exc:
            log.info("MultiSync ping answer to %s failed: %s", sender[0], exc.strerror or exc)
