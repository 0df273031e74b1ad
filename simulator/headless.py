"""Pictures and videos of a show without a screen.

``still`` draws one moment, ``sheet`` a contact sheet of every chapter
(several moments each, captioned with the chapter's title and time), and
``video`` a clip with the show's own frame timing: MP4 through ffmpeg when it
is installed, else an animated WebP (or GIF) through Pillow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Callable

import numpy as np
import pygame
from PIL import Image, ImageDraw

from lightshow.core.timebase import frame_of
from lightshow.errors import LightshowError
from lightshow.playback.frames import FrameSource
from lightshow.load.assets import find_font
from simulator.painter import Painter

SHEET_MOMENTS = (0.2, 0.5, 0.8)   # where in each chapter the sheet looks
CAPTION_PX = 22


def to_image(surface: pygame.Surface) -> Image.Image:
    return Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))


def _save(image: Image.Image, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        image.save(path)
    except (OSError, ValueError) as exc:
        raise LightshowError(f"cannot write '{path}': {exc}") from exc


def still(frames: FrameSource, painter: Painter, at_s: float, path: str) -> Image.Image:
    """The show at ``at_s`` seconds, drawn and saved to ``path`` (PNG, JPEG, WebP)."""
    image = to_image(painter.paint(frames.frame(frame_of(at_s, frames.fps))))
    _save(image, path)
    return image


def _caption_font(text: str):
    try:
        return find_font(text, CAPTION_PX)
    except LightshowError:
        return None


def _caption(image: Image.Image, text: str, fallback: str) -> None:
    font = _caption_font(text)
    if font is None:
        text, font = fallback, _caption_font(fallback)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, image.width, CAPTION_PX + 12), fill=(0, 0, 0))
    draw.text((10, 5), text, fill=(235, 235, 235), font=font)


def sheet_moments(frames: FrameSource) -> list[tuple[float, str, str]]:
    """(time_s, caption, Latin caption) of each picture of the contact sheet."""
    moments = []
    for chapter in frames.index.chapters:
        for fraction in SHEET_MOMENTS:
            at_s = (chapter.start_frame + fraction * (chapter.stop_frame - chapter.start_frame)) / frames.fps
            clock = f"{int(at_s // 60)}:{at_s % 60:04.1f}"
            moments.append((at_s, f"{chapter.title or chapter.id}  {clock}", f"{chapter.id}  {clock}"))
    return moments


def sheet(frames: FrameSource, painter: Painter, path: str, columns: int = len(SHEET_MOMENTS)) -> Image.Image:
    """A contact sheet: each chapter's moments in a row, captioned."""
    moments = sheet_moments(frames)
    width, height = painter.size
    rows = (len(moments) + columns - 1) // columns
    out = Image.new("RGB", (columns * width, rows * height), (0, 0, 0))
    for n, (at_s, caption, latin) in enumerate(moments):
        image = to_image(painter.paint(frames.frame(frame_of(at_s, frames.fps))))
        _caption(image, caption, latin)
        out.paste(image, ((n % columns) * width, (n // columns) * height))
    _save(out, path)
    return out


def video(frames: FrameSource, painter: Painter, path: str, start_s: float, duration_s: float,
          progress: Callable[[int, int], None] | None = None, soundtrack=None) -> str:
    """A clip of the show from ``start_s``; returns the encoder used.  An MP4 carries the show's
    ``soundtrack`` (a :class:`lightshow.model.show.Soundtrack`) in time with the pictures."""
    first = frame_of(start_s, frames.fps)
    stop = min(frame_of(start_s + duration_s, frames.fps), frames.n_frames)
    if stop <= first:
        raise LightshowError(f"nothing to record: the show ends at {frames.n_frames / frames.fps:.1f} s")
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    pictures = (painter.paint(frames.frame(k)) for k in range(first, stop))
    animated = path.lower().endswith((".webp", ".gif"))
    if not animated and not shutil.which("ffmpeg"):
        raise LightshowError(f"'{path}' needs ffmpeg, which is not installed; "
                             "install the Debian package ffmpeg or write .webp or .gif")
    if animated:
        images = []
        for n, surface in enumerate(pictures):
            images.append(to_image(surface))
            if progress:
                progress(n + 1, stop - first)
        duration_ms = 1000 / frames.fps
        try:
            images[0].save(path, save_all=True, append_images=images[1:], duration=duration_ms, loop=0,
                           **({"quality": 80} if path.lower().endswith(".webp") else {}))
        except (OSError, ValueError) as exc:
            raise LightshowError(f"cannot write '{path}': {exc}") from exc
        return "pillow"
    width, height = painter.size
    command = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
               "-s", f"{width}x{height}", "-r", f"{frames.fps:g}", "-i", "-",
               *_soundtrack_input(soundtrack, first / frames.fps),
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "20",
               "-t", f"{(stop - first) / frames.fps:.6f}", path]
    encoder = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for n, surface in enumerate(pictures):
            encoder.stdin.write(pygame.image.tobytes(surface, "RGB"))
            if progress:
                progress(n + 1, stop - first)
        encoder.stdin.close()
    except BrokenPipeError:
        pass
    finally:
        error = encoder.stderr.read().decode(errors="replace")
        code = encoder.wait()
    if code != 0:
        raise LightshowError(f"ffmpeg could not write '{path}': {error.strip()[:300]}")
    return "ffmpeg"


def _soundtrack_input(soundtrack, clip_start_s: float) -> list[str]:
    """ffmpeg arguments adding the soundtrack as the second input, placed so that song time
    ``t`` sounds with show time ``t + offset_s`` (the clip starts at show time ``clip_start_s``)."""
    if soundtrack is None:
        return []
    song_s = clip_start_s - soundtrack.offset_s          # the song position at the clip's first frame
    return ["-ss", f"{max(song_s, 0.0):.6f}", "-itsoffset", f"{max(-song_s, 0.0):.6f}", "-i", soundtrack.path,
            "-map", "0:v", "-map", "1:a", "-af", f"volume={soundtrack.gain_db:g}dB",
            "-c:a", "aac", "-b:a", "192k"]


def surface_pixels(surface: pygame.Surface) -> np.ndarray:
    """(H, W, 3) uint8 copy of a surface, row-major like an image."""
    return np.asarray(to_image(surface))
