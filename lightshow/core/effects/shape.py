"""Shared building blocks of effects: coordinates along a direction, palettes, waves.

With their compiled kernels: palette lookups, and a mix of two colours by an
amount per pixel blended onto a frame (``colour_row_onto``, inlined into chase's and
wipe's kernels).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import EffectInput
from lightshow.core.mixing import blend_value, by_blend


def remembered(inp: EffectInput, key: tuple, compute):
    """``compute()``, kept in the cue's memo under ``key`` (values of geometry and params alone)."""
    if key not in inp.memo:
        value = compute()
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        inp.memo[key] = value
    return inp.memo[key]


def along_direction(inp: EffectInput, angle_deg: float) -> np.ndarray:
    """(P,) 0..1: where each pixel lies along ``angle_deg`` (0 = left to right, 90 = upwards)."""
    return remembered(inp, ("along", float(angle_deg)), lambda: _along_direction(inp, angle_deg))


def _along_direction(inp: EffectInput, angle_deg: float) -> np.ndarray:
    angle = math.radians(angle_deg)
    u = inp.pos_m[:, 0] * math.cos(angle) + inp.pos_m[:, 1] * math.sin(angle)
    low, high = u.min(initial=0.0), u.max(initial=0.0)
    if high - low <= 1e-9:
        return np.full(u.shape, 0.5, dtype=np.float32)
    return ((u - low) / (high - low)).astype(np.float32)


def coordinate(inp: EffectInput, along: str, angle_deg: float, cyclic: bool = False) -> np.ndarray:
    """(P,) 0..1 along the pixel order or along a direction.

    ``cyclic`` spaces pixels over [0, 1) so that the last pixel is not the first
    again when a pattern wraps around.
    """
    return remembered(inp, ("coordinate", along, float(angle_deg), cyclic),
                      lambda: _coordinate(inp, along, angle_deg, cyclic))


def _coordinate(inp: EffectInput, along: str, angle_deg: float, cyclic: bool) -> np.ndarray:
    if along == "order":
        u = inp.order.astype(np.float32)
    else:
        u = along_direction(inp, angle_deg)
    if cyclic and len(u) > 1:
        u = u * np.float32((len(u) - 1) / len(u))
    return u


PALETTE_STEPS = 1024


@njit(**KERNEL)
def palette_lookup(u, table, cyclic, out):
    """Colours of a PALETTE_STEPS table at positions ``u`` (flat float32) into ``out`` (N, 3).

    cyclic: ``table[int64(floor(u * steps)) & (steps - 1)]``; else
    ``table[int64(clip(u * steps + 0.5, 0, steps))]``.
    """
    steps = table.shape[0] - 1
    fsteps = np.float32(steps)
    half = np.float32(0.5)
    zero = np.float32(0.0)
    for i in range(u.shape[0]):
        x = u[i] * fsteps
        if cyclic:   # unsigned: no check for negative (wrapped) indices
            k = np.uint64(np.int64(np.floor(x)) & (steps - 1))
        else:
            k = np.uint64(np.int64(min(max(x + half, zero), fsteps)))
        for c in range(3):
            out[i, c] = table[k, c]


@lru_cache(maxsize=256)
def palette_table(palette: tuple, cyclic: bool) -> np.ndarray:
    """(PALETTE_STEPS + 1, 3) colours blended linearly along the palette, within 0..1."""
    colours = np.asarray(palette, dtype=np.float64).reshape(-1, 3)
    n = len(colours)
    u = np.arange(PALETTE_STEPS + 1) / PALETTE_STEPS
    if n == 1:
        return np.repeat(np.clip(colours, 0.0, 1.0).astype(np.float32), PALETTE_STEPS + 1, axis=0)
    if cyclic:
        position = u * n
        low = np.floor(position).astype(np.int64) % n
        high = (low + 1) % n
    else:
        position = u * (n - 1)
        low = np.minimum(np.floor(position).astype(np.int64), n - 2)
        high = low + 1
    frac = (position - np.floor(position))[:, None] if cyclic else (position - low)[:, None]
    return np.clip(colours[low] * (1 - frac) + colours[high] * frac, 0.0, 1.0).astype(np.float32)


def palette_key(palette) -> tuple:
    """A palette as nested tuples of floats (the key of :func:`palette_table`)."""
    return tuple(tuple(float(c) for c in colour) for colour in np.asarray(palette).reshape(-1, 3))


