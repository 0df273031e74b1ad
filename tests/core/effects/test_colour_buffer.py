"""Effects that may write into the renderer's colour buffer give the same colours there."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lightshow.core.effects import EFFECTS
from tests.core.effects import make_input

CASES = [
    ("gradient", {"rate_hz": 0.3, "angle_deg": 30.0}),
    ("chase", {"count": 3, "width": 0.2, "softness": 0.4}),
    ("wipe", {"angle_deg": 90.0, "softness": 0.1}),
]


@pytest.mark.parametrize("name, params", CASES)
def test_writing_into_the_buffer_gives_the_same_colours(name, params):
    effect = EFFECTS[name]
    inp = make_input(effect, params, frames=(3, 23), nx=9, ny=5)
    alone = effect.render(inp)
    buffer = np.full((20, 45, 3), -1.0, dtype=np.float32)
    into = effect.render(dataclasses.replace(inp, out=buffer))
    assert into.rgb is buffer and into.alpha is None
    assert np.array_equal(np.broadcast_to(alone.rgb, buffer.shape), buffer)
    assert buffer.min() >= 0.0  # every value written


def test_effects_that_do_not_use_the_buffer_leave_it_alone():
    effect = EFFECTS["solid"]
    inp = make_input(effect, {}, frames=(0, 4), nx=3, ny=2)
    buffer = np.full((4, 6, 3), -1.0, dtype=np.float32)
    out = effect.render(dataclasses.replace(inp, out=buffer))
    assert out.rgb is not buffer
    assert (buffer == -1.0).all()
