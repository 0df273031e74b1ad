"""Easing curves for fades: x in 0..1 -> 0..1, vectorised."""

from __future__ import annotations

import numpy as np


def _linear(x):
    return x


def _sine(x):
    return 0.5 - 0.5 * np.cos(np.pi * x)


def _quad(x):
    return np.where(x < 0.5, 2 * x * x, 1 - 2 * (1 - x) ** 2)


def _cubic(x):
    return np.where(x < 0.5, 4 * x ** 3, 1 - 4 * (1 - x) ** 3)


def _step(x):
    return np.floor(x)


EASINGS = {"linear": _linear, "sine": _sine, "quad": _quad, "cubic": _cubic, "step": _step}


def ease(name: str, x: np.ndarray) -> np.ndarray:
    return EASINGS[name](np.clip(x, 0.0, 1.0))


def envelope(t_s: np.ndarray, duration_s: float, fade_in_s: float, fade_out_s: float,
             easing_in: str = "linear", easing_out: str = "linear") -> np.ndarray:
    """A cue's level over its own time: fades in, holds at 1, fades out."""
    level = np.ones_like(t_s)
    if fade_in_s > 0:
        level = level * ease(easing_in, t_s / fade_in_s)
    if fade_out_s > 0:
        level = level * ease(easing_out, (duration_s - t_s) / fade_out_s)
    return level
