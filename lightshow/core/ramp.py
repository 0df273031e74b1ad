"""A value that moves linearly to a target over a fade time (grand master, blackout, groups)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ramp:
    start: float = 1.0
    target: float = 1.0
    t0_s: float = 0.0
    fade_s: float = 0.0

    def value(self, now_s: float) -> float:
        if self.fade_s <= 0 or now_s >= self.t0_s + self.fade_s:
            return self.target
        if now_s <= self.t0_s:
            return self.start
        return self.start + (self.target - self.start) * (now_s - self.t0_s) / self.fade_s

    def to(self, target: float, now_s: float, fade_s: float = 0.0) -> "Ramp":
        """A ramp from where this one is now to ``target``."""
        return Ramp(self.value(now_s), target, now_s, max(fade_s, 0.0))
