"""chase: bands running along the target, wrapping round or bouncing."""

import numpy as np

from lightshow.core.effects import EFFECTS
from tests.core.effects import make_input, render_rgb

CHASE = EFFECTS["chase"]


def lit(params: dict, t_s) -> list[list[int]]:
    """Lit pixels of an 11-pixel row at each time."""
    inp = make_input(CHASE, dict(params, color=(1.0, 1.0, 1.0)), t_s=t_s, nx=11, ny=1,
                     size=(10.0, 1.0))
    rgb = render_rgb(CHASE, inp)
    return [np.nonzero(frame[:, 0] > 0.5)[0].tolist() for frame in rgb]


def test_a_bouncing_band_turns_at_each_end_instead_of_wrapping():
    params = {"bounce": True, "rate_hz": 0.5, "width": 0.1, "softness": 0.0, "along": "direction"}
    assert lit(params, [0.0, 1.0, 2.0, 3.0, 4.0]) == [[0], [5], [10], [5], [0]]
    # at no time is it split across both ends, as a band wrapping round would be
    for pixels in lit(dict(params, softness=0.2), np.arange(0.0, 4.0, 0.05)):
        assert not (0 in pixels and 10 in pixels)


def test_bouncing_bands_each_run_in_their_own_part():
    params = {"bounce": True, "rate_hz": 0.5, "width": 0.25, "softness": 0.0, "count": 2,
              "along": "direction"}
    # parts 0..5 m and 5..10 m (the pixel at 5 m starts the second): the bands start at 0 m
    # and 5 m, and at the turn the second is at 10 m while the first is just past its last
    # pixel (4 m, 0.8 of its part, further than the band's half width)
    assert lit(params, [0.0, 1.0, 2.0]) == [[0, 5], [2, 3, 7, 8], [10]]


def test_without_bounce_a_band_wraps_round_the_ends():
    params = {"rate_hz": 0.5, "width": 0.3, "softness": 0.0, "along": "direction"}
    # pixels sit at k / 11 of the cycle: the band centred on 0 reaches 1/11 either side
    assert lit(params, [0.0]) == [[0, 1, 10]]
