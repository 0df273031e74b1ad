"""Moderators' preview of a citizen work: the rig as the simulator draws it, with the work where it
will play.

In a show with an artwork slot, the show's own frame in the middle of its first slot with the work
laid over the slot's fixtures as the player lays it (the slot's fit and background); in a show
without one, or on a rig alone (``lightshow queue serve``), the work filling the given fixtures of
the rig at rest.  The same painter as the window, the pictures and the browser view; no display
is needed.  What a preview needs (renderer, painter) is built on the first work, not at start.
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
    """The work's first frame on ``fixture_ids`` (as the player lays it) over the frame ``below``."""
    target = pixels.target(fixture_ids)
    target_pixels = np.arange(pixels.n_pixels)[target.pixels]
    painter = Painter(AppearanceMap(rig, pixels), size)

    def preview(artwork: DecodedArtwork) -> bytes:
        rgb = map_frame(artwork.frames[0], target, fit, background)
        work = slot_bytes(channel_map, rig, fixture_ids, target_pixels, rgb[None])
        image = to_image(painter.paint(work.overlay(below, 0, 1.0)))
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)
        return out.getvalue()
    return preview
