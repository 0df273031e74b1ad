"""sparkle: twinkling pixels, or fireworks bursting on the facade.

All randomness is a stateless integer hash of (seed, stream, …): a pixel's
flash in a time slot, or a burst's place and colour, depends only on those
numbers, so any block of frames renders the same as part of a longer render.

twinkle: each pixel's time is cut into slots ``flash_s`` long (offset per
pixel); in each slot the pixel flashes with probability ``density`` (so that
fraction of pixels is lit at any time), with a fast rise and a slow fall.

fireworks: time is cut into slots ``1 / bursts_per_s`` long; each slot holds one
burst at a hashed moment, centred on a hashed pixel of the target (so bursts land
on the facades of a group even when they are far apart).  A burst is a ring of sparks (with trails
towards the centre) that expands quickly, slows, falls under gravity, fades
and crackles out over ``burst_s``.

Both run as compiled kernels (twinkle_flashes; burst_light and
cover_background), with the hashes compiled too (hash_on, also noise's).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL, horner, sin_turns
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.model.colour import ColourField, PaletteField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float

FIREWORK_PALETTE = ((222 / 255, 41 / 255, 16 / 255), (1.0, 200 / 255, 40 / 255), (1.0, 1.0, 1.0))

PARAMS = Record("sparkle params", {
    "mode": Field(Choice(("twinkle", "fireworks")), default="twinkle",
                  doc="twinkle: pixels flash at random; fireworks: bursts of sparks"),
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0),
                   doc="twinkle colour when no palette is given"),
    "palette": Field(PaletteField(), default=(),
                     doc="colours picked at random per flash or burst (fireworks default: "
                         "china red, gold, white)"),
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour of unlit pixels"),
    "density": Field(Float(0.0, 1.0), default=0.05, doc="twinkle: fraction of pixels lit at any time"),
    "flash_s": Field(Float(0.02, 60.0, "s"), default=0.3, doc="twinkle: how long one flash lasts"),
    "bursts_per_s": Field(Float(0.0, 10.0, "per second"), default=1.0,
                          doc="fireworks: average number of bursts per second"),
    "burst_radius_m": Field(Float(0.05, 1000.0, "m"), default=3.0,
                            doc="fireworks: radius a burst's ring of sparks reaches"),
    "burst_s": Field(Float(0.1, 5.0, "s"), default=1.5, doc="fireworks: how long a burst glows"),
    "gravity_m_s2": Field(Float(0.0, 100.0, "m/s²"), default=2.0,
                          doc="fireworks: how fast bursts fall while they burn"),
}, unknown_code="unknown-param")

# splitmix64 constants (uint64, so that numpy and numba keep the arithmetic in wrapping
# 64-bit integers)
_MASK64 = (1 << 64) - 1
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = (np.uint64(n) for n in (30, 27, 31, 11))
_UNIT53 = 1.0 / (1 << 53)

# hash streams, so that different uses of one seed never correlate
STREAM_TWINKLE, STREAM_BURST, STREAM_CRACKLE, STREAM_NOISE = 1, 2, 3, 4


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    h = (h ^ (h >> _S30)) * _C1
    h = (h ^ (h >> _S27)) * _C2
    return h ^ (h >> _S31)


def _seed_word(seed: int) -> int:
    h = (int(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK64
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
    return h ^ (h >> 31)


def hash_u64(seed: int, *keys) -> np.ndarray:
    """A stateless 64-bit hash of ``seed`` and integer ``keys`` (arrays broadcast)."""
    return hash_more(np.array(_seed_word(seed), dtype=np.uint64), *keys)


def hash_more(h: np.ndarray, *keys) -> np.ndarray:
    """Hash ``keys`` on from a state ``h``: hash_more(hash_u64(s, a), b) == hash_u64(s, a, b),
    so that a prefix shared by many hashes is computed once."""
    with np.errstate(over="ignore"):
        for key in keys:
            k = np.asarray(key, dtype=np.int64).astype(np.uint64)
            h = _mix64(h ^ (k + _GOLDEN))
    return h


def unit_float(h: np.ndarray) -> np.ndarray:
    """A 64-bit hash as a uniform float64 in [0, 1)."""
    return (h >> _S11).astype(np.float64) * _UNIT53


def hash01(seed: int, *keys) -> np.ndarray:
    """A stateless uniform float64 in [0, 1) from ``seed`` and integer ``keys``."""
    return unit_float(hash_u64(seed, *keys))


@njit(inline="always")
def hash_on(h, key):
    """hash_more(h, key) for one state and one int64 key, compiled."""
    h = h ^ (np.uint64(key) + _GOLDEN)
    h = (h ^ (h >> _S30)) * _C1
    h = (h ^ (h >> _S27)) * _C2
    return h ^ (h >> _S31)


@njit(inline="always")
def _unit_float(h):
    """unit_float, compiled: a hash as a float64 in [0, 1)."""
    return np.float64(h >> _S11) * _UNIT53


def _twinkle_pixels(inp: EffectInput) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel (P,): the hash of (seed, stream, pixel) and the pixel's slot offset 0..1."""
    key = ("twinkle_pixels", inp.seed, len(inp.xy))
    if key not in inp.memo:
        pixel = np.arange(len(inp.xy), dtype=np.int64)
        pixel_hash = hash_u64(inp.seed, STREAM_TWINKLE, pixel)
        inp.memo[key] = (pixel_hash, unit_float(hash_more(pixel_hash, -1)))
    return inp.memo[key]


