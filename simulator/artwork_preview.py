"""Moderators' preview of a citizen work: the rig as the simulator draws it, with the work where it
will play.

In a show with an artwork slot, the show's own frame in the middle of its first slot with the work
laid over the slot's fixtures as the player lays it (the slot's fit and background); in a show
without one, or on a rig alone (``lightshow queue serve``), the work filling the given fixtures of
the rig at rest.  The same painter as the window, the pictures and the browser view; no display
is needed.  What a preview needs (renderer, painter) is built on the first work, not at start.

An animated work's preview is an animated PNG (browsers play it in the moderation page's
image) of its frames, each shown until the next, at most ``PREVIEW_FRAMES`` of them chosen
evenly over the work's length: a 300-frame work took 12 s to draw into 16.7 MB whole.  The
page shows the work itself beside it, every frame.
"""

from __future__ import annotations

import io
import threading
from typing import Callable

import numpy as np

from lightshow.content.clip import map_frame
from lightshow.content.validation import DecodedArtwork
from lightshow.core.artwork_overlay import slot_bytes
from lightshow.core.patch import ChannelMap, build_channel_map
from lightshow.core.pixelmap import PixelMap
from lightshow.core.render import ShowRenderer
from lightshow.model.rig import Rig
from lightshow.model.show import Show
from simulator.appearance import AppearanceMap
from simulator.headless import to_image
from simulator.painter import Painter

PREVIEW_SIZE = (960, 540)
PREVIEW_FRAMES = 48    # at most, of an animation (about 2 s to draw and 3 MB, measured)

Preview = Callable[[DecodedArtwork], bytes]


def artwork_preview(show: Show, size: tuple[int, int] = PREVIEW_SIZE) -> Preview:
    """PNG maker for a work in the show's first artwork slot, else on the whole rig."""
    def build() -> Preview:
        from lightshow.queue.artwork_slots import show_slots

        renderer = ShowRenderer(show)
        slots = show_slots(renderer)
        if not slots:
            return _painted(show.rig, renderer.pixels, renderer.channel_map, renderer.channel_map.base,
                            tuple(f.id for f in show.rig.fixtures), "fill", (0.0, 0.0, 0.0), size)
        slot = slots[0]
        middle = (slot.start_frame + slot.stop_frame) // 2
        below = renderer.render(middle, middle + 1)[0]           # what the slot covers, mid-slot
        return _painted(show.rig, renderer.pixels, renderer.channel_map, below, slot.fixture_ids, slot.fit,
                        slot.background, size)
    return _built_on_first_use(build)


def rig_artwork_preview(rig: Rig, fixture_ids: tuple[str, ...], size: tuple[int, int] = PREVIEW_SIZE) -> Preview:
    """PNG maker for a work filling ``fixture_ids`` (such as the rig's facades) of a dark rig."""
    def build() -> Preview:
        pixels = PixelMap(rig)
        channel_map = build_channel_map(rig, pixels)
        return _painted(rig, pixels, channel_map, channel_map.base, fixture_ids, "fill", (0.0, 0.0, 0.0), size)
    return _built_on_first_use(build)


def _built_on_first_use(build: Callable[[], Preview]) -> Preview:
    built: list[Preview] = []
    lock = threading.Lock()                     # one painter, drawn one work at a time

    def preview(artwork: DecodedArtwork) -> bytes:
        with lock:
            if not built:
                built.append(build())
            return built[0](artwork)
    return preview


def _painted(rig: Rig, pixels: PixelMap, channel_map: ChannelMap, below: np.ndarray,
             fixture_ids: tuple[str, ...], fit: str, background, size: tuple[int, int]) -> Preview:
    """The work on ``fixture_ids`` (as the player lays it) over the frame ``below``: a PNG of a
    still, an animated PNG of every frame of an animation."""
    target = pixels.target(fixture_ids)
    target_pixels = np.arange(pixels.n_pixels)[target.pixels]
    painter = Painter(AppearanceMap(rig, pixels), size)

    def painted(frame: np.ndarray):
        rgb = map_frame(frame, target, fit, background)
        work = slot_bytes(channel_map, rig, fixture_ids, target_pixels, rgb[None])
        return to_image(painter.paint(work.overlay(below, 0, 1.0)))

    def preview(artwork: DecodedArtwork) -> bytes:
        shown, durations_ms = preview_frames(artwork.durations_ms)
        pictures = [painted(artwork.frames[number]) for number in shown]
        out = io.BytesIO()
        if len(pictures) == 1:
            pictures[0].save(out, "PNG", compress_level=3)
        else:
            pictures[0].save(out, "PNG", save_all=True, append_images=pictures[1:],
                             duration=durations_ms, loop=0, compress_level=3)
        return out.getvalue()
    return preview


def preview_frames(durations_ms: tuple[int, ...], most: int = PREVIEW_FRAMES
                   ) -> tuple[list[int], list[int]]:
    """The frames an animation's preview shows (at most ``most``, evenly over its frames, the
    first and the last among them) and how long each is shown: until the next one, so that
    the preview lasts as long as the work."""
    n = len(durations_ms)
    shown = sorted({round(k * (n - 1) / (most - 1)) for k in range(most)}) if n > most else list(range(n))
    ends = shown[1:] + [n]
    return shown, [sum(durations_ms[a:b]) for a, b in zip(shown, ends)]
