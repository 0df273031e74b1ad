"""Live Art-Net for the simulator: the simulator as a virtual node.

(A show's frames come from :class:`lightshow.playback.frames.FrameSource`.)  The simulator is a virtual node.  It listens on port 6454,
answers ArtPoll with ArtPollReplies that announce the rig's universes (four
ports per reply, bind index 1, 2, ... as Art-Net 4 has large nodes do), and
keeps the latest ArtDmx data of each universe in one frame buffer laid out
like a compiled frame, so the same painter draws it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.errors import FormatError
from lightshow.model.rig import DMX_SLOTS
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.artnet_poll import ArtPoll
from lightshow.protocol.artnet_poll_reply import build_artpollreply

log = logging.getLogger("lightshow.simulator")
PORTS_PER_REPLY = 4


@dataclass
class LiveStats:
    packets: int = 0
    polls_answered: int = 0
    ignored: int = 0
    universes_seen: set[int] = field(default_factory=set)
    last_packet_s: float | None = None


class LiveArtnet(UdpListener):
    """A virtual Art-Net node that keeps the latest DMX of the rig's universes."""

    thread_name = "lightshow-sim-artnet"

    def __init__(self, universes: list[int], bind_ip: str = "0.0.0.0", port: int = ARTNET_PORT,
                 name: str = "lightshow sim"):
        self.universes = list(universes)
        self.slot = {u: i for i, u in enumerate(self.universes)}
        self.buffer = np.zeros(len(self.universes) * DMX_SLOTS, dtype=np.uint8)
        self.bind_ip, self.port, self.name = bind_ip, port, name
        self.stats = LiveStats()
        self._lock = threading.Lock()
        super().__init__(bound_udp_socket(bind_ip, port, "Art-Net"))
        self._replies = self._build_replies()

    def _build_replies(self) -> list[bytes]:
        ip = self.bind_ip if self.bind_ip not in ("", "0.0.0.0") else "127.0.0.1"
        replies, chunk = [], []
        for universe in self.universes:   # a reply's ports share net and sub-net (top 11 bits)
            if chunk and (len(chunk) == PORTS_PER_REPLY or chunk[0] >> 4 != universe >> 4):
                replies.append(chunk)
                chunk = []
            chunk.append(universe)
        if chunk:
            replies.append(chunk)
        return [build_artpollreply(ip, self.name, f"{self.name}: virtual node of the rig", ports,
                                   bind_index=i + 1, node_report=f"#0001 [{i:04d}] simulator",
                                   good_output=0x80)
                for i, ports in enumerate(replies)]

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        try:
            packet = parse_packet(data)
        except FormatError as exc:
            self.stats.ignored += 1
            log.debug("ignored a packet from %s: %s", sender[0], exc)
            return
        if isinstance(packet, ArtDmx):
            slot = self.slot.get(packet.port_address)
            if slot is None:
                self.stats.ignored += 1
                return
            with self._lock:
                start = slot * DMX_SLOTS
                self.buffer[start:start + len(packet.data)] = np.frombuffer(packet.data, np.uint8)
                self.stats.packets += 1
                self.stats.universes_seen.add(packet.port_address)
                self.stats.last_packet_s = time.monotonic()
        elif isinstance(packet, ArtPoll):
            reply_port = ARTNET_PORT if self.port == ARTNET_PORT else sender[1]
            for reply in self._replies:   # replies go to the poller's port 6454
                try:
                    self.sock.sendto(reply, (sender[0], reply_port))
                except OSError as exc:
                    log.warning("ArtPollReply to %s failed: %s", sender[0], exc.strerror or exc)
                    return
            self.stats.polls_answered += 1

    def frame(self) -> np.ndarray:
        with self._lock:
            return self.buffer.copy()
