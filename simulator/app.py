"""What the ``lightshow preview`` and ``lightshow simulate`` commands do."""

from __future__ import annotations

import os
from dataclasses import dataclass

from lightshow.core.appearance import AppearanceMap
from lightshow.errors import LightshowError, UsageError
from lightshow.load.project import load_show
from lightshow.model.show import Show
from lightshow.schema.fields import parse_seconds
from simulator.painter import Painter
from simulator.sources import ShowFrames

DEFAULT_SIZE = (1280, 720)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size expects WIDTHxHEIGHT such as 1280x720, found '{text}'") from None
    if not (64 <= width <= 7680 and 64 <= height <= 4320):
        raise UsageError(f"--size {text}: width and height must be 64..7680 and 64..4320")
    return width, height


def parse_moment(text: str, show: Show) -> float:
    """Seconds, mm:ss.fff, or a chapter or cue id (its start) -> seconds into the show."""
    for chapter in show.chapters:
        if chapter.id == text:
            return chapter.start_s
    for cue in show.cues():
        if cue.id == text:
            return cue.start_s
    seconds = parse_seconds(text)
    if seconds is None or not 0 <= seconds <= show.duration_s:
        raise UsageError(f"expected a time in 0..{show.duration_s:g} s (seconds or mm:ss.fff) "
                         f"or a chapter or cue id, found '{text}'")
    return seconds


@dataclass
class Preview:
    show: Show
    frames: ShowFrames
    painter: Painter


def open_preview(show_path: str, compiled_path: str | None, size: tuple[int, int],
                 glow: bool = True) -> Preview:
    if show_path.endswith(".fseq"):
        raise UsageError("give the show file (its rig places the fixtures); "
                         "pass a compiled .fseq of it with --compiled")
    return preview_of(load_show(show_path), compiled_path, size, glow)


def preview_of(show: Show, compiled_path: str | None, size: tuple[int, int], glow: bool = True) -> Preview:
    """Frames and a painter for a loaded show."""
    frames = ShowFrames(show, compiled_path)
    painter = Painter(AppearanceMap(show.rig, frames.pixels), size, glow=glow)
    return Preview(show, frames, painter)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("SDL_VIDEODRIVER") not in (None, "", "dummy", "offscreen"))


def require_display() -> None:
    if not has_display():
        raise LightshowError("no display here (DISPLAY is not set); "
                             "use 'lightshow preview' for pictures and videos")
