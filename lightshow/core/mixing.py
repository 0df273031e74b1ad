"""Blend modes: how a cue's colours mix onto the layers below it.

``alpha`` is the cue's opacity x fade envelope x the effect's own alpha.
Colours mix by blend mode (the later cue wins: LTP); intensity merges
highest-takes-precedence (HTP) across cues that add light.  Per colour
value, with ``d`` below and ``s`` the cue's colour (all float32):

    normal    (s - d) * alpha + d
    add       min(s * alpha + d, 1)
    multiply  d * ((1 - alpha) + alpha * s)
    screen    1 - (1 - d) * (1 - s * alpha)
    max       max(d, s * alpha)
    mask      d * (1 - alpha * (1 - max(s over r, g, b)))

computed in place by :func:`lightshow.core.kernels.mix_layer`.
"""

from __future__ import annotations

import numpy as np

LIGHT_ADDING = frozenset({"normal", "add", "screen", "max"})


def merge_intensity(level: np.ndarray, src: np.ndarray, alpha: np.ndarray, mode: str) -> np.ndarray:
    """New (F, N) HTP intensities after a cue: light-adding cues raise, others scale."""
    peak = src.max(axis=-1) * alpha[..., 0]
    if mode in LIGHT_ADDING:
        if mode == "add":
            return np.minimum(level + peak, 1.0)
        return np.maximum(level, peak)
    if mode == "multiply":
        return level * (1.0 - alpha[..., 0] + peak)
    return level * (1.0 - alpha[..., 0] + peak)  # mask
