"""chase: bands of colour running along the pixel order or a direction."""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import colour_row_onto, coordinate, mix_colours, smooth_band
from lightshow.core.mixing import COVER, row_run
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.musical import RateHz
from lightshow.schema.scalars import Bool, Choice, Float, Int

PARAMS = Record("chase params", {
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the bands"),
    "slot": WHEEL_SLOT,
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour between bands"),
    "count": Field(Int(1, 1000), default=1, doc="bands across the target"),
    "width": Field(Float(0, 1), default=0.2, doc="lit part of each band's cycle, 0..1"),
    "softness": Field(Float(0, 1), default=0.1, doc="soft edges, as part of the cycle"),
    "rate_hz": Field(RateHz(-100, 100), default=0.5, doc="cycles per second (negative: backwards)"),
    "along": Field(Choice(("order", "direction")), default="order",
                   doc="run along the pixel order or along direction_deg"),
    "direction_deg": Field(Float(-360, 360), default=0.0, doc="0 = to the right, 90 = up"),
    "bounce": Field(Bool(), default=False,
                    doc="run to the end and back instead of wrapping round (one band per part "
                        "of the target)"),
}, unknown_code="unknown-param")


@njit(**KERNEL)
def chase_bands(u, travel, reach, softness, background, delta, rgb, row0, first, alpha, mode):
    """Chase colours (softness > 0) onto a Destination (``rgb``, ``row0``, ``first``,
    ``alpha``, ``mode``).

    cycle = mod(u - travel, 1); distance = min(cycle, 1 - cycle); amount =
    smoothstep(clip((reach - |distance|) / softness, 0, 1)); colour = amount *
    delta + background.
    """
    one = np.float32(1.0)
    zero = np.float32(0.0)
    two = np.float32(2.0)
    three = np.float32(3.0)
    n = u.shape[0]
    amount = np.empty(n, dtype=np.float32)
    for f in range(travel.shape[0]):
        t = travel[f]
        for p in range(u.shape[0]):  # one float per pixel first: vectorises
            x = u[p] - t
            cycle = x - np.floor(x)  # = np.mod(x, 1), rounded the same (x - floor(x) is exact + 1 at most)
            distance = min(cycle, one - cycle)
            x = min(max((reach - abs(distance)) / softness, zero), one)
            amount[p] = x * x * (three - two * x)
        dst = row_run(rgb, row0 + f, first, n)
        colour_row_onto(amount, background, delta, mode, dst, alpha[f] if mode != COVER else one)


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    if p["bounce"]:
        return _bounce(inp)
    u = coordinate(inp, p["along"], p["direction_deg"], cyclic=True) * np.float32(p["count"])  # (P,)
    travel = (inp.t_s * p["rate_hz"]).astype(np.float32)                          # (F,)
    if p["softness"] > 0:
        bg = np.asarray(p["background"], dtype=np.float32)
        to = inp.destination(len(travel), len(u))
        half_width, softness = p["width"] / 2, p["softness"] / 2   # as smooth_band takes them
        chase_bands(np.ascontiguousarray(u, dtype=np.float32), np.ascontiguousarray(travel),
                    np.float32(half_width + softness), np.float32(softness), bg,
                    np.asarray(p["color"], dtype=np.float32) - bg,
                    to.rgb, to.row0, to.first, to.alpha, to.mode)
        return inp.output(to)
    cycle = np.mod(u[None, :] - travel[:, None], 1.0)
    distance = np.minimum(cycle, 1.0 - cycle)  # to the band centre, in cycles
    amount = smooth_band(distance, p["width"] / 2, p["softness"] / 2)
    return EffectOutput(mix_colours(p["background"], p["color"], amount))


EFFECT = Effect("chase", "bands of colour running along the pixel order or a direction",
                PARAMS, render)


def _bounce(inp: EffectInput) -> EffectOutput:
    """Bands that run to the end of their part of the target and turn back: each of
    ``count`` equal parts has one band, whose centre goes from its start (0) to its end
    (1) and back at ``rate_hz`` cycles per second; nothing wraps round an end."""
    p = inp.params
    count = p["count"]
    u = coordinate(inp, p["along"], p["direction_deg"]) * np.float32(count)   # (P,) 0..count
    local = u - np.minimum(np.floor(u), count - 1)                            # 0..1 in its part
    travel = 1.0 - np.abs(np.mod(inp.t_s * p["rate_hz"], 2.0) - 1.0)            # (F,) 0..1..0
    distance = np.abs(local[None, :] - travel[:, None])
    amount = smooth_band(distance, p["width"] / 2, p["softness"] / 2)
    return EffectOutput(mix_colours(p["background"], p["color"], amount))
