"""Times written in music: lengths in beats or bars, and rates that follow the tempo.

``duration: 8 beats`` or ``4 bars``; ``rate_hz: beat`` (one cycle a beat), ``2 beats`` (one
cycle every two beats), ``bar`` or ``-beat`` (backwards).  The values read here are markers
(:class:`MusicalLength`, :class:`TempoRate`); the show loader turns them into seconds and
hertz against the show's marks, where it knows when the cue starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lightshow.schema.reading import plain_text
from lightshow.schema.scalars import Float, Seconds, _range_text

__all__ = ["MusicalLength", "RateHz", "SecondsOrMusical", "TempoRate", "parse_musical_length"]

_LENGTH_RE = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(beat|bar)s?\Z")
_RATE_RE = re.compile(r"(-)?\s*(?:([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*)?(beat|bar)s?\Z")


@dataclass(frozen=True)
class MusicalLength:
    count: float
    kind: str          # "beat" or "bar"

    def __str__(self) -> str:
        return f"{self.count:g} {self.kind}s"


@dataclass(frozen=True)
class TempoRate:
    per: float         # one cycle every ``per`` beats or bars
    kind: str
    sign: float = 1.0

    def __str__(self) -> str:
        return f"{'-' if self.sign < 0 else ''}{self.kind if self.per == 1 else f'{self.per:g} {self.kind}s'}"


def parse_musical_length(text: str) -> MusicalLength | None:
    match = _LENGTH_RE.match(text.strip())
    if not match or float(match.group(1)) <= 0:
        return None
    return MusicalLength(float(match.group(1)), match.group(2))


class SecondsOrMusical(Seconds):
    """A time in seconds or mm:ss.fff, or a length in beats or bars (``8 beats``)."""

    def __init__(self, low: float | None = 0.0, high: float | None = None):
        super().__init__(low, high)
        self.expected = "a time in seconds or mm:ss.fff" + _range_text(low, high) + ", or 'N beats' / 'N bars'"

    def read(self, node, ctx):
        text = plain_text(node)
        if text is not None and re.search(r"[a-z]", text):
            return parse_musical_length(text) or ctx.expected(self.expected, node)
        return super().read(node, ctx)

    def json_schema(self):
        return {"anyOf": [super().json_schema(),
                          {"type": "string", "pattern": r"^\s*[0-9.]+\s*(beat|bar)s?\s*$"}]}


class RateHz(Float):
    """Cycles per second, or a rate that follows the tempo: ``beat``, ``2 beats``, ``bar``, ``-beat``."""

    def __init__(self, low=None, high=None):
        super().__init__(low, high, "Hz")
        self.expected = self.expected + ", or beat / bar / 'N beats' to follow the tempo"

    def read(self, node, ctx):
        text = plain_text(node)
        if text is not None:
            match = _RATE_RE.match(text.strip())
            if match:
                per = float(match.group(2)) if match.group(2) else 1.0
                if per <= 0:
                    return ctx.expected(self.expected, node)
                return TempoRate(per, match.group(3), -1.0 if match.group(1) else 1.0)
        return super().read(node, ctx)

    def json_schema(self):
        return {"anyOf": [super().json_schema(),
                          {"type": "string", "pattern": r"^-?\s*([0-9.]+\s*)?(beat|bar)s?$"}]}
