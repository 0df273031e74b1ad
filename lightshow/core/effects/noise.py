"""noise: smooth value noise / fBm drifting over the target (clouds, water shimmer).

Stateless 3-D value noise: a random value at each corner of a lattice in
(x metres, y metres, time), from a hash of (seed, octave, cell, time cell), is
interpolated with a quintic fade in space and in time.  The field drifts at
``speed_m_s`` towards ``direction_deg`` and changes shape every ``morph_s``;
octaves add finer detail (each half the size and amplitude of the last).

``value_noise3`` is the numpy formulation; ``render`` computes the same bytes
one octave at a time with the compiled ``noise_octave``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import sample_palette
from lightshow.core.effects.sparkle import STREAM_NOISE, hash_on, hash_u64
from lightshow.model.colour import PaletteField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Float, Int

DEFAULT_PALETTE = ((0.0, 0.04, 0.25), (0.0, 0.75, 0.9), (1.0, 1.0, 1.0))

# fBm of value noise clusters around 0.5; this spreads contrast 1 over most of the palette
_SPREAD = 2.0

PARAMS = Record("noise params", {
    "palette": Field(PaletteField(), default=DEFAULT_PALETTE,
                     doc="colours from low (first) to high (last) noise values"),
    "scale_m": Field(Float(0.01, 10000.0, "m"), default=4.0, doc="size of the largest features in metres"),
    "speed_m_s": Field(Float(0.0, 1000.0, "m/s"), default=1.0, doc="how fast the pattern drifts"),
    "direction_deg": Field(Float(-360.0, 360.0, "degrees"), default=0.0,
                           doc="drift direction (0 = to the right, 90 = up)"),
    "octaves": Field(Int(1, 4), default=2, doc="layers of finer detail, 1..4"),
    "contrast": Field(Float(0.0, 5.0), default=1.0, doc="0 = flat middle colour, 1 = normal, more = harder"),
    "morph_s": Field(Float(0.05, 3600.0, "s"), default=3.0,
                     doc="seconds over which the pattern changes shape (finer octaves change faster)"),
}, unknown_code="unknown-param")

_TURN_RAD = 0.9
_TO_UNIT = np.float32(1.0 / (1 << 24))
_S40 = np.uint64(40)


def _fade(f: np.ndarray) -> np.ndarray:
    return f * f * f * (f * (f * 6.0 - 15.0) + 10.0)


def lattice_values(seed: int, octave: int, iu, iv, iw) -> np.ndarray:
    """The random value 0..1 (float32) at lattice points (iu, iv, iw) (int64, broadcast)."""
    column = hash_u64(seed, STREAM_NOISE, octave, iu, iv)
    h = hash_u64(0, column.view(np.int64), iw)
    return (h >> _S40).astype(np.float32) * _TO_UNIT


# a block's lattice points are hashed once each into a table when the box of cells it
# touches holds at most this many points per pixel-frame (else each corner is hashed)
_TABLE_POINTS_PER_SAMPLE = 2


def _corner_values(seed: int, octave: int, iu, iv, iw) -> dict:
    """Values at the 8 lattice corners around each sample, by (du, dv, dw)."""
    n_samples = np.broadcast(iu, iv, iw).size
    low = [int(i.min()) for i in (iu, iv, iw)]
    extent = [int(i.max()) - lo + 2 for i, lo in zip((iu, iv, iw), low)]
    if extent[0] * extent[1] * extent[2] > _TABLE_POINTS_PER_SAMPLE * n_samples:
        return {(du, dv, dw): lattice_values(seed, octave, iu + du, iv + dv, iw + dw)
                for du in (0, 1) for dv in (0, 1) for dw in (0, 1)}
    points = [np.arange(lo, lo + n, dtype=np.int64) for lo, n in zip(low, extent)]
    table = lattice_values(seed, octave, points[0][:, None, None], points[1][None, :, None],
                           points[2][None, None, :]).ravel()
    stride_u, stride_v = extent[1] * extent[2], extent[2]
    first = (iu - low[0]) * stride_u + (iv - low[1]) * stride_v + (iw - low[2])
    return {(du, dv, dw): np.take(table, first + (du * stride_u + dv * stride_v + dw))
            for du in (0, 1) for dv in (0, 1) for dw in (0, 1)}


def value_noise3(seed: int, octave: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Smooth noise 0..1 (float32) at lattice coordinates (u, v, w) (broadcast together).

    The numpy formulation of what ``render`` computes with noise_octave
    (the same bytes; tests compare the two)."""
    iu, iv, iw = (np.floor(c) for c in (u, v, w))
    fu, fv, fw = (_fade((c - i).astype(np.float32)) for c, i in ((u, iu), (v, iv), (w, iw)))
    iu, iv, iw = (i.astype(np.int64) for i in (iu, iv, iw))
    corners = _corner_values(seed, octave, iu, iv, iw)

    def lerp(a, b, f):
        return a + (b - a) * f

    x00 = lerp(corners[0, 0, 0], corners[1, 0, 0], fu)
    x10 = lerp(corners[0, 1, 0], corners[1, 1, 0], fu)
    x01 = lerp(corners[0, 0, 1], corners[1, 0, 1], fu)
    x11 = lerp(corners[0, 1, 1], corners[1, 1, 1], fu)
    return lerp(lerp(x00, x10, fv), lerp(x01, x11, fv), fw)


