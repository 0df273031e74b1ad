"""Compiled kernels (numba): how every kernel of the core is compiled and called.

A kernel does in one pass over a block what numpy did in several passes with
temporaries, and does exactly the same float32 arithmetic in the same order,
so that the bytes are those of the numpy formulation it replaces (its
docstring gives it).  Scalars are passed in as float32 and constants are
float32, so that nothing is silently widened to float64.  Kernels are compiled
on first use and cached on disk (``cache=True``, per module file).  Each kernel
lives beside what uses it: an effect's in its effect module, the blend modes'
in lightshow.core.mixing, the quantising ones in lightshow.core.channels.

The exceptions are flow's sines and the fireworks' exp, atan2 and cos, which
libm computes one value at a time: there ``sin_turns`` (here),
``sparkle.exp_neg`` and ``sparkle.bearing_rad`` (polynomials accurate to 1e-10
or better) let the loops vectorise, and colours agree with the libm
formulation to float32 rounding (the anniversary show compiles to the same
bytes either way).

Inputs that broadcast (a still picture (1, P, 3), a colour per frame (F, 1, 3))
are passed compact, C-contiguous, and indexed with a 0 step along their length-1
axes, so that one compiled version serves every shape.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# every kernel: compiled once and cached on disk, IEEE float arithmetic (no fastmath), the
# GIL released, and numpy's error model, under which a float division by zero gives inf or
# NaN instead of raising: so that loops with divisions vectorise
KERNEL = dict(cache=True, fastmath=False, nogil=True, error_model="numpy")


def compact(a: np.ndarray, ndim: int) -> np.ndarray:
    """``a`` as a C-contiguous float32 array of ``ndim`` dimensions (leading axes of 1 added)."""
    a = np.asarray(a, dtype=np.float32)
    while a.ndim < ndim:
        a = a[None]
    return np.ascontiguousarray(a)


@njit(inline="always")
def horner(coeffs, x):
    """The polynomial with ``coeffs`` (highest power first) at ``x``."""
    p = coeffs[0]
    for k in range(1, len(coeffs)):
        p = p * x + coeffs[k]
    return p


# sin(z) on |z| <= pi/2: Taylor coefficients of z^3 .. z^15 after z, (-1)^n / (2n + 1)!,
# n = 7 .. 1, in z^2 (error under 7e-12 there)
_SIN_COEFFS = tuple((-1.0) ** n / math.factorial(2 * n + 1) for n in range(7, 0, -1))


@njit(inline="always")
def sin_turns(x):
    """sin(2 pi x) in float64 to within 7e-12, for any x: reduced to a quarter turn
    (x - round(x), folded about +-1/4) and a polynomial, with no branches a vector unit
    cannot take, so loops over it vectorise (libm's sin does not, and took 13x longer)."""
    r = x - np.floor(x + 0.5)
    if r > 0.25:
        r = 0.5 - r
    elif r < -0.25:
        r = -0.5 - r
    z = r * (2.0 * np.pi)
    z2 = z * z
    return z + z * z2 * horner(_SIN_COEFFS, z2)
