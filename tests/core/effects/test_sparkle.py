"""sparkle: seeded twinkle and fireworks, stateless hash randomness."""

import numpy as np
import pytest
from numba import njit

from lightshow.core.effects.sparkle import (
    EFFECT,
    FIREWORK_PALETTE,
    STREAM_BURST,
    bearing_rad,
    exp_neg,
    hash01,
    hash_u64,
)
from tests.core import each
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    make_input,
    read_params,
    render_rgb,
)

FIREWORKS = {"mode": "fireworks", "bursts_per_s": 2.0, "burst_radius_m": 2.0}


def test_schema_and_defaults():
    assert_schema_complete(EFFECT)
    values, problems = read_params(EFFECT, "mode: fireworks\npalette: [gold, white]\n")
    assert problems == [] and len(values["palette"]) == 2


def test_hash_is_stateless_uniform_and_depends_on_every_key():
    keys = np.arange(100_000)
    a = hash01(1, keys, 3)
    assert a.dtype == np.float64 and a.shape == (100_000,)
    assert np.array_equal(a, hash01(1, keys, 3))
    assert ((a >= 0) & (a < 1)).all()
    assert abs(a.mean() - 0.5) < 0.01 and abs((a < 0.1).mean() - 0.1) < 0.01
    assert not np.array_equal(a, hash01(2, keys, 3))
    assert not np.array_equal(a, hash01(1, keys, 4))
    assert np.mean(hash01(1, keys, 3) == hash01(1, keys + 1, 3)) < 1e-3
    # broadcasting and negative keys
    grid = hash_u64(9, np.arange(3)[:, None], np.array([-2, -1, 0, 1]))
    assert grid.shape == (3, 4) and grid.dtype == np.uint64
    assert len(np.unique(grid)) == 12


@pytest.mark.parametrize("params", [
    {"density": 0.3},
    {"density": 0.5, "flash_s": 0.07, "palette": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))},
    FIREWORKS,
    {**FIREWORKS, "bursts_per_s": 9.0, "burst_s": 3.0, "gravity_m_s2": 9.8},
])
def test_chunks_render_the_same(params):
    assert_chunk_invariant(EFFECT, params, nx=12, ny=6, size=(6.0, 3.0))


@pytest.mark.parametrize("params", [{"density": 0.3}, FIREWORKS])
def test_same_seed_same_output_other_seed_other_output(params):
    kwargs = {"nx": 12, "ny": 6, "size": (6.0, 3.0), "frames": (0, 120)}
    a = render_rgb(EFFECT, make_input(EFFECT, params, seed=11, **kwargs))
    b = render_rgb(EFFECT, make_input(EFFECT, params, seed=11, **kwargs))
    c = render_rgb(EFFECT, make_input(EFFECT, params, seed=12, **kwargs))
    assert a.tobytes() == b.tobytes()
    assert a.max() > 0.3
    assert not np.allclose(a, c, atol=1e-3)


def test_twinkle_density_is_the_fraction_lit():
    for density in (0.05, 0.2, 0.6):
        inp = make_input(EFFECT, {"density": density}, nx=50, ny=40, frames=(0, 60))
        lit = render_rgb(EFFECT, inp)[..., 0] > 0
        assert lit.mean() == pytest.approx(density, abs=0.02)


def test_twinkle_nothing_lit_at_density_zero():
    inp = make_input(EFFECT, {"density": 0.0, "background": (0.1, 0.0, 0.3)})
    rgb = render_rgb(EFFECT, inp)
    assert np.array_equal(rgb, np.broadcast_to(np.float32([0.1, 0.0, 0.3]), rgb.shape))


def test_twinkle_flashes_last_flash_s_and_peak_bright():
    # density 1: every pixel flashes once per slot; within any flash_s window each one peaks
    inp = make_input(EFFECT, {"density": 1.0, "flash_s": 0.5}, nx=10, ny=10, frames=(0, 20))
    v = render_rgb(EFFECT, inp)[..., 0]
    assert (v.max(axis=0) > 0.5).all()
    assert (v.min(axis=0) < 0.2).all()      # and dims again between flashes


def test_twinkle_colours_come_from_the_palette():
    palette = ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    inp = make_input(EFFECT, {"density": 0.5, "palette": palette}, nx=20, ny=20)
    rgb = render_rgb(EFFECT, inp)
    lit = rgb.max(axis=2) > 0
    assert (rgb[..., 1] == 0).all()
    assert ((rgb[..., 0] > 0) != (rgb[..., 2] > 0))[lit].all()
    assert (rgb[..., 0] > 0).any() and (rgb[..., 2] > 0).any()


