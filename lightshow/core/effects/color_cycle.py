"""color_cycle: the target steps or flows through a palette over time."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import coordinate, sample_palette
from lightshow.model.colour import PaletteField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float, Seconds

PARAMS = Record("color_cycle params", {
    "palette": Field(PaletteField(), default=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
                     doc="colours in turn"),
    "period_s": Field(Seconds(0.01, 3600), default=2.0, doc="time each colour is shown"),
    "crossfade": Field(Float(0, 1), default=0.5, doc="part of each period spent blending"),
    "spread": Field(Float(0, 10), default=0.0,
                    doc="palette cycles of offset across the target (0: all pixels together)"),
    "along": Field(Choice(("order", "direction")), default="order",
                   doc="with spread: offset along the pixel order or along direction_deg"),
    "direction_deg": Field(Float(-360, 360), default=0.0,
                           doc="with along: direction, where the colours travel (0 = to the right, 90 = up)"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    n = len(np.asarray(p["palette"]).reshape(-1, 3))
    step = (inp.t_s / p["period_s"]).astype(np.float32)  # colours elapsed
    if p["spread"]:
        offset = coordinate(inp, p["along"], p["direction_deg"]) * np.float32(p["spread"] * n)
        step = step[:, None] - offset[None, :]
    whole = np.floor(step)
    frac = step - whole
    fade = np.float32(max(p["crossfade"], 1e-6))
    blend = np.clip((frac - (1 - fade)) / fade, 0, 1)  # hold, then blend into the next colour
    u = (whole + blend) / n
    rgb = sample_palette(p["palette"], u)
    return EffectOutput(rgb[:, None, :] if rgb.ndim == 2 else rgb)


EFFECT = Effect("color_cycle", "the target steps or flows through a palette over time",
                PARAMS, render)
