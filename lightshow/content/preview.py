"""A still preview of a work on the rig: each target pixel drawn as a dot on a dark ground (PNG).

One function, so the simulator's renderer can take its place later.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from lightshow.content.clip import map_frame
from lightshow.content.validation import DecodedArtwork
from lightshow.core.pixelmap import Target

GROUND_RGB = (12, 14, 20)
MARGIN_PX = 8


def draw_dots(rgb: np.ndarray, pos_m: np.ndarray, width_px: int) -> bytes:
    """PNG of pixels at ``pos_m`` (x right, y up, metres) in colours ``rgb`` (P, 3) 0..1."""
    x, y = pos_m[:, 0], pos_m[:, 1]
    span_x, span_y = max(float(np.ptp(x)), 1e-6), max(float(np.ptp(y)), 1e-6)
    scale = (width_px - 2 * MARGIN_PX) / span_x
    height_px = max(int(span_y * scale) + 2 * MARGIN_PX, 2 * MARGIN_PX + 1)
    col = np.round((x - x.min()) * scale).astype(np.int64) + MARGIN_PX
    row = np.round((y.max() - y) * scale).astype(np.int64) + MARGIN_PX
    canvas = np.empty((height_px + 2, width_px + 2, 3), dtype=np.uint8)
    canvas[:] = GROUND_RGB
    colour = np.clip(np.round(np.asarray(rgb) * 255.0), 0, 255).astype(np.uint8)
    pitch_px = np.median(np.diff(np.unique(col))) if len(np.unique(col)) > 1 else 2
    dot_px = int(np.clip(pitch_px * 0.7, 1, 3))
    for dy in range(dot_px):
        for dx in range(dot_px):
            canvas[np.minimum(row + dy, height_px + 1), np.minimum(col + dx, width_px + 1)] = colour
    out = io.BytesIO()
    Image.fromarray(canvas).save(out, "PNG", compress_level=3)
    return out.getvalue()


def render_artwork_preview(artwork: DecodedArtwork, target: Target, width_px: int = 1200,
                           fit: str = "fill") -> bytes:
    """PNG: the work's first frame mapped onto ``target`` and drawn as the rig's dots.

    ``fill`` by default: on a group of separate facades it lights every one of them.
    """
    return draw_dots(map_frame(artwork.frames[0], target, fit), target.pos_m, width_px)
