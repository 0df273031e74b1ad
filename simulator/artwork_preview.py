"""Moderators' preview of a citizen work: the rig as the simulator draws it during the artwork slot."""

from __future__ import annotations

import io
import threading
from typing import Callable

import numpy as np

from lightshow.content.clip import map_frame
from lightshow.content.validation import DecodedArtwork
from simulator.appearance import AppearanceMap
from lightshow.core.artwork_overlay import slot_bytes
from lightshow.core.render import ShowRenderer
from lightshow.model.show import Show
from simulator.headless import to_image
from simulator.painter import Painter


def artwork_preview(show: Show, size: tuple[int, int] = (960, 540)) -> Callable[[DecodedArtwork], bytes] | None:
    """PNG maker for a work in the show's first artwork slot (None if the show has no slot)."""
    from lightshow.queue.artwork_slots import show_slots

    renderer = ShowRenderer(show)
    slots = show_slots(renderer)
    if not slots:
        return None
    slot = slots[0]
    middle = (slot.start_frame + slot.stop_frame) // 2
    below = renderer.render(middle, middle + 1)[0]           # what the slot covers, mid-slot
    target = renderer.pixels.target(slot.fixture_ids)
    target_pixels = np.arange(renderer.pixels.n_pixels)[target.pixels]
    painter = Painter(AppearanceMap(show.rig, renderer.pixels), size)
    lock = threading.Lock()                                   # one painter, drawn one work at a time

    def preview(artwork: DecodedArtwork) -> bytes:
        rgb = map_frame(artwork.frames[0], target, slot.fit, slot.background)
        work = slot_bytes(renderer.channel_map, show.rig, slot.fixture_ids, target_pixels, rgb[None])
        with lock:
            image = to_image(painter.paint(work.overlay(below, 0, 1.0)))
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)
        return out.getvalue()
    return preview
