"""ripple: rings spreading from sources at a speed in metres per second."""

import math

import numpy as np
import pytest

from lightshow.core.effects.ripple import EFFECT
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    make_input,
    read_params,
    render_rgb,
)

WHITE = (1.0, 1.0, 1.0)


def one_pixel(xy, t_s, size=(10.0, 10.0), **params):
    inp = make_input(EFFECT, params, t_s=t_s, xy=[xy], size=size)
    return render_rgb(EFFECT, inp)[:, 0, :]


def test_schema_and_defaults():
    assert_schema_complete(EFFECT)
    values, problems = read_params(EFFECT, "sources: [[0.2, 0.3], [0.8, 0.9]]\ninterval_s: 2\n")
    assert problems == []
    assert values["sources"] == [[0.2, 0.3], [0.8, 0.9]] and values["interval_s"] == 2.0
    _, problems = read_params(EFFECT, "sources: [[0.2]]\n")
    assert problems and "wrong-length" in problems[0]


def test_shapes_dtypes_and_range():
    inp = make_input(EFFECT, {"sources": [[0.1, 0.1], [0.9, 0.5]], "color": (1.0, 0.5, 0.0),
                              "background": (0.0, 0.0, 0.2)})
    rgb = render_rgb(EFFECT, inp)
    assert rgb.shape == (80, 32, 3)
    assert rgb.max() > 0.5          # rings are visible


@pytest.mark.parametrize("params", [
    {},
    {"sources": [[0.1, 0.2], [0.9, 0.8], [0.5, 1.5]], "interval_s": 0.7, "width": 0.2, "decay_m": 0.0},
    {"speed_m_s": 13.3, "wavelength_m": 0.9, "width": 1.0},
])
def test_chunks_render_the_same(params):
    assert_chunk_invariant(EFFECT, params, nx=9, ny=5, size=(12.0, 3.0))


def test_pixel_is_brightest_when_the_ring_reaches_it():
    # source at the centre of a 10 m square, pixel 3 m to the right: the first ring
    # (leaving at t = 0 at 4 m/s) is centred on it at t = 0.75 s
    t = np.array([0.60, 0.70, 0.74, 0.75, 0.76, 0.80, 0.90])
    rgb = one_pixel((0.8, 0.5), t, speed_m_s=4.0, wavelength_m=6.0, width=0.5, decay_m=30.0)
    peak = np.argmax(rgb[:, 0])
    assert t[peak] == 0.75
    assert rgb[peak] == pytest.approx([math.exp(-3.0 / 30.0)] * 3, abs=1e-5)
    assert np.all(np.diff(rgb[:3, 0]) > 0) and np.all(np.diff(rgb[3:, 0]) < 0)


def test_ring_profile_is_a_raised_cosine_of_width_times_wavelength():
    # ring 1.5 m wide (0.25 × 6 m): 0.375 m from its centre the profile is cos² = 0.5
    d = 3.0
    speed = 4.0
    t = np.array([(d - 0.375) / speed, (d + 0.375) / speed, (d - 0.76) / speed])
    rgb = one_pixel((0.8, 0.5), t, width=0.25, decay_m=0.0)
    assert rgb[:, 1] == pytest.approx([0.5, 0.5, 0.0], abs=1e-5)


def test_nothing_before_the_first_ring_arrives():
    # ring half-width 1.5 m: a pixel 3 m away is dark until 1.5 m / 4 m/s = 0.375 s
    t = np.array([0.0, 0.2, 0.37])
    rgb = one_pixel((0.8, 0.5), t, background=(0.1, 0.2, 0.3))
    assert np.array_equal(rgb, np.tile(np.float32([0.1, 0.2, 0.3]), (3, 1)))


def test_continuous_wave_repeats_every_wavelength():
    t = np.array([0.75, 0.75 + 6.0 / 4.0, 0.75 + 2 * 6.0 / 4.0])
    rgb = one_pixel((0.8, 0.5), t, decay_m=0.0)
    assert rgb[:, 0] == pytest.approx([1.0, 1.0, 1.0], abs=1e-6)


def test_rings_are_round_in_metres_on_a_wide_target():
    # 20 m × 5 m: 2 m to the right is x + 0.1, 2 m up is y + 0.4
    inp = make_input(EFFECT, {"decay_m": 0.0}, t_s=np.linspace(0.0, 2.0, 41),
                     xy=[(0.6, 0.5), (0.5, 0.9)], size=(20.0, 5.0))
    rgb = render_rgb(EFFECT, inp)
    assert rgb[:, 0] == pytest.approx(rgb[:, 1], abs=1e-5)
    assert rgb[:, 0, 0].max() > 0.99


def test_interval_staggers_the_sources():
    # two sources 10 m apart, one ring each every 2 s, the second source 1 s after the first
    params = {"sources": [[0.0, 0.5], [1.0, 0.5]], "interval_s": 2.0, "decay_m": 0.0, "width": 0.2}
    near_first, near_second = (0.2, 0.5), (0.8, 0.5)          # 2 m from one source, 8 m from the other
    t = np.array([0.5, 1.5, 2.5])                             # ring radius 2 m from source 0 at 0.5 s
    inp = make_input(EFFECT, params, t_s=t, xy=[near_first, near_second], size=(10.0, 2.0))
    rgb = render_rgb(EFFECT, inp)[:, :, 0]
    assert rgb[0, 0] == pytest.approx(1.0, abs=1e-6) and rgb[0, 1] == 0.0
    assert rgb[1, 1] == pytest.approx(1.0, abs=1e-6) and rgb[1, 0] == 0.0
    assert rgb[2, 0] == pytest.approx(1.0, abs=1e-6)          # the next ring from source 0


def test_decay_fades_far_rings():
    t = np.array([1.0, 2.0])                                  # rings centred 4 m and 8 m away
    inp = make_input(EFFECT, {"sources": [[0.0, 0.0]], "decay_m": 4.0, "wavelength_m": 100.0},
                     t_s=t, xy=[(0.4, 0.0), (0.8, 0.0)], size=(10.0, 0.0))
    rgb = render_rgb(EFFECT, inp)[:, :, 0]
    assert rgb[0, 0] == pytest.approx(math.exp(-1.0), abs=1e-6)
    assert rgb[1, 1] == pytest.approx(math.exp(-2.0), abs=1e-6)


def test_same_input_same_output_and_no_state():
    inp = make_input(EFFECT, {"sources": [[0.3, 0.3]]})
    assert np.array_equal(render_rgb(EFFECT, inp), render_rgb(EFFECT, inp))
    assert WHITE == EFFECT.params.fields["color"].default
