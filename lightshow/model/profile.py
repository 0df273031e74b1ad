"""Fixture profiles: what a kind of fixture is, before it is patched anywhere.

Channels are defined once and modes list them (as the Open Fixture Library
does); a pixel fixture repeats its head channels once per pixel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from lightshow.diagnostics import SourceSpan


class ChannelKind(str, Enum):
    INTENSITY = "intensity"
    RED = "red"
    GREEN = "green"
    BLUE = "blue"
    WHITE = "white"
    AMBER = "amber"
    UV = "uv"
    PAN = "pan"
    TILT = "tilt"
    STROBE = "strobe"
    SHUTTER = "shutter"
    COLOR_TEMPERATURE = "color_temperature"
    CYAN = "cyan"
    MAGENTA = "magenta"
    YELLOW = "yellow"
    COLOR_WHEEL = "color_wheel"
    ZOOM = "zoom"
    FOCUS = "focus"
    IRIS = "iris"
    GOBO = "gobo"
    PRISM = "prism"
    FROST = "frost"
    HUE = "hue"
    SATURATION = "saturation"
    CTO = "cto"
    CTB = "ctb"
    TINT = "tint"
    GENERIC = "generic"


COLOUR_KINDS = frozenset({ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE,
                          ChannelKind.WHITE, ChannelKind.AMBER, ChannelKind.UV})
CMY_KINDS = (ChannelKind.CYAN, ChannelKind.MAGENTA, ChannelKind.YELLOW)
# hue and saturation of an HSI (HSV) fixture, rendered from the cue's RGB; its intensity
# channel is an ordinary intensity
HSI_KINDS = (ChannelKind.HUE, ChannelKind.SATURATION)
# kinds whose values are named slots (DMX ranges) rather than a level
SLOTTED_KINDS = frozenset({ChannelKind.COLOR_WHEEL, ChannelKind.GOBO, ChannelKind.PRISM})
# beam controls a cue sets as a level 0..1 (LTP); gobo and prism take a slot; strobe a rate
BEAM_LEVEL_KINDS = (ChannelKind.ZOOM, ChannelKind.FOCUS, ChannelKind.IRIS, ChannelKind.FROST)
# kinds whose DMX ranges can strobe at a rate (a cue's strobe_hz)
RATE_KINDS = frozenset({ChannelKind.STROBE, ChannelKind.SHUTTER})
# kinds that may list the DMX ranges that open and close the beam: a strobe or shutter
# channel, and a gobo wheel with a closed (blackout) position beside its open slot
OPENING_KINDS = RATE_KINDS | {ChannelKind.GOBO}
# colour-temperature corrections mixed in by amount (0 none, full the most): a CTO filter
# warms, a CTB filter cools
CORRECTION_KINDS = (ChannelKind.CTO, ChannelKind.CTB)
PIXEL_ORDERS = ("rows", "columns", "snake_rows", "snake_columns")
DIMMER_CURVES = ("linear", "square", "s_curve", "gamma")


@dataclass(frozen=True)
class WheelSlot:
    """One slot of a wheel (colour, gobo, prism): the DMX range that selects it whole.

    ``rgb`` is the light the slot lets through (white for an open slot); None for a
    gobo or prism slot, whose light is the fixture's own.  ``kelvin`` when the slot was
    written as a colour temperature (a CTO/CTB preset)."""

    name: str
    dmx: tuple[int, int]
    rgb: tuple[float, float, float] | None = None
    kelvin: float | None = None
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def value(self) -> int:
        """The DMX value that selects the slot: the middle of its range."""
        return (self.dmx[0] + self.dmx[1]) // 2


@dataclass(frozen=True)
class StrobeRate:
    """A DMX range of a strobe or shutter channel that strobes from ``hz[0]`` flashes per
    second at its first value to ``hz[1]`` at its last, linearly (the same rate twice: one
    fixed rate over the whole range)."""

    dmx: tuple[int, int]
    hz: tuple[float, float]
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ChannelDef:
    """A channel as the profile defines it once (coarse byte plus fine aliases)."""

    name: str
    kind: ChannelKind
    default: int = 0
    fine: tuple[str, ...] = ()
    range_deg: float | None = None
    # colour temperature at the channel's first DMX value and at its last (either order: a
    # channel may run from cool to warm)
    range_k: tuple[float, float] | None = None
    span: SourceSpan | None = field(default=None, compare=False)
    slots: tuple[WheelSlot, ...] = ()
    rates: tuple[StrobeRate, ...] = ()   # a strobe or shutter channel's rates, preferred first
    # a shutter's (or gobo wheel's) DMX ranges that open and close it: with both, a fixture
    # with no dimmer and no emitter (a lamp behind a mechanical shutter) is switched by it
    open: tuple[int, int] | None = None
    closed: tuple[int, int] | None = None

    @property
    def switches(self) -> bool:
        """Whether the channel can switch the light on and off: a strobe, shutter or gobo
        channel with open and closed known, or a colour wheel with a black slot (its off)."""
        if self.kind is ChannelKind.COLOR_WHEEL:
            return self.dark_slot is not None
        return self.kind in OPENING_KINDS and self.open is not None and self.closed is not None

    @property
    def cooler_up(self) -> bool:
        """Whether a colour-temperature channel runs from warm to cool as its value rises (the
        usual way; a ``range_k`` written from high to low says the other)."""
        return self.range_k is None or self.range_k[0] <= self.range_k[1]

    @property
    def dark_slot(self) -> "WheelSlot | None":
        """A colour wheel's first black slot (a colour macro's blackout), if it has one."""
        return next((s for s in self.slots if s.rgb is not None and max(s.rgb) <= 1e-4), None)

    @property
    def off_value(self) -> int | None:
        """The DMX value that switches the light off: the closed shutter or the black slot."""
        if not self.switches:
            return None
        if self.kind is ChannelKind.COLOR_WHEEL:
            return self.dark_slot.value
        return (self.closed[0] + self.closed[1]) // 2

    def slot_named(self, name: str) -> WheelSlot | None:
        for slot in self.slots:
            if slot.name == name:
                return slot
        return None


@dataclass(frozen=True)
class ModeChannel:
    """One DMX slot of a mode: which channel, which byte of it, which pixel head."""

    channel: str
    byte: int = 0          # 0 coarse, 1 fine, 2 ultra-fine
    head: int | None = None  # pixel index for head channels, None for fixture-wide


@dataclass(frozen=True)
class Mode:
    name: str
    channels: tuple[ModeChannel, ...]
    n_heads: int = 0
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @cached_property
    def atoms(self) -> tuple[tuple[int, int], ...]:
        """(first slot, slot count) of the atoms that auto-addressing keeps whole.

        Each pixel head is one atom; each run of fixture-wide slots is one atom.
        """
        runs: list[tuple[int, int]] = []
        current_key: object = object()
        for slot, channel in enumerate(self.channels):
            key = ("head", channel.head) if channel.head is not None else "wide"
            if key == current_key:
                first, count = runs[-1]
                runs[-1] = (first, count + 1)
            else:
                runs.append((slot, 1))
                current_key = key
        return tuple(runs)

    @cached_property
    def channel_slots(self) -> dict[tuple[str, int | None], tuple[int, ...]]:
        """(channel, head or None) -> its slot numbers, coarse byte first."""
        by_byte: dict[tuple[str, int | None], dict[int, int]] = {}
        for number, slot in enumerate(self.channels):
            by_byte.setdefault((slot.channel, slot.head), {})[slot.byte] = number
        return {key: tuple(numbers[b] for b in sorted(numbers)) for key, numbers in by_byte.items()}


def switch_channel(profile: "Profile", mode: "Mode") -> str | None:
    """The channel that gives a mode its intensity, on and off, when the mode has no dimmer
    and no emitter channel: the first strobe or shutter channel with open and closed ranges,
    else the first gobo wheel with them, else the first colour wheel with a black slot; None
    when there is none (or no need)."""
    kinds = {profile.channels[s.channel].kind for s in mode.channels}
    if ChannelKind.INTENSITY in kinds or kinds & COLOUR_KINDS:
        return None
    switching = [s.channel for s in mode.channels
                 if s.byte == 0 and profile.channels[s.channel].switches]
    for kinds in (RATE_KINDS, {ChannelKind.GOBO}):
        found = next((c for c in switching if profile.channels[c].kind in kinds), None)
        if found is not None:
            return found
    return switching[0] if switching else None


@dataclass(frozen=True)
class PixelLayout:
    columns: int
    rows: int = 1
    order: str = "rows"

    @property
    def n_pixels(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class DimmerCurve:
    kind: str = "linear"
    gamma: float = 1.0


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    manufacturer: str
    size_m: tuple[float, float, float]
    channels: dict[str, ChannelDef]
    modes: dict[str, Mode]
    pixels: PixelLayout | None = None
    dimmer_curve: DimmerCurve = DimmerCurve()
    path: str = ""
