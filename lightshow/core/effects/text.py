"""text: static or scrolling text on a pixel facade.

The glyphs arrive as ``text_mask`` (H, W) float32 0..1, made by the load
layer's ``prepare_text`` (this module never loads fonts).  The mask is placed
in metres, ``height × target height`` tall and as wide as its aspect says,
centred vertically; each pixel shows the share of its patch (the layout's pixel
pitch) that is covered by ink, so text stays legible on coarse facades.

Static text is aligned left, centre or right.  Scrolling text enters from the
right edge at t = 0 and moves left at ``scroll_speed_m_s``; once it has left
the target it enters again from the right (a marquee).
"""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import Effect, EffectInput, EffectOutput
from lightshow.core.effects.image import box_sum, pixel_pitch_m, settle, summed_area
from lightshow.core.effects.shape import mix_colours
from lightshow.model.colour import ColourField
from lightshow.schema.fields import Choice, Field, Float, Record, Str

PARAMS = Record("text params", {
    "text": Field(Str(what="the text to show", max_len=200), required=True,
                  doc="the text, one line, up to 200 characters (Chinese needs a CJK font)"),
    "font": Field(Str(what="a font file path"), default="",
                  doc="font file (.ttf, .otf, .ttc), relative to the show file; "
                      "default: a font found on the system that has the text's characters"),
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the letters"),
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour around the letters"),
    "height": Field(Float(0.01, 1.0), default=0.8,
                    doc="fraction of the target's height the letters occupy (static text shrinks "
                        "to fit the width; capital height, "
                        "or the full glyphs for Chinese)"),
    "scroll_speed_m_s": Field(Float(0.0, 1000.0, "m/s"), default=0.0,
                              doc="0 = static; > 0 = scroll right to left at this speed, entering "
                                  "from the right edge and repeating"),
    "align": Field(Choice(("center", "left", "right")), default="center",
                   doc="where static text sits across the target"),
}, unknown_code="unknown-param")


def render(inp: EffectInput) -> EffectOutput:
    p = inp.params
    if "text_mask" not in p:
        raise ValueError("the text effect needs its prepare step (lightshow.load.assets.prepare_text)")
    mask = np.asarray(p["text_mask"], dtype=np.float32)
    mask_h, mask_w = mask.shape
    width_m, height_m = (max(float(v), 0.0) for v in inp.size_m)
    xy = np.asarray(inp.xy, dtype=np.float64)
    x_m, y_m = xy[:, 0] * width_m, xy[:, 1] * height_m

    text_h = float(p["height"]) * (height_m if height_m > 0 else 1.0)
    text_w = text_h * mask_w / mask_h
    speed = float(p["scroll_speed_m_s"])
    if speed <= 0.0 and width_m > 0 and text_w > width_m:  # static text shrinks to fit the width
        text_h *= width_m / text_w
        text_w = width_m
    per_m = mask_h / text_h                          # mask pixels per metre
    top = height_m / 2.0 + text_h / 2.0

    if speed > 0.0:
        t = np.asarray(inp.t_s, dtype=np.float64)
        left = (width_m - np.mod(speed * t, width_m + text_w))[:, None]       # (F, 1)
    else:
        spare = width_m - text_w
        left_edge = {"left": 0.0, "right": spare}.get(p["align"], spare / 2.0)
        left = np.full((1, 1), left_edge)

    u = (x_m[None, :] - left) * per_m
    v = np.broadcast_to((top - y_m)[None, :] * per_m, u.shape)
    half_u = max(pixel_pitch_m(x_m) * per_m, 1.0) / 2.0
    half_v = max(pixel_pitch_m(y_m) * per_m, 1.0) / 2.0
    ink, _ = box_sum(summed_area(mask[:, :, None]), u - half_u, u + half_u, v - half_v, v + half_v)
    cover = np.clip(settle(ink[..., 0] / (4.0 * half_u * half_v)), 0.0, 1.0).astype(np.float32)
    return EffectOutput(np.clip(mix_colours(p["background"], p["color"], cover), 0.0, 1.0))


EFFECT = Effect("text", "static or scrolling text (Latin or Chinese) on a pixel facade",
                PARAMS, render, prepare="text",
                still=lambda params: float(params["scroll_speed_m_s"]) <= 0.0)
