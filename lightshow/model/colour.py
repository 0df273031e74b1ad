"""Colours as designers write them: hex, rgb(), [r, g, b], and names.

Colours are float 0..1 RGB triples in the model; quantisation to bytes happens
only when a frame is turned into channel values.
"""

from __future__ import annotations

import math
import re

from lightshow.diagnostics import did_you_mean, quote
from lightshow.schema.combinators import ListOf
from lightshow.schema.reading import INVALID, FieldType, ReadContext, scalar_text
from lightshow.schema.scalars import Int
from lightshow.schema.yamltree import SequenceNode

RGB = tuple[float, float, float]

# Named colours in 0..255.  The Chinese ceremonial reds and golds first, then
# the web's basic names; shows may add their own under ``colours:``.
NAMED_COLOURS_8BIT: dict[str, tuple[int, int, int]] = {
    "china_red": (222, 41, 16),      # the flag's red
    "flag_gold": (255, 222, 0),      # the flag's stars
    "gold": (255, 200, 40),
    "imperial_yellow": (255, 196, 0),
    "vermilion": (227, 66, 52),
    "cinnabar": (255, 77, 0),
    "peach_blossom": (255, 138, 150),
    "jade": (0, 168, 107),
    "celadon": (172, 225, 175),
    "mountain_green": (34, 139, 64),
    "spring_green": (0, 255, 127),
    "lake_blue": (30, 120, 200),
    "river_blue": (0, 110, 255),
    "ink_blue": (20, 40, 90),
    "warm_white": (255, 214, 170),
    "cool_white": (220, 235, 255),
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 140, 0),
    "amber": (255, 176, 0),
    "purple": (128, 0, 200),
    "violet": (148, 0, 211),
    "pink": (255, 105, 180),
    "teal": (0, 128, 128),
    "navy": (0, 0, 128),
    "silver": (192, 192, 192),
}
NAMED_COLOURS: dict[str, RGB] = {
    name: (r / 255.0, g / 255.0, b / 255.0) for name, (r, g, b) in NAMED_COLOURS_8BIT.items()
}

_HEX_RE = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_RGB_FN_RE = re.compile(r"rgb\(\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*\)\Z")
COLOUR_PATTERN = r"^(#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})|rgb\(\s*[0-9]{1,3}\s*,\s*[0-9]{1,3}\s*,\s*[0-9]{1,3}\s*\)|[A-Za-z_][A-Za-z0-9_]*)$"


def parse_colour_text(text: str) -> RGB | None:
    """``#rrggbb``, ``#rgb`` or ``rgb(r, g, b)`` -> floats; None if not one of those."""
    match = _HEX_RE.match(text)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]
    match = _RGB_FN_RE.match(text)
    if match and all(int(v) <= 255 for v in match.groups()):
        return tuple(int(v) / 255.0 for v in match.groups())  # type: ignore[return-value]
    return None


def kelvin_rgb(kelvin: float) -> RGB:
    """A black body's colour at ``kelvin`` (Tanner Helland's fit), brightest component 1."""
    t = max(1000.0, min(40000.0, kelvin)) / 100.0
    red = 255.0 if t <= 66 else 329.698727446 * (t - 60) ** -0.1332047592
    green = (99.4708025861 * math.log(t) - 161.1195681661 if t <= 66
             else 288.1221695283 * (t - 60) ** -0.0755148492)
    blue = 255.0 if t >= 66 else (0.0 if t <= 19 else 138.5177312231 * math.log(t - 10) - 305.0447927307)
    rgb = [min(255.0, max(0.0, v)) for v in (red, green, blue)]
    peak = max(rgb) or 1.0
    return (rgb[0] / peak, rgb[1] / peak, rgb[2] / peak)


def known_colours(ctx: ReadContext) -> dict[str, RGB]:
    return ctx.names.get("colours", NAMED_COLOURS)


class ColourField(FieldType):
    expected = "a colour ('#rrggbb', 'rgb(r, g, b)', [r, g, b] or a colour name)"
    _triple = ListOf(Int(0, 255), 3, 3)

    def read(self, node, ctx):
        if isinstance(node, SequenceNode):
            values = self._triple.read(node, ctx)
            if values is INVALID or INVALID in values:
                return INVALID
            return tuple(v / 255.0 for v in values)
        text = scalar_text(node)
        if text is None:
            return ctx.expected(self.expected, node)
        parsed = parse_colour_text(text)
        if parsed is not None:
            return parsed
        colours = known_colours(ctx)
        if text in colours:
            return colours[text]
        return ctx.error("unknown-colour", f"unknown colour {quote(text)}"
                         f"{did_you_mean(text, colours)}; expected {self.expected}", node)

    def json_schema(self):
        return {"anyOf": [{"type": "string", "pattern": COLOUR_PATTERN},
                          self._triple.json_schema()]}


class PaletteField(FieldType):
    """A palette: a list of colours, or the name of a palette the show defines."""

    expected = "a list of colours or a palette name"
    _list = ListOf(ColourField(), 1, 64)

    def read(self, node, ctx):
        if isinstance(node, SequenceNode):
            colours = self._list.read(node, ctx)
            if colours is INVALID or INVALID in colours:
                return INVALID
            return tuple(colours)
        text = scalar_text(node)
        palettes = ctx.names.get("palettes", {})
        if text is None:
            return ctx.expected(self.expected, node)
        if text not in palettes:
            return ctx.error("unknown-palette", f"unknown palette {quote(text)}"
                             f"{did_you_mean(text, palettes)}; expected {self.expected}", node)
        return palettes[text]

    def json_schema(self):
        return {"anyOf": [self._list.json_schema(), {"type": "string"}]}
