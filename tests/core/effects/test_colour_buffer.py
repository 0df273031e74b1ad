"""Effects that may mix their colours onto the renderer's colour buffer themselves give what
mixing their output there gives, in every blend mode."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lightshow.core.compiled import compact
from lightshow.core.effects import EFFECTS
from lightshow.core.effects.base import MIXED, Destination
from lightshow.core.mixing import ADD, COVER, MAX, MULTIPLY, NORMAL, SCALE, SCREEN, mix_layer
from tests.core.effects import make_input

CASES = [
    ("gradient", {"rate_hz": 0.3, "angle_deg": 30.0}),
    ("chase", {"count": 3, "width": 0.2, "softness": 0.4}),
    ("wipe", {"angle_deg": 90.0, "softness": 0.1}),
]
MODES = {"cover": COVER, "scale": SCALE, "normal": NORMAL, "add": ADD, "multiply": MULTIPLY,
         "screen": SCREEN, "max": MAX}


@pytest.mark.parametrize("name, params", CASES)
@pytest.mark.parametrize("mode", MODES)
def test_mixing_onto_the_buffer_gives_what_mixing_the_output_gives(name, params, mode):
    effect = EFFECTS[name]
    inp = make_input(effect, params, frames=(3, 23), nx=9, ny=5)   # 20 frames of 45 pixels
    alone = effect.render(inp)
    rng = np.random.default_rng(1)
    below = rng.random((24, 50, 3), dtype=np.float32)  # the cue's are rows 2..21, pixels 3..47
    alpha = rng.random(20, dtype=np.float32)
    expected = below.copy()
    mix_layer(expected, 2, 20, 3, np.arange(3, 48), compact(alone.rgb, 3),
              compact(alpha[:, None], 2), MODES[mode])
    buffer = below.copy()
    out = effect.render(dataclasses.replace(inp, onto=Destination(buffer, 2, 3, alpha, MODES[mode])))
    assert out is MIXED
    assert np.array_equal(buffer, expected)
    assert not np.array_equal(buffer, below)


def test_effects_that_do_not_mix_leave_the_buffer_alone():
    effect = EFFECTS["solid"]
    inp = make_input(effect, {}, frames=(0, 4), nx=3, ny=2)
    buffer = np.full((4, 6, 3), -1.0, dtype=np.float32)
    out = effect.render(dataclasses.replace(inp, onto=Destination(
        buffer, 0, 0, np.ones(4, dtype=np.float32), COVER)))
    assert out is not MIXED and out.rgb is not buffer
    assert (buffer == -1.0).all()
