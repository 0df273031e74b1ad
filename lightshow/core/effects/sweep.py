"""sweep: pan/tilt figures for moving heads, with the beam's colour.

Angles: pan 0 is the centre of the head's range; tilt 0 is straight up, positive
towards the viewer.  ``spread`` offsets each head's phase so a row of
searchlights fans or waves instead of moving as one.
"""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float, Seconds

PATTERNS = ("circle", "figure_eight", "fan", "searchlight")
PARAMS = Record("sweep params", {
    "pattern": Field(Choice(PATTERNS), default="searchlight",
                     doc="circle, figure_eight, fan (the heads spread out to either side, close "
                         "on the centre and open again crossed over), searchlight (slow arcs)"),
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="beam colour"),
    "slot": WHEEL_SLOT,
    "pan_center_deg": Field(Float(-270, 270), default=0.0,
                            doc="pan the figure is centred on, in degrees (0 = middle of the range)"),
    "tilt_center_deg": Field(Float(-135, 135), default=20.0,
                             doc="tilt the figure is centred on, in degrees (0 = straight up)"),
    "pan_amplitude_deg": Field(Float(0, 270), default=60.0,
                               doc="pan swing either side of the centre, in degrees (fan: outermost heads)"),
    "tilt_amplitude_deg": Field(Float(0, 135), default=15.0,
                                doc="tilt swing either side of the centre, in degrees "
                                    "(searchlight: dips from the centre to this far towards the viewer)"),
    "period_s": Field(Seconds(0.1, 600), default=8.0, doc="time for one whole figure"),
    "spread": Field(Float(-1, 1), default=0.25, doc="phase offset from head to head, in cycles"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    n = len(inp.order)
    head_phase = np.arange(n, dtype=np.float64) * p["spread"]
    phase = 2 * np.pi * (inp.t_s[:, None] / p["period_s"] + head_phase[None, :])
    pan_a, tilt_a = p["pan_amplitude_deg"], p["tilt_amplitude_deg"]
    pattern = p["pattern"]
    if pattern == "circle":
        pan, tilt = pan_a * np.cos(phase), tilt_a * np.sin(phase)
    elif pattern == "figure_eight":
        pan, tilt = pan_a * np.sin(phase), tilt_a * np.sin(2 * phase)
    elif pattern == "fan":
        fan = (inp.order * 2.0 - 1.0)[None, :] if n > 1 else np.zeros((1, 1))
        swing = np.sin(2 * np.pi * inp.t_s[:, None] / p["period_s"])
        pan, tilt = pan_a * fan * swing, tilt_a * np.cos(phase)
    else:  # searchlight: slow arcs with a gentle dip
        pan = pan_a * np.sin(phase)
        tilt = tilt_a * (0.5 + 0.5 * np.cos(2 * phase))
    pan = (pan + p["pan_center_deg"]).astype(np.float32)
    tilt = (tilt + p["tilt_center_deg"]).astype(np.float32)
    rgb = np.asarray(p["color"], dtype=np.float32).reshape(1, 1, 3)
    return EffectOutput(rgb, pan_deg=pan, tilt_deg=tilt)


EFFECT = Effect("sweep", "pan/tilt figures for moving heads: circle, figure eight, fan, searchlight",
                PARAMS, render, moves_heads=True)
