"""Colour wheels: the mixed colour of a cue -> the nearest whole slot, without flicker.

A wheel cannot mix: it shows one slot's filter (or the open slot's white).  The
colour a cue asks for (its hue at full level: the dimmer gives the level) is
compared with every slot's colour in OKLab, a perceptual space, and the nearest
slot wins.  Split colours (a beam half one slot, half the next) are never sent:
only the middle of a slot's DMX range is.

Hysteresis: a wheel keeps the slot it shows while that slot is within
``MARGIN`` (OKLab distance) of the nearest one, so a colour that wanders about
a boundary between two slots does not make the wheel flicker.  A frame whose
nearest slot beats every other by more than ``MARGIN`` decides the slot on its
own, whatever came before; so the slot of frame ``t`` follows from the colours
since the last such frame, looked for at most ``LOOK_BACK_S`` back (earlier
than that, the window's first frame starts it with the first slot, in the wheel's
order, within ``MARGIN`` of its nearest).  Any range
of frames is therefore rendered the same.  Black (no colour asked for) keeps
the slot, so a wheel does not turn during a blackout.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL

MARGIN = 0.04          # OKLab distance; saturated hues are 0.15 .. 0.4 apart
LOOK_BACK_S = 1.0
BLACK = 1e-4

_M1 = np.array([[0.4122214708, 0.5363325363, 0.0514459929],
                [0.2119034982, 0.6806995451, 0.1073969566],
                [0.0883024619, 0.2817188376, 0.6299787005]])
_M2 = np.array([[0.2104542553, 0.7936177850, -0.0040720468],
                [1.9779984951, -2.4285922050, 0.4505937099],
                [0.0259040371, 0.7827717662, -0.8086757660]])


def oklab(rgb: np.ndarray) -> np.ndarray:
    """Linear-light RGB (..., 3) in 0..1 -> OKLab (..., 3)."""
    lms = np.asarray(rgb, dtype=np.float64) @ _M1.T
    return np.cbrt(np.maximum(lms, 0.0)) @ _M2.T


def hue_at_full(rgb: np.ndarray) -> np.ndarray:
    """Colours (..., 3) scaled so their brightest component is 1 (black stays black)."""
    peak = rgb.max(axis=-1, keepdims=True)
    return np.where(peak > BLACK, rgb / np.maximum(peak, BLACK), 0.0)


def look_back_frames(fps: float) -> int:
    return max(1, int(round(LOOK_BACK_S * fps)))


@njit(**KERNEL)
def _choose(dist, black, n_history, look_back, out):
    """dist (H + F, N, K) distances; black (H + F, N); out (F, N) slot index or -1."""
    n_frames, n_pix, n_slots = out.shape[0], dist.shape[1], dist.shape[2]
    for f in range(n_frames):
        t = n_history + f
        first = max(0, t - look_back)
        for p in range(n_pix):
            # the last frame at or before t that decides on its own
            u = t
            while u > first:
                if not black[u, p]:
                    best, second = 1e9, 1e9
                    for k in range(n_slots):
                        d = dist[u, p, k]
                        if d < best:
                            second, best = best, d
                        elif d < second:
                            second = d
                    if second - best > MARGIN:
                        break
                u -= 1
            state = -1
            for v in range(u, t + 1):
                if black[v, p]:
                    continue
                best_k, best = 0, 1e9
                for k in range(n_slots):
                    if dist[v, p, k] < best:
                        best, best_k = dist[v, p, k], k
                if state < 0:  # the first slot near enough: stable when nothing decides
                    for k in range(n_slots):
                        if dist[v, p, k] - best <= MARGIN:
                            state = k
                            break
                elif dist[v, p, state] - best > MARGIN:
                    state = best_k
            out[f, p] = state


def choose_slots(colours: np.ndarray, slot_lab: np.ndarray, n_history: int,
                 look_back: int | None = None) -> np.ndarray:
    """Per frame and wheel, the slot index to show (-1: nothing asked for yet).

    ``colours`` (n_history + F, N, 3): the mixed colours of the wheel pixels, the first
    ``n_history`` rows the frames before the block (black before the show); ``slot_lab``
    (K, 3) the slots' colours in OKLab.  A frame's slot follows from at most
    ``look_back`` frames before it (default: ``n_history``, or all rows when there is no
    history).  Returns (F, N) int64.
    """
    if look_back is None:
        look_back = n_history if n_history else colours.shape[0]
    full = hue_at_full(colours)
    black = full.max(axis=-1) <= BLACK
    lab = oklab(full)
    dist = np.sqrt(((lab[:, :, None, :] - slot_lab[None, None, :, :]) ** 2).sum(axis=-1))
    out = np.empty((colours.shape[0] - n_history, colours.shape[1]), dtype=np.int64)
    _choose(np.ascontiguousarray(dist), np.ascontiguousarray(black), n_history, look_back, out)
    return out
