"""Positions layer: every pixel of the rig in metres, and target geometry.

A pixel is one head of a pixel fixture, or a whole fixture without heads.
Pixels are numbered in rig order (fixture by fixture, head by head), so a
group of consecutive fixtures is a contiguous run of pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lightshow.model.profile import PixelLayout
from lightshow.model.rig import PatchedFixture, Rig


def head_grid(layout: PixelLayout) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of each head in wiring order; row 0 is the top."""
    index = np.arange(layout.n_pixels)
    if layout.order in ("rows", "snake_rows"):
        row, col = divmod(index, layout.columns)
        if layout.order == "snake_rows":
            col = np.where(row % 2 == 1, layout.columns - 1 - col, col)
    else:
        col, row = divmod(index, layout.rows)
        if layout.order == "snake_columns":
            row = np.where(col % 2 == 1, layout.rows - 1 - row, row)
    return col, row


def fixture_pixels_m(fixture: PatchedFixture) -> np.ndarray:
    """(n, 3) pixel centres of one fixture in metres."""
    centre = np.asarray(fixture.position_m, dtype=np.float64)
    layout = fixture.profile.pixels
    if fixture.mode.n_heads == 0 or layout is None:
        return centre.reshape(1, 3)
    width, height = fixture.profile.size_m[0], fixture.profile.size_m[1]
    col, row = head_grid(layout)
    dx = (col + 0.5) / layout.columns * width - width / 2
    dy = height / 2 - (row + 0.5) / layout.rows * height
    angle = math.radians(fixture.rotation_deg)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    out = np.empty((layout.n_pixels, 3))
    out[:, 0] = centre[0] + dx * cos_a - dy * sin_a
    out[:, 1] = centre[1] + dx * sin_a + dy * cos_a
    out[:, 2] = centre[2]
    return out


@dataclass(frozen=True)
class Target:
    """The pixels a cue drives, and their geometry as effects see it."""

    pixels: np.ndarray | slice   # indices into the rig's pixels (a slice when contiguous)
    n_pixels: int
    xy: np.ndarray               # (n, 2) float32 in 0..1 of the bounding box, y up
    pos_m: np.ndarray            # (n, 3)
    order: np.ndarray            # (n,) float32 0..1 along the pixel order
    size_m: tuple[float, float]


def as_slice(index: np.ndarray) -> np.ndarray | slice:
    if len(index) and index[-1] - index[0] + 1 == len(index) and np.all(np.diff(index) == 1):
        return slice(int(index[0]), int(index[-1]) + 1)
    return index


class PixelMap:
    def __init__(self, rig: Rig):
        self.fixture_ids = [f.id for f in rig.fixtures]
        self.fixture_index = {fid: i for i, fid in enumerate(self.fixture_ids)}
        chunks = [fixture_pixels_m(f) for f in rig.fixtures]
        counts = np.array([len(c) for c in chunks], dtype=np.int64)
        self.first_pixel = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.n_pixels_of = counts
        self.pos_m = np.concatenate(chunks) if chunks else np.zeros((0, 3))
        self.n_pixels = len(self.pos_m)
        self.target = lru_cache(maxsize=None)(self._target)

    def pixels_of(self, fixture_ids: tuple[str, ...]) -> np.ndarray:
        starts = self.first_pixel[[self.fixture_index[f] for f in fixture_ids]]
        counts = self.n_pixels_of[[self.fixture_index[f] for f in fixture_ids]]
        if len(starts) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(s, s + c) for s, c in zip(starts, counts)])

    def _target(self, fixture_ids: tuple[str, ...]) -> Target:
        index = self.pixels_of(fixture_ids)
        pos = self.pos_m[index]
        low, high = pos[:, :2].min(axis=0), pos[:, :2].max(axis=0)
        extent = high - low
        xy = np.where(extent > 0, (pos[:, :2] - low) / np.where(extent > 0, extent, 1), 0.5)
        n = len(index)
        order = np.arange(n, dtype=np.float32) / max(n - 1, 1)
        return Target(as_slice(index), n, xy.astype(np.float32), pos, order,
                      (float(extent[0]), float(extent[1])))


def grid_target(columns: int, rows: int, width_m: float, height_m: float) -> Target:
    """A flat wall of ``columns`` x ``rows`` pixels over ``width_m`` x ``height_m``, row by row from
    the top left, not of any rig; its geometry as :meth:`PixelMap.target` gives a rig's."""
    col, row = np.meshgrid(np.arange(columns), np.arange(rows))
    x = (col.ravel() + 0.5) / columns * width_m
    y = (rows - 1 - row.ravel() + 0.5) / rows * height_m
    pos = np.stack([x, y, np.zeros_like(x)], axis=1)
    low, high = pos[:, :2].min(axis=0), pos[:, :2].max(axis=0)
    extent = high - low
    xy = np.where(extent > 0, (pos[:, :2] - low) / np.where(extent > 0, extent, 1), 0.5).astype(np.float32)
    n = len(x)
    return Target(slice(0, n), n, xy, pos, np.linspace(0, 1, n, dtype=np.float32),
                  (float(extent[0]), float(extent[1])))
