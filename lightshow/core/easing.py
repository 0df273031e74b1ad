"""Easing curves for fades: x in 0..1 -> 0..1, vectorised.

``step`` switches at once, halfway through: a stepped fade-in is dark for its
first half and full for its second, a stepped fade-out the other way round, and
a stepped crossfade shows its end colour for the second half of the cue.
"""

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


# frame times come from float arithmetic (e.g. 0.5 s - 0.3 s = 0.19999999999999998 s):
# a frame within this of halfway has reached it
STEP_TOLERANCE = 1e-9


def _step(x):
    return (x >= 0.5 - STEP_TOLERANCE).astype(np.result_type(x, np.float32))


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
