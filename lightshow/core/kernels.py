"""Compiled per-pixel loops (numba) for the hot paths of rendering.

Each kernel does in one pass over a block what numpy did in several passes
with temporaries, and does exactly the same float32 arithmetic in the same
order, so that the bytes are those of the numpy formulation they replace
(the docstrings give it).  Scalars are passed in as float32 and constants are
float32, so that nothing is silently widened to float64.  Kernels are compiled
on first use and cached on disk (``cache=True``).

The exceptions are flow's sines and the fireworks' exp, atan2 and cos, which
libm computes one value at a time: there ``sin_turns``, ``exp_neg`` and
``bearing_rad`` (polynomials accurate to 1e-10 or better) let the loops
vectorise, and colours agree with the libm formulation to float32 rounding
(the anniversary show compiles to the same bytes either way).

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

_F0 = np.float32(0.0)
_F1 = np.float32(1.0)
_HALF = np.float32(0.5)

# blend mode codes (the formulas: lightshow.core.mixing)
NORMAL, ADD, MULTIPLY, SCREEN, MAX, MASK, COVER, SCALE = range(8)
BLEND_CODES = {"normal": NORMAL, "add": ADD, "multiply": MULTIPLY, "screen": SCREEN, "max": MAX,
               "mask": MASK}


def compact(a: np.ndarray, ndim: int) -> np.ndarray:
    """``a`` as a C-contiguous float32 array of ``ndim`` dimensions (leading axes of 1 added)."""
    a = np.asarray(a, dtype=np.float32)
    while a.ndim < ndim:
        a = a[None]
    return np.ascontiguousarray(a)


@njit(inline="always")
def _mixed(mode, d, s, a, keep):
    """One colour value: ``d`` below, ``s`` the cue's, ``a`` its alpha (``keep``: see MASK)."""
    one = np.float32(1.0)
    if mode == COVER:
        return s
    if mode == SCALE:
        return s * a
    if mode == NORMAL:
        return (s - d) * a + d
    if mode == ADD:
        return min(s * a + d, one)
    if mode == MULTIPLY:
        return d * ((one - a) + a * s)
    if mode == SCREEN:
        return one - (one - d) * (one - s * a)
    if mode == MAX:
        return max(d, s * a)
    return d * keep  # MASK


@njit(inline="always")
def _mix_row(mode, dst, first, pixels, n, src, sp, alpha, ap):
    """One frame: ``dst`` (P, 3) rows ``first + j`` (or ``pixels[j]`` when first < 0)."""
    one = np.float32(1.0)
    keep = one
    for j in range(n):
        p = first + j if first >= 0 else pixels[j]
        js = j if sp else 0
        a = alpha[j] if ap else alpha[0]
        if mode == MASK:
            keep = one - a * (one - max(max(src[js, 0], src[js, 1]), src[js, 2]))
        for c in range(3):
            dst[p, c] = _mixed(mode, dst[p, c], src[js, c], a, keep)


@njit(inline="always")
def _mix_frames(mode, rgb, row0, n_frames, first, pixels, src, alpha):
    n = pixels.shape[0]
    sf = 1 if src.shape[0] > 1 else 0
    af = 1 if alpha.shape[0] > 1 else 0
    sp = src.shape[1] > 1
    ap = alpha.shape[1] > 1
    flat = first >= 0 and sp and not ap and mode != MASK
    for f in range(n_frames):
        dst, s, a = rgb[row0 + f], src[f * sf], alpha[f * af]
        if flat:  # runs of contiguous floats, one alpha: vectorises
            a0 = a[0]
            d1, s1 = dst.reshape(-1)[3 * first:3 * (first + n)], s.reshape(-1)
            for i in range(3 * n):
                d1[i] = _mixed(mode, d1[i], s1[i], a0, a0)
        elif sp and ap:
            _mix_row(mode, dst, first, pixels, n, s, True, a, True)
        elif sp:
            _mix_row(mode, dst, first, pixels, n, s, True, a, False)
        elif ap:
            _mix_row(mode, dst, first, pixels, n, s, False, a, True)
        else:
            _mix_row(mode, dst, first, pixels, n, s, False, a, False)