@njit(inline="always")
def _fade32(f):
    """_fade of one float32, compiled."""
    return f * f * f * (f * (f * np.float32(6.0) - np.float32(15.0)) + np.float32(10.0))


@njit(inline="always")
def _lerp(a, b, f):
    return a + (b - a) * f


@njit(inline="always")
def _lattice(column_state, value_state, iu, iv, iw):
    """The two values at (iu, iv, iw) and (iu, iv, iw + 1) (lattice_values)."""
    column = np.int64(hash_on(hash_on(column_state, iu), iv))
    h = hash_on(value_state, column)
    low = np.float32(hash_on(h, iw) >> _S40) * _TO_UNIT
    high = np.float32(hash_on(h, iw + 1) >> _S40) * _TO_UNIT
    return low, high


# a frame's lattice points are hashed once each into a table when the box of cells its
# pixels touch holds at most this many points per pixel (else each pixel hashes its corners)
_TABLE_POINTS_PER_PIXEL = 1


@njit(inline="always")
def _trilinear(c000, c001, c100, c101, c010, c011, c110, c111, fu, fv, fw):
    x00 = _lerp(c000, c100, fu)
    x10 = _lerp(c010, c110, fu)
    x01 = _lerp(c001, c101, fu)
    x11 = _lerp(c011, c111, fu)
    return _lerp(_lerp(x00, x10, fv), _lerp(x01, x11, fv), fw)


