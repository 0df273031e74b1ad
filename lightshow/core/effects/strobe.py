"""strobe: flashes at a steady rate."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import mix_colours
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.musical import RateHz
from lightshow.schema.scalars import Float

PARAMS = Record("strobe params", {
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the flashes"),
    "slot": WHEEL_SLOT,
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour between flashes"),
    "rate_hz": Field(RateHz(0.1, 20), default=4.0,
                     doc="flashes per second; every flash needs a lit and a dark frame, so at most "
                         "fps x the smaller of duty and 1 - duty (10 Hz at 40 fps and duty 0.25)"),
    "duty": Field(Float(0.01, 1), default=0.25, doc="part of each period that is lit"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    lit = (np.mod(inp.t_s * p["rate_hz"], 1.0) < p["duty"]).astype(np.float32)
    return EffectOutput(mix_colours(p["background"], p["color"], lit)[:, None, :])


def check_fps(params: dict, fps: float) -> tuple[str, str] | None:
    """Every flash needs a lit frame (duty x period at least a frame) and a dark one ((1 -
    duty) x period at least a frame); else flashes are missed, or merge into steady light."""
    rate, duty = params["rate_hz"], params["duty"]
    shorter = min(duty, 1.0 - duty)
    if rate > fps * shorter + 1e-9:
        return "rate_hz", (f"a strobe at {rate:g} Hz with duty {duty:g} needs at least "
                           f"{rate / shorter:.3g} fps (a lit and a dark frame each flash); this show "
                           f"runs at {fps:g} fps: at most {fps * shorter:.3g} Hz at this duty")
    return None


EFFECT = Effect("strobe", "flashes at a steady rate", PARAMS, render, check_fps=check_fps)
