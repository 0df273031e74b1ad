"""Chasing external timecode: frame labels heard now and then in, the show's time at any instant out.

Whatever carries the labels (ArtTimeCode packets, LTC audio, MTC quarter frames), the chase is the
same and pure: the receiver calls :meth:`TimecodeChase.hear` with each label, its rate and the
monotonic time it arrived; the player asks :meth:`TimecodeChase.show_time_s` once a tick.

- **Lock**: ``lock_frames`` labels in sequence (each within ``jump_frames`` of where the one before
  says the source should be by then) lock the chase; one stray label does not start a show.
- **Between labels** the time is extrapolated on the monotonic clock at the source's nominal rate.
  A label ``n`` says the source is within frame ``n`` (its start at ``n``, its end at ``n + 1``):
  an estimate already in that window is kept (so label jitter does not make the estimate hunt),
  one outside is moved to the window's nearest edge.  Senders send a label when its frame starts,
  some a little late, so the estimate settles on the earliest (the truest) phase.
- **Discontinuity**: a label more than ``jump_frames`` outside the window is a jump in the source's
  time; once the next label confirms it the estimate moves there (the player's follow law then
  jumps or slews, :mod:`lightshow.core.follow`).  A rate change (25 to 30, say) is a discontinuity.
- **Freewheel**: with no label, the estimate runs on for ``freewheel_frames`` missing frames of the
  source's rate (plus half a frame for jitter); then the source counts as **lost**.
- **Loss** and an **all-zero label** (how consoles and Falcon Player's timecode plugin say "stopped";
  but not the 00:00:00:00 that follows 23:59:59:xx in sequence) make :meth:`show_time_s` answer None; the player then stops the show or holds it, as
  ``on_loss`` says.  A time before the offset (the show has not started) is None as well.
- **Offset**: the label that is the show's start (10:00:00:00, say), counted in the source's own
  frames, so drop-frame labels subtract exactly; the 24-hour wrap is taken into account.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.protocol.timecode import format_timecode, frame_count, frames_per_day, timecode_fps

WAITING, LOCKED, FREEWHEEL, LOST = "waiting", "locked", "freewheel", "lost"
ON_LOSS = ("stop", "hold")
ZERO_LABEL = (0, 0, 0, 0)


@dataclass(frozen=True)
class ChasePolicy:
    offset: tuple[int, int, int, int] = ZERO_LABEL   # the label at which the show starts
    freewheel_frames: int = 10
    on_loss: str = "stop"
    lock_frames: int = 2
    jump_frames: float = 2.0

    def __post_init__(self) -> None:
        if self.on_loss not in ON_LOSS:
            raise ValueError(f"on_loss must be one of {', '.join(ON_LOSS)}, found '{self.on_loss}'")
        if self.freewheel_frames < 0 or self.lock_frames < 1:
            raise ValueError("freewheel_frames must be >= 0 and lock_frames >= 1")


class TimecodeChase:
    """The show time that a stream of timecode labels says, between labels and through dropouts."""

    def __init__(self, policy: ChasePolicy = ChasePolicy()):
        self.policy = policy
        self.state = WAITING
        self.kind: int | None = None              # the locked source's timecode type
        self.label: tuple[int, int, int, int] | None = None   # the last label heard
        self.label_kind: int | None = None
        self.heard_s: float | None = None         # when the last label in sequence arrived
        self.reason: str | None = None            # why the source was last lost
        self.frames_heard = self.jumps = self.losses = 0
        self.locked_at_s: float | None = None
        self._estimate: tuple[float, float] | None = None     # (source frames, monotonic s) when locked
        self._candidate: tuple[int, int, float, int] | None = None   # (count, kind, heard s, in sequence)

    # -- labels in ------------------------------------------------------------------------------
    def hear(self, label: tuple[int, int, int, int], kind: int, now_s: float,
             arrived_s: float | None = None) -> None:
        """A label ``(hours, minutes, seconds, frames)`` of timecode type ``kind`` whose frame started at
        ``now_s``; it reached us at ``arrived_s`` (default ``now_s``: a packet is heard as its frame
        starts).  An LTC frame is only read once it has ended, a frame later than it started: its time
        is its start, while the freewheel counts silence from its arrival."""
        arrived_s = now_s if arrived_s is None else arrived_s
        self.frames_heard += 1
        self.label, self.label_kind = tuple(label), kind
        count = frame_count(*label, kind)
        if self.state in (LOCKED, FREEWHEEL) and kind == self.kind:
            estimate = self._frames_at(now_s)
            count_near = estimate + _wrapped(count - estimate, frames_per_day(kind))
            if count_near - self.policy.jump_frames <= estimate <= count_near + 1 + self.policy.jump_frames:
                self._estimate = (min(max(estimate, count_near), count_near + 1.0), now_s)
                self.heard_s, self._candidate, self.state = arrived_s, None, LOCKED
                return                       # in sequence (00:00:00:00 too, running through midnight)
        if self.label == ZERO_LABEL:
            self._lose("zero time", now_s)
            return
        if self._confirms(count, kind, now_s):
            if self.state in (LOCKED, FREEWHEEL):
                self.jumps += 1
            else:
                self.locked_at_s = now_s
            self.state, self.kind, self.reason = LOCKED, kind, None
            self._estimate, self.heard_s, self._candidate = (float(count), now_s), arrived_s, None

    def _confirms(self, count: int, kind: int, now_s: float) -> bool:
        """Whether this label completes ``lock_frames`` in sequence (else it starts or extends a run)."""
        run = 1
        if self._candidate is not None:
            last_count, last_kind, last_s, last_run = self._candidate
            expected = last_count + (now_s - last_s) * timecode_fps(kind)
            if kind == last_kind and abs(_wrapped(count - expected, frames_per_day(kind))) <= self.policy.jump_frames:
                run = last_run + 1
        if run >= self.policy.lock_frames:
            return True
        self._candidate = (count, kind, now_s, run)
        return False

    def _lose(self, reason: str, now_s: float) -> None:
        if self.state in (LOCKED, FREEWHEEL):
            self.losses += 1
        self.state, self.reason, self._estimate, self._candidate = LOST, reason, None, None

    # -- time out ---------------------------------------------------------------------------------
    def _frames_at(self, now_s: float) -> float:
        frames, at_s = self._estimate
        return frames + (now_s - at_s) * timecode_fps(self.kind)

    def source_frames(self, now_s: float, late_s: float = 0.0) -> float | None:
        """The source's position at ``now_s`` in its frames since 00:00:00:00 (None: not locked or
        lost); passing the freewheel limit makes the source lost.  ``late_s``: how long labels take to
        reach the receiver after they arrive (an audio input's capture delay); silence is counted up
        to ``now_s - late_s``."""
        if self.state not in (LOCKED, FREEWHEEL):
            return None
        silent_frames = (now_s - late_s - self.heard_s) * timecode_fps(self.kind)
        if silent_frames > self.policy.freewheel_frames + 1.5:
            self._lose(f"no timecode for {silent_frames:.0f} frames", now_s)
            return None
        self.state = FREEWHEEL if silent_frames > 1.5 else LOCKED
        return self._frames_at(now_s)

    def show_time_s(self, now_s: float, late_s: float = 0.0) -> float | None:
        """Seconds into the show at ``now_s`` (the incoming time minus the offset), or None: not locked,
        lost, stopped (all-zero time) or before the show's start."""
        frames = self.source_frames(now_s, late_s)
        if frames is None:
            return None
        offset = frame_count(*self.policy.offset, self.kind)
        show_frames = _wrapped(frames - offset, frames_per_day(self.kind))
        if show_frames < 0:
            return None
        return show_frames / timecode_fps(self.kind)

    def status(self) -> dict:
        """What an operator sees: state, the last label heard (``10:00:05:12 @25``) and its rate."""
        return {
            "state": self.state, "locked": self.state in (LOCKED, FREEWHEEL),
            "incoming": (format_timecode(*self.label, self.label_kind) if self.label is not None else None),
            "fps": round(timecode_fps(self.label_kind), 3) if self.label_kind is not None else None,
            "lost_because": self.reason, "frames_heard": self.frames_heard, "jumps": self.jumps,
            "losses": self.losses,
        }


def _wrapped(frames: float, per_day: int) -> float:
    """``frames`` taken round the 24-hour wrap into [-half a day, half a day)."""
    half = per_day / 2
    return (frames + half) % per_day - half
