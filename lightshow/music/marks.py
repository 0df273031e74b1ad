"""Marks: the times in a song a show can be cued to (beats, bars, strong onsets, named marks).

A marks file (``lightshow marks SONG -o marks.yaml``) is YAML::

    source: anniversary.ogg        # the song the marks were taken from (informational)
    duration_s: 540.0
    tempo_bpm: 120.0               # the median tempo, informational
    beats: [0.512, 1.012, ...]     # every beat, seconds from the song's start, ascending
    bars: [0.512, 2.512, ...]      # every downbeat (bar 1 is the first), a subset of the beat times
    onsets: [...]                  # strong onsets (accents, hits)
    marks: {intro: 0.0, chorus-2: 123.4}   # named marks

Beats and bars are numbered from 1 as musicians count: ``beat 1`` is ``beats[0]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Marks:
    beats: np.ndarray                                    # seconds, ascending
    bars: np.ndarray                                     # seconds, ascending
    onsets: np.ndarray = field(default_factory=lambda: np.zeros(0))
    named: dict[str, float] = field(default_factory=dict)
    source: str = ""
    duration_s: float = 0.0

    @property
    def tempo_bpm(self) -> float:
        if len(self.beats) < 2:
            return 0.0
        return float(60.0 / np.median(np.diff(self.beats)))


def _times(values) -> str:
    return "[" + ", ".join(f"{float(v):.3f}" for v in values) + "]"


def marks_yaml(marks: Marks) -> str:
    """The marks file's text (times to the millisecond, one list per line)."""
    import json

    lines = ["# marks: beats, bars (downbeats) and strong onsets in seconds; beat 1 is the first",
             f"source: {json.dumps(marks.source, ensure_ascii=False)}",
             f"duration_s: {marks.duration_s:.3f}",
             f"tempo_bpm: {marks.tempo_bpm:.2f}",
             f"beats: {_times(marks.beats)}",
             f"bars: {_times(marks.bars)}",
             f"onsets: {_times(marks.onsets)}"]
    if marks.named:
        lines.append("marks:")
        lines += [f"  {json.dumps(name, ensure_ascii=False)}: {time_s:.3f}" for name, time_s in marks.named.items()]
    else:
        lines.append("marks: {}")
    return "\n".join(lines) + "\n"
