"""Shared building blocks of effects: coordinates along a direction, palettes, waves."""

from __future__ import annotations

import math

import numpy as np

from lightshow.core.effects.base import EffectInput


def along_direction(inp: EffectInput, angle_deg: float) -> np.ndarray:
    """(P,) 0..1: where each pixel lies along ``angle_deg`` (0 = left to right, 90 = upwards)."""
    angle = math.radians(angle_deg)
    u = inp.pos_m[:, 0] * math.cos(angle) + inp.pos_m[:, 1] * math.sin(angle)
    low, high = u.min(initial=0.0), u.max(initial=0.0)
    if high - low <= 1e-9:
        return np.full(u.shape, 0.5, dtype=np.float32)
    return ((u - low) / (high - low)).astype(np.float32)


def extent_along(inp: EffectInput, angle_deg: float) -> float:
    """Metres the target spans along ``angle_deg``."""
    angle = math.radians(angle_deg)
    u = inp.pos_m[:, 0] * math.cos(angle) + inp.pos_m[:, 1] * math.sin(angle)
    return float(u.max(initial=0.0) - u.min(initial=0.0)) if len(u) else 0.0


def coordinate(inp: EffectInput, along: str, angle_deg: float, cyclic: bool = False) -> np.ndarray:
    """(P,) 0..1 along the pixel order or along a direction.

    ``cyclic`` spaces pixels over [0, 1) so that the last pixel is not the first
    again when a pattern wraps around.
    """
    if along == "order":
        u = inp.order.astype(np.float32)
    else:
        u = along_direction(inp, angle_deg)
    if cyclic and len(u) > 1:
        u = u * np.float32((len(u) - 1) / len(u))
    return u


def sample_palette(palette, u: np.ndarray, cyclic: bool = True) -> np.ndarray:
    """Colours (..., 3) at positions ``u`` (0..1) of a palette, blended linearly."""
    colours = np.asarray(palette, dtype=np.float32).reshape(-1, 3)
    n = len(colours)
    if n == 1:
        return np.broadcast_to(colours[0], u.shape + (3,)).astype(np.float32)
    if cyclic:
        position = np.mod(u, 1.0) * n
        low = np.floor(position).astype(np.int64) % n
        high = (low + 1) % n
    else:
        position = np.clip(u, 0.0, 1.0) * (n - 1)
        low = np.minimum(np.floor(position).astype(np.int64), n - 2)
        high = low + 1
    frac = (position - np.floor(position) if cyclic else position - low)[..., None]
    frac = frac.astype(np.float32)
    return colours[low] * (1 - frac) + colours[high] * frac


def mix_colours(background, colour, amount: np.ndarray) -> np.ndarray:
    """background..colour by ``amount`` (..., ) -> (..., 3)."""
    bg = np.asarray(background, dtype=np.float32)
    fg = np.asarray(colour, dtype=np.float32)
    amount = amount.astype(np.float32)[..., None]
    return bg + (fg - bg) * amount


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
