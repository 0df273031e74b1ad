"""Where things are on screen: the rig seen from across the river.

World metres (x along the river, y up) map to screen pixels with one scale;
the quay line sits at ``quay_y`` and the river fills the screen below it.
Buildings are found from the rig itself: fixtures cluster along x with gaps
between buildings, and each cluster's highest fixture is its roof.  Every rig
pixel falls into one screen cell; cells are numbered once so a frame's light
is averaged per cell with one ``bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightshow.core.pixelmap import PixelMap

BUILDING_GAP_M = 6.0       # fixtures further apart than this along x are different buildings
GROUND_FIXTURE_M = 3.0     # fixtures below this height (washers, floods) don't make a building
QUAY_FRACTION = 0.72       # the quay line, as a fraction of the screen height from the top
SKY_FRACTION = 0.14        # free sky above the tallest roof, for beams


@dataclass(frozen=True)
class Building:
    left_m: float
    right_m: float
    top_m: float


def find_buildings(pos_m: np.ndarray) -> list[Building]:
    """Clusters of fixtures along x, each a building from the quay to its highest fixture."""
    raised = pos_m[pos_m[:, 1] > GROUND_FIXTURE_M]
    if len(raised) == 0:
        return []
    order = np.argsort(raised[:, 0], kind="stable")
    xs, ys = raised[order, 0], raised[order, 1]
    breaks = np.flatnonzero(np.diff(xs) > BUILDING_GAP_M) + 1
    buildings = []
    for lo, hi in zip(np.concatenate([[0], breaks]), np.concatenate([breaks, [len(xs)]])):
        buildings.append(Building(float(xs[lo]), float(xs[hi - 1]), float(ys[lo:hi].max())))
    return buildings


class Scene:
    """Screen geometry for one rig at one window size."""

    def __init__(self, pixels: PixelMap, size: tuple[int, int]):
        self.width, self.height = size
        pos = pixels.pos_m if pixels.n_pixels else np.zeros((1, 3))
        self.buildings = find_buildings(pos)
        left_m, right_m = float(pos[:, 0].min()), float(pos[:, 0].max())
        top_m = max(float(pos[:, 1].max()), 1.0)
        width_m = max(right_m - left_m, 1.0)
        self.quay_y = int(round(self.height * QUAY_FRACTION))
        usable_h = self.quay_y - self.height * SKY_FRACTION
        self.scale = min(self.width * 0.94 / width_m, usable_h / top_m)   # pixels per metre
        self.origin_x = (self.width - width_m * self.scale) / 2 - left_m * self.scale
        sx, sy = self.to_screen(pos[:, 0], pos[:, 1])
        self.pixel_x = np.clip(np.round(sx), 0, self.width - 1).astype(np.int64)
        self.pixel_y = np.clip(np.round(sy), 0, self.height - 1).astype(np.int64)
        cell = self.pixel_x * self.height + self.pixel_y
        self.cells, self.cell_of_pixel = np.unique(cell, return_inverse=True)
        self.cell_x, self.cell_y = np.divmod(self.cells, self.height)
        self.pixels_per_cell = np.bincount(self.cell_of_pixel, minlength=len(self.cells)).astype(np.float32)

    def to_screen(self, x_m, y_m):
        return self.origin_x + np.asarray(x_m) * self.scale, self.quay_y - np.asarray(y_m) * self.scale

    def cell_light(self, light: np.ndarray, of_pixels: np.ndarray | None = None) -> np.ndarray:
        """(n_cells, 3) mean light of the rig pixels in each screen cell.

        With ``of_pixels`` (a boolean mask), only those pixels count; cells
        without any of them stay dark."""
        weights = None if of_pixels is None else of_pixels.astype(np.float32)
        out = np.empty((len(self.cells), 3), dtype=np.float32)
        counts = self.pixels_per_cell if weights is None else np.bincount(
            self.cell_of_pixel, weights=weights, minlength=len(self.cells)).astype(np.float32)
        for channel in range(3):
            values = light[:, channel] if weights is None else light[:, channel] * weights
            out[:, channel] = np.bincount(self.cell_of_pixel, weights=values, minlength=len(self.cells))
        out /= np.maximum(counts, 1.0)[:, None]
        return out
