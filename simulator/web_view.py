"""The river-front for a browser: the simulator's geometry once, then each frame as few bytes.

The page (``lightshow/control/view.js``) draws with the painter's rules: the painter's still
background (sky, stars, buildings, quay) as a PNG, every screen cell as one screen pixel of
its rig pixels' mean light, the glow at a third of the size, washes up their walls, beams from
pan/tilt, and the reflection in the river.  What it needs is computed here, server-side:
``layout()`` (JSON: sizes, cells, washers, heads, the drawing constants) once, and
``frame_bytes(frame)`` per frame: the sRGB bytes of every cell, then of every washer, then of
every head (colour and its direction as two signed 16-bit numbers).
"""

from __future__ import annotations

import io
import math

import numpy as np

from lightshow.core.pixelmap import PixelMap
from lightshow.model.rig import Rig
from simulator import painter as rules
from simulator.appearance import AppearanceMap
from simulator.headless import to_image
from simulator.painter import Painter, encode

VIEW_SIZE = (1280, 720)


class WebView:
    """The browser view of one rig at one size."""

    def __init__(self, rig: Rig, size: tuple[int, int] = VIEW_SIZE, pixels: PixelMap | None = None):
        self.appearance = AppearanceMap(rig, pixels)
        self.painter = Painter(self.appearance, size)
        self.scene = self.painter.scene
        self.n_channels = len(self.appearance.universes) * 512

    def layout(self) -> dict:
        scene, painter = self.scene, self.painter
        buildings = []
        for building in scene.buildings:     # the painter's rectangles (screen pixels)
            (left, right), (top, _) = scene.to_screen([building.left_m, building.right_m],
                                                      [building.top_m + 1.0, 0.0])
            buildings.append([int(left) - 2, int(top), int(right - left) + 5, scene.quay_y - int(top)])
        wash = painter.wash_pixels
        beams = self.appearance.beam_pixels
        return {
            "width": painter.size[0], "height": painter.size[1], "quay_y": scene.quay_y,
            "pixel_size": 1, "pixel_shape": "square",          # every cell is one screen pixel
            "cells": {"x": scene.cell_x.tolist(), "y": scene.cell_y.tolist()},
            "buildings": buildings,
            "glow": True,
            "halo": {"width": painter.halo_size[0], "height": painter.halo_size[1],
                     "divisor": rules.HALO_DIVISOR},
            "wash": {"x": (scene.pixel_x[wash] // rules.HALO_DIVISOR).tolist(),
                     "y": (scene.pixel_y[wash] // rules.HALO_DIVISOR).tolist(),
                     "reach": max(int(rules.WASH_HEIGHT_M * scene.scale / rules.HALO_DIVISOR), 1),
                     "divisor": rules.WASH_DIVISOR, "times": 3},
            "beams": {"x": (scene.pixel_x[beams] / rules.HALO_DIVISOR).tolist(),
                      "y": (scene.pixel_y[beams] / rules.HALO_DIVISOR).tolist(),
                      "length": rules.BEAM_LENGTH * painter.halo_size[1],
                      "spread": math.tan(math.radians(rules.BEAM_HALF_ANGLE_DEG)),
                      "fade": rules.BEAM_FADE.tolist()},
            "reflection_tint": list(rules.REFLECTION_TINT),
            "frame_bytes": 3 * (len(scene.cells) + len(wash)) + 7 * len(beams),
        }

    def background_png(self) -> bytes:
        out = io.BytesIO()
        to_image(self.painter.background).save(out, "PNG", compress_level=6)
        return out.getvalue()

    def frame_bytes(self, frame: np.ndarray) -> bytes:
        """One frame buffer (uint8, the rig's universes in order) as the page's per-frame bytes."""
        frame = np.asarray(frame).reshape(-1)
        appearance, painter = self.appearance, self.painter
        light = appearance.light(frame)
        parts = [encode(self.scene.cell_light(light)).tobytes(), encode(light[painter.wash_pixels]).tobytes()]
        if len(appearance.beam_pixels):
            beams = appearance.beams(frame)
            pan, tilt = np.radians(beams.pan_deg), np.radians(beams.tilt_deg)
            direction = np.stack([np.sin(tilt) * np.sin(pan), np.cos(tilt)], axis=1)
            direction = np.round(np.clip(direction, -1, 1) * 32767).astype("<i2")
            colour = encode(light[beams.pixels])
            parts.append(np.concatenate([colour, direction.view(np.uint8).reshape(-1, 4)], axis=1).tobytes())
        return b"".join(parts)
