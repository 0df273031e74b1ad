"""Art-Net discovery: ArtPoll every few seconds, ArtPollReplies into a node table.

Replies come to port 6454 of the controller, so the socket binds that port on
the given address (127.0.0.1 in tests).  A thread polls and listens; the table
can be read at any time.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Callable

from lightshow.errors import FormatError, LightshowError
from lightshow.protocol.artnet import ARTNET_PORT, ArtPollReply, build_artpoll, parse_packet
from lightshow.protocol.node_table import POLL_INTERVAL_S, NodeEntry, NodeTable

log = logging.getLogger("lightshow.discovery")


class Discovery:
    def __init__(self, poll_to: list[str], bind_ip: str = "0.0.0.0", port: int = ARTNET_PORT,
                 poll_interval_s: float = POLL_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic):
        self.poll_to, self.port = poll_to, port
        self.poll_interval_s = poll_interval_s
        self.clock = clock
        self.table = NodeTable(poll_interval_s)
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.settimeout(0.1)
        try:
            self.sock.bind((bind_ip, port))
        except OSError as exc:
            self.sock.close()
            raise LightshowError(f"cannot listen for ArtPollReply on {bind_ip}:{port}: "
                                 f"{exc.strerror or exc} (is another Art-Net program running?)") from exc
        self._thread = threading.Thread(target=self._run, name="lightshow-discovery", daemon=True)

    def start(self) -> "Discovery":
        self._thread.start()
        return self

    def _poll(self) -> None:
        packet = build_artpoll()
        for address in self.poll_to:
            try:
                self.sock.sendto(packet, (address, self.port))
            except OSError as exc:
                log.warning("ArtPoll to %s failed: %s", address, exc.strerror or exc)

    def _run(self) -> None:
        next_poll = self.clock()
        while not self._halt.is_set():
            now = self.clock()
            if now >= next_poll:
                self._poll()
                next_poll = now + self.poll_interval_s
            try:
                data, _ = self.sock.recvfrom(2048)
            except socket.timeout:
                data = None
            except OSError:
                if self._halt.is_set():
                    return
                continue
            now = self.clock()
            with self._lock:
                if data is not None:
                    try:
                        packet = parse_packet(data)
                    except FormatError:
                        packet = None
                    if isinstance(packet, ArtPollReply):
                        node, appeared = self.table.on_reply(packet, now)
                        if appeared:
                            log.info("node %s (%s) online", node.ip, node.short_name)
                for node in self.table.tick(now):
                    log.warning("node %s (%s) offline: no ArtPollReply for %.0f s", node.ip,
                                node.short_name, now - node.last_seen_s)

    def nodes(self) -> list[NodeEntry]:
        with self._lock:
            return [NodeEntry(n.ip, n.short_name, n.long_name, dict(n.universes), n.first_seen_s,
                              n.last_seen_s, n.online) for n in self.table.nodes.values()]

    @property
    def version(self) -> int:
        """Grows whenever a node comes, goes or changes what it announces."""
        return self.table.version

    def unserved(self, universes) -> list[int]:
        with self._lock:
            return self.table.unserved(universes)

    def close(self) -> None:
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self.sock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