@njit(**KERNEL)
def mix_layer(rgb, row0, n_frames, first, pixels, src, alpha, mode):
    """Mix a cue's colours ``src`` (F|1, N|1, 3) with ``alpha`` (F|1, N|1) onto
    ``rgb[row0 + f, pixels[j]]`` (f < n_frames) in place; ``first >= 0`` says
    that ``pixels`` are ``first, first + 1, ...``.

    ``mode``: a blend code (see mixing), COVER (just ``src``: an opaque first
    layer) or SCALE (``src * alpha``: a first layer onto black).
    """
    _mix_frames(mode, rgb, row0, n_frames, first, pixels, src, alpha)


@njit(**KERNEL)
def quantise_runs_into(rgb, scale, table, frame, dst, src, length):
    """Colours (F, P, 3) in 0..1 to frame bytes along runs: for run r and i < length[r],
    ``frame[f, dst[r] + i] = table[uint16(x * scale + 0.5)]`` with x the flat colour value
    ``src[r] + i`` of frame f; ``uint8(x * scale + 0.5)`` when ``table`` is empty (linear)."""
    half = np.float32(0.5)
    linear = table.shape[0] == 0
    flat = rgb.reshape(rgb.shape[0], -1)
    longest = 0
    for r in range(length.shape[0]):
        longest = max(longest, length[r])
    entry = np.empty(longest, dtype=np.uint16)
    for f in range(flat.shape[0]):
        values, row = flat[f], frame[f]
        for r in range(dst.shape[0]):
            n = length[r]
            x, out = values[src[r]:src[r] + n], row[dst[r]:dst[r] + n]
            if linear:
                for i in range(n):
                    out[i] = np.uint8(x[i] * scale + half)
                continue
            for i in range(n):  # the entries apart from the lookups: vectorises
                entry[i] = np.uint16(x[i] * scale + half)
            for i in range(n):
                out[i] = table[entry[i]]


@njit(**KERNEL)
def fill_runs(frame, row, start, length):
    """``frame[f, start[r]:start[r] + length[r]] = row[start[r]:...]`` for every frame f."""
    for f in range(frame.shape[0]):
        out = frame[f]
        for r in range(start.shape[0]):
            a = start[r]
            out[a:a + length[r]] = row[a:a + length[r]]


@njit(**KERNEL)
def palette_lookup(u, table, cyclic, out):
    """Colours of a PALETTE_STEPS table at positions ``u`` (flat float32) into ``out`` (N, 3).

    cyclic: ``table[int64(floor(u * steps)) & (steps - 1)]``; else
    ``table[int64(clip(u * steps + 0.5, 0, steps))]``.
    """
    steps = table.shape[0] - 1
    fsteps = np.float32(steps)
    half = np.float32(0.5)
    zero = np.float32(0.0)
    for i in range(u.shape[0]):
        x = u[i] * fsteps
        if cyclic:
            k = np.int64(np.floor(x)) & (steps - 1)
        else:
            k = np.int64(min(max(x + half, zero), fsteps))
        for c in range(3):
            out[i, c] = table[k, c]


@njit(inline="always")
def _colour_row(amount, background, delta, out):
    """``out[p, c] = amount[p] * delta[c] + background[c]`` for one frame (P, 3)."""
    flat = out.reshape(-1)
    b0, b1, b2 = background[0], background[1], background[2]
    d0, d1, d2 = delta[0], delta[1], delta[2]
    for p in range(amount.shape[0]):
        a = amount[p]
        flat[3 * p] = a * d0 + b0
        flat[3 * p + 1] = a * d1 + b1
        flat[3 * p + 2] = a * d2 + b2


