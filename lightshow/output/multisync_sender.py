"""A MultiSync master: tells Falcon Player remotes (or lightshow remotes) what plays, and where.

Fed the show's position every output tick, it sends what FPP's own master sends: ``open`` and
``start`` when the show starts playing, a ``sync`` with the frame and the seconds at FPP's
cadence (every 4th frame up to frame 32, then every 10th) and at once after a jump, and
``stop`` when it stops.  Packets go to multicast 239.70.80.80 by default, or to the
addresses given (broadcast or unicast); a failing destination is logged and the others go on.
"""

from __future__ import annotations

import logging
import socket

from lightshow.protocol.multisync import (MULTICAST_GROUP, MULTISYNC_PORT, OPEN, SEQUENCE, START, STOP, SYNC,
                                          build_sync, sync_due)

log = logging.getLogger("lightshow.multisync")


class MultiSyncSender:
    def __init__(self, file_name: str, fps: float, targets: list[tuple[str, int]] | None = None):
        self.file_name, self.fps = file_name, fps
        self.targets = targets or [(MULTICAST_GROUP, MULTISYNC_PORT)]
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        self._last_frame: int | None = None          # None: not playing
        self.sent = 0
        self._failed: set[tuple[str, int]] = set()

    def update(self, show_s: float | None) -> None:
        """The show is at ``show_s`` (None: not playing) at this tick."""
        if show_s is None:
            if self._last_frame is not None:
                self._send(STOP, self._last_frame, self._last_frame / self.fps)
                self._last_frame = None
            return
        frame = int(round(show_s * self.fps))
        if self._last_frame is None:
            self._send(OPEN, frame, show_s)
            self._send(START, frame, show_s)
        elif sync_due(frame) or not 0 <= frame - self._last_frame <= 2:     # the cadence, or a jump
            self._send(SYNC, frame, show_s)
        self._last_frame = frame

    def _send(self, action: int, frame: int, seconds: float) -> None:
        packet = build_sync(action, SEQUENCE, frame, seconds, self.file_name)
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
