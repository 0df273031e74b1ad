"""What a foreign fixture definition says, once read: channels, modes, pixels.

Both importers produce a :class:`ForeignFixture`; nothing here knows either format.
A mode is a list of DMX slots; a slot names the channel definition it belongs
to, which byte of it (0 coarse, 1 fine, 2 ultra-fine) and, for a pixel's
channel, which pixel.  ``label`` is what the slot is called on its own (the
resolved name, e.g. ``Red 3``), used when it cannot be part of a pixel block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lightshow.diagnostics import Diagnostic
from lightshow.model.profile import ChannelKind, PixelLayout

RANGE_K = (1000, 20000)   # colour temperatures a fixture's white can plausibly have


@dataclass(frozen=True)
class ForeignChannel:
    """A channel definition, already given one of our channel kinds."""

    label: str
    kind: ChannelKind
    default: int = 0                       # coarse byte, 0..255
    range_deg: float | None = None
    range_k: tuple[float, float] | None = None   # K at the first DMX value, at the last
    # wheel slots: (name, first DMX value, last, colour "#rrggbb" or None, kelvin or None)
    slots: tuple[tuple[str, int, int, str | None, float | None], ...] = ()
    # strobe rates: (first DMX value, last, Hz at the first, Hz at the last), preferred first
    rates: tuple[tuple[int, int, float, float], ...] = ()
    open: tuple[int, int] | None = None      # a shutter's DMX range that opens it
    closed: tuple[int, int] | None = None    # and the one that closes it


# strobe speeds a file gives only as "slow" to "fast" (or in percent): assumed to be these
SLOW_FAST_HZ = (1.0, 20.0)
MAX_HZ = 100.0


def strobe_rates(found: list[tuple[int, int, float, float]]
                 ) -> tuple[tuple[int, int, float, float], ...]:
    """Strobe rates as our profiles take them: 8-bit ranges that do not overlap, rates within
    0..MAX_HZ that strobe at all."""
    out: list = []
    for low, high, start, end in found:
        start, end = round(start, 4), round(end, 4)
        if not (0 <= low <= high <= 255) or any(o[0] <= high and low <= o[1] for o in out):
            continue
        if not (0 <= start <= MAX_HZ and 0 <= end <= MAX_HZ) or max(start, end) <= 0:
            continue
        out.append((low, high, float(start), float(end)))
    return tuple(out)


# colour-wheel and macro slots a file names but gives no colour ("Red", "Light blue"): the
# colour the name says, for single colours only (a split "Red/Green" says no one colour)
NAMED_SLOT_COLOURS = {
    "red": "#ff0000", "green": "#00ff00", "blue": "#0000ff", "white": "#ffffff",
    "yellow": "#ffff00", "cyan": "#00ffff", "magenta": "#ff00ff", "orange": "#ff8000",
    "amber": "#ffbf00", "pink": "#ff80c0", "purple": "#8000ff", "violet": "#8000ff",
    "lavender": "#c0a0ff", "light blue": "#80c0ff", "dark blue": "#0000a0", "deep blue": "#0000c0",
    "light green": "#80ff80", "dark green": "#008000", "lime": "#80ff00", "turquoise": "#40e0d0",
    "teal": "#008080", "light red": "#ff8080", "dark red": "#a00000", "deep red": "#c00000",
    "rose": "#ff0080", "light yellow": "#ffff80", "gold": "#ffc000", "light purple": "#c080ff",
    "dark purple": "#600080", "light pink": "#ffc0e0", "sky blue": "#80c0ff",
}
_COLOUR_WORDS = re.compile(r"\b(colou?r|macro|preset|full|only)\b")


def colour_named(name: str) -> str | None:
    """``"#rrggbb"`` for a slot named as one colour ("Red", "Color light blue"), else None."""
    words = " ".join(_COLOUR_WORDS.sub(" ", re.sub(r"[^a-z ]", " ", name.lower())).split())
    return NAMED_SLOT_COLOURS.get(words)


def wheel_slots(found: list[tuple[str, int, int, str | None, float | None]], colour: bool
                ) -> tuple[tuple[str, int, int, str | None, float | None], ...]:
    """Whole slots as our profiles take them: 8-bit ranges that do not overlap, unique
    slug names, a colour (or kelvin) on every colour-wheel slot."""
    from lightshow.interop.names import NameAllocator, slug
    names = NameAllocator()
    out: list = []
    for name, low, high, rgb, kelvin in found:
        if not (0 <= low <= high <= 255) or any(o[1] <= high and low <= o[2] for o in out):
            continue
        if colour and rgb is None and kelvin is None:
            continue
        if kelvin is not None and not 1000 <= kelvin <= 20000:
            continue
        out.append((names.claim(slug(name, "slot")), low, high, rgb, kelvin))
    return tuple(out)


# a green/magenta tint control, by its name ("Tint", "Green-Magenta Point", "Plus/Minus Green");
# not a gel named so ("Lilac Tint"), which is a capability, not a channel
TINT_NAME = re.compile(r"\s*(tint(\s+correction)?|green\s*[-/]?\s*magenta(\s+point)?|"
                       r"magenta\s*[-/]?\s*green(\s+point)?|(plus\s*/\s*minus|\+\s*/?\s*-)\s*green)"
                       r"(\s+(master|fine|\d+\s*bit|\(.*\)|\d+))*\s*", re.IGNORECASE)
# an HSV or HSI fixture's brightness channel, by its name (an HSL lightness is named so)
VALUE_NAME = re.compile(r"\s*(?:value|brightness|intensity)\s*\d*\s*", re.IGNORECASE)
# the capability of a tint control that leaves the white neutral
NEUTRAL_NAME = re.compile(r"\s*(neutral|balanced|no tint|0|[+±-]?\s*0(\.0+)?\s*%?)\s*", re.IGNORECASE)
_KELVIN_RANGE = re.compile(r"(\d{4,5})\s*K?\s*(?:-|–|to|>|->|→|\.{2,})\s*(\d{4,5})\s*K\b", re.IGNORECASE)


def kelvin_range(name: str) -> tuple[float, float] | None:
    """The colour temperatures a capability's name runs between, in its order ("7200K - 3200K",
    "2800K -> 7800K", "Color Point 2200K > 6500K"), if they are plausible and differ."""
    found = _KELVIN_RANGE.search(name)
    if found is None:
        return None
    first, last = float(found.group(1)), float(found.group(2))
    if first == last or not all(RANGE_K[0] <= k <= RANGE_K[1] for k in (first, last)):
        return None
    return first, last


UNUSED = ForeignChannel("unused", ChannelKind.GENERIC)
UNUSED_KEY = "(unused)"   # the key importers give UNUSED among their channels


@dataclass(frozen=True)
class Slot:
    channel: str                 # key of the ForeignChannel
    byte: int = 0
    pixel: str | None = None     # pixel (or pixel group) key for a pixel's channel
    label: str = ""              # this slot's own name, e.g. "Red 3" or "Pan fine"


@dataclass(frozen=True)
class ForeignMode:
    name: str
    slots: tuple[Slot | None, ...]   # None: an unused slot


@dataclass
class ForeignFixture:
    """Everything an importer read from one file."""

    id: str
    name: str
    manufacturer: str
    size_m: tuple[float, float, float] | None
    channels: dict[str, ForeignChannel]
    modes: list[ForeignMode]
    # pixel key -> (column, row) in the fixture's pixel grid; pixel groups are absent
    pixel_grid: dict[str, tuple[int, int]] = field(default_factory=dict)
    grid_size: tuple[int, int] | None = None          # (columns, rows)
    # per-mode grids where modes differ (QLC+ heads): mode name -> (pixel_grid, grid_size)
    mode_grids: dict[str, tuple[dict[str, tuple[int, int]], tuple[int, int]]] = field(
        default_factory=dict)
    notes: list[str] = field(default_factory=list)    # kept as comments in the YAML
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def grid_of(self, mode: str) -> tuple[dict[str, tuple[int, int]], tuple[int, int] | None]:
        return self.mode_grids.get(mode, (self.pixel_grid, self.grid_size))


@dataclass(frozen=True)
class ImportedProfile:
    """One of our profiles, ready to be written: ``channels`` in definition order."""

    id: str
    name: str
    manufacturer: str
    size_m: tuple[float, float, float] | None
    channels: dict[str, tuple[ForeignChannel, tuple[str, ...]]]  # name -> (channel, fine names)
    modes: dict[str, tuple[str | tuple[str, ...], ...]]  # items: a name, or a pixel block
    pixels: PixelLayout | None
    notes: tuple[str, ...] = ()