@njit(**KERNEL)
def drifting_palette(u, shift, table, out):
    """Cyclic palette at ``u[p] - shift[f]`` into ``out`` (F, P, 3)."""
    steps = table.shape[0] - 1
    fsteps = np.float32(steps)
    n = u.shape[0]
    entry = np.empty(n, dtype=np.int64)
    colours = table.reshape(-1)
    for f in range(shift.shape[0]):
        s = shift[f]
        for p in range(n):  # apart from the gathers below, so that it vectorises
            entry[p] = (np.int64(np.floor((u[p] - s) * fsteps)) & (steps - 1)) * 3
        flat = out[f].reshape(-1)
        for p in range(n):
            k = entry[p]
            flat[3 * p] = colours[k]
            flat[3 * p + 1] = colours[k + 1]
            flat[3 * p + 2] = colours[k + 2]


@njit(**KERNEL)
def chase_bands(u, travel, reach, softness, background, delta, out):
    """Chase colours into ``out`` (F, P, 3) (softness > 0).

    cycle = mod(u - travel, 1); distance = min(cycle, 1 - cycle); amount =
    smoothstep(clip((reach - |distance|) / softness, 0, 1)); colour = amount *
    delta + background.
    """
    one = np.float32(1.0)
    zero = np.float32(0.0)
    two = np.float32(2.0)
    three = np.float32(3.0)
    amount = np.empty(u.shape[0], dtype=np.float32)
    for f in range(travel.shape[0]):
        t = travel[f]
        for p in range(u.shape[0]):  # one float per pixel first: vectorises
            x = u[p] - t
            cycle = x - np.floor(x)  # = np.mod(x, 1), rounded the same (x - floor(x) is exact + 1 at most)
            distance = min(cycle, one - cycle)
            x = min(max((reach - abs(distance)) / softness, zero), one)
            amount[p] = x * x * (three - two * x)
        _colour_row(amount, background, delta, out[f])


@njit(**KERNEL)
def wipe_front(u, front, soft, wipe_out, background, delta, out):
    """Wipe colours into ``out`` (F, P, 3): amount = clip((front[f] - u[p]) / soft, 0, 1),
    or 1 - that when ``wipe_out``."""
    one = np.float32(1.0)
    zero = np.float32(0.0)
    amount = np.empty(u.shape[0], dtype=np.float32)
    for f in range(front.shape[0]):
        fr = front[f]
        for p in range(u.shape[0]):
            amount[p] = min(max((fr - u[p]) / soft, zero), one)
        if wipe_out:
            for p in range(u.shape[0]):
                amount[p] = one - amount[p]
        _colour_row(amount, background, delta, out[f])


@njit(**KERNEL)
def mix_colour_pair(amount, background, delta, out):
    """``out[i, c] = amount[i] * delta[c] + background[c]`` (flat float32 amounts)."""
    for i in range(amount.shape[0]):
        a = amount[i]
        for c in range(3):
            out[i, c] = a * delta[c] + background[c]


@njit(inline="always")
def _horner(coeffs, x):
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
    return z + z * z2 * _horner(_SIN_COEFFS, z2)


@njit(**KERNEL)
def flow_heights(s1, s2, t, speed, wavelength, bend, slow_speed, slow_length, slow_phase, out):
    """Flow wave heights (F, P) float32, computed in float64:
    phase = (s1 - speed t) / wavelength + bend sin_turns((s2 - slow_speed t) / slow_length
    + slow_phase) (no bend when bend is 0); height = 0.5 + 0.5 sin_turns(phase)."""
    for f in range(t.shape[0]):
        moved = speed * t[f]
        slow_moved = slow_speed * t[f]
        for p in range(s1.shape[0]):
            phase = (s1[p] - moved) / wavelength
            if bend > 0.0:
                slow = (s2[p] - slow_moved) / slow_length + slow_phase
                phase = phase + bend * sin_turns(slow)
            out[f, p] = np.float32(0.5 + 0.5 * sin_turns(phase))


# splitmix64 constants of lightshow.core.effects.sparkle's hashes (uint64, so that numba keeps
# the arithmetic in wrapping 64-bit integers)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S11, _S27, _S30, _S31, _S40 = (np.uint64(n) for n in (11, 27, 30, 31, 40))
_UNIT53 = 1.0 / (1 << 53)
_UNIT24 = np.float32(1.0 / (1 << 24))


