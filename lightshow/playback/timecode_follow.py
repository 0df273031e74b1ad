"""Following a console's or a DAW's ArtTimeCode: a time source that drives the transport.

ArtTimeCode packets (UDP 6454) are heard in a thread of their own; each label goes, with the
monotonic time it arrived, to the one timecode chase (:mod:`lightshow.core.timecode_chase`: lock,
extrapolation between labels, discontinuities, freewheel, loss, offset).  The player asks
:meth:`show_time_s` once a tick; like the MultiSync remote, this source starts the show where the
timecode says once it locks and stops it (``on_loss="stop"``) or holds it (``"hold"``: the
transport pauses on the frame it was showing) when the timecode is lost or reads 00:00:00:00.
The player's follow law then slews small errors and jumps large ones (:mod:`lightshow.core.follow`).

Binding: only on the address asked for.  ``--follow artnet`` listens on 0.0.0.0 because following
"the network" is what was asked; ``--follow artnet:10.0.0.5`` (or ``127.0.0.2``) only there.  The
socket is bound with SO_REUSEADDR so a local Art-Net program (olad, say) can share the port; on
Linux unicast to an address goes to the most specific socket bound to it.
"""

from __future__ import annotations

import threading
import time

from lightshow.core.timecode_chase import ChasePolicy, TimecodeChase
from lightshow.errors import FormatError
from lightshow.output.udp_listener import UdpListener, bound_udp_socket
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.artnet_timecode import ArtTimeCode
from lightshow.protocol.timecode import timecode_fps


class ChasedTimecode:
    """What every timecode source shares: the chase, its lock, the time it says and its status.

    A receiver (a socket thread, an audio callback) calls :meth:`hear` with each label; the player
    calls :meth:`show_time_s` and :meth:`follow_status`.  Subclasses say where the labels come from
    (:meth:`source_text`)."""

    drives_transport = True

    def __init__(self, name: str, policy: ChasePolicy = ChasePolicy(), clock=time.monotonic):
        self.name, self.clock = name, clock
        self.on_loss = policy.on_loss
        self.chase = TimecodeChase(policy)
        self._chase_lock = threading.Lock()

    def hear(self, label: tuple[int, int, int, int], kind: int, started_s: float,
             arrived_s: float | None = None) -> None:
        with self._chase_lock:
            self.chase.hear(label, kind, started_s, arrived_s)

    def show_time_s(self, now_s: float) -> float | None:
        late_s = self.late_s()
        with self._chase_lock:
            return self.chase.show_time_s(now_s, late_s)

    def late_s(self) -> float:
        """How long a label takes to reach us after the moment it counts as arrived (0: at once)."""
        return 0.0

    def source_text(self) -> str:
        raise NotImplementedError

    def follow_status(self, error_s: float | None) -> dict:
        """The source, its lock, the incoming time and the playhead's error in the source's frames."""
        with self._chase_lock:
            status = self.chase.status()
        status["source"] = self.source_text()
        kind = self.chase.kind if self.chase.kind is not None else self.chase.label_kind
        status["error_frames"] = (None if error_s is None or kind is None
                                  else round(error_s * timecode_fps(kind), 2))
        return status


class ArtTimecodeFollow(ChasedTimecode, UdpListener):
    """A time source following ArtTimeCode heard on ``bind_ip:port`` (stream ``stream_id`` only)."""

    thread_name = "lightshow-timecode"

    def __init__(self, bind_ip: str = "0.0.0.0", port: int = ARTNET_PORT,
                 policy: ChasePolicy = ChasePolicy(), stream_id: int = 0, clock=time.monotonic):
        ChasedTimecode.__init__(self, "artnet-timecode", policy, clock)
        self.bind_ip, self.stream_id = bind_ip, stream_id
        self.packets = self.ignored = 0
        self.sender: str | None = None
        UdpListener.__init__(self, bound_udp_socket(bind_ip, port, "ArtTimeCode", reuse=True))
        self.address: tuple[str, int] = self.sock.getsockname()

    def handle(self, data: bytes, sender: tuple[str, int]) -> None:
        heard_s = self.clock()
        try:
            packet = parse_packet(data)
        except FormatError:
            self.ignored += 1
            return
        if not isinstance(packet, ArtTimeCode) or packet.stream_id != self.stream_id:
            return                                     # ArtDmx, ArtPoll...: not ours to hear
        self.packets += 1
        self.sender = sender[0]
        self.hear((packet.hours, packet.minutes, packet.seconds, packet.frames), packet.kind, heard_s)

    def source_text(self) -> str:
        return f"artnet {self.bind_ip}:{self.address[1]}" + (f" from {self.sender}" if self.sender else "")
