"""Show time as SMPTE/EBU/film timecode for ArtTimeCode (24, 25, 29.97 drop frame, 30 fps).

Drop-frame (29.97) counts real frames of 1001/30000 s and labels them as SMPTE does: frame
numbers 0 and 1 are skipped at the start of every minute except each tenth minute, so the
label stays within a frame of the wall clock.  Hours wrap at 24.
"""

from __future__ import annotations

import math

from lightshow.protocol.artnet_timecode import (TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE,
                                                timecode_fps)

TIMECODE_KINDS = {"24": TIMECODE_FILM, "25": TIMECODE_EBU, "29.97df": TIMECODE_DF,
                  "30": TIMECODE_SMPTE}
_DF_FRAMES_PER_10_MIN = 17982  # 10 * 60 * 30 - 9 * 2
_DF_FRAMES_PER_MIN = 1798  # 60 * 30 - 2
_EPSILON_FRAMES = 1e-6  # 1.0 s at 25 fps is frame 25, not 24.999...


def timecode_at(show_s: float, kind: int) -> tuple[int, int, int, int]:
    """(hours, minutes, seconds, frames) of the timecode frame running at ``show_s``."""
    if show_s < 0:
        raise ValueError(f"show time must be >= 0, found {show_s}")
    count = math.floor(show_s * timecode_fps(kind) + _EPSILON_FRAMES)
    if kind == TIMECODE_DF:
        tens, rest = divmod(count, _DF_FRAMES_PER_10_MIN)
        skipped = 18 * tens + (2 * ((rest - 2) // _DF_FRAMES_PER_MIN) if rest >= 2 else 0)
        count += skipped
        nominal = 30
    else:
        nominal = round(timecode_fps(kind))
    frames = count % nominal
    seconds = count // nominal
    return (seconds // 3600) % 24, (seconds // 60) % 60, seconds % 60, frames

TIMECODE_LABELS = {kind: label for label, kind in TIMECODE_KINDS.items()}
_FRAMES_PER_DAY = {TIMECODE_FILM: 24 * 86400, TIMECODE_EBU: 25 * 86400,
                   TIMECODE_DF: 144 * _DF_FRAMES_PER_10_MIN, TIMECODE_SMPTE: 30 * 86400}


def frames_per_day(kind: int) -> int:
    """How many frames a timecode of ``kind`` counts from 00:00:00:00 until it wraps at 24 hours."""
    return _FRAMES_PER_DAY[kind]


def frame_count(hours: int, minutes: int, seconds: int, frames: int, kind: int) -> int:
    """The real frames since 00:00:00:00 that the label hours:minutes:seconds:frames stands for
    (drop frame: the labels skipped at each minute but every tenth are not counted)."""
    timecode_fps(kind)                                   # checks the kind
    nominal = 30 if kind == TIMECODE_DF else round(timecode_fps(kind))
    count = ((hours * 60 + minutes) * 60 + seconds) * nominal + frames
    if kind == TIMECODE_DF:
        total_minutes = hours * 60 + minutes
        count -= 2 * (total_minutes - total_minutes // 10)
    return count


def timecode_seconds(hours: int, minutes: int, seconds: int, frames: int, kind: int) -> float:
    """Seconds since 00:00:00:00 at which the label's frame starts (29.97 drop frame: real seconds)."""
    return frame_count(hours, minutes, seconds, frames, kind) / timecode_fps(kind)


def parse_timecode(text: str) -> tuple[int, int, int, int]:
    """``HH:MM:SS:FF`` (or ``HH:MM:SS;FF``, as drop frame is often written) as four integers;
    ValueError says what was expected."""
    parts = text.strip().replace(";", ":").split(":")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a timecode HH:MM:SS:FF such as 10:00:00:00, found '{text}'")
    hours, minutes, seconds, frames = (int(p) for p in parts)
    if hours > 23 or minutes > 59 or seconds > 59 or frames > 29:
        raise ValueError(f"timecode '{text}' is out of range (hours 0..23, minutes and seconds "
                         f"0..59, frames 0..29)")
    return hours, minutes, seconds, frames


def format_timecode(hours: int, minutes: int, seconds: int, frames: int, kind: int) -> str:
    """``10:00:05:12 @25`` (drop frame with ``;`` before the frames, as is the custom)."""
    mark = ";" if kind == TIMECODE_DF else ":"
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{mark}{frames:02d} @{TIMECODE_LABELS[kind]}"
