"""RGB -> hue and saturation, for fixtures that take colour as HSI (hue, saturation, intensity).

Hue is 0..1 of the colour circle (0 red, 1/3 green, 2/3 blue, as HSV); saturation is
1 - min/max.  Black and greys have no hue: 0 (red) is sent, which a grey's zero
saturation makes invisible.  The level stays on the fixture's intensity channel.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-6


def channel_peak(rgb: np.ndarray) -> np.ndarray:
    """The largest of r, g and b of colours (..., 3): (...), as two elementwise maxima
    (numpy's max over an axis of three takes about 0.1 us a colour, ten times as long)."""
    return np.maximum(np.maximum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])


def channel_low(rgb: np.ndarray) -> np.ndarray:
    """The smallest of r, g and b of colours (..., 3): (...), as :func:`channel_peak`."""
    return np.minimum(np.minimum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])


def hsv_of(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Colours (..., 3) in 0..1 -> (hue, saturation), each (...) float32 in 0..1."""
    rgb = np.asarray(rgb, dtype=np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    peak = channel_peak(rgb)
    low = channel_low(rgb)
    span = peak - low
    safe = np.where(span > EPSILON, span, np.float32(1.0))
    sector = np.where(peak == r, ((g - b) / safe) % 6.0,
                      np.where(peak == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0))
    hue = np.where(span > EPSILON, sector / 6.0, 0.0).astype(np.float32)
    saturation = np.where(peak > EPSILON, span / np.where(peak > EPSILON, peak, 1.0),
                          0.0).astype(np.float32)
    return hue, saturation
