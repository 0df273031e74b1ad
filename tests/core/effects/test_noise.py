"""noise: stateless, smooth, seeded value noise drifting over the target."""

import numpy as np
import pytest

from lightshow.core.effects import noise
from lightshow.core.effects.noise import EFFECT, value_noise3
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    make_input,
    read_params,
    render_rgb,
)

GREY = ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))


def test_schema_and_defaults():
    assert_schema_complete(EFFECT)
    _, problems = read_params(EFFECT, "octaves: 5\n")
    assert problems and "out-of-range" in problems[0]


def test_shapes_dtypes_and_range():
    rgb = render_rgb(EFFECT, make_input(EFFECT, {"octaves": 4}))
    assert rgb.shape == (80, 32, 3)


@pytest.mark.parametrize("params", [
    {},
    {"octaves": 4, "speed_m_s": 3.3, "direction_deg": 200.0, "morph_s": 0.4, "contrast": 2.5},
    {"octaves": 1, "speed_m_s": 0.0, "scale_m": 0.7},
])
def test_chunks_render_the_same(params):
    assert_chunk_invariant(EFFECT, params, nx=9, ny=5, size=(12.0, 3.0))


def test_a_late_block_of_a_long_cue_matches():
    inp = make_input(EFFECT, {"octaves": 3}, frames=(100_000, 100_040))
    one = render_rgb(EFFECT, inp)
    two = render_rgb(EFFECT, make_input(EFFECT, {"octaves": 3}, frames=(100_020, 100_040)))
    assert one[20:].tobytes() == two.tobytes()


def test_same_seed_same_output_other_seed_other_output():
    a = render_rgb(EFFECT, make_input(EFFECT, seed=5))
    b = render_rgb(EFFECT, make_input(EFFECT, seed=5))
    c = render_rgb(EFFECT, make_input(EFFECT, seed=6))
    assert a.tobytes() == b.tobytes()
    assert np.abs(a - c).mean() > 0.05


def test_contrast_zero_is_the_middle_colour():
    palette = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    rgb = render_rgb(EFFECT, make_input(EFFECT, {"palette": palette, "contrast": 0.0}))
    assert np.array_equal(rgb, np.broadcast_to(np.float32([0.0, 1.0, 0.0]), rgb.shape))


def test_uses_most_of_the_palette():
    inp = make_input(EFFECT, {"palette": GREY, "scale_m": 1.0}, nx=40, ny=20, size=(20.0, 10.0))
    v = render_rgb(EFFECT, inp)[..., 0]
    low, high = np.percentile(v, [5, 95])
    assert low < 0.2 and high > 0.8
    assert 0.35 < v.mean() < 0.65


def test_smooth_in_space_and_time():
    # 0.05 m between pixels with 4 m features: neighbours barely differ; 1/40 s between frames likewise
    inp = make_input(EFFECT, {"palette": GREY, "octaves": 1}, nx=41, ny=1, size=(2.0, 0.0))
    v = render_rgb(EFFECT, inp)[..., 0]
    assert np.abs(np.diff(v, axis=1)).max() < 0.08
    assert np.abs(np.diff(v, axis=0)).max() < 0.08


def test_drift_moves_the_pattern():
    # no morphing to speak of: the field at t + 1 s is the field at t moved 1 m to the right
    params = {"palette": GREY, "octaves": 2, "speed_m_s": 1.0, "direction_deg": 0.0, "morph_s": 3600.0}
    xy = np.stack([np.linspace(0.0, 1.0, 11), np.full(11, 0.5)], axis=1)
    rgb = render_rgb(EFFECT, make_input(EFFECT, params, t_s=[0.0, 1.0], xy=xy, size=(10.0, 0.0)))
    assert rgb[1, 1:, 0] == pytest.approx(rgb[0, :-1, 0], abs=2e-3)


def test_value_noise_hits_lattice_values_at_integer_points():
    u = np.array([[0.0, 1.0, 2.0, 3.0]])
    zero = np.zeros_like(u)
    at_points = value_noise3(3, 0, u, zero, zero)
    between = value_noise3(3, 0, u + 0.5, zero, zero)
    assert at_points.dtype == np.float32
    # halfway between two lattice values is their mean (the fade is symmetric)
    assert between[0, :3] == pytest.approx((at_points[0, :3] + at_points[0, 1:]) / 2, abs=1e-6)
    assert ((at_points >= 0) & (at_points < 1)).all()


def test_uses_the_sparkle_hash():
    from lightshow.core.effects import sparkle
    assert noise.hash_u64 is sparkle.hash_u64
