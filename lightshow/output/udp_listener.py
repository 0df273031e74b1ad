"""A UDP socket bound to an address, and a thread that hands each datagram on.

Whatever a datagram does to its handler, the thread goes on: an exception is logged
(at most once a minute per kind) and the next datagram is read.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

from lightshow.errors import LightshowError

log = logging.getLogger("lightshow.udp")
FAULT_LOG_INTERVAL_S = 60.0


def bound_udp_socket(bind_ip: str, port: int, purpose: str, timeout_s: float = 0.1,
                     reuse: bool = False) -> socket.socket:
    """A broadcast-capable UDP socket on ``bind_ip:port`` with a receive timeout."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if reuse:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.settimeout(timeout_s)
    try:
        sock.bind((bind_ip, port))
    except OSError as exc:
        sock.close()
        raise LightshowError(f"cannot listen for {purpose} on {bind_ip}:{port}: "
                             f"{exc.strerror or exc} (is another Art-Net program running?)") from exc
    return sock


class UdpListener:
    """Receives on ``sock`` in a thread: ``handle(data, sender)`` per datagram, ``tick()`` between."""

    thread_name = "lightshow-udp"

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self.faults = 0
        self._fault_logged: dict[str, float] = {}

    def start(self):
        self._thread.start()
        return self

    def tick(self) -> None:
        """Called before every receive (at least every socket timeout)."""

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._halt.is_set():
            self.tick()
            try:
                data, sender = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                if self._halt.is_set():
                    return
                continue
            try:
                self.handle(data, sender)
            except Exception as exc:     # noqa: BLE001 - one datagram must never stop the listener
                self._fault(exc, sender)

    def _fault(self, exc: Exception, sender: tuple[str, int]) -> None:
        self.faults += 1
        kind, now = type(exc).__name__, time.monotonic()
        if now - self._fault_logged.get(kind, -FAULT_LOG_INTERVAL_S) >= FAULT_LOG_INTERVAL_S:
            self._fault_logged[kind] = now
            log.error("%s: a datagram from %s failed (%s: %s); listening on", self.thread_name,
                      sender[0], kind, exc)

    def close(self) -> None:
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
