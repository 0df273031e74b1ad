"""gradient: a palette laid across the target, still or drifting."""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.compiled import KERNEL
from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.shape import along_direction, palette_key, palette_table_rgbx, sample_palette
from lightshow.core.mixing import COVER, mix_staged, row_run, staging
from lightshow.model.colour import PaletteField
from lightshow.schema.records import Field, Record
from lightshow.schema.musical import RateHz
from lightshow.schema.scalars import Float

PARAMS = Record("gradient params", {
    "palette": Field(PaletteField(), default=((0.0, 0.2, 0.8), (0.0, 0.8, 0.6)),
                     doc="colours from one side to the other; drifting or repeated, the palette "
                         "wraps round (its last colour blends back into its first)"),
    "angle_deg": Field(Float(-360, 360), default=0.0, doc="0 = left to right, 90 = upwards"),
    "repeat": Field(Float(0.1, 100), default=1.0, doc="times the palette repeats across"),
    "rate_hz": Field(RateHz(-100, 100), default=0.0, doc="drift in palette cycles per second"),
}, unknown_code="unknown-param")


@njit(**KERNEL)
def drifting_palette(u, shift, table, rgb, row0, first, alpha, mode):
    """Cyclic palette (``table``: :func:`palette_table_rgbx`'s) at ``u[p] - shift[f]`` onto a
    Destination (``rgb``, ``row0``, ``first``, ``alpha``, ``mode``)."""
    steps = table.shape[0] - 1
    fsteps = np.float32(steps)
    n = u.shape[0]
    # unsigned entries: indexing with them needs no check for negative (wrapped) indices,
    # which took a third of the kernel's time
    entry = np.empty(n, dtype=np.uint32)
    one, two, three = np.uint32(1), np.uint32(2), np.uint32(3)
    # palette steps in 32-bit integers (twice the lanes of 64-bit) where the steps stay well
    # within them, which is what any show plays (they are the same bits)
    most_u = most_shift = np.float64(0.0)
    for p in range(n):
        most_u = max(most_u, abs(np.float64(u[p])))
    for f in range(shift.shape[0]):
        most_shift = max(most_shift, abs(np.float64(shift[f])))
    narrow = (most_u + most_shift + 1.0) * steps < 2.0 ** 30
    scratch = np.empty(0 if mode == COVER else 3 * n, dtype=np.float32)
    colours = table.reshape(-1)   # four floats an entry (palette_table_rgbx)
    for f in range(shift.shape[0]):
        s = shift[f]
        if narrow:   # apart from the gathers below, so that it vectorises
            for p in range(n):
                entry[p] = np.uint32((np.int32(np.floor((u[p] - s) * fsteps)) & np.int32(steps - 1))
                                     * np.int32(4))
        else:
            for p in range(n):
                entry[p] = np.uint32((np.int64(np.floor((u[p] - s) * fsteps)) & (steps - 1)) * 4)
        dst = row_run(rgb, row0 + f, first, n)
        flat = staging(mode, dst, scratch)
        for p in range(n - 1):  # one 16-byte copy a pixel (its fourth float is overwritten next)
            k = entry[p]
            c0, c1, c2, c3 = colours[k], colours[k + one], colours[k + two], colours[k + three]
            flat[3 * p] = c0
            flat[3 * p + 1] = c1
            flat[3 * p + 2] = c2
            flat[3 * p + 3] = c3
        if n > 0:
            k = entry[n - 1]
            flat[3 * n - 3] = colours[k]
            flat[3 * n - 2] = colours[k + one]
            flat[3 * n - 1] = colours[k + two]
        mix_staged(mode, dst, scratch, alpha[f] if mode != COVER else np.float32(1.0))


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    u = along_direction(inp, p["angle_deg"]) * np.float32(p["repeat"])
    if p["rate_hz"] == 0:
        cyclic = p["repeat"] != 1.0
        return EffectOutput(sample_palette(p["palette"], u, cyclic=cyclic)[None])
    shift = (inp.t_s * p["rate_hz"]).astype(np.float32)
    to = inp.destination(len(shift), len(u))
    drifting_palette(np.ascontiguousarray(u), np.ascontiguousarray(shift),
                     palette_table_rgbx(palette_key(p["palette"]), True), to.rgb, to.row0, to.first,
                     to.alpha, to.mode)
    return inp.output(to)  # colours = sample_palette(palette, u[None, :] - shift[:, None])


EFFECT = Effect("gradient", "a palette laid across the target, still or drifting", PARAMS, render,
                still=lambda params: params["rate_hz"] == 0)
