"""A UDP socket bound to an address, and a thread that hands each datagram on.

Whatever a datagram does to its handler, the thread goes on: an exception is logged
(at most once a minute per kind) and the next datagram is read.

A listener that times what it hears (``stamp_arrivals``) gets each datagram's arrival as the
kernel stamped it (``SO_TIMESTAMPNS``), on the monotonic clock, in ``arrival_s``: the reading
thread may wait for the CPU or the interpreter lock for milliseconds after a packet arrived,
which would otherwise count as the sender being late.
"""

from __future__ import annotations

import logging
import socket
import struct
import sys
import threading
import time

from lightshow.errors import LightshowError

log = logging.getLogger("lightshow.udp")
FAULT_LOG_INTERVAL_S = 60.0
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35 if sys.platform.startswith("linux") else None)
CLOCK_OFFSET_REFRESH_S = 1.0   # the realtime clock may be stepped: its offset is measured again this often


class ArrivalClock:
    """Kernel receive stamps (``CLOCK_REALTIME``) as monotonic times."""

    def __init__(self):
        self._offset_s, self._measured_s = 0.0, float("-inf")

    def offset_s(self) -> float:
        """Realtime minus monotonic, measured between two monotonic reads (the closest pair of three)."""
        now = time.monotonic()
        if now - self._measured_s >= CLOCK_OFFSET_REFRESH_S:
            best = None
            for _ in range(3):
                before = time.monotonic()
                real = time.clock_gettime(time.CLOCK_REALTIME)
                after = time.monotonic()
                if best is None or after - before < best[0]:
                    best = (after - before, real - (before + after) / 2)
            self._offset_s, self._measured_s = best[1], now
        return self._offset_s

    def monotonic_of(self, ancillary) -> float:
        """The monotonic time of a datagram's ``SCM_TIMESTAMPNS`` (now, when it has none)."""
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
                seconds, nanoseconds = struct.unpack_from("qq", data)
                return seconds + nanoseconds * 1e-9 - self.offset_s()
        return time.monotonic()


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
    stamp_arrivals = False       # True: ``arrival_s`` is the kernel's receive time of the datagram handled

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.arrival_s: float | None = None    # of the datagram being handled (None outside handle)
        self._arrivals = None
        if self.stamp_arrivals and SO_TIMESTAMPNS is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                self._arrivals = ArrivalClock()
            except OSError:
                pass
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
                if self._arrivals is not None:
                    data, ancillary, _, sender = self.sock.recvmsg(2048, 64)
                    self.arrival_s = self._arrivals.monotonic_of(ancillary)
                else:
                    data, sender = self.sock.recvfrom(2048)
                    self.arrival_s = time.monotonic()
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
            self.arrival_s = None

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