@njit(**KERNEL)
def twinkle_flashes(t, flash, pixel_hash, offset, density, colours, background, out):
    """Twinkle colours (F, P, 3) (see _twinkle): per pixel and time slot a hashed flash,
    its strength and palette colour, with a fast rise and a slow fall; (colour -
    background) * a + background."""
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
            slot_hash = hash_on(pixel_hash[p], np.int64(slot))
            a = zero
            pick = 0
            if _unit_float(hash_on(slot_hash, 0)) < density:
                strength = np.float32(0.6 + 0.4 * _unit_float(hash_on(slot_hash, 1)))
                if tau < rise:
                    envelope = tau / rise
                else:
                    e = (one - tau) / fall
                    envelope = e * e
                a = envelope * strength
                pick = min(np.int64(np.floor(_unit_float(hash_on(slot_hash, 2)) * n_colours)),
                           n_colours - 1)
            for c in range(3):
                bg = background[c]
                out[f, p, c] = (colours[pick, c] - bg) * a + bg


def _twinkle(inp: EffectInput, palette) -> np.ndarray:
    """Slot ``floor(t / flash_s + offset)``: the pixel flashes when hash01(.., slot, 0) <
    density, with strength 0.6 + 0.4 hash01(.., 1) and palette colour hash01(.., 2)
    (twinkle_flashes)."""
    p = inp.params
    pixel_hash, offset = _twinkle_pixels(inp)
    t = np.ascontiguousarray(inp.t_s, dtype=np.float64)
    colours = np.ascontiguousarray(np.asarray(palette, dtype=np.float32).reshape(-1, 3))
    background = np.asarray(p["background"], dtype=np.float32)
    out = np.empty((len(t), len(offset), 3), dtype=np.float32)
    twinkle_flashes(t, float(p["flash_s"]), pixel_hash, offset, float(p["density"]), colours,
                    background, out)
    return out


# Beyond these many spark widths (sigma) from the ring, and flash widths from the centre, a
# burst's light is below exp(-49) ~ 5e-22: far under what a float32 sum or a DMX step can
# show, so it is taken as 0 there, and pixels far from every burst are not computed at all.
_REACH_SIGMAS = 7.0


def _reach_m(ring: np.ndarray, tau: np.ndarray, sigma: float) -> np.ndarray:
    """(F,) metres from a burst's centre within which it can light a pixel."""
    reach = ring + _REACH_SIGMAS * sigma
    flashing = tau < 0.15
    return np.where(flashing, np.maximum(reach, _REACH_SIGMAS * 1.5 * sigma), reach)