@njit(inline="always")
def _hash_on(h, key):
    """sparkle.hash_more(h, key) for one state and one int64 key."""
    h = h ^ (np.uint64(key) + _GOLDEN)
    h = (h ^ (h >> _S30)) * _C1
    h = (h ^ (h >> _S27)) * _C2
    return h ^ (h >> _S31)


@njit(inline="always")
def _unit_float(h):
    """sparkle.unit_float: a hash as a float64 in [0, 1)."""
    return np.float64(h >> _S11) * _UNIT53


@njit(inline="always")
def _fade(f):
    return f * f * f * (f * (f * np.float32(6.0) - np.float32(15.0)) + np.float32(10.0))


@njit(inline="always")
def _lerp(a, b, f):
    return a + (b - a) * f


@njit(inline="always")
def _lattice(column_state, value_state, iu, iv, iw):
    """The two values at (iu, iv, iw) and (iu, iv, iw + 1) (noise.lattice_values)."""
    column = np.int64(_hash_on(_hash_on(column_state, iu), iv))
    h = _hash_on(value_state, column)
    low = np.float32(_hash_on(h, iw) >> _S40) * _UNIT24
    high = np.float32(_hash_on(h, iw + 1) >> _S40) * _UNIT24
    return low, high


@njit(**KERNEL)
def noise_octave(x_m, y_m, drift_x, drift_y, w, c, s, column_state, value_state, amplitude, total):
    """``total[f, p] += amplitude * value_noise3(u, v, w[f])`` (lightshow.core.effects.noise):
    in float64, x = x_m[p] - drift_x[f], y = y_m[p] - drift_y[f], u = x c - y s,
    v = x s + y c; lattice corner values from the hash states after (seed, stream,
    octave) and after seed 0; quintic fades and lerps in float32."""
    for f in range(w.shape[0]):
        wf = np.floor(w[f])
        fw = _fade(np.float32(w[f] - wf))
        iw = np.int64(wf)
        dx, dy = drift_x[f], drift_y[f]
        for p in range(x_m.shape[0]):
            x = x_m[p] - dx
            y = y_m[p] - dy
            u = x * c - y * s
            v = x * s + y * c
            uf, vf = np.floor(u), np.floor(v)
            fu = _fade(np.float32(u - uf))
            fv = _fade(np.float32(v - vf))
            iu, iv = np.int64(uf), np.int64(vf)
            c000, c001 = _lattice(column_state, value_state, iu, iv, iw)
            c100, c101 = _lattice(column_state, value_state, iu + 1, iv, iw)
            c010, c011 = _lattice(column_state, value_state, iu, iv + 1, iw)
            c110, c111 = _lattice(column_state, value_state, iu + 1, iv + 1, iw)
            x00 = _lerp(c000, c100, fu)
            x10 = _lerp(c010, c110, fu)
            x01 = _lerp(c001, c101, fu)
            x11 = _lerp(c011, c111, fu)
            value = _lerp(_lerp(x00, x10, fv), _lerp(x01, x11, fv), fw)
            total[f, p] += amplitude * value


@njit(**KERNEL)
def ripple_phases(since, d, speed, interval, ring_width, phase):
    """The two rings that may light each pixel (lightshow.core.effects.ripple.ring_amplitude):
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


@njit(**KERNEL)
def twinkle_flashes(t, flash, pixel_hash, offset, density, colours, background, out):
    """Twinkle colours (F, P, 3) (lightshow.core.effects.sparkle._twinkle): per pixel and
    time slot a hashed flash, its strength and palette colour, with a fast rise and a
    slow fall; (colour - background) * a + background."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    rise = np.float32(0.15)
    fall = one - rise
    n_colours = colours.shape[0]
    for f in range(t.shape[0]):
        tf = t[f] / flash
        for p in range(offset.shape[0]):
            slot_f = tf + offset[p]
            slot = np.floor(slot_f)
            tau = np.float32(slot_f - slot)
            slot_hash = _hash_on(pixel_hash[p], np.int64(slot))
            a = zero
            pick = 0
            if _unit_float(_hash_on(slot_hash, 0)) < density:
                strength = np.float32(0.6 + 0.4 * _unit_float(_hash_on(slot_hash, 1)))
                if tau < rise:
                    envelope = tau / rise
                else:
                    e = (one - tau) / fall
                    envelope = e * e
                a = envelope * strength
                pick = min(np.int64(np.floor(_unit_float(_hash_on(slot_hash, 2)) * n_colours)),
                           n_colours - 1)
            for c in range(3):
                bg = background[c]
                out[f, p, c] = (colours[pick, c] - bg) * a + bg


