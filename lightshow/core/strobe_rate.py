"""Strobe rates -> DMX values of a strobe or shutter channel (a cue's ``strobe_hz``).

A channel's rates are DMX ranges that strobe from one rate at their first value to another
at their last (:class:`StrobeRate`).  A rate of 0 is no strobe: the channel's profile
default (the shutter open).  Any other rate goes to the first range, in the profile's order,
that covers it, at the DMX value that rate falls on linearly (``floor(x + 0.5)``; a range
with one fixed rate gives its middle); a rate no range covers goes to the nearest end (in Hz)
of all ranges, the first range on a tie, so a rate beyond the fixture's fastest strobes at
its fastest.
"""

from __future__ import annotations

import numpy as np

from lightshow.model.profile import StrobeRate


def _at(rate: StrobeRate, hz: np.ndarray) -> np.ndarray:
    (low, high), (hz_low, hz_high) = rate.dmx, rate.hz
    if hz_low == hz_high:
        return np.full(hz.shape, (low + high) // 2, dtype=np.int64)
    x = low + (hz - hz_low) / (hz_high - hz_low) * (high - low)
    return np.floor(x + 0.5).astype(np.int64)


def rate_dmx(rates: tuple[StrobeRate, ...], hz: np.ndarray, open_value: int) -> np.ndarray:
    """DMX values (int64, same shape as ``hz``) that strobe at ``hz`` flashes per second."""
    hz = np.asarray(hz, dtype=np.float64)
    out = np.full(hz.shape, -1, dtype=np.int64)
    out[hz <= 0] = open_value
    for rate in rates:
        take = (out < 0) & (hz >= min(rate.hz)) & (hz <= max(rate.hz))
        out[take] = _at(rate, hz[take])
    left = out < 0
    if left.any() and rates:
        ends = np.array([h for rate in rates for h in rate.hz])
        nearest = np.abs(hz[left][:, None] - ends[None, :]).argmin(axis=1)   # first on a tie
        values = np.array([v for rate in rates for v in (
            (rate.dmx if rate.hz[0] != rate.hz[1] else ((rate.dmx[0] + rate.dmx[1]) // 2,) * 2))])
        out[left] = values[nearest]
    out[out < 0] = open_value
    return out
