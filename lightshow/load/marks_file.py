"""Marks files (``lightshow marks SONG -o marks.yaml``): a song's beats, bars, onsets and named
marks, read with positioned diagnostics like every other file a designer may edit."""

from __future__ import annotations

import numpy as np

from lightshow.diagnostics import Diagnostic
from lightshow.load.source import Source
from lightshow.music.marks import Marks
from lightshow.schema.combinators import ListOf
from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.records import Field, MapOf, Record, read_document
from lightshow.schema.scalars import Float, Str

MAX_MARKS = 200_000
TIMES = ListOf(Float(0, 86400, "seconds"), 0, MAX_MARKS, what="a list of times in seconds")
MARKS = Record("marks", {
    "source": Field(Str(max_len=1000), doc="the song the marks were taken from"),
    "duration_s": Field(Float(0, 86400, "seconds"), doc="the song's length"),
    "tempo_bpm": Field(Float(0, 1000, "beats per minute"), doc="median tempo (informational)"),
    "beats": Field(TIMES, default=[], doc="every beat, ascending; beat 1 is the first"),
    "bars": Field(TIMES, default=[], doc="every downbeat, ascending; bar 1 is the first"),
    "onsets": Field(TIMES, default=[], doc="strong onsets, ascending"),
    "marks": Field(MapOf(Float(0, 86400, "seconds"), what="a mapping of mark names to times"), default={},
                   doc="named marks: `start: mark NAME` in a show"),
}, doc="Marks of a song: beats, bars, onsets and named marks in seconds")


def read_marks(source: Source) -> tuple[Marks | None, list[Diagnostic]]:
    ctx = ReadContext(source.path)
    values = read_document(source.root, MARKS, ctx, "marks file")
    if values is INVALID or not values.ok("beats", "bars", "onsets", "marks"):
        return None, ctx.diagnostics
    for key in ("beats", "bars", "onsets"):
        times = values[key]
        backwards = next((n for n in range(1, len(times)) if times[n] <= times[n - 1]), None)
        if backwards is not None:
            ctx.error_at(values.span_of(key), "invalid-value",
                         f"{key} must be ascending: {key[:-1]} {backwards + 1} at {times[backwards]:g} s "
                         f"is not after {key[:-1]} {backwards} at {times[backwards - 1]:g} s")
    if ctx.diagnostics:
        return None, ctx.diagnostics
    named = {name: time_s for name, (time_s, _) in values["marks"].items()}
    marks = Marks(np.array(values["beats"], dtype=np.float64), np.array(values["bars"], dtype=np.float64),
                  np.array(values["onsets"], dtype=np.float64), named, values["source"] or "",
                  values["duration_s"] or 0.0)
    return marks, ctx.diagnostics
