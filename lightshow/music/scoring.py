"""Scoring detected beats (or bars) against a ground truth: F-measure at +-70 ms.

The MIREX convention as mir_eval implements it (``mir_eval.beat.evaluate``): beats before
5 s are dropped from both lists (``trim_beats``), each reference beat may match at most one
estimated beat within the window, and F = 2PR / (P + R).  For points on a line with one window
width, matching greedily in time order (each reference takes the earliest free estimate in its
window) is a maximum matching, so the figures equal mir_eval's (``bench/marks.py`` checks it
when mir_eval is installed).
"""

from __future__ import annotations

import numpy as np

WINDOW_S = 0.07
SKIP_S = 5.0


def count_matches(reference: np.ndarray, estimated: np.ndarray, window_s: float = WINDOW_S) -> int:
    """How many reference times have their own estimated time within ``window_s``."""
    ref = np.sort(np.asarray(reference, dtype=float))
    est = np.sort(np.asarray(estimated, dtype=float))
    matches, j = 0, 0
    for t in ref:
        while j < len(est) and est[j] < t - window_s:
            j += 1
        if j < len(est) and est[j] <= t + window_s:
            matches += 1
            j += 1
    return matches


def f_measure(reference, estimated, window_s: float = WINDOW_S, skip_s: float = SKIP_S) -> float:
    """F-measure of ``estimated`` against ``reference`` (seconds), both trimmed below ``skip_s``."""
    ref = np.asarray(reference, dtype=float)
    est = np.asarray(estimated, dtype=float)
    ref, est = ref[ref >= skip_s], est[est >= skip_s]
    if len(ref) == 0 or len(est) == 0:
        return 0.0
    matches = count_matches(ref, est, window_s)
    precision, recall = matches / len(est), matches / len(ref)
    return 0.0 if matches == 0 else 2 * precision * recall / (precision + recall)