def sample_palette(palette, u: np.ndarray, cyclic: bool = True) -> np.ndarray:
    """Colours (..., 3) at positions ``u`` of a palette (cyclic: u wraps around 1).

    Blends come from a 1024-step table, so sampling is one lookup per pixel:
    cyclic, entry ``floor(u * 1024) mod 1024``; else ``trunc(clip(u * 1024 + 0.5,
    0, 1024))`` (float32).
    """
    key = palette_key(palette)
    u = np.ascontiguousarray(u, dtype=np.float32)
    out = np.empty(u.shape + (3,), dtype=np.float32)
    palette_lookup(u.reshape(-1), palette_table(key, cyclic), cyclic, out.reshape(-1, 3))
    return out


@njit(**KERNEL)
def mix_colour_pair(amount, background, delta, out):
    """``out[i, c] = amount[i] * delta[c] + background[c]`` (flat float32 amounts)."""
    for i in range(amount.shape[0]):
        a = amount[i]
        for c in range(3):
            out[i, c] = a * delta[c] + background[c]


@njit(inline="always")
def _ramp_onto(mode, args):
    amount, background, delta, dst, a = args
    b0, b1, b2 = background[0], background[1], background[2]
    d0, d1, d2 = delta[0], delta[1], delta[2]
    for p in range(amount.shape[0]):
        x = amount[p]
        dst[3 * p] = blend_value(mode, dst[3 * p], x * d0 + b0, a, a)
        dst[3 * p + 1] = blend_value(mode, dst[3 * p + 1], x * d1 + b1, a, a)
        dst[3 * p + 2] = blend_value(mode, dst[3 * p + 2], x * d2 + b2, a, a)


@njit(inline="always")
def colour_row_onto(amount, background, delta, mode, dst, a):
    """One frame's colours ``amount[p] * delta[c] + background[c]`` blended onto its flat
    colours ``dst[3 * p + c]`` by alpha ``a`` with the blend code ``mode`` (any but MASK;
    COVER writes them), in one pass (see lightshow.core.mixing.by_blend)."""
    by_blend(mode, _ramp_onto, (amount, background, delta, dst, a))


@lru_cache(maxsize=256)
def palette_table_rgbx(palette: tuple, cyclic: bool) -> np.ndarray:
    """:func:`palette_table` with a fourth column of zeros: 16 bytes an entry, which a
    kernel copies with one load and one store."""
    return np.ascontiguousarray(np.pad(palette_table(palette, cyclic), ((0, 0), (0, 1))))


def mix_colours(background, colour, amount: np.ndarray) -> np.ndarray:
    """background..colour by ``amount`` (...,) -> (..., 3) float32.

    ``amount * (colour - background) + background`` in float32, one pass.
    """
    amount = np.asarray(amount, dtype=np.float32)
    bg = np.asarray(background, dtype=np.float32)
    fg = np.asarray(colour, dtype=np.float32)
    if bg.ndim == 1 and fg.ndim == 1:
        amount = np.ascontiguousarray(amount)
        out = np.empty(amount.shape + (3,), dtype=np.float32)
        mix_colour_pair(amount.reshape(-1), bg, fg - bg, out.reshape(-1, 3))
        return out
    return (bg + (fg - bg) * amount[..., None]).astype(np.float32)


def smooth_band(distance: np.ndarray, half_width: float, softness: float) -> np.ndarray:
    """1 inside a band of ``half_width``, falling to 0 over ``softness`` (same units)."""
    if softness <= 0:
        return (np.abs(distance) <= half_width).astype(np.float32)
    x = np.clip((half_width + softness - np.abs(distance)) / softness, 0.0, 1.0)
    return (x * x * (3 - 2 * x)).astype(np.float32)


def hsv_to_rgb(h: np.ndarray, s: float, v: float) -> np.ndarray:
    """Vectorised HSV (h in 0..1 cyclic) -> (..., 3) RGB."""
    h6 = np.mod(h, 1.0) * 6.0
    r = np.clip(np.abs(h6 - 3.0) - 1.0, 0, 1)
    g = np.clip(2.0 - np.abs(h6 - 2.0), 0, 1)
    b = np.clip(2.0 - np.abs(h6 - 4.0), 0, 1)
    rgb = np.stack([r, g, b], axis=-1).astype(np.float32)
    return (v * ((1 - s) + s * rgb)).astype(np.float32)