@njit(**KERNEL)
def noise_octave(x_m, y_m, drift_x, drift_y, w, c, s, column_state, value_state, amplitude, total):
    """``total[f, p] += amplitude * value_noise3(u, v, w[f])``:
    in float64, x = x_m[p] - drift_x[f], y = y_m[p] - drift_y[f], u = x c - y s,
    v = x s + y c; lattice corner values from the hash states after (seed, stream,
    octave) and after seed 0; quintic fades and lerps in float32.

    Neighbouring pixels share lattice cells, so each frame first hashes the points of
    the box of cells its pixels touch into a table (the same values, hashed once each
    instead of eight times a pixel), unless the box holds more points than pixels."""
    n = x_m.shape[0]
    cell_u = np.empty(n, dtype=np.int64)
    cell_v = np.empty(n, dtype=np.int64)
    fade_u = np.empty(n, dtype=np.float32)
    fade_v = np.empty(n, dtype=np.float32)
    most = _TABLE_POINTS_PER_PIXEL * n
    table_low = np.empty(most, dtype=np.float32)    # at (u, v, iw)
    table_high = np.empty(most, dtype=np.float32)   # at (u, v, iw + 1)
    for f in range(w.shape[0]):
        wf = np.floor(w[f])
        fw = _fade32(np.float32(w[f] - wf))
        iw = np.int64(wf)
        dx, dy = drift_x[f], drift_y[f]
        for p in range(n):
            x = x_m[p] - dx
            y = y_m[p] - dy
            u = x * c - y * s
            v = x * s + y * c
            uf, vf = np.floor(u), np.floor(v)
            fade_u[p] = _fade32(np.float32(u - uf))
            fade_v[p] = _fade32(np.float32(v - vf))
            cell_u[p], cell_v[p] = np.int64(uf), np.int64(vf)
        if n == 0:
            continue
        low_u, low_v = cell_u.min(), cell_v.min()
        span_u, span_v = cell_u.max() - low_u + 2, cell_v.max() - low_v + 2
        if span_u * span_v <= most:
            for a in range(span_u):
                for b in range(span_v):
                    table_low[a * span_v + b], table_high[a * span_v + b] = _lattice(
                        column_state, value_state, low_u + a, low_v + b, iw)
            for p in range(n):
                k = (cell_u[p] - low_u) * span_v + (cell_v[p] - low_v)
                value = _trilinear(table_low[k], table_high[k], table_low[k + span_v],
                                   table_high[k + span_v], table_low[k + 1], table_high[k + 1],
                                   table_low[k + span_v + 1], table_high[k + span_v + 1],
                                   fade_u[p], fade_v[p], fw)
                total[f, p] += amplitude * value
            continue
        for p in range(n):
            iu, iv = cell_u[p], cell_v[p]
            c000, c001 = _lattice(column_state, value_state, iu, iv, iw)
            c100, c101 = _lattice(column_state, value_state, iu + 1, iv, iw)
            c010, c011 = _lattice(column_state, value_state, iu, iv + 1, iw)
            c110, c111 = _lattice(column_state, value_state, iu + 1, iv + 1, iw)
            value = _trilinear(c000, c001, c100, c101, c010, c011, c110, c111,
                               fade_u[p], fade_v[p], fw)
            total[f, p] += amplitude * value


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m = np.ascontiguousarray(xy[:, 0] * width_m)
    y_m = np.ascontiguousarray(xy[:, 1] * height_m)
    t = np.ascontiguousarray(inp.t_s, dtype=np.float64)
    angle = math.radians(float(p["direction_deg"]))
    speed = float(p["speed_m_s"])
    drift_x = (speed * math.cos(angle)) * t
    drift_y = (speed * math.sin(angle)) * t
    total = np.zeros((len(t), len(xy)), dtype=np.float32)
    value_state = np.uint64(hash_u64(0))
    weight = 0.0
    for octave in range(int(p["octaves"])):
        freq = 2.0 ** octave
        size = float(p["scale_m"]) / freq
        # each octave's lattice is turned a little, so that lattice axes do not show
        turn = _TURN_RAD * octave
        c, s = math.cos(turn) / size, math.sin(turn) / size
        w = t * (math.sqrt(freq) / float(p["morph_s"]))
        amplitude = 0.5 ** octave
        # value_noise3 at (x c - y s, x s + y c, w), x and y relative to the drift
        noise_octave(x_m, y_m, drift_x, drift_y, w, c, s,
                     np.uint64(hash_u64(inp.seed, STREAM_NOISE, octave)), value_state,
                     np.float32(amplitude), total)
        weight += amplitude
    gain = np.float32(float(p["contrast"]) * _SPREAD)
    value = np.float32(0.5) + (total / np.float32(weight) - np.float32(0.5)) * gain
    return EffectOutput(sample_palette(p["palette"], value, cyclic=False))  # the table is within 0..1


EFFECT = Effect("noise", "smooth drifting value noise in palette colours (clouds, water shimmer)",
                PARAMS, render)
