"""wipe: a colour sweeps across the target at any angle."""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import along_direction, colour_row_onto
from lightshow.core.mixing import COVER, row_run
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Bool, Float, Seconds

PARAMS = Record("wipe params", {
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour wiped in"),
    "slot": WHEEL_SLOT,
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour before the wipe"),
    "angle_deg": Field(Float(-360, 360), default=0.0, doc="0 = left to right, 90 = bottom to top"),
    "softness": Field(Float(0, 1), default=0.1, doc="width of the wipe's edge, 0..1"),
    "wipe_s": Field(Seconds(0, 3600), default=0.0,
                    doc="time to cross (0: the whole cue, complete on its last frame)"),
    "out": Field(Bool(), default=False, doc="wipe the colour out instead of in"),
}, unknown_code="unknown-param")


@njit(**KERNEL)
def wipe_front(u, front, soft, wipe_out, background, delta, rgb, row0, first, alpha, mode):
    """Wipe colours onto a Destination (``rgb``, ``row0``, ``first``, ``alpha``, ``mode``):
    amount = clip((front[f] - u[p]) / soft, 0, 1), or 1 - that when ``wipe_out``."""
    one = np.float32(1.0)
    zero = np.float32(0.0)
    n = u.shape[0]
    amount = np.empty(n, dtype=np.float32)
    for f in range(front.shape[0]):
        fr = front[f]
        for p in range(u.shape[0]):
            amount[p] = min(max((fr - u[p]) / soft, zero), one)
        if wipe_out:
            for p in range(u.shape[0]):
                amount[p] = one - amount[p]
        dst = row_run(rgb, row0 + f, first, n)
        colour_row_onto(amount, background, delta, mode, dst, alpha[f] if mode != COVER else one)


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    u = along_direction(inp, p["angle_deg"])                       # (P,)
    wipe_s = p["wipe_s"]
    if wipe_s == 0 or abs(wipe_s - inp.duration_s) < 1e-9:
        progress = inp.phase                      # over the whole cue: complete on its last frame
    else:
        progress = np.clip(inp.t_s / wipe_s, 0, 1)
    soft = np.float32(max(p["softness"], 1e-6))
    front = (progress * (1 + soft)).astype(np.float32)  # (F,)
    bg = np.asarray(p["background"], dtype=np.float32)
    to = inp.destination(len(front), len(u))
    wipe_front(np.ascontiguousarray(u), np.ascontiguousarray(front), soft, bool(p["out"]), bg,
               np.asarray(p["color"], dtype=np.float32) - bg, to.rgb, to.row0, to.first, to.alpha,
               to.mode)
    return inp.output(to)


EFFECT = Effect("wipe", "a colour sweeps across the target at any angle", PARAMS, render)
