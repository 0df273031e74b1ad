"""Gradient, chase and wipe run as compiled kernels (the gradient copying four floats a
pixel, the fourth overwritten by the next pixel): their colours are those of the numpy
formulations in their docstrings, for every pixel up to the last, on targets of one pixel
and more."""

from __future__ import annotations

import numpy as np
import pytest

from lightshow.core.effects import EFFECTS
from lightshow.core.effects.shape import along_direction, coordinate, mix_colours, sample_palette
from tests.core.effects import make_input

F32 = np.float32


def numpy_chase(inp):
    p = inp.params
    u = coordinate(inp, p["along"], p["direction_deg"], cyclic=True) * F32(p["count"])
    travel = (inp.t_s * p["rate_hz"]).astype(F32)
    softness = F32(p["softness"] / 2)
    reach = F32(p["width"] / 2 + p["softness"] / 2)
    x = u[None, :] - travel[:, None]
    cycle = x - np.floor(x)
    distance = np.minimum(cycle, F32(1.0) - cycle)
    x = np.minimum(np.maximum((reach - np.abs(distance)) / softness, F32(0.0)), F32(1.0))
    return mix_colours(p["background"], p["color"], x * x * (F32(3.0) - F32(2.0) * x))


def numpy_wipe(inp):
    p = inp.params
    u = along_direction(inp, p["angle_deg"])
    soft = F32(max(p["softness"], 1e-6))
    front = (inp.phase * (1 + soft)).astype(F32)
    amount = np.minimum(np.maximum((front[:, None] - u[None, :]) / soft, F32(0.0)), F32(1.0))
    return mix_colours(p["background"], p["color"], amount)


def numpy_gradient(inp):
    p = inp.params
    u = along_direction(inp, p["angle_deg"]) * F32(p["repeat"])
    shift = (inp.t_s * p["rate_hz"]).astype(F32)
    return sample_palette(p["palette"], u[None, :] - shift[:, None])


CASES = [
    ("chase", numpy_chase, {"count": 3, "width": 0.2, "softness": 0.4, "color": (1.0, 0.7, 0.1),
                            "background": (0.1, 0.0, 0.3)}),
    ("chase", numpy_chase, {"count": 7, "width": 0.05, "softness": 0.1, "rate_hz": -1.3,
                            "along": "direction", "direction_deg": 200.0}),
    ("wipe", numpy_wipe, {"angle_deg": 90.0, "softness": 0.1, "color": (0.2, 0.9, 0.4)}),
    ("wipe", numpy_wipe, {"angle_deg": -30.0, "softness": 0.0, "background": (1.0, 1.0, 1.0),
                          "color": (0.0, 0.3, 0.6)}),
    ("gradient", numpy_gradient, {"rate_hz": 0.3, "angle_deg": 30.0,
                                  "palette": ((1.0, 0.0, 0.0), (0.0, 0.4, 1.0), (0.9, 0.9, 0.1))}),
    ("gradient", numpy_gradient, {"rate_hz": -2.1, "angle_deg": 135.0, "repeat": 3.5}),
]


@pytest.mark.parametrize("name, numpy_form, params", CASES)
@pytest.mark.parametrize("nx, ny", [(1, 1), (2, 1), (9, 5), (31, 7)])
def test_the_kernels_give_the_numpy_formulations_colours(name, numpy_form, params, nx, ny):
    inp = make_input(EFFECTS[name], params, frames=(3, 40), nx=nx, ny=ny)
    out = EFFECTS[name].render(inp)
    expected = numpy_form(inp)
    assert out.rgb.shape == expected.shape == (37, nx * ny, 3)
    assert np.array_equal(out.rgb, expected)


@pytest.mark.parametrize("start_s", [
    10.0,        # palette steps within 32-bit integers: the kernel's narrow path
    30_000.0,    # 100 cycles a second for 8 hours: 3e9 steps, past 32 bits (the 64-bit path)
])
def test_a_gradient_drifting_far_gives_the_numpy_formulations_colours(start_s):
    params = {"rate_hz": 100.0, "angle_deg": 30.0, "repeat": 2.0}
    inp = make_input(EFFECTS["gradient"], params, t_s=start_s + np.arange(12) / 40.0, nx=9, ny=5)
    assert np.array_equal(EFFECTS["gradient"].render(inp).rgb, numpy_gradient(inp))
