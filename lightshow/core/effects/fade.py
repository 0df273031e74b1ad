"""fade: every pixel crossfades from one colour to another over the cue."""

from __future__ import annotations

import numpy as np

from lightshow.core.easing import ease
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import mix_colours
from lightshow.model.colour import ColourField
from lightshow.model.show import EASINGS
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice

PARAMS = Record("fade params", {
    "from": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour at the cue's start"),
    "to": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour at the cue's end"),
    "easing": Field(Choice(EASINGS), default="linear", doc="shape of the crossfade"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    amount = ease(inp.params["easing"], inp.phase).astype(np.float32)
    rgb = mix_colours(inp.params["from"], inp.params["to"], amount)  # (F, 3)
    return EffectOutput(rgb[:, None, :])


EFFECT = Effect("fade", "crossfade every pixel from one colour to another over the cue",
                PARAMS, render)
