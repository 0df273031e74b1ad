"""artwork: a slot where approved citizen artworks play.

Compiled, the slot is transparent: the layers below it (the show's own
content) are what the file holds, so a show with an empty queue plays as
written.  While playing, the player maps the next approved work onto the
slot's target pixels (``fit``, ``background``) and lays it over the compiled
frames, fading in and out over ``transition_s``.
"""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Seconds

PARAMS = Record("artwork params", {
    "fit": Field(Choice(("fit", "fill", "stretch")), default="fill",
                 doc="fit: whole work, letterboxed; fill: cover the target, cropped; stretch"),
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="around a fitted work"),
    "transition_s": Field(Seconds(0, 30), default=2.0, doc="fade in and out of each work"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    return EffectOutput(np.zeros((1, 1, 3), dtype=np.float32), np.zeros((1, 1), dtype=np.float32))


EFFECT = Effect("artwork", "slot for approved citizen artworks (transparent when compiled)", PARAMS, render)
