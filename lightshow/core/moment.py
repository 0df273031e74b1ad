"""A moment in a show, and a range of them, as users write them: the one parser.

A moment is seconds (``90``, ``1.5``), a clock time (``1:30``, ``1:02:03.5``), or a chapter
or cue id (its start); a chapter alone, as the operator's "go to chapter 2" names it, is a
number from 1 or an id (:meth:`ShowIndex.chapter`).  A range is ``START..END`` of
times, either end left open, or a chapter id (the whole chapter).  Both resolve to frames
against a :class:`~lightshow.core.show_index.ShowIndex`, which a loaded show and a compiled
file both give.
"""

from __future__ import annotations

import math

from lightshow.core.show_index import ShowIndex
from lightshow.core.timebase import frame_of
from lightshow.errors import LightshowError, UsageError
from lightshow.schema.scalars import parse_seconds


def _duration_s(index: ShowIndex, duration_s: float | None) -> float:
    return index.stop_frame / index.fps if duration_s is None else duration_s


def seconds_text(seconds: float) -> str:
    """``1.3``, ``540``, ``0.013``: seconds to the millisecond, without trailing zeros."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def moment_frame(text: str, index: ShowIndex, duration_s: float | None = None) -> int:
    """The frame of moment ``text`` (see the module)."""
    text = str(text).strip()
    for span in (*index.chapters, *index.cues):
        if span.id == text:
            return span.start_frame
    seconds = parse_seconds(text)
    duration_s = _duration_s(index, duration_s)
    if seconds is None or not 0 <= seconds <= duration_s:
        raise UsageError(f"expected a time in 0..{duration_s:g} s (seconds or mm:ss.fff) "
                         f"or a chapter or cue id, found '{text}'")
    return frame_of(seconds, index.fps)


def moment_s(text: str, index: ShowIndex, duration_s: float | None = None) -> float:
    """Moment ``text`` in seconds: a time as written, a chapter or cue at its first frame."""
    seconds = parse_seconds(str(text).strip())
    if seconds is not None and 0 <= seconds <= _duration_s(index, duration_s):
        return seconds
    return moment_frame(text, index, duration_s) / index.fps


def range_frames(text: str, index: ShowIndex, duration_s: float | None = None) -> tuple[int, int]:
    """``START..END`` (seconds or mm:ss.fff, either may be empty) or a chapter id -> frames [start, stop)."""
    for chapter in index.chapters:
        if chapter.id == text:
            return chapter.start_frame, chapter.stop_frame
    if ".." not in text:
        chapters = ", ".join(c.id for c in index.chapters)
        raise UsageError(f"--range expects START..END (seconds or mm:ss) or a chapter id "
                         f"({chapters}), found '{text}'")
    start_text, end_text = text.split("..", 1)
    start = parse_seconds(start_text) if start_text else 0.0
    end = parse_seconds(end_text) if end_text else math.inf  # open: to the show's end
    if start is None or end is None or not 0 <= start < end:
        raise UsageError(f"--range expects START..END with 0 <= START < END, found '{text}'")
    duration_s = _duration_s(index, duration_s)
    start_frame, stop_frame = frame_of(start, index.fps), frame_of(min(end, duration_s), index.fps)
    if start_frame >= stop_frame:
        raise LightshowError(_empty_range_message(text, start, duration_s, index.fps))
    return start_frame, stop_frame


def _empty_range_message(text: str, start_s: float, duration_s: float, fps: float) -> str:
    """Why a well-formed range holds no frame (a user error, not usage)."""
    length_s = seconds_text(duration_s)
    if start_s > duration_s:
        return f"--range {text} starts after the show ends ({length_s} s)"
    if start_s == duration_s:
        return f"--range {text} starts where the show ends ({length_s} s)"
    return f"--range {text} holds no frame (frames are 1/{fps:g} s apart; the show is {length_s} s)"
