"""Where the show should be: the time source the player follows.

The player keeps one output clock: tick ``n`` goes out at ``t0 + n / fps`` on the
monotonic clock, whatever happens.  Which show frame a tick carries is the
transport's playhead, and the playhead follows a **time source**:

- :class:`MonotonicClock` (the first and default source) has no opinion of its own:
  the playhead runs on the monotonic clock at the operator's rate, and only transport
  commands (play, pause, seek, rate, loop) move it.
- A soundtrack, external timecode (ArtTimeCode, LTC, MTC) or a sync master (Falcon
  Player MultiSync) reports the show time it is at.  On every tick the player asks
  ``source.show_time_s(deadline_s)``, compares it with the playhead and corrects the
  playhead through one law, :func:`lightshow.core.follow.follow_correction`: small errors
  are slewed (the rate trimmed by a few percent until the error closes), large ones are
  jumped (a seek).  ``None`` means the source has nothing to say at the moment (not yet
  locked, or a dropout being freewheeled): the playhead runs on at its current rate.

A source with ``drives_transport = True`` (a sync master: :mod:`lightshow.playback.multisync_remote`)
also starts the show where it says when it starts saying anything, and stops it when it falls
silent.  The status reports the source's name and the last error in frames.

A source is read from the player's output thread once per tick, so ``show_time_s``
must be quick and must not block; sources that receive packets or audio positions in
a thread of their own keep the latest reading and extrapolate it to ``now_s``.
"""

from __future__ import annotations

from typing import Protocol


class TimeSource(Protocol):
    name: str

    def show_time_s(self, now_s: float) -> float | None:
        """Where the show should be at monotonic time ``now_s``, or None: no correction."""
        ...


class MonotonicClock:
    """The playhead runs on the monotonic clock: transport commands alone move it."""

    name = "clock"

    def show_time_s(self, now_s: float) -> float | None:
        return None
