"""A song's marks placed on the show's timeline: beat and bar numbers to show seconds and back.

Beats and bars count from 1 as musicians count (``beat 1`` is the first detected beat); a
fractional number lies proportionally between two marks (``beat 64.5`` is half way from beat
64 to beat 65).  Before the first mark and after the last, the grid goes on at the spacing of
the first and the last interval, so ``8 beats`` from near the song's end is still a length.
A mark's show time is its song time plus the soundtrack's ``offset_s`` (where in the show
the song begins).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.music.marks import Marks

KINDS = ("beat", "bar", "onset")   # numbered marks; named marks are looked up by name


class GridError(ValueError):
    """A reference the grid cannot resolve; the message says why (the loader positions it)."""


@dataclass(frozen=True)
class MusicGrid:
    marks: Marks
    offset_s: float = 0.0

    def times(self, kind: str) -> np.ndarray:
        return {"beat": self.marks.beats, "bar": self.marks.bars, "onset": self.marks.onsets}[kind]

    def time_s(self, kind: str, number: float) -> float:
        """Show seconds of beat/bar/onset ``number`` (1-based, may be fractional)."""
        times = np.asarray(self.times(kind), dtype=np.float64)
        plural = kind + "s"
        if len(times) == 0:
            raise GridError(f"the marks have no {plural}")
        if number < 1:
            raise GridError(f"{plural} count from 1, found {kind} {number:g}")
        if number > len(times):
            raise GridError(f"the marks have {len(times)} {plural}, found {kind} {number:g}")
        if kind == "onset" and number != int(number):
            raise GridError(f"onsets are counted in whole numbers, found onset {number:g}")
        return float(self._at(times, number - 1.0)) + self.offset_s

    def position(self, kind: str, show_s: float) -> float:
        """The (fractional, 1-based) beat or bar number at show time ``show_s``."""
        times = np.asarray(self.times(kind), dtype=np.float64)
        if len(times) == 0:
            raise GridError(f"the marks have no {kind}s")
        song_s = show_s - self.offset_s
        if len(times) == 1:
            return 1.0
        first, last = times[1] - times[0], times[-1] - times[-2]
        if song_s < times[0]:
            return 1.0 + (song_s - times[0]) / first
        if song_s > times[-1]:
            return float(len(times)) + (song_s - times[-1]) / last
        return 1.0 + float(np.interp(song_s, times, np.arange(len(times), dtype=np.float64)))

    def span_s(self, kind: str, start_show_s: float, count: float) -> float:
        """Seconds from ``start_show_s`` until ``count`` beats or bars later."""
        times = np.asarray(self.times(kind), dtype=np.float64)
        if len(times) < 2:
            raise GridError(f"a length in {kind}s needs at least two {kind}s in the marks")
        end_index = self.position(kind, start_show_s) - 1.0 + count
        return float(self._at(times, end_index)) + self.offset_s - start_show_s

    def rate_hz(self, kind: str, start_show_s: float, duration_s: float, per: float) -> float:
        """Cycles per second that make one cycle every ``per`` beats (or bars), averaged over a
        cue from ``start_show_s`` lasting ``duration_s``: under a steady tempo, exactly the tempo."""
        count = self.position(kind, start_show_s + duration_s) - self.position(kind, start_show_s)
        return float(count / per / duration_s)

    def named_s(self, name: str) -> float:
        return self.marks.named[name] + self.offset_s

    @staticmethod
    def _at(times: np.ndarray, index: float) -> float:
        """The time at fractional 0-based ``index``, extrapolated at the end intervals."""
        n = len(times)
        if n == 1:
            return float(times[0])
        if index < 0:
            return float(times[0] + index * (times[1] - times[0]))
        if index > n - 1:
            return float(times[-1] + (index - (n - 1)) * (times[-1] - times[-2]))
        return float(np.interp(index, np.arange(n, dtype=np.float64), times))
