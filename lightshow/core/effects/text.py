"""text: static or scrolling text on a pixel facade.

The glyphs arrive as ``text_mask`` (H, W) float32 0..1 with ``text_band``
(top, bottom), the mask rows of the capital height (or, for Chinese, the
ideographs' height), made by the load layer's ``prepare_text`` (this module
never loads fonts).  The mask is scaled in metres so that the band is
``height × target height`` tall, keeping its aspect, and the band is centred
vertically; descenders and accents reach outside it.  Each pixel shows the
share of its patch (the layout's pixel pitch) that is covered by ink, so text
stays legible on coarse facades.

Static text is aligned left, centre or right.  Scrolling text enters from the
right edge at t = 0 and moves left at ``scroll_speed_m_s``; once it has left
the target it enters again from the right (a marquee).
"""

from __future__ import annotations

import numpy as np

from lightshow.core.effects.base import WHEEL_SLOT, Effect, EffectInput, EffectOutput
from lightshow.core.effects.image import box_sum, pixel_pitch_m, settle, summed_area
from lightshow.core.effects.shape import mix_colours
from lightshow.model.colour import ColourField
from lightshow.schema.records import Field, Record
from lightshow.schema.scalars import Choice, Float, Str

PARAMS = Record("text params", {
    "text": Field(Str(what="the text to show", max_len=200), required=True,
                  doc="the text, one line, up to 200 characters (Chinese needs a CJK font)"),
    "font": Field(Str(what="a font file path"), default="",
                  doc="font file (.ttf, .otf, .ttc), relative to the show file; "
                      "default: a font found on the system that has the text's characters"),
    "color": Field(ColourField(), default=(1.0, 1.0, 1.0), doc="colour of the letters"),
    "slot": WHEEL_SLOT,
    "background": Field(ColourField(), default=(0.0, 0.0, 0.0), doc="colour around the letters"),
    "height": Field(Float(0.01, 1.0), default=0.6,
                    doc="fraction of the target's height taken by the capital letters (top of 'H' "
                        "to the baseline), centred; descenders and accents reach outside it (the "
                        "default leaves them room; above about 0.7 they are cut off). Text "
                        "all in Chinese: the ideographs' height; mixed text: the ideographs are "
                        "drawn as tall as the capitals. Static text shrinks to fit the width"),
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

    band_top, band_bottom = (float(v) for v in p.get("text_band", (0.0, mask_h)))
    band_h = max(band_bottom - band_top, 1e-6)
    per_m = band_h / (float(p["height"]) * (height_m if height_m > 0 else 1.0))   # mask pixels per metre
    text_w = mask_w / per_m
    speed = float(p["scroll_speed_m_s"])
    if speed <= 0.0 and width_m > 0 and text_w > width_m:  # static text shrinks to fit the width
        per_m *= text_w / width_m
        text_w = width_m
    top = height_m / 2.0 + (band_top + band_bottom) / 2.0 / per_m     # y of the mask's top row

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