@njit(inline="always")
def _integral_at(table, u, v, c):
    """Channel ``c`` of the raster's sum over [0, u) x [0, v) (lightshow.core.effects.image)."""
    h, w = table.shape[0] - 1, table.shape[1] - 1
    i = np.int64(min(max(np.floor(u), 0.0), max(w - 1, 0)))
    j = np.int64(min(max(np.floor(v), 0.0), max(h - 1, 0)))
    fu = u - i
    fv = v - j
    i1 = min(i + 1, w)
    j1 = min(j + 1, h)
    top = table[j, i, c] + (table[j, i1, c] - table[j, i, c]) * fu
    bottom = table[j1, i, c] + (table[j1, i1, c] - table[j1, i, c]) * fu
    return top + (bottom - top) * fv


@njit(**KERNEL)
def box_sums(table, u0, u1, v0, v1, total, area):
    """Sums of a raster over boxes [u0, u1) x [v0, v1) (flat float64, raster pixels, clipped to
    the raster) from its summed-area ``table`` (H+1, W+1, C) into ``total`` (N, C), and the
    clipped areas into ``area`` (N,) (lightshow.core.effects.image.box_sum): per corner, the
    table bilinearly at (u, v), then (I(u1, v1) - I(u0, v1)) - (I(u1, v0) - I(u0, v0))."""
    h, w = table.shape[0] - 1, table.shape[1] - 1
    for k in range(u0.shape[0]):
        a0 = min(max(u0[k], 0.0), w)
        a1 = min(max(u1[k], 0.0), w)
        b0 = min(max(v0[k], 0.0), h)
        b1 = min(max(v1[k], 0.0), h)
        for c in range(table.shape[2]):
            total[k, c] = ((_integral_at(table, a1, b1, c) - _integral_at(table, a0, b1, c))
                           - (_integral_at(table, a1, b0, c) - _integral_at(table, a0, b0, c)))
        area[k] = (a1 - a0) * (b1 - b0)


@njit(**KERNEL)
def cover_background(glow, cover, background):
    """Fireworks' light over their background, in place: ``glow = background * (1 -
    min(cover, 1)) + glow`` (float32, (F, P, 3) and (F, P))."""
    one = np.float32(1.0)
    for f in range(glow.shape[0]):
        for p in range(glow.shape[1]):
            keep = one - min(cover[f, p], one)
            for c in range(3):
                glow[f, p, c] = background[c] * keep + glow[f, p, c]


# exp(x) on -1 <= x <= 0: Taylor coefficients 1/14! .. 1/0!
_EXP_COEFFS = tuple(1.0 / math.factorial(n) for n in range(14, -1, -1))
_EXP_NEG_MAX = 120.0


@njit(inline="always")
def exp_neg(y):
    """exp(-y) for y >= 0, to a relative 1e-10 (y beyond 120 counts as 120: exp(-120) is
    7.7e-53, which no float32 light level can hold): a polynomial for exp(-y / 128),
    squared seven times, so that loops over it vectorise (libm's exp does not)."""
    x = -min(y, _EXP_NEG_MAX) * (1.0 / 128.0)
    p = _horner(_EXP_COEFFS, x)
    for _ in range(7):
        p = p * p
    return p


# atan(t) on |t| <= tan(pi / 8): Taylor coefficients of t (s = t^2): (-1)^n / (2n + 1), n <= 13
_ATAN_COEFFS = tuple((-1.0) ** n / (2 * n + 1) for n in range(13, -1, -1))
_TAN_PI_8 = math.tan(math.pi / 8)


