"""A scripted ArtTimeCode sender (our own codec) for tests and the bench: frames on their own clock.

``TimecodeScript`` says what the source's clock reads at each instant after it starts: a run from a
start label, dropouts (no packets for some frames), jumps (the time moves by some seconds) and a
final all-zero label.  ``send_script`` sends one ArtTimeCode per frame of the source's rate at the
instant that frame starts (absolute deadlines on the monotonic clock, which every process on the
machine shares), and returns the monotonic time of frame 0 so a test can compute, for any instant,
the time the source meant.  Run as a module it is a separate process (``python -m
tests.timecode_peer --to 127.0.0.2 --kind 25 --start 10:00:00:00 --seconds 3``) that prints
``t0 <monotonic seconds>`` when it sends its first frame.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from dataclasses import dataclass, field

from lightshow.protocol.artnet_timecode import build_arttimecode, timecode_fps
from lightshow.protocol.timecode import TIMECODE_KINDS, frame_count, parse_timecode, timecode_at


@dataclass
class TimecodeScript:
    start: tuple[int, int, int, int]
    kind: int
    n_frames: int
    dropouts: list[tuple[int, int]] = field(default_factory=list)   # (first frame, how many) unsent
    jumps: list[tuple[int, float]] = field(default_factory=list)     # (from frame, seconds moved)
    zero_at_end: bool = False

    @property
    def fps(self) -> float:
        return timecode_fps(self.kind)

    def source_s(self, frame_idx: float) -> float:
        """What the source's clock reads (seconds since 00:00:00:00) ``frame_idx`` frames after frame 0."""
        moved = sum(by for at, by in self.jumps if frame_idx >= at)
        return frame_count(*self.start, self.kind) / self.fps + frame_idx / self.fps + moved

    def sent(self, frame_idx: int) -> bool:
        return not any(first <= frame_idx < first + n for first, n in self.dropouts)


def send_script(script: TimecodeScript, to: tuple[str, int], started=None) -> float:
    """Send ``script`` to ``to``; ``started(t0)`` is called as frame 0 goes.  Returns t0."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    period = 1.0 / script.fps
    t0 = time.monotonic() + 0.05
    try:
        for n in range(script.n_frames + (1 if script.zero_at_end else 0)):
            deadline = t0 + n * period
            while (wait := deadline - time.monotonic()) > 0:
                time.sleep(min(wait, 0.002) if wait > 0.002 else 0)
            if n == 0 and started is not None:
                started(t0)
            if n == script.n_frames:
                packet = build_arttimecode(0, 0, 0, 0, script.kind)
            elif script.sent(n):
                packet = build_arttimecode(*timecode_at(script.source_s(n) + 1e-9, script.kind), script.kind)
            else:
                continue
            sock.sendto(packet, to)
    finally:
        sock.close()
    return t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.timecode_peer")
    p.add_argument("--to", default="127.0.0.1")
    p.add_argument("--port", type=int, default=6454)
    p.add_argument("--kind", choices=sorted(TIMECODE_KINDS), default="25")
    p.add_argument("--start", default="10:00:00:00")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--dropout", action="append", default=[], metavar="FIRST:N")
    p.add_argument("--jump", action="append", default=[], metavar="FRAME:SECONDS")
    p.add_argument("--zero-at-end", action="store_true")
    args = p.parse_args(argv)
    kind = TIMECODE_KINDS[args.kind]
    script = TimecodeScript(parse_timecode(args.start), kind, int(args.seconds * timecode_fps(kind)),
                            [tuple(int(v) for v in d.split(":")) for d in args.dropout],
                            [(int(j.split(":")[0]), float(j.split(":")[1])) for j in args.jump],
                            args.zero_at_end)
    send_script(script, (args.to, args.port), lambda t0: print(f"t0 {t0:.6f}", flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
