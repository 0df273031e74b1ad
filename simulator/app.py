"""What the ``lightshow preview``, ``simulate`` and ``play`` commands draw with: a show's frames
and a painter of its rig, a window size, whether there is a display."""

from __future__ import annotations

import os
from dataclasses import dataclass

from simulator.appearance import AppearanceMap
from lightshow.errors import LightshowError, UsageError
from lightshow.load.project import load_show
from lightshow.model.show import Show
from lightshow.playback.frames import FrameSource
from simulator.painter import Painter



def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size expects WIDTHxHEIGHT such as 1280x720, found '{text}'") from None
    if not (64 <= width <= 7680 and 64 <= height <= 4320):
        raise UsageError(f"--size {text}: width and height must be 64..7680 and 64..4320")
    return width, height


@dataclass
class Preview:
    show: Show
    frames: FrameSource
    painter: Painter


def open_preview(show_path: str, compiled_path: str | None, size: tuple[int, int],
                 glow: bool = True) -> Preview:
    if show_path.endswith(".fseq"):
        raise UsageError("give the show file (its rig places the fixtures); "
                         "pass a compiled .fseq of it with --compiled")
    return preview_of(load_show(show_path), compiled_path, size, glow)


def preview_of(show: Show, compiled_path: str | None, size: tuple[int, int], glow: bool = True) -> Preview:
    """Frames and a painter for a loaded show."""
    frames = FrameSource.of_show(show, compiled_path)
    return Preview(show, frames, painter_of(show, frames, size, glow))


def painter_of(show: Show, frames: FrameSource, size: tuple[int, int], glow: bool = True) -> Painter:
    """A painter of ``show``'s rig, its pixels where ``frames`` (of that show) put them."""
    return Painter(AppearanceMap(show.rig, frames.renderer.pixels), size, glow=glow)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("SDL_VIDEODRIVER") not in (None, "", "dummy", "offscreen"))


def require_display() -> None:
    if not has_display():
        raise LightshowError("no display here (DISPLAY is not set); "
                             "use 'lightshow preview' for pictures and videos")
