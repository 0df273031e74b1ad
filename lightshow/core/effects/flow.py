"""flow: waves travelling along a direction or along the pixel order (a river flowing).

The wave height at a pixel is ``0.5 + 0.5 sin(2π (s - v t) / λ)`` where ``s`` is
the pixel's place in metres along the travel axis; the height picks a colour from
the palette (trough = first colour, crest = last).  ``turbulence`` bends the
main wave with a slower, longer second wave crossing it at an angle.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL, sin_turns
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import sample_palette
from lightshow.model.colour import PaletteField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float

DEFAULT_PALETTE = ((0.02, 0.06, 0.30), (0.0, 0.40, 1.0), (0.0, 0.85, 1.0))

# the second (turbulence) wave: slower, longer, crossing at an angle
_TURB_SPEED = 0.45
_TURB_WAVELENGTH = 2.3
_TURB_ANGLE_DEG = 35.0
_TURB_PHASE = 0.37

PARAMS = Record("flow params", {
    "direction_deg": Field(Float(-360.0, 360.0, "degrees"), default=0.0,
                           doc="travel direction with along: direction (0 = to the right, 90 = up)"),
    "along": Field(Choice(("direction", "order")), default="direction",
                   doc="direction: straight waves; order: along the target's pixel order (a path)"),
    "speed_m_s": Field(Float(-100.0, 100.0, "m/s"), default=2.0,
                       doc="how fast the waves travel in metres per second (negative = backwards)"),
    "wavelength_m": Field(Float(0.01, 10000.0, "m"), default=8.0,
                          doc="distance between wave crests in metres"),
    "palette": Field(PaletteField(), default=DEFAULT_PALETTE,
                     doc="colours from wave trough (first) to crest (last)"),
    "turbulence": Field(Float(0.0, 1.0), default=0.3,
                        doc="0..1 how strongly a slower second wave bends the first"),
}, unknown_code="unknown-param")


def path_position_m(inp: EffectInput) -> np.ndarray:
    """(P,) metres along the target's pixel order: arc length through the pixels in order."""
    pos = np.asarray(inp.pos_m, dtype=np.float64)
    if len(pos) == 0:
        return np.zeros(0)
    by_order = np.argsort(np.asarray(inp.order, dtype=np.float64), kind="stable")
    steps = np.sqrt(np.sum(np.diff(pos[by_order], axis=0) ** 2, axis=1))
    arc = np.concatenate(([0.0], np.cumsum(steps)))
    out = np.empty(len(pos))
    out[by_order] = arc
    return out


def _axis_position_m(inp: EffectInput, angle_deg: float) -> np.ndarray:
    """(P,) metres along the direction ``angle_deg`` (0 = right, 90 = up)."""
    width, height = inp.size_m
    xy = np.asarray(inp.xy, dtype=np.float64)
    angle = math.radians(angle_deg)
    return xy[:, 0] * width * math.cos(angle) + xy[:, 1] * height * math.sin(angle)


@njit(**KERNEL)
def flow_heights(s1, s2, t, speed, wavelength, bend, slow_speed, slow_length, slow_phase, out):
    """Flow wave heights (F, P) float32, computed in float64:
    phase = (s1 - speed t) / wavelength + bend sin_turns((s2 - slow_speed t) / slow_length
    + slow_phase) (no bend when bend is 0); height = 0.5 + 0.5 sin_turns(phase)."""
    for f in range(t.shape[0]):
        moved = speed * t[f]
        slow_moved = slow_speed * t[f]
        for p in range(s1.shape[0]):
            phase = (s1[p] - moved) / wavelength
            if bend > 0.0:
                slow = (s2[p] - slow_moved) / slow_length + slow_phase
                phase = phase + bend * sin_turns(slow)
            out[f, p] = np.float32(0.5 + 0.5 * sin_turns(phase))


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    speed = float(p["speed_m_s"])
    wavelength = float(p["wavelength_m"])
    turbulence = float(p["turbulence"])
    t = np.asarray(inp.t_s, dtype=np.float64)[:, None]
    if p["along"] == "order":
        s1 = path_position_m(inp)
        s2 = s1
    else:
        s1 = _axis_position_m(inp, float(p["direction_deg"]))
        s2 = _axis_position_m(inp, float(p["direction_deg"]) + _TURB_ANGLE_DEG)
    height = np.empty((len(t), len(s1)), dtype=np.float32)
    flow_heights(np.ascontiguousarray(s1, dtype=np.float64), np.ascontiguousarray(s2, dtype=np.float64),
                 np.ascontiguousarray(t[:, 0]), speed, wavelength, 0.5 * turbulence,
                 _TURB_SPEED * speed, _TURB_WAVELENGTH * wavelength, _TURB_PHASE, height)
    return EffectOutput(sample_palette(p["palette"], height, cyclic=False))  # the table is within 0..1


EFFECT = Effect("flow", "waves of palette colours travelling along a direction or the pixel order",
                PARAMS, render)
