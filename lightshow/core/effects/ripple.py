"""ripple: rings spreading from source points, like springs welling up on a facade.

Rings leave each source when the cue starts and travel outwards at ``speed_m_s``
(distances in metres, so rings stay round on a wide target).  With
``interval_s: 0`` a ring leaves every wavelength (a continuous wave); with
``interval_s > 0`` a ring leaves each source every interval, the sources taking
turns.  A ring is a raised-cosine bump ``width × wavelength`` metres wide whose
amplitude fades as ``exp(-distance / decay_m)``.  Sources combine by maximum.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import mix_colours, remembered
from lightshow.model.colour import ColourField
from lightshow.schema.combinators import ListOf
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Float

_POINT = ListOf(Float(-1.0, 2.0), 2, 2, what="a point [x, y] (0..1 across the target)")

PARAMS = Record("ripple params", {
    "sources": Field(ListOf(_POINT, 1, 32, what="a list of 1 to 32 points [x, y]"),
                     default=((0.5, 0.5),),
                     doc="where rings start, [x, y] 0..1 across the target (x right, y up); "
                         "outside 0..1 = off the facade"),
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the rings"),
    "slot": WHEEL_SLOT,
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour between the rings"),
    "speed_m_s": Field(Float(0.01, 1000.0, "m/s"), default=4.0,
                       doc="how fast rings spread, metres per second"),
    "wavelength_m": Field(Float(0.01, 10000.0, "m"), default=6.0,
                          doc="distance between rings of a continuous wave; sets the ring width"),
    "width": Field(Float(0.01, 1.0), default=0.5,
                   doc="ring width as a fraction of the wavelength: 1 = soft sine wave, "
                       "small = thin sharp rings"),
    "decay_m": Field(Float(0.0, 100000.0, "m"), default=30.0,
                     doc="rings fade to 37% over this distance from their source (0 = no fading)"),
    "interval_s": Field(Float(0.0, 3600.0, "s"), default=0.0,
                        doc="0 = a continuous wave; > 0 = one ring from each source every interval, "
                            "sources staggered"),
}, unknown_code="unknown-param")


def ring_timing(p: dict) -> tuple[float, float, float, float, list]:
    """speed, ring width (m), decay (m), interval (s) and the sources as (x, y, offset s)."""
    speed = float(p["speed_m_s"])
    wavelength = float(p["wavelength_m"])
    staggered = float(p["interval_s"]) > 0.0
    interval = float(p["interval_s"]) if staggered else wavelength / speed
    n = len(p["sources"])
    sources = [(float(sx), float(sy), i * interval / n if staggered else 0.0)
               for i, (sx, sy) in enumerate(p["sources"])]
    return speed, float(p["width"]) * wavelength, float(p["decay_m"]), interval, sources


def _distances(dx_m: np.ndarray, dy_m: np.ndarray, decay: float) -> tuple[np.ndarray, np.ndarray]:
    """(P,) float32 distances from a source, and their decay factors (empty without decay)."""
    d = np.hypot(dx_m, dy_m)
    fading = np.exp(-d / decay).astype(np.float32) if decay > 0.0 else np.zeros(0, dtype=np.float32)
    d32 = d.astype(np.float32)
    d32.flags.writeable = fading.flags.writeable = False
    return d32, fading


@njit(**KERNEL)
def ripple_phases(since, d, speed, interval, ring_width, phase):
    """The two rings that may light each pixel (ring_amplitude in the tests' numpy terms):
    ``phase[i, f, p] = 2 pi u`` of ring k_outer + i, or NaN where that ring is not lit
    (|u| >= 0.5 or k < 0); float32.  Their cosines are numpy's (np.cos of float32 is
    numpy's own SIMD code, whose roundings a compiled cos does not share)."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    half = np.float32(0.5)
    two_pi = np.float32(2.0 * np.pi)
    for f in range(since.shape[0]):
        sf = since[f]
        for p in range(d.shape[0]):
            dp = d[p]
            k = np.floor((sf - dp / speed) / interval)
            for i in range(2):
                radius = speed * (sf - k * interval)
                u = (dp - radius) / ring_width
                phase[i, f, p] = two_pi * u if abs(u) < half and k >= zero else np.nan
                k = k + one


@njit(**KERNEL)
def ripple_fold(cosine, decay, amplitude):
    """``amplitude[f, p] = max(amplitude[f, p], max(0, rings) * decay[p])`` where ring i is
    ``0.5 + 0.5 cosine[i, f, p]`` (NaN: not lit); no decay when ``decay`` is empty."""
    zero = np.float32(0.0)
    half = np.float32(0.5)
    decaying = decay.shape[0] > 0
    for f in range(amplitude.shape[0]):
        for p in range(amplitude.shape[1]):
            best = zero
            for i in range(2):
                c = cosine[i, f, p]
                if c == c:
                    ring = half + half * c
                    if ring > best:
                        best = ring
            if decaying:
                best = best * decay[p]
            if best > amplitude[f, p]:
                amplitude[f, p] = best


def render(inp: EffectInput) -> EffectOutput:
    """Ring k of a source leaves it at ``offset + k·interval`` (k ≥ 0) and has radius
    ``speed·(t - offset - k·interval)``; only the rings just outside and just inside a
    pixel can be the brightest there (ripple_phases)."""
    p = inp.params
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    t = np.asarray(inp.t_s, dtype=np.float64)
    speed, ring_width, decay, interval, sources = ring_timing(p)
    amplitude = np.zeros((len(t), len(xy)), dtype=np.float32)
    phase = np.empty((2,) + amplitude.shape, dtype=np.float32)
    for sx, sy, offset in sources:
        # distances and their decay depend on the geometry alone: kept for the cue (see memo)
        d32, fading = remembered(inp, ("ripple_source", sx, sy, width_m, height_m, decay),
                                 lambda: _distances(x_m - sx * width_m, y_m - sy * height_m, decay))
        since = (t - offset).astype(np.float32)
        ripple_phases(since, d32, np.float32(speed), np.float32(interval),
                      np.float32(ring_width), phase)
        np.cos(phase, out=phase)
        ripple_fold(phase, fading, amplitude)

    colour = np.asarray(p["color"], dtype=np.float32)
    background = np.asarray(p["background"], dtype=np.float32)
    return EffectOutput(mix_colours(background, colour, np.clip(amplitude, 0.0, 1.0)))


EFFECT = Effect("ripple", "rings spreading from source points, like springs on a facade", PARAMS, render)
