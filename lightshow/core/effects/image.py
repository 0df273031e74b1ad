"""image: a still picture mapped onto the target's pixel layout.

The picture arrives as ``image_rgb`` (H, W, 3) float32, made by the load
layer's ``prepare_image`` (this module never opens files).  Each pixel shows the
average of the picture over the patch it covers (its share of the layout's
pixel pitch), so a large picture on a coarse facade does not alias.

fit: the whole picture inside the target, aspect kept, background around it;
fill: the target covered, aspect kept, the picture's overflow cropped;
stretch: the picture stretched to the target's box.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float, Str

PARAMS = Record("image params", {
    "path": Field(Str(what="an image file path"), required=True,
                  doc="image file (PNG, JPEG, …), relative to the show file"),
    "fit": Field(Choice(("fit", "fill", "stretch")), default="fit",
                 doc="fit: whole image, letterboxed; fill: cover the target, cropped; "
                     "stretch: ignore the aspect"),
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0),
                        doc="colour outside the image and behind its transparent parts"),
    "brightness": Field(Float(0.0, 2.0), default=1.0, doc="multiplies the image's colours, 0..2"),
}, unknown_code="unknown-param")


# -- sampling a raster at pixel positions (shared with text) ---------------------------------

def pixel_pitch_m(coord_m: np.ndarray) -> float:
    """Typical spacing of the pixels along one axis (metres): median gap between distinct places."""
    places = np.unique(np.round(np.asarray(coord_m, dtype=np.float64), 3))
    if len(places) < 2:
        return 0.0
    return float(np.median(np.diff(places)))


def summed_area(raster: np.ndarray) -> np.ndarray:
    """(H+1, W+1, C) float64 table: entry [j, i] is the sum of raster[:j, :i]."""
    h, w, c = raster.shape
    table = np.zeros((h + 1, w + 1, c), dtype=np.float64)
    table[1:, 1:] = np.cumsum(np.cumsum(raster, axis=0, dtype=np.float64), axis=1)
    return table


@njit(inline="always")
def _integral_at(table, u, v, c):
    """Channel ``c`` of the raster's sum over [0, u) x [0, v)."""
    h, w = table.shape[0] - 1, table.shape[1] - 1
    i = np.int64(min(max(np.floor(u), 0.0), max(w - 1, 0)))
    j = np.int64(min(max(np.floor(v), 0.0), max(h - 1, 0)))
    fu = u - i
    fv = v - j
    i1 = min(i + 1, w)
    j1 = min(j + 1, h)
    top = table[j, i, c] + (table[j, i1, c] - table[j, i, c]) * fu
    bottom = table[j1, i, c] + (table[j1, i1, c] - table[j1, i, c]) * fu
    return top + (bottom - top) * fv


@njit(**KERNEL)
def box_sums(table, u0, u1, v0, v1, total, area):
    """Sums of a raster over boxes [u0, u1) x [v0, v1) (flat float64, raster pixels, clipped to
    the raster) from its summed-area ``table`` (H+1, W+1, C) into ``total`` (N, C), and the
    clipped areas into ``area`` (N,) (see box_sum): per corner, the table bilinearly at
    (u, v), then (I(u1, v1) - I(u0, v1)) - (I(u1, v0) - I(u0, v0))."""
    h, w = table.shape[0] - 1, table.shape[1] - 1
    for k in range(u0.shape[0]):
        a0 = min(max(u0[k], 0.0), w)
        a1 = min(max(u1[k], 0.0), w)
        b0 = min(max(v0[k], 0.0), h)
        b1 = min(max(v1[k], 0.0), h)
        for c in range(table.shape[2]):
            total[k, c] = ((_integral_at(table, a1, b1, c) - _integral_at(table, a0, b1, c))
                           - (_integral_at(table, a1, b0, c) - _integral_at(table, a0, b0, c)))
        area[k] = (a1 - a0) * (b1 - b0)


def box_sum(table: np.ndarray, u0, u1, v0, v1) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the raster over boxes [u0, u1) × [v0, v1) (raster px, clipped to the raster).

    Returns the sums (..., C) and the clipped box areas (...): per corner the table is
    read bilinearly, which is exact where the sums are equal (box_sums).
    """
    u0, u1, v0, v1 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (u0, u1, v0, v1)))
    shape = u0.shape
    flat = [np.ascontiguousarray(a).reshape(-1) for a in (u0, u1, v0, v1)]
    total = np.empty((len(flat[0]), table.shape[2]), dtype=np.float64)
    area = np.empty(len(flat[0]), dtype=np.float64)
    box_sums(np.ascontiguousarray(table, dtype=np.float64), *flat, total, area)
    return total.reshape(shape + (table.shape[2],)), area.reshape(shape)


def settle(values: np.ndarray) -> np.ndarray:
    """Round away the last-bit residue of summed-area differences (so blank stays exactly 0)."""
    return np.round(values, 9)


# -- the effect --------------------------------------------------------------------------------

_MIN_PATCH = 1e-3


def _scale(params_fit: str, size_m: tuple[float, float], w: int, h: int) -> tuple[float, float]:
    """Image pixels per metre along x and y for the fit mode (0 for an axis of no extent)."""
    width_m, height_m = size_m
    if params_fit == "stretch":
        return (w / width_m if width_m > 0 else 0.0, h / height_m if height_m > 0 else 0.0)
    ratios = [r for r in (w / width_m if width_m > 0 else None, h / height_m if height_m > 0 else None)
              if r is not None]
    if not ratios:
        return 0.0, 0.0
    k = max(ratios) if params_fit == "fit" else min(ratios)
    return k, k


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    if "image_rgb" not in p:
        raise ValueError("the image effect needs its prepare step (lightshow.load.assets.prepare_image)")
    raster = np.asarray(p["image_rgb"], dtype=np.float32)
    h, w = raster.shape[:2]
    width_m, height_m = (max(float(v), 0.0) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    kx, ky = _scale(p["fit"], (width_m, height_m), w, h)
    # image coordinates in image pixels: u right from the left edge, v down from the top
    u = w / 2.0 + (x_m - width_m / 2.0) * kx
    v = h / 2.0 - (y_m - height_m / 2.0) * ky
    # each pixel's patch in image pixels; smaller than one image pixel when the image is
    # enlarged, so that image pixels stay crisp (a logo's edges stay sharp)
    half_u = max(pixel_pitch_m(x_m) * kx, _MIN_PATCH) / 2.0
    half_v = max(pixel_pitch_m(y_m) * ky, _MIN_PATCH) / 2.0
    total, area = box_sum(summed_area(raster), u - half_u, u + half_u, v - half_v, v + half_v)
    inside = (u >= 0.0) & (u <= w) & (v >= 0.0) & (v <= h) & (area > 0.0)
    mean = settle(total / np.where(inside, area, 1.0)[:, None])
    colour = np.clip(mean.astype(np.float32) * np.float32(p["brightness"]), 0.0, 1.0)
    background = np.asarray(p["background"], dtype=np.float32)
    rgb = np.where(inside[:, None], colour, background)
    return EffectOutput(rgb[None, :, :].astype(np.float32))


EFFECT = Effect("image", "a still image mapped onto the target's pixels (fit, fill or stretch)",
                PARAMS, render, prepare="image", still=lambda params: True)
