"""Finding Falcon Player devices (and lightshow players) by MultiSync ping.

Binds ``bind_ip:port`` (UDP 32320 by default), sends a discover ping to each address asked for
(answers come back to this socket: FPP answers on port 32320, lightshow to the asker) every
``interval_s``, and keeps the latest ping heard from each address: its mode, host name,
version and channel ranges.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time

from lightshow.errors import FormatError
from lightshow.output.multisync_sender import local_ping
from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.protocol.multisync import MODE_PLAYER, MULTISYNC_PORT, TYPE_PING, build_ping, packet_type, parse_ping

log = logging.getLogger("lightshow.discovery")


class MultiSyncDiscovery(UdpListener):
    thread_name = "lightshow-multisync-discovery"

    def __init__(self, ask: list[str], bind_ip: str = "0.0.0.0", port: int = MULTISYNC_PORT,
                 interval_s: float = 3.0, clock=time.monotonic):
        self.ask, self.port, self.interval_s, self.clock = ask, port, interval_s, clock
        self._lock = threading.Lock()
        self.devices: dict[str, tuple[object, float]] = {}     # address -> (ping, heard at)
        self._next_s: float | None = None
        self._discover = build_ping(dataclasses.replace(local_ping(MODE_PLAYER, bind_ip, ""), discover=True))
        super().__init__(bound_udp_socket(bind_ip, port, "MultiSync pings", reuse=True))

    def tick(self) -> None:
        now = self.clock()
        if self._next_s is None or now >= self._next_s:
            self._next_s = now + self.interval_s
            for address in self.ask:
                try:
                    self.sock.sendto(self._discover, (address, self.port))
                except OSError as exc:
                    log.warning("MultiSync discover to %s failed: %s", address, exc.strerror or exc)

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            if packet_type(data) != TYPE_PING:
                return
            ping = parse_ping(data)
        except FormatError:
            return
        if ping.discover and ping.model == "lightshow" and ping.hostname == local_ping(0, "", "").hostname \
                and sender[1] == self.sock.getsockname()[1]:
            return                                             # our own discover, looped back
        with self._lock:
            self.devices[sender[0]] = (ping, self.clock())

    def heard(self) -> list[tuple[str, object]]:
        with self._lock:
            return sorted(((ip, ping) for ip, (ping, _) in self.devices.items()),
                          key=lambda item: tuple(int(p) for p in item[0].split(".")))

    def __enter__(self):
        return self.start()
