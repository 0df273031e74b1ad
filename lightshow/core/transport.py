"""Where the show is: play, pause, seek, rate and loop as a function of the clock.

The playhead is an anchor (a frame and the time it was there) and a rate, so
the show frame at any time is computed, never accumulated: no drift.  Times
are passed in; nothing here reads a clock.  ``trim`` multiplies the operator's
rate while the playhead slews towards a time source (see :mod:`lightshow.core.follow`).
"""

from __future__ import annotations

from dataclasses import dataclass

STOPPED, PLAYING, PAUSED, ENDED = "stopped", "playing", "paused", "ended"
MAX_RATE = 8.0
FRAME_EPSILON = 1e-6   # a tick computed as k - 1e-12 frames is frame k, not k - 1


@dataclass
class Transport:
    fps: float
    n_frames: int
    first_frame: int = 0
    state: str = STOPPED
    anchor_frame: float = 0.0
    anchor_s: float = 0.0
    rate: float = 1.0
    loop: bool = False
    trim: float = 1.0

    def __post_init__(self) -> None:
        self.anchor_frame = float(self.first_frame)

    def position(self, now_s: float) -> int:
        """The show frame at ``now_s`` (ends, or wraps when looping)."""
        if self.state != PLAYING:
            return int(self.anchor_frame)
        frame = self.anchor_frame + (now_s - self.anchor_s) * self.fps * self.rate * self.trim
        frame += FRAME_EPSILON
        last = self.n_frames - 1
        if frame >= last + 1:
            if self.loop and self.n_frames > self.first_frame + 1:
                span = self.n_frames - self.first_frame
                return int(self.first_frame + (frame - self.first_frame) % span)
            self.state, self.anchor_frame, self.anchor_s = ENDED, float(last), now_s
            return last
        return int(frame)

    def lap(self, now_s: float) -> int:
        """How many times a looping show has wrapped since it was last anchored (0 otherwise)."""
        if self.state != PLAYING or not self.loop or self.n_frames <= self.first_frame + 1:
            return 0
        frame = self.anchor_frame + (now_s - self.anchor_s) * self.fps * self.rate * self.trim + FRAME_EPSILON
        return max(0, int((frame - self.first_frame) // (self.n_frames - self.first_frame)))

    def _anchor(self, frame: float, now_s: float) -> None:
        self.anchor_frame = float(min(max(frame, self.first_frame), self.n_frames - 1))
        self.anchor_s = now_s

    def play(self, now_s: float) -> None:
        """From where the playhead is (from the start when stopped or ended)."""
        if self.state in (STOPPED, ENDED):
            self._anchor(self.first_frame, now_s)
        elif self.state == PAUSED:
            self._anchor(self.anchor_frame, now_s)
        self.state = PLAYING

    def pause(self, now_s: float) -> None:
        if self.state == PLAYING:
            self._anchor(self.position(now_s), now_s)
            if self.state == PLAYING:
                self.state = PAUSED

    def resume(self, now_s: float) -> None:
        if self.state == PAUSED:
            self.play(now_s)

    def stop(self, now_s: float) -> None:
        self.state = STOPPED
        self._anchor(self.first_frame, now_s)

    def play_at(self, frame: float, now_s: float) -> None:
        """Play from ``frame`` (fractional: a time between frames) counted from ``now_s``, whatever
        the state: a seek and a play in one step, so no time is lost between them."""
        self._anchor(frame, now_s)
        self.state = PLAYING

    def seek(self, frame: int, now_s: float) -> None:
        """Move the playhead; a stopped or ended show is paused there."""
        self._anchor(frame, now_s)
        if self.state in (STOPPED, ENDED):
            self.state = PAUSED

    def position_s(self, now_s: float) -> float:
        """Show seconds at ``now_s``, between frames too (for following a time source)."""
        if self.state != PLAYING:
            return self.anchor_frame / self.fps
        return (self.anchor_frame + (now_s - self.anchor_s) * self.fps * self.rate * self.trim) / self.fps

    def rebase(self, now_s: float) -> None:
        """Keep the playhead where it is but count from ``now_s`` (the clock's first tick)."""
        if self.state == PLAYING:
            self.anchor_frame, self.anchor_s = float(self.position(now_s)), now_s

    def set_trim(self, trim: float, now_s: float) -> None:
        """Run at ``trim`` times the operator's rate from ``now_s`` (slewing to a time source)."""
        if trim != self.trim:
            if self.state == PLAYING:
                self.anchor_frame = self.anchor_frame + (now_s - self.anchor_s) * self.fps * self.rate * self.trim
                self.anchor_s = now_s
            self.trim = trim

    def set_rate(self, rate: float, now_s: float) -> None:
        if not 0 < rate <= MAX_RATE:
            raise ValueError(f"rate must be in (0, {MAX_RATE:g}], found {rate:g}")
        self._anchor(self.position(now_s), now_s)
        self.rate = rate
