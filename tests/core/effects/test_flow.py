"""flow: palette waves travelling along a direction or the pixel order."""

import numpy as np
import pytest

from lightshow.core.effects.flow import EFFECT, path_position_m
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    make_input,
    read_params,
    render_rgb,
)

BW = ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))
ROW = np.stack([np.linspace(0.0, 1.0, 11), np.full(11, 0.5)], axis=1)    # 1 m apart on a 10 m row


def test_schema_and_defaults():
    assert_schema_complete(EFFECT)
    values, problems = read_params(EFFECT, "along: order\npalette: [black, '#ffffff']\n")
    assert problems == [] and values["palette"] == BW
    _, problems = read_params(EFFECT, "along: sideways\n")
    assert problems and "invalid-value" in problems[0]


def test_shapes_dtypes_and_range():
    rgb = render_rgb(EFFECT, make_input(EFFECT))
    assert rgb.shape == (80, 32, 3)
    blues = np.asarray(EFFECT.params.fields["palette"].default)
    assert rgb[..., 2].mean() > rgb[..., 0].mean()          # default palette is blue
    assert len(blues) >= 2


@pytest.mark.parametrize("params", [
    {},
    {"direction_deg": 33.0, "turbulence": 1.0, "speed_m_s": -3.7, "wavelength_m": 2.3},
    {"along": "order", "turbulence": 0.5, "speed_m_s": 7.0},
])
def test_chunks_render_the_same(params):
    assert_chunk_invariant(EFFECT, params, nx=9, ny=5, size=(12.0, 3.0))


def test_pattern_moves_by_speed_times_dt():
    # 2 m/s for 0.5 s = 1 m = one pixel to the right
    params = {"palette": BW, "speed_m_s": 2.0, "wavelength_m": 4.7, "turbulence": 0.0}
    rgb = render_rgb(EFFECT, make_input(EFFECT, params, t_s=[1.3, 1.8], xy=ROW, size=(10.0, 0.0)))
    assert rgb[1, 1:] == pytest.approx(rgb[0, :-1], abs=2e-6)
    assert not np.allclose(rgb[1], rgb[0], atol=1e-3)


def test_direction_90_travels_up():
    column = ROW[:, ::-1]
    params = {"palette": BW, "direction_deg": 90.0, "speed_m_s": 4.0, "turbulence": 0.0}
    rgb = render_rgb(EFFECT, make_input(EFFECT, params, t_s=[0.0, 0.25], xy=column, size=(0.0, 10.0)))
    assert rgb[1, 1:] == pytest.approx(rgb[0, :-1], abs=2e-6)


def test_along_order_follows_the_pixel_order():
    # pixels wired right to left: along the order the wave travels to the left
    params = {"palette": BW, "along": "order", "speed_m_s": 2.0, "turbulence": 0.0}
    order = 1.0 - ROW[:, 0]
    rgb = render_rgb(EFFECT, make_input(EFFECT, params, t_s=[0.0, 0.5], xy=ROW, size=(10.0, 0.0),
                                        order=order))
    assert rgb[1, :-1] == pytest.approx(rgb[0, 1:], abs=2e-6)


def test_path_position_is_arc_length_in_order():
    inp = make_input(EFFECT, xy=[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0)], size=(3.0, 4.0), order=[0.0, 1.0, 0.5])
    assert path_position_m(inp) == pytest.approx([0.0, 7.0, 3.0])


def test_crest_is_the_last_palette_colour_and_trough_the_first():
    # height 0.5 + 0.5 sin(2π s / λ) at t = 0: crest at s = λ/4, trough at 3λ/4
    params = {"palette": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)), "wavelength_m": 4.0, "turbulence": 0.0}
    rgb = render_rgb(EFFECT, make_input(EFFECT, params, t_s=[0.0], xy=[(0.1, 0.5), (0.3, 0.5)],
                                        size=(10.0, 1.0)))
    assert rgb[0, 0] == pytest.approx([0.0, 0.0, 1.0], abs=1e-5)
    assert rgb[0, 1] == pytest.approx([1.0, 0.0, 0.0], abs=1e-5)


def test_turbulence_bends_the_wave():
    calm = render_rgb(EFFECT, make_input(EFFECT, {"turbulence": 0.0}))
    rough = render_rgb(EFFECT, make_input(EFFECT, {"turbulence": 1.0}))
    assert not np.allclose(calm, rough, atol=1e-2)