def _pixels_by_x(inp: EffectInput, x_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixel indices sorted by x, and their x (kept in the target's memo)."""
    key = ("pixels_by_x", float(inp.size_m[0]))
    if key not in inp.memo:
        order = np.argsort(x_m, kind="stable")
        inp.memo[key] = (order, x_m[order])
    return inp.memo[key]


def _pixels_near(by_x, x_m, y_m, cx, cy, reach) -> np.ndarray:
    """Indices of the pixels inside the box around every (cx, cy) ± reach, in x order (each
    pixel once, so the order in which a burst adds its light to them does not matter)."""
    order, x_sorted = by_x
    lo, hi = np.searchsorted(x_sorted, [np.min(cx - reach), np.max(cx + reach)], side="left")
    candidates = order[lo:hi + 1] if hi < len(order) else order[lo:]
    y = y_m[candidates]
    x = x_m[candidates]
    inside = ((y >= np.min(cy - reach)) & (y <= np.max(cy + reach))
              & (x >= np.min(cx - reach)) & (x <= np.max(cx + reach)))
    return candidates[inside]


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
    p = horner(_EXP_COEFFS, x)
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
    a = u * horner(_ATAN_COEFFS, u * u) + (0.25 * np.pi if folded else 0.0)  # atan(t) <= pi/4
    a = 0.5 * np.pi - a if ay > ax else a
    a = np.pi - a if dx < 0.0 else a
    return -a if dy < 0.0 else a


@njit(**KERNEL)
def burst_light(rows, near, x_near, y_near, cx, cy, ring, reach, sigma, sparks, spin, flash_gain,
                fade, late, crackle_state, crackle_slot, burst, colour, glow, cover):
    """One fireworks burst's light added onto ``glow`` (F, P, 3) and ``cover`` (F, P) at
    frames ``rows`` (R,) and pixels ``near`` (N,) at ``x_near``, ``y_near`` metres
    (see _fireworks), in float64 per frame i and pixel j:
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
            h = hash_on(hash_on(hash_on(crackle_state, near[j]), slot_state), burst)
            crackle = 1.0 - lt if _unit_float(h) < 0.6 else 1.0
            lit[j] = np.float32(value * crackle) if r <= rc else np.float32(0.0)
        for j in range(n):
            a = lit[j]
            if a != 0.0:
                pixel = near[j]
                for c in range(3):
                    glow[row, pixel, c] += a * colour[c]
                cover[row, pixel] += a


def _fireworks(inp: EffectInput, palette) -> np.ndarray:
    p = inp.params
    rate = float(p["bursts_per_s"])
    burst_s = float(p["burst_s"])
    radius = float(p["burst_radius_m"])
    gravity = float(p["gravity_m_s2"])
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    t = np.asarray(inp.t_s, dtype=np.float64)
    n_frames, n_pixels = len(t), len(xy)
    colours = np.asarray(palette, dtype=np.float32).reshape(-1, 3)
    glow = np.zeros((n_frames, n_pixels, 3), dtype=np.float32)
    cover = np.zeros((n_frames, n_pixels), dtype=np.float32)
    background = np.asarray(p["background"], dtype=np.float32)
    if rate <= 0.0 or n_pixels == 0:
        return np.broadcast_to(background, glow.shape).copy()
    period = 1.0 / rate
    crackle_slot = np.floor(t * 30.0).astype(np.int64)
    sigma = 0.12 * radius
    current = np.floor(t * rate).astype(np.int64)
    n_back = math.ceil(burst_s * rate) + 1                 # bursts that may glow at one time
    by_x = _pixels_by_x(inp, x_m)
    crackle_state = np.uint64(hash_u64(inp.seed, STREAM_CRACKLE))
    # newest burst first: the order in which each pixel's light adds up
    slots = np.arange(int(current.max()), max(int(current.min()) - n_back, -1), -1)
    burst_hashes = hash01(inp.seed, STREAM_BURST, slots[:, None], np.arange(6)[None, :])
    for slot, h in zip(slots.tolist(), burst_hashes.tolist()):
        rows = np.nonzero((current >= slot) & (current - slot < n_back))[0]
        age = t[rows] - (slot + h[0]) * period
        active = (age >= 0.0) & (age < burst_s)
        if not active.any():
            continue
        rows, age = rows[active], age[active]
        tau = np.clip(age / burst_s, 0.0, 1.0)
        ring = radius * (1.0 - (1.0 - tau) ** 3)                     # fast, then slowing
        anchor = min(int(h[1] * n_pixels), n_pixels - 1)         # a lit pixel: bursts land on
        cx = x_m[anchor]                                         # the target, even if it is
        cy = y_m[anchor] + (h[2] - 0.5) * sigma - 0.5 * gravity * age ** 2   # scattered
        reach = _reach_m(ring, tau, sigma)
        near = _pixels_near(by_x, x_m, y_m, cx, cy, reach)
        if len(near) == 0:
            continue
        pick = min(math.floor(h[3] * len(colours)), len(colours) - 1)
        burst_light(rows, near, x_m[near], y_m[near], cx, cy, ring, reach, sigma,
                    10.0 + math.floor(h[4] * 10.0), h[5] * 2.0 * np.pi,
                    np.clip(1.0 - tau / 0.15, 0.0, 1.0), 1.0 - tau ** 2,
                    np.clip((tau - 0.5) * 2.0, 0.0, 1.0), crackle_state,
                    np.ascontiguousarray(crackle_slot[rows]), slot, colours[pick], glow, cover)
    cover_background(glow, cover, background)
    return glow


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    palette = tuple(p["palette"] or ())
    if p["mode"] == "fireworks":
        rgb = _fireworks(inp, palette or FIREWORK_PALETTE)
    else:
        rgb = _twinkle(inp, palette or (tuple(p["color"]),))
    return EffectOutput(np.clip(rgb, 0.0, 1.0, out=rgb))


EFFECT = Effect("sparkle", "twinkling pixels, or fireworks bursting as rings of sparks", PARAMS, render)
