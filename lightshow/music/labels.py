"""Audacity label files as marks (xLights exports its timing tracks to them too).

Each label is a line ``start<TAB>end<TAB>label`` (seconds; a point label has start == end).
Audacity writes spectral labels with a second line ``<TAB>low_hz<TAB>high_hz``; those lines
start with a tab and are skipped.  Blank lines are skipped.  Labels become named marks at their
start time; a name that repeats gets ``-2``, ``-3``...; an empty label is numbered (``label-1``
after its place in the file).  ``labels_as="beats"`` or ``"bars"`` takes the label times as
beats or as bars instead (bars are beats too).  A bad line raises a
:class:`~lightshow.errors.DiagnosticsError` placed at ``file:line:col``.
"""

from __future__ import annotations

import math

import numpy as np

from lightshow.diagnostics import SourceSpan, error, quote
from lightshow.errors import DiagnosticsError
from lightshow.music.marks import Marks

LABELS_AS = ("marks", "beats", "bars")


def _seconds(text: str, path: str, line: int, col: int, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise DiagnosticsError([error("bad-label", f"expected the {what} time in seconds (a number of at "
                                      f"least 0), found {quote(text)}", SourceSpan(path, line, col))])
    return value


def parse_labels(text: str, path: str = "<labels>", labels_as: str = "marks") -> Marks:
    """The marks of an Audacity label file's ``text``; ``path`` places the diagnostics."""
    if labels_as not in LABELS_AS:
        raise ValueError(f"labels_as must be one of {', '.join(LABELS_AS)}, found {labels_as!r}")
    named: dict[str, float] = {}
    counts: dict[str, int] = {}
    times: list[float] = []
    end_s = 0.0
    for number, line in enumerate(text.splitlines(), start=1):
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip() or line.startswith("\t"):     # blank, or a spectral label's frequencies
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise DiagnosticsError([error("bad-label", "expected 'start<TAB>end<TAB>label', found "
                                          f"{quote(line)}", SourceSpan(path, number, 1))])
        start_s = _seconds(fields[0].strip(), path, number, 1, "start")
        stop_s = _seconds(fields[1].strip(), path, number, len(fields[0]) + 2, "end")
        if stop_s < start_s:
            raise DiagnosticsError([error("bad-label", f"the end {stop_s:g} s is before the start "
                                          f"{start_s:g} s", SourceSpan(path, number, len(fields[0]) + 2))])
        name = "\t".join(fields[2:]).strip() or f"label-{len(times) + 1}"
        counts[name] = counts.get(name, 0) + 1
        key = name if counts[name] == 1 else f"{name}-{counts[name]}"
        while key in named:        # "a", "a", "a-2" in the file: the third becomes "a-2-2"
            key += "-2"
        named[key] = start_s
        times.append(start_s)
        end_s = max(end_s, stop_s)
    ordered = np.array(sorted(times), dtype=float)
    empty = np.zeros(0)
    duration_s = end_s
    if labels_as == "beats":
        return Marks(beats=ordered, bars=empty, source=path, duration_s=duration_s)
    if labels_as == "bars":
        return Marks(beats=ordered, bars=ordered, source=path, duration_s=duration_s)
    return Marks(beats=empty, bars=empty, named=named, source=path, duration_s=duration_s)
