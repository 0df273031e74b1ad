"""gradient: a palette laid across the target, still or drifting."""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import along_direction, palette_key, palette_table, sample_palette
from lightshow.core.kernels import drifting_palette
from lightshow.model.colour import PaletteField
from lightshow.schema.fields import Field, Float, Record

PARAMS = Record("gradient params", {
    "palette": Field(PaletteField(), default=((0.0, 0.2, 0.8), (0.0, 0.8, 0.6)),
                     doc="colours from one side to the other; drifting or repeated, the palette "
                         "wraps round (its last colour blends back into its first)"),
    "angle_deg": Field(Float(-360, 360), default=0.0, doc="0 = left to right, 90 = upwards"),
    "repeat": Field(Float(0.1, 100), default=1.0, doc="times the palette repeats across"),
    "rate_hz": Field(Float(-100, 100), default=0.0, doc="drift in palette cycles per second"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    u = along_direction(inp, p["angle_deg"]) * np.float32(p["repeat"])
    if p["rate_hz"] == 0:
        cyclic = p["repeat"] != 1.0
        return EffectOutput(sample_palette(p["palette"], u, cyclic=cyclic)[None])
    shift = (inp.t_s * p["rate_hz"]).astype(np.float32)
    out = inp.colour_buffer(len(shift), len(u))
    drifting_palette(np.ascontiguousarray(u), np.ascontiguousarray(shift),
                     palette_table(palette_key(p["palette"]), True), out)
    return EffectOutput(out)  # = sample_palette(palette, u[None, :] - shift[:, None])


EFFECT = Effect("gradient", "a palette laid across the target, still or drifting", PARAMS, render,
                still=lambda params: params["rate_hz"] == 0)
