"""Helpers for tests of the core."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=False)
def each(function, x):
    """A compiled scalar ``function`` (an inlined kernel helper) at every value of ``x``."""
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = function(x[i])
    return out
