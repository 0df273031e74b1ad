"""Blend modes: how a cue's colours mix onto the layers below it.

``alpha`` is the cue's opacity x fade envelope x the effect's own alpha.
Colours mix by blend mode (the later cue wins: LTP); intensity merges
highest-takes-precedence (HTP) across cues that add light.
"""

from __future__ import annotations

import numpy as np

LIGHT_ADDING = frozenset({"normal", "add", "screen", "max"})


def _times(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(F, N, 3) x (F, N, 1), channel by channel (numpy broadcasts the last axis slowly)."""
    out = np.array(rgb, dtype=np.float32)
    weights = np.ascontiguousarray(alpha[..., 0])
    for c in range(3):
        out[..., c] *= weights
    return out


def blend(dst: np.ndarray, src: np.ndarray, alpha: np.ndarray, mode: str) -> np.ndarray:
    """New (F, N, 3) colours; ``alpha`` is (F, N, 1)."""
    if mode == "normal":
        mixed = _times(src - dst, alpha)
        mixed += dst
        return mixed
    if mode == "add":
        mixed = _times(src, alpha)
        mixed += dst
        return np.minimum(mixed, 1.0, out=mixed)
    if mode == "multiply":
        return dst * (1.0 - alpha + alpha * src)
    if mode == "screen":
        return 1.0 - (1.0 - dst) * (1.0 - src * alpha)
    if mode == "max":
        return np.maximum(dst, _times(src, alpha))
    if mode == "mask":
        return dst * (1.0 - alpha * (1.0 - src.max(axis=-1, keepdims=True)))
    raise ValueError(f"unknown blend mode {mode!r}")


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
