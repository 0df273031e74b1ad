"""Art-Net discovery: ArtPoll every few seconds, ArtPollReplies into a node table.

Replies come to port 6454 of the controller, so the socket binds that port on
the given address (127.0.0.1 in tests).  A thread polls and listens; the table
can be read at any time.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.errors import FormatError
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.artnet_poll import build_artpoll
from lightshow.protocol.artnet_poll_reply import ArtPollReply
from lightshow.protocol.node_table import POLL_INTERVAL_S, NodeEntry, NodeTable

log = logging.getLogger("lightshow.discovery")


class Discovery(UdpListener):
    thread_name = "lightshow-discovery"

    def __init__(self, poll_to: list[str], bind_ip: str = "0.0.0.0", port: int = ARTNET_PORT,
                 poll_interval_s: float = POLL_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic):
        self.poll_to, self.port = poll_to, port
        self.poll_interval_s = poll_interval_s
        self.clock = clock
        self.table = NodeTable(poll_interval_s)
        self._lock = threading.Lock()
        self._next_poll: float | None = None
        super().__init__(bound_udp_socket(bind_ip, port, "ArtPollReply"))

    def _poll(self) -> None:
        packet = build_artpoll()
        for address in self.poll_to:
            try:
                self.sock.sendto(packet, (address, self.port))
            except OSError as exc:
                log.warning("ArtPoll to %s failed: %s", address, exc.strerror or exc)

    def tick(self) -> None:
        """Poll when due; mark nodes that stopped answering offline."""
        now = self.clock()
        if self._next_poll is None or now >= self._next_poll:
            self._poll()
            self._next_poll = now + self.poll_interval_s
        with self._lock:
            for node in self.table.tick(now):
                log.warning("node %s (%s) offline: no ArtPollReply for %.0f s", node.ip,
                            node.short_name, now - node.last_seen_s)

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            packet = parse_packet(data)
        except FormatError:
            return
        if isinstance(packet, ArtPollReply):
            with self._lock:
                node, appeared = self.table.on_reply(packet, self.clock())
            if appeared:
                log.info("node %s (%s) online", node.ip, node.short_name)

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

    def __enter__(self):
        return self.start()


def rig_node_status(rig_nodes, discovery: Discovery | None) -> list[dict]:
    """Each of the rig's nodes with whether it answers ArtPoll (None: nobody is polling)."""
    seen = {n.ip: n for n in (discovery.nodes() if discovery else [])}
    return [{"ip": n.ip, "name": n.name, "universes": f"{n.first_universe}-{n.last_universe}",
             "online": bool(seen.get(n.ip) and seen[n.ip].online) if discovery else None}
            for n in rig_nodes]
