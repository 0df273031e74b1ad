"""A small Art-Net node for tests: answers ArtPoll with an ArtPollReply, keeps the ArtDmx it gets."""

import socket
import threading
import time

from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_poll import ArtPoll
from lightshow.protocol.artnet_poll_reply import build_artpollreply


class ArtNetNode:
    """Bound to ``ip``:6454; replies go to the poller's port 6454, as Art-Net asks."""

    def __init__(self, ip: str, universes, port: int = 6454):
        self.ip, self.universes, self.port = ip, universes, port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, port))
        self.sock.settimeout(0.05)
        self.answering = True
        self.polls = 0
        self.dmx: list[tuple[float, ArtDmx]] = []  # (arrival, packet)
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        reply = build_artpollreply(self.ip, "facade-b04", "River Exchange Centre node",
                                   self.universes)
        while not self._halt.is_set():
            try:
                data, (host, _) = self.sock.recvfrom(2048)
            except TimeoutError:
                continue
            try:
                packet = parse_packet(data)
            except FormatError:
                continue
            if isinstance(packet, ArtPoll):
                self.polls += 1
                if self.answering:
                    self.sock.sendto(reply, (host, self.port))
            elif isinstance(packet, ArtDmx):
                with self._lock:
                    self.dmx.append((time.monotonic(), packet))

    def universes_since(self, since_s: float) -> set[int]:
        """Port-addresses of the ArtDmx that arrived after ``since_s`` (monotonic)."""
        with self._lock:
            return {p.port_address for t, p in self.dmx if t > since_s}

    def close(self):
        self._halt.set()
        self.thread.join(timeout=2)
        self.sock.close()


def wait_for(condition, timeout_s: float) -> float:
    """Seconds until ``condition()`` held; fails the test after ``timeout_s``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError("condition not met in time")
