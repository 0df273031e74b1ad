"""Noise, ripple and twinkle run as compiled kernels: the bytes are those of their numpy
formulations (kept here, as the effects had them), for many params and odd times."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lightshow.core.effects import image, noise, ripple, sparkle
from lightshow.core.effects.shape import mix_colours, sample_palette
from lightshow.core.effects.sparkle import hash_more, unit_float
from tests.core.effects import make_input


def numpy_noise(inp):
    p = inp.params
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    t = np.asarray(inp.t_s, dtype=np.float64)[:, None]
    angle = math.radians(float(p["direction_deg"]))
    speed = float(p["speed_m_s"])
    drift_x = (speed * math.cos(angle)) * t
    drift_y = (speed * math.sin(angle)) * t
    total = np.zeros((len(t), len(xy)), dtype=np.float32)
    weight = 0.0
    for octave in range(int(p["octaves"])):
        freq = 2.0 ** octave
        size = float(p["scale_m"]) / freq
        turn = 0.9 * octave
        c, s = math.cos(turn) / size, math.sin(turn) / size
        x_rel, y_rel = x_m[None, :] - drift_x, y_m[None, :] - drift_y
        u = x_rel * c - y_rel * s
        v = x_rel * s + y_rel * c
        w = t * (math.sqrt(freq) / float(p["morph_s"]))
        amplitude = 0.5 ** octave
        total += np.float32(amplitude) * noise.value_noise3(inp.seed, octave, u, v, w)
        weight += amplitude
    gain = np.float32(float(p["contrast"]) * 2.0)
    value = np.float32(0.5) + (total / np.float32(weight) - np.float32(0.5)) * gain
    return np.clip(sample_palette(p["palette"], value, cyclic=False), 0.0, 1.0)


def ring_amplitude(t, d, speed, interval, offset, ring_width):
    since = (t[:, None] - offset).astype(np.float32)
    d32 = d.astype(np.float32)[None, :]
    k_outer = np.floor((since - d32 / np.float32(speed)) / np.float32(interval))
    best = np.zeros(k_outer.shape, dtype=np.float32)
    for k in (k_outer, k_outer + np.float32(1.0)):
        radius = np.float32(speed) * (since - k * np.float32(interval))
        u = (d32 - radius) / np.float32(ring_width)
        lit = (np.abs(u) < 0.5) & (k >= 0.0)
        ring = np.float32(0.5) + np.float32(0.5) * np.cos(np.float32(2.0 * np.pi) * u)
        best = np.maximum(best, np.where(lit, ring, np.float32(0.0)))
    return best


def numpy_ripple(inp):
    p = inp.params
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    t = np.asarray(inp.t_s, dtype=np.float64)
    speed, ring_width, decay, interval, sources = ripple.ring_timing(p)
    amplitude = np.zeros((len(t), len(xy)), dtype=np.float32)
    for sx, sy, offset in sources:
        d = np.hypot(x_m - sx * width_m, y_m - sy * height_m)
        a = ring_amplitude(t, d, speed, interval, offset, ring_width)
        if decay > 0.0:
            a = a * np.exp(-d / decay).astype(np.float32)[None, :]
        amplitude = np.maximum(amplitude, a)
    colour = np.asarray(p["color"], dtype=np.float32)
    background = np.asarray(p["background"], dtype=np.float32)
    return mix_colours(background, colour, np.clip(amplitude, 0.0, 1.0))


def numpy_twinkle(inp):
    p = inp.params
    palette = tuple(p["palette"] or ()) or (tuple(p["color"]),)
    flash = float(p["flash_s"])
    density = float(p["density"])
    t = np.asarray(inp.t_s, dtype=np.float64)[:, None]
    pixel = np.arange(len(inp.xy), dtype=np.int64)[None, :]
    pixel_hash = sparkle.hash_u64(inp.seed, sparkle.STREAM_TWINKLE, pixel)
    offset = unit_float(hash_more(pixel_hash, -1))
    slot_f = t / flash + offset
    slot = np.floor(slot_f)
    tau = (slot_f - slot).astype(np.float32)
    slot_hash = hash_more(pixel_hash, slot.astype(np.int64))
    lit = unit_float(hash_more(slot_hash, 0)) < density
    strength = 0.6 + 0.4 * unit_float(hash_more(slot_hash, 1))
    rise = np.float32(0.15)
    envelope = np.where(tau < rise, tau / rise, ((1.0 - tau) / (1.0 - rise)) ** 2)
    a = np.where(lit, envelope * strength.astype(np.float32), np.float32(0.0))
    colours = np.asarray(palette, dtype=np.float32).reshape(-1, 3)
    pick = np.floor(unit_float(hash_more(slot_hash, 2)) * len(colours)).astype(np.int64)
    pick = np.minimum(pick, len(colours) - 1)
    background = np.asarray(p["background"], dtype=np.float32)
    out = np.empty(a.shape + (3,), dtype=np.float32)
    for c in range(3):
        np.multiply(np.take(colours[:, c], pick) - background[c], a, out=out[..., c])
        out[..., c] += background[c]
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def _input(effect, params, rng, trial):
    xy = rng.random((500, 2)) * 1.3 - 0.15
    t = rng.uniform(0.0, 400.0) + np.arange(23) / 40.0
    return make_input(effect, params, t_s=t, xy=xy, size=(37.0, 11.0), seed=1000 + trial)


def _same_bytes(a, b):
    a, b = np.broadcast_arrays(a, b)
    assert a.dtype == b.dtype == np.float32
    assert np.array_equal(a.view(np.uint32), b.view(np.uint32))


@pytest.mark.parametrize("trial", range(6))
def test_noise_is_its_numpy_formulation(trial):
    rng = np.random.default_rng(trial)
    params = dict(scale_m=float(rng.uniform(0.3, 9.0)), speed_m_s=float(rng.uniform(0.0, 4.0)),
                  direction_deg=float(rng.uniform(-360.0, 360.0)), octaves=int(rng.integers(1, 5)),
                  contrast=float(rng.uniform(0.0, 3.0)), morph_s=float(rng.uniform(0.1, 6.0)))
    inp = _input(noise.EFFECT, params, rng, trial)
    _same_bytes(noise.EFFECT.render(inp).rgb, numpy_noise(inp))


@pytest.mark.parametrize("scale_m", [
    9.0,    # many pixels a lattice cell: a frame hashes its box of lattice points into a table
    0.3,    # more lattice points in the box than pixels: each pixel hashes its own corners
])
def test_noise_is_its_numpy_formulation_with_and_without_a_lattice_table(scale_m):
    rng = np.random.default_rng(7)
    params = dict(scale_m=scale_m, speed_m_s=1.5, direction_deg=30.0, octaves=1, contrast=1.0,
                  morph_s=2.0)
    inp = _input(noise.EFFECT, params, rng, 7)
    _same_bytes(noise.EFFECT.render(inp).rgb, numpy_noise(inp))


@pytest.mark.parametrize("trial", range(8))
def test_ripple_is_its_numpy_formulation(trial):
    rng = np.random.default_rng(100 + trial)
    sources = tuple((float(x), float(y)) for x, y in rng.uniform(-0.2, 1.2, (int(rng.integers(1, 5)), 2)))
    params = dict(sources=sources, color=(1.0, 0.8, 0.2), background=(0.05, 0.0, 0.1),
                  speed_m_s=float(rng.uniform(0.5, 8.0)), wavelength_m=float(rng.uniform(0.5, 10.0)),
                  width=float(rng.uniform(0.05, 1.0)), decay_m=(0.0, 5.0, 30.0)[trial % 3],
                  interval_s=(0.0, 0.7, 3.0, 0.0)[trial % 4])
    inp = _input(ripple.EFFECT, params, rng, trial)
    _same_bytes(ripple.EFFECT.render(inp).rgb, numpy_ripple(inp))


@pytest.mark.parametrize("trial", range(6))
def test_twinkle_is_its_numpy_formulation(trial):
    rng = np.random.default_rng(200 + trial)
    palette = () if trial % 2 else ((1.0, 0.0, 0.0), (0.0, 1.0, 0.5), (0.2, 0.3, 1.0))
    params = dict(mode="twinkle", palette=palette, density=float(rng.uniform(0.0, 1.0)),
                  flash_s=float(rng.uniform(0.03, 2.0)),
                  background=(0.1, 0.0, 0.05) if trial % 3 else (0.0, 0.0, 0.0))
    inp = _input(sparkle.EFFECT, params, rng, trial)
    _same_bytes(sparkle.EFFECT.render(inp).rgb, numpy_twinkle(inp))


def numpy_fireworks(inp):
    """The fireworks as numpy arrays of every burst over every pixel, with numpy's (libm's)
    exp, hypot, arctan2 and cos, and no reach cut-off beyond the one the effect documents."""
    p = inp.params
    palette = tuple(p["palette"] or ()) or sparkle.FIREWORK_PALETTE
    rate, burst_s = float(p["bursts_per_s"]), float(p["burst_s"])
    radius, gravity = float(p["burst_radius_m"]), float(p["gravity_m_s2"])
    width_m, height_m = (float(v) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m
    t = np.asarray(inp.t_s, dtype=np.float64)
    colours = np.asarray(palette, dtype=np.float32).reshape(-1, 3)
    glow = np.zeros((len(t), len(xy), 3), dtype=np.float32)
    cover = np.zeros((len(t), len(xy)), dtype=np.float32)
    period, sigma = 1.0 / rate, 0.12 * radius
    current = np.floor(t * rate).astype(np.int64)
    n_back = math.ceil(burst_s * rate) + 1
    crackle_state = np.uint64(sparkle.hash_u64(inp.seed, sparkle.STREAM_CRACKLE))
    pixel = np.arange(len(xy), dtype=np.int64)
    for slot in range(int(current.max()), max(int(current.min()) - n_back, -1), -1):
        h = sparkle.hash01(inp.seed, sparkle.STREAM_BURST, slot, np.arange(6))
        age = t - (slot + h[0]) * period
        for f in np.nonzero((age >= 0.0) & (age < burst_s) & (current >= slot))[0]:
            tau = min(max(age[f] / burst_s, 0.0), 1.0)
            ring = radius * (1.0 - (1.0 - tau) ** 3)
            anchor = min(int(h[1] * len(xy)), len(xy) - 1)
            cx = x_m[anchor]
            cy = y_m[anchor] + (h[2] - 0.5) * sigma - 0.5 * gravity * age[f] ** 2
            reach = ring + 7.0 * sigma
            if tau < 0.15:
                reach = max(reach, 7.0 * 1.5 * sigma)
            dx, dy = x_m - cx, y_m - cy
            r = np.hypot(dx, dy)
            dr = r - ring
            radial = np.exp(-(dr / sigma) ** 2)
            radial = np.where(dr < 0.0, np.maximum(radial, 0.45 * np.exp(-(dr / (3.0 * sigma)) ** 2)), radial)
            angular = (0.5 + 0.5 * np.cos((10.0 + math.floor(h[4] * 10.0)) * (np.arctan2(dy, dx) - h[5] * 2.0 * np.pi))) ** 4
            flash = np.exp(-(r / (1.5 * sigma)) ** 2) * min(max(1.0 - tau / 0.15, 0.0), 1.0)
            crackle_slot = np.int64(np.floor(t[f] * 30.0))
            hashed = unit_float(hash_more(crackle_state, pixel, crackle_slot, slot))
            late = min(max((tau - 0.5) * 2.0, 0.0), 1.0)
            crackle = 1.0 - late * (hashed < 0.6)
            a = np.where(r <= reach, ((radial * angular + flash) * (1.0 - tau ** 2) * crackle), 0.0)
            a = a.astype(np.float32)
            pick = min(math.floor(h[3] * len(colours)), len(colours) - 1)
            glow[f] += a[:, None] * colours[pick]
            cover[f] += a
    background = np.asarray(p["background"], dtype=np.float32)
    cover = np.minimum(cover, np.float32(1.0))[..., None]
    return np.clip(background * (np.float32(1.0) - cover) + glow, 0.0, 1.0)


@pytest.mark.parametrize("trial", range(4))
def test_fireworks_are_their_numpy_formulation_to_float32_rounding(trial):
    # exp, atan2 and cos are polynomials in the kernel (sparkle.exp_neg, bearing_rad,
    # sin_turns), accurate to 1e-10: colours agree with libm's to float32 rounding
    rng = np.random.default_rng(300 + trial)
    params = dict(mode="fireworks", bursts_per_s=float(rng.uniform(0.5, 6.0)),
                  burst_s=float(rng.uniform(0.3, 3.0)), burst_radius_m=float(rng.uniform(1.0, 12.0)),
                  gravity_m_s2=float(rng.uniform(0.0, 5.0)),
                  background=(0.05, 0.0, 0.1) if trial % 2 else (0.0, 0.0, 0.0))
    inp = _input(sparkle.EFFECT, params, rng, trial)
    got = sparkle.EFFECT.render(inp).rgb
    want = numpy_fireworks(inp)
    assert (want > 0.05).any()                                # bursts were lit
    assert np.abs(got - want).max() < 2e-6
    assert np.array_equal(np.round(got * 255), np.round(want * 255))


def numpy_integral_at(table, u, v):
    h, w = table.shape[0] - 1, table.shape[1] - 1
    i = np.clip(np.floor(u), 0, max(w - 1, 0)).astype(np.int64)
    j = np.clip(np.floor(v), 0, max(h - 1, 0)).astype(np.int64)
    fu = (u - i)[..., None]
    fv = (v - j)[..., None]
    i1 = np.minimum(i + 1, w)
    j1 = np.minimum(j + 1, h)
    top = table[j, i] + (table[j, i1] - table[j, i]) * fu
    bottom = table[j1, i] + (table[j1, i1] - table[j1, i]) * fu
    return top + (bottom - top) * fv


def numpy_box_sum(table, u0, u1, v0, v1):
    h, w = table.shape[0] - 1, table.shape[1] - 1
    u0, u1 = np.clip(u0, 0.0, w), np.clip(u1, 0.0, w)
    v0, v1 = np.clip(v0, 0.0, h), np.clip(v1, 0.0, h)
    total = ((numpy_integral_at(table, u1, v1) - numpy_integral_at(table, u0, v1))
             - (numpy_integral_at(table, u1, v0) - numpy_integral_at(table, u0, v0)))
    return total, (u1 - u0) * (v1 - v0)


@pytest.mark.parametrize("channels", [1, 3])
def test_box_sum_is_its_numpy_formulation(channels):
    rng = np.random.default_rng(channels)
    table = image.summed_area(rng.random((37, 53, channels)).astype(np.float32))
    u = rng.uniform(-10.0, 63.0, (7, 300))
    v = rng.uniform(-10.0, 47.0, (1, 300))
    half_u, half_v = 0.8, 1.7
    got = image.box_sum(table, u - half_u, u + half_u, v - half_v, v + half_v)
    want = numpy_box_sum(table, u - half_u, u + half_u, *np.broadcast_arrays(v - half_v, v + half_v, u)[:2])
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype == np.float64
        assert np.array_equal(g, w)