def test_twinkle_uses_color_without_palette():
    inp = make_input(EFFECT, {"density": 0.5, "color": (0.0, 1.0, 0.0)}, nx=20, ny=20)
    rgb = render_rgb(EFFECT, inp)
    assert (rgb[..., 1] > 0).any() and (rgb[..., 0] == 0).all() and (rgb[..., 2] == 0).all()


def test_fireworks_none_at_zero_rate():
    rgb = render_rgb(EFFECT, make_input(EFFECT, {**FIREWORKS, "bursts_per_s": 0.0}))
    assert (rgb == 0).all()


def test_fireworks_light_a_fair_share_and_use_the_palette():
    inp = make_input(EFFECT, FIREWORKS, nx=40, ny=20, size=(20.0, 10.0), frames=(0, 200))
    rgb = render_rgb(EFFECT, inp)
    lit = rgb.max(axis=2) > 0.05
    assert 0.005 < lit.mean() < 0.5
    assert lit.any(axis=1).mean() > 0.8                       # most frames show a burst
    # default palette china red / gold / white: never more blue than red
    assert (rgb[..., 2] <= rgb[..., 0] + 1e-6).all()
    assert FIREWORK_PALETTE[0] == pytest.approx((222 / 255, 41 / 255, 16 / 255))


def test_fireworks_start_dark_and_grow():
    # before any burst has begun nothing is lit; a burst's lit area grows at first
    inp = make_input(EFFECT, {**FIREWORKS, "bursts_per_s": 0.5, "burst_s": 2.0}, nx=40, ny=20,
                     size=(20.0, 10.0), frames=(0, 160))
    lit = (render_rgb(EFFECT, inp).max(axis=2) > 0.05).sum(axis=1)
    first = np.argmax(lit > 0)
    start = (0 + hash01(inp.seed, STREAM_BURST, np.array([0]), 0)[0]) * 2.0   # burst 0's start time
    assert first >= int(start * 40)
    assert lit[first + 12] > lit[first]


def test_fireworks_land_on_a_scattered_target():
    # two small panels at the ends of a 400 m wide group: bursts light both, not the empty sky
    panel = np.stack(np.meshgrid(np.linspace(0, 0.02, 8), np.linspace(0, 1, 8)), axis=-1).reshape(-1, 2)
    xy = np.concatenate([panel, panel + [0.98, 0.0]])
    params = {**FIREWORKS, "burst_radius_m": 3.0, "bursts_per_s": 4.0}
    inp = make_input(EFFECT, params, xy=xy, size=(400.0, 10.0), frames=(0, 400))
    lit = render_rgb(EFFECT, inp).max(axis=2) > 0.05
    left, right = lit[:, :64], lit[:, 64:]
    assert left.any(axis=1).mean() > 0.3 and right.any(axis=1).mean() > 0.3
    assert_chunk_invariant(EFFECT, params, n=120, xy=xy, size=(400.0, 10.0))


# -- the fireworks' exp and atan2: polynomials, so that the kernel's loops vectorise ----------

def _exp_neg_of(y):
    return each(exp_neg, y)


@njit(cache=False)
def _bearing_of(dy, dx):
    out = np.empty_like(dy)
    for i in range(dy.shape[0]):
        out[i] = bearing_rad(dy[i], dx[i])
    return out


def test_exp_neg_is_exp_of_minus_y_to_a_relative_1e_10():
    y = np.concatenate([np.linspace(0.0, 120.0, 600_001), [0.0, 1e-300, 49.0]])
    got = _exp_neg_of(y)
    assert np.abs(got / np.exp(-y) - 1.0).max() < 1e-10
    assert got[-3] == 1.0
    beyond = _exp_neg_of(np.array([121.0, 1e4, np.inf]))
    assert (beyond == exp_neg.py_func(120.0)).all() and beyond[0] < 1e-52


def test_bearing_rad_is_atan2_to_1e_12():
    rng = np.random.default_rng(3)
    dy, dx = rng.normal(0.0, 10.0, (2, 500_000))
    axes = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [2.0, 2.0], [-3.0, 3.0],
                     [3.0, -3.0], [-1.0, -1.0], [1e-300, 1.0], [1.0, 1e-300]])
    dy, dx = np.concatenate([dy, axes[:, 0]]), np.concatenate([dx, axes[:, 1]])
    assert np.abs(_bearing_of(dy, dx) - np.arctan2(dy, dx)).max() < 1e-12
    assert _bearing_of(np.zeros(1), np.zeros(1))[0] == 0.0
