"""strobe: flashes at a steady rate."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import mix_colours
from lightshow.model.colour import ColourField
from lightshow.schema.fields import Field, Float, Record

PARAMS = Record("strobe params", {
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the flashes"),
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour between flashes"),
    "rate_hz": Field(Float(0.1, 20), default=4.0,
                     doc="flashes per second, at most half the show's fps (20 at 40 fps): each "
                         "period needs a lit and a dark frame"),
    "duty": Field(Float(0.01, 1), default=0.25, doc="part of each period that is lit"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    lit = (np.mod(inp.t_s * p["rate_hz"], 1.0) < p["duty"]).astype(np.float32)
    return EffectOutput(mix_colours(p["background"], p["color"], lit)[:, None, :])


def check_fps(params: dict, fps: float) -> tuple[str, str] | None:
    """A rate above half the frame rate has no dark frame in some periods: it aliases
    into a slower beat, or into steady light."""
    rate = params["rate_hz"]
    if rate > fps / 2 + 1e-9:
        return "rate_hz", (f"a strobe at {rate:g} Hz needs at least {2 * rate:g} fps (a lit and a "
                           f"dark frame each flash); this show runs at {fps:g} fps: at most "
                           f"{fps / 2:g} Hz")
    return None


EFFECT = Effect("strobe", "flashes at a steady rate", PARAMS, render, check_fps=check_fps)
