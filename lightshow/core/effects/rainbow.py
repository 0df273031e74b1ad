"""rainbow: hues across the target, moving."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import coordinate, hsv_to_rgb
from lightshow.schema.records import Field, Record
from lightshow.schema.musical import RateHz
from lightshow.schema.scalars import Choice, Float

PARAMS = Record("rainbow params", {
    "along": Field(Choice(("order", "direction")), default="direction",
                   doc="spread the hues along the pixel order or along direction_deg"),
    "direction_deg": Field(Float(-360, 360), default=0.0, doc="0 = to the right, 90 = up"),
    "count": Field(Float(0, 100), default=1.0, doc="hue cycles across the target"),
    "rate_hz": Field(RateHz(-100, 100), default=0.2, doc="hue cycles per second"),
    "saturation": Field(Float(0, 1), default=1.0, doc="0 = white at brightness 1 (no hue), 1 = pure hues"),
    "brightness": Field(Float(0, 1), default=1.0, doc="0 = black, 1 = full; scales every colour"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    u = coordinate(inp, p["along"], p["direction_deg"], cyclic=True) * np.float32(p["count"])
    hue = u[None, :] - (inp.t_s * p["rate_hz"]).astype(np.float32)[:, None]
    return EffectOutput(hsv_to_rgb(hue, p["saturation"], p["brightness"]))


EFFECT = Effect("rainbow", "hues across the target, moving", PARAMS, render)