@njit(inline="always")
def bearing_rad(dy, dx):
    """atan2(dy, dx) to within 1e-12 rad, from octant folds and a polynomial, so that
    loops over it vectorise (libm's atan2 does not); 0 at the origin."""
    ax, ay = abs(dx), abs(dy)
    big = max(ax, ay)
    t = min(ax, ay) / big if big > 0.0 else 0.0            # 0..1
    folded = t > _TAN_PI_8
    u = (t - 1.0) / (t + 1.0) if folded else t             # |u| <= tan(pi / 8)
    a = u * _horner(_ATAN_COEFFS, u * u) + (0.25 * np.pi if folded else 0.0)  # atan(t) <= pi/4
    a = 0.5 * np.pi - a if ay > ax else a
    a = np.pi - a if dx < 0.0 else a
    return -a if dy < 0.0 else a


@njit(**KERNEL)
def burst_light(rows, near, x_near, y_near, cx, cy, ring, reach, sigma, sparks, spin, flash_gain,
                fade, late, crackle_state, crackle_slot, burst, colour, glow, cover):
    """One fireworks burst's light added onto ``glow`` (F, P, 3) and ``cover`` (F, P) at
    frames ``rows`` (R,) and pixels ``near`` (N,) at ``x_near``, ``y_near`` metres
    (lightshow.core.effects.sparkle._fireworks), in float64 per frame i and pixel j:
    dx = x - cx, dy = y - cy[i], r = sqrt(dx^2 + dy^2), dr = r - ring[i];
    radial = exp(-(dr / sigma)^2), or where dr < 0 the larger of that and the trail
    0.45 exp(-(dr / 3 sigma)^2); angular = (0.5 + 0.5 cos(sparks (atan2(dy, dx) - spin)))^4;
    flash = exp(-(r / 1.5 sigma)^2); lit = (radial angular + flash flash_gain) fade crackle,
    crackle = 1 - late when hash01(seed, crackle, pixel, crackle slot, burst) < 0.6;
    a = float32(lit) where r <= reach[i] (nothing beyond), then glow += a colour, cover += a.
    exp, atan2 and cos are exp_neg, bearing_rad and sin_turns, and each frame's pixels are
    computed in one loop that vectorises, then added in a second."""
    n = near.shape[0]
    lit = np.empty(n, dtype=np.float32)
    turns = sparks / (2.0 * np.pi)
    head_scale = 1.0 / sigma
    trail_scale = 1.0 / (3.0 * sigma)
    flash_scale = 1.0 / (1.5 * sigma)
    for i in range(rows.shape[0]):
        row, gain, fd, lt, rc = rows[i], flash_gain[i], fade[i], late[i], reach[i]
        ring_i, cy_i = ring[i], cy[i]
        slot_state = crackle_slot[i]
        for j in range(n):
            dx = x_near[j] - cx
            dy = y_near[j] - cy_i
            r = np.sqrt(dx * dx + dy * dy)
            dr = r - ring_i
            q = dr * head_scale
            radial = exp_neg(q * q)
            q = dr * trail_scale
            trail = 0.45 * exp_neg(q * q)
            radial = max(radial, trail) if dr < 0.0 else radial
            spoke = 0.5 + 0.5 * sin_turns((bearing_rad(dy, dx) - spin) * turns + 0.25)
            spoke = spoke * spoke
            q = r * flash_scale
            value = (radial * (spoke * spoke) + exp_neg(q * q) * gain) * fd
            h = _hash_on(_hash_on(_hash_on(crackle_state, near[j]), slot_state), burst)
            crackle = 1.0 - lt if _unit_float(h) < 0.6 else 1.0
            lit[j] = np.float32(value * crackle) if r <= rc else np.float32(0.0)
        for j in range(n):
            a = lit[j]
            if a != 0.0:
                pixel = near[j]
                for c in range(3):
                    glow[row, pixel, c] += a * colour[c]
                cover[row, pixel] += a