"""solid: one colour on every pixel of the target."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record

PARAMS = Record("solid params", {
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="the colour"),
    "slot": WHEEL_SLOT,
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    rgb = np.asarray(inp.params["color"], dtype=np.float32).reshape(1, 1, 3)
    return EffectOutput(rgb)


EFFECT = Effect("solid", "one colour on every pixel of the target", PARAMS, render,
                still=lambda params: True)
