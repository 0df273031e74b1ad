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
