"""The one place where show seconds become frame indices and back."""

from __future__ import annotations

import math

import numpy as np


def frame_of(seconds: float, fps: float) -> int:
    """The first frame at or after ``seconds`` (frame k is shown at k / fps)."""
    return int(math.ceil(seconds * fps - 1e-9))


def frame_times(start_frame: int, stop_frame: int, fps: float) -> np.ndarray:
    """Show time in seconds of frames [start, stop)."""
    return np.arange(start_frame, stop_frame, dtype=np.float64) / fps


def n_frames_of(duration_s: float, fps: float) -> int:
    return frame_of(duration_s, fps)
