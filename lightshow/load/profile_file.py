"""Fixture profile files (``fixtures/<id>.yaml``) -> :class:`Profile`."""

from __future__ import annotations

import bisect
import os

from lightshow.diagnostics import Diagnostic, did_you_mean
from lightshow.load.source import Source, read_source
from lightshow.model.profile import (
    DIMMER_CURVES,
    OPENING_KINDS,
    PIXEL_ORDERS,
    RATE_KINDS,
    SLOTTED_KINDS,
    ChannelDef,
    ChannelKind,
    DimmerCurve,
    Mode,
    ModeChannel,
    PixelLayout,
    Profile,
    StrobeRate,
    WheelSlot,
)
from lightshow.model.colour import ColourField, kelvin_rgb
from lightshow.schema.combinators import ListOf, Located, OneOf
from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.records import Field, MapOf, Record, Values, read_document
from lightshow.schema.scalars import Choice, Float, Int, Name, Str

MAX_MODE_CHANNELS = 65536
KIND_NAMES = tuple(k.value for k in ChannelKind)

MAX_SLOTS = 256
SLOT = Record(
    "slot",
    {
        "name": Field(Name("a slot name"), required=True, doc="what a cue calls the slot"),
        "dmx": Field(ListOf(Int(0, 255), 2, 2), required=True,
                     doc="[first, last] DMX value that selects the slot whole"),
        "color": Field(ColourField(), doc="the light a colour-wheel slot lets through "
                                          "(white for the open slot)"),
        "kelvin": Field(Float(1000, 20000, "K"), doc="a colour-temperature preset instead of color"),
    },
)
MAX_RATES = 64
MAX_HZ = 100.0
RATE = Record(
    "strobe rate",
    {
        "dmx": Field(ListOf(Int(0, 255), 2, 2), required=True,
                     doc="[first, last] DMX value of a range that strobes"),
        "hz": Field(ListOf(Float(0, MAX_HZ, "Hz"), 2, 2), required=True,
                    doc="[flashes per second at the first value, at the last] (linear between)"),
    },
)
CHANNEL = OneOf(
    Choice(KIND_NAMES, "a channel kind (" + ", ".join(KIND_NAMES) + ")"),
    Record(
        "channel",
        {
            "kind": Field(Choice(KIND_NAMES), required=True, doc="what the channel controls"),
            "default": Field(Int(0, 255), default=0, doc="DMX value when no cue drives it"),
            "fine": Field(
                OneOf(Name("a fine channel name"), ListOf(Name("a fine channel name"), 1, 2)),
                doc="names of the fine (16-bit) and ultra-fine (24-bit) bytes",
            ),
            "range_deg": Field(Float(0, 1080, "degrees"), doc="pan/tilt travel in degrees"),
            "range_k": Field(
                ListOf(Float(1000, 20000), 2, 2),
                doc="colour temperature in K [at the first DMX value, at the last]: [6500, 2700] "
                    "for a channel that warms as its value rises"
            ),
            "slots": Field(
                ListOf(SLOT, 1, MAX_SLOTS, partial=True),
                doc="named slots of a color_wheel, gobo or prism channel, each a whole DMX range",
            ),
            "open": Field(ListOf(Int(0, 255), 2, 2),
                          doc="[first, last] DMX value that opens a strobe, shutter or gobo "
                              "channel (a gobo wheel's open slot)"),
            "closed": Field(ListOf(Int(0, 255), 2, 2),
                            doc="[first, last] DMX value that closes it: with open, a fixture "
                                "without dimmer or emitters is switched by it"),
            "rates": Field(
                ListOf(RATE, 1, MAX_RATES, partial=True),
                doc="strobe rates of a strobe or shutter channel, preferred first: what a "
                    "cue's strobe_hz sends (its default is the shutter open)",
            ),
        },
    ),
    what="a channel kind or a mapping (channel)",
)
PIXEL_BLOCK = Record(
    "pixel block",
    {
        "pixels": Field(
            ListOf(Located(Name("a channel name")), 1, 8),
            required=True,
            doc="channels repeated once per pixel, in order",
        ),
    },
)
MODE_ITEM = OneOf(
    Located(Name("a channel name")), PIXEL_BLOCK, what="a channel name or {pixels: [channels]}"
)
MODE = Record(
    "mode",
    {
        "channels": Field(ListOf(MODE_ITEM, 1, partial=True), required=True, doc="DMX slots in order"),
    },
)
PIXELS = Record(
    "pixels",
    {
        "columns": Field(Int(1, 4096), required=True),
        "rows": Field(Int(1, 4096), default=1),
        "order": Field(
            Choice(PIXEL_ORDERS), default="rows", doc="pixel wiring order, from the top-left pixel"
        ),
    },
)
PROFILE = Record(
    "fixture profile",
    {
        "name": Field(Str(), required=True, doc="the fixture's model name"),
        "manufacturer": Field(Str(), default="Generic"),
        "size_m": Field(
            ListOf(Float(0, 1000, "m"), 3, 3),
            default=[0.2, 0.2, 0.2],
            doc="[width, height, depth] in metres",
        ),
        "dimmer_curve": Field(
            Choice(DIMMER_CURVES), default="linear", doc="curve from intensity to DMX value"
        ),
        "gamma": Field(Float(0.1, 5.0), default=2.2, doc="exponent when dimmer_curve is gamma"),
        "pixels": Field(PIXELS, doc="pixel heads of a pixel fixture"),
        "channels": Field(
            MapOf(CHANNEL, what="a mapping of channel names to channels"),
            required=True,
            doc="every channel, defined once",
        ),
        "modes": Field(
            MapOf(MODE, what="a mapping of mode names to modes"),
            required=True,
            doc="DMX modes, each listing channels in slot order",
        ),
    },
    doc="A lightshow fixture profile",
)


def profile_id_of(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_profile(source: Source) -> tuple[Profile | None, list[Diagnostic]]:
    """A composed profile file -> Profile (None when it has errors)."""
    ctx = ReadContext(source.path)
    values = read_document(source.root, PROFILE, ctx, "fixture profile")
    profile = None
    if values is not INVALID:
        profile = _build_profile(values, source.path, ctx)
    if ctx.diagnostics:
        profile = None
    return profile, ctx.diagnostics


def load_profile(path: str) -> tuple[Profile | None, list[Diagnostic], Source]:
    source = read_source(path)
    if source.root is None:
        if source.unreadable or source.diagnostics:
            return None, source.diagnostics, source
    profile, problems = read_profile(source)
    return profile, source.diagnostics + problems, source


def _channel_defs(values: Values, ctx: ReadContext) -> dict[str, tuple[ChannelDef, int]]:
    """name -> (definition, byte) for coarse names and their fine aliases."""
    names: dict[str, tuple[ChannelDef, int]] = {}
    channels = values["channels"]
    if channels in (INVALID, None):
        return names
    for name, (spec, span) in channels.items():
        if spec is INVALID:
            continue
        if isinstance(spec, str):
            names[name] = (ChannelDef(name, ChannelKind(spec), span=span), 0)
            continue
        if not spec.ok("kind", "default", "fine", "range_deg", "range_k", "slots", "rates", "open",
                       "closed"):
            continue
        kind = ChannelKind(spec["kind"])
        fine = spec["fine"]
        fine_names = (fine,) if isinstance(fine, str) else tuple(fine or ())
        if spec["range_deg"] is not None and kind not in (ChannelKind.PAN, ChannelKind.TILT):
            ctx.error_at(
                spec.span_of("range_deg"),
                "invalid-value",
                f"range_deg applies to pan and tilt channels, not {kind.value}",
            )
        if spec["range_k"] is not None and kind is not ChannelKind.COLOR_TEMPERATURE:
            ctx.error_at(
                spec.span_of("range_k"),
                "invalid-value",
                f"range_k applies to color_temperature channels, not {kind.value}",
            )
        definition = ChannelDef(
            name,
            kind,
            spec["default"],
            fine_names,
            spec["range_deg"],
            tuple(spec["range_k"]) if spec["range_k"] else None,
            span,
            _slots(name, kind, spec, ctx),
            _rates(kind, spec, ctx),
            *(_shutter_range(kind, spec, key, ctx) for key in ("open", "closed")),
        )
        names[name] = (definition, 0)
        for byte, fine_name in enumerate(fine_names, start=1):
            if fine_name in names or fine_name in channels:
                ctx.error_at(
                    spec.span_of("fine"),
                    "duplicate-channel",
                    f"fine channel name '{fine_name}' is already used",
                )
                continue
            names[fine_name] = (definition, byte)
    return names


def _kind_takes(kind: ChannelKind, kinds, spec: Values, key: str, rule: str,
                ctx: ReadContext) -> bool:
    """Whether a channel of ``kind`` may have ``key`` (``kinds`` may, as ``rule`` says); a
    positioned error where not."""
    if kind in kinds:
        return True
    ctx.error_at(spec.span_of(key), "invalid-value", f"{rule} channels, not {kind.value}")
    return False


class _DisjointRanges:
    """DMX ranges that do not overlap, each with what it belongs to, kept sorted by first
    value: only the neighbours of a new range can overlap it."""

    def __init__(self):
        self._starts: list[int] = []
        self._items: list = []          # each with .dmx (low, high), in the order of _starts

    def overlapping(self, low: int, high: int):
        """The item whose range overlaps [low, high], or None."""
        at = bisect.bisect_left(self._starts, low)
        return next((self._items[i] for i in (at - 1, at) if 0 <= i < len(self._items)
                     and self._items[i].dmx[0] <= high and low <= self._items[i].dmx[1]), None)

    def add(self, item) -> None:
        at = bisect.bisect_left(self._starts, item.dmx[0])
        self._starts.insert(at, item.dmx[0])
        self._items.insert(at, item)


def _slots(name: str, kind: ChannelKind, spec: Values, ctx: ReadContext) -> tuple[WheelSlot, ...]:
    """The checked slots of a channel: whole DMX ranges that do not overlap, unique names,
    a colour (or a colour temperature) on every colour-wheel slot."""
    items = spec["slots"]
    if items is None:
        if kind is ChannelKind.COLOR_WHEEL:
            ctx.error_at(spec.span, "missing-key",
                         f"color_wheel channel '{name}' needs 'slots' (name, dmx, color)")
        return ()
    if not _kind_takes(kind, SLOTTED_KINDS, spec, "slots",
                       "slots apply to color_wheel, gobo and prism", ctx):
        return ()
    slots: list[WheelSlot] = []
    by_name: dict[str, WheelSlot] = {}
    taken = _DisjointRanges()
    for item in items:
        if item is INVALID or not item.ok("name", "dmx", "color", "kelvin"):
            continue
        low, high = item["dmx"]
        if low > high:
            ctx.error_at(item.span_of("dmx"), "invalid-value",
                         f"slot '{item['name']}': dmx [{low}, {high}] runs backwards")
            continue
        rgb, kelvin = item["color"], item["kelvin"]
        if rgb is not None and kelvin is not None:
            ctx.error_at(item.span_of("kelvin"), "invalid-value",
                         f"slot '{item['name']}' has both color and kelvin; give one")
            continue
        if kind is ChannelKind.COLOR_WHEEL:
            if rgb is None and kelvin is None:
                ctx.error_at(item.span, "missing-key",
                             f"slot '{item['name']}' of color_wheel '{name}' needs 'color' or "
                             "'kelvin'")
                continue
            if kelvin is not None:
                rgb = kelvin_rgb(kelvin)
        elif rgb is not None or kelvin is not None:
            ctx.error_at(item.span_of("color" if rgb is not None else "kelvin"), "invalid-value",
                         f"slot '{item['name']}': a {kind.value} slot has no colour")
            continue
        if item["name"] in by_name:
            ctx.error_at(item.span_of("name"), "duplicate-slot",
                         f"channel '{name}' has two slots named '{item['name']}'")
            continue
        overlap = taken.overlapping(low, high)
        if overlap is not None:
            ctx.error_at(item.span_of("dmx"), "overlapping-slots",
                         f"slot '{item['name']}' dmx [{low}, {high}] overlaps slot "
                         f"'{overlap.name}' [{overlap.dmx[0]}, {overlap.dmx[1]}]")
            continue
        slot = WheelSlot(item["name"], (low, high),
                         tuple(float(v) for v in rgb) if rgb is not None else None,
                         kelvin, item.span)
        slots.append(slot)
        by_name[slot.name] = slot
        taken.add(slot)
    return tuple(slots)


def _shutter_range(kind: ChannelKind, spec: Values, key: str, ctx: ReadContext
                   ) -> tuple[int, int] | None:
    """A strobe, shutter or gobo channel's ``open`` or ``closed`` DMX range, checked."""
    found = spec[key]
    if found is None:
        return None
    if not _kind_takes(kind, OPENING_KINDS, spec, key, f"{key} applies to strobe, shutter and gobo",
                       ctx):
        return None
    if found[0] > found[1]:
        ctx.error_at(spec.span_of(key), "invalid-value",
                     f"{key} dmx [{found[0]}, {found[1]}] runs backwards")
        return None
    return (found[0], found[1])


def _rates(kind: ChannelKind, spec: Values, ctx: ReadContext) -> tuple[StrobeRate, ...]:
    """The checked strobe rates of a channel: forward DMX ranges that do not overlap, each
    strobing at some rate."""
    items = spec["rates"]
    if items is None:
        return ()
    if not _kind_takes(kind, RATE_KINDS, spec, "rates", "rates apply to strobe and shutter", ctx):
        return ()
    rates: list[StrobeRate] = []
    taken = _DisjointRanges()
    for item in items:
        if item is INVALID or not item.ok("dmx", "hz"):
            continue
        low, high = item["dmx"]
        if low > high:
            ctx.error_at(item.span_of("dmx"), "invalid-value",
                         f"strobe rate dmx [{low}, {high}] runs backwards")
            continue
        if max(item["hz"]) <= 0:
            ctx.error_at(item.span_of("hz"), "invalid-value",
                         "a strobe rate of 0 Hz is no strobe (the channel's default)")
            continue
        overlap = taken.overlapping(low, high)
        if overlap is not None:
            ctx.error_at(item.span_of("dmx"), "overlapping-slots",
                         f"strobe rate dmx [{low}, {high}] overlaps [{overlap.dmx[0]}, "
                         f"{overlap.dmx[1]}]")
            continue
        rates.append(StrobeRate((low, high), (item["hz"][0], item["hz"][1]), item.span))
        taken.add(rates[-1])
    return tuple(rates)


def _build_mode(
    name: str, spec: Values, span, defs, broken: set[str], pixels: PixelLayout | None,
    ctx: ReadContext,
) -> Mode | None:
    slots: list[ModeChannel] = []
    written: dict[tuple[str, int], tuple[str, object]] = {}  # (channel, byte) -> (name, span)
    used: set[str] = set()
    has_pixels = False
    n_heads = 0

    def resolve(item_name, item_span) -> tuple[ChannelDef, int] | None:
        if item_name in broken:  # its definition is already reported
            return None
        if item_name not in defs:
            ctx.error_at(
                item_span,
                "unknown-channel",
                f"mode '{name}' lists unknown channel '{item_name}'{did_you_mean(item_name, defs)}",
            )
            return None
        return defs[item_name]

    for item in spec["channels"]:
        if item is INVALID:
            continue
        if isinstance(item, tuple):  # a located channel name
            item_name, item_span = item
            found = resolve(item_name, item_span)
            if found is None:
                continue
            if item_name in used:
                ctx.error_at(
                    item_span,
                    "duplicate-channel",
                    f"mode '{name}' lists channel '{item_name}' twice",
                )
                continue
            used.add(item_name)
            definition, byte = found
            slots.append(ModeChannel(definition.name, byte, None))
            written[(definition.name, byte)] = (item_name, item_span)
            continue
        block_span = item.span
        if has_pixels:
            ctx.error_at(
                block_span, "invalid-value", f"mode '{name}' has more than one pixels block"
            )
            continue
        has_pixels = True
        if pixels is None:
            ctx.error_at(
                block_span,
                "missing-key",
                f"mode '{name}' repeats channels per pixel, but the profile "
                "has no 'pixels' (columns, rows)",
            )
            continue
        head_channels = []
        for head_item in item["pixels"] or ():
            if head_item is INVALID:
                continue
            found = resolve(*head_item)
            if found is not None:
                head_channels.append((found[0].name, found[1]))
        n_heads = pixels.n_pixels
        for head in range(n_heads):
            slots.extend(ModeChannel(channel, byte, head) for channel, byte in head_channels)
    # a fine byte needs its coarse byte in the same mode
    listed = {(s.channel, s.byte, s.head) for s in slots}
    for slot in slots:
        if slot.byte > 0 and (slot.channel, 0, slot.head) not in listed:
            fine_name, fine_span = written.get((slot.channel, slot.byte), (slot.channel, span))
            ctx.error_at(fine_span, "missing-coarse",
                         f"mode '{name}' lists '{fine_name}', the fine byte of '{slot.channel}', "
                         f"but not '{slot.channel}' itself")
            break
    if len(slots) > MAX_MODE_CHANNELS:
        ctx.error_at(
            span,
            "out-of-range",
            f"mode '{name}' has {len(slots)} channels; at most {MAX_MODE_CHANNELS} are supported",
        )
        return None
    return Mode(name, tuple(slots), n_heads, span)


def _build_profile(values: Values, path: str, ctx: ReadContext) -> Profile | None:
    if not values.ok(
        "name", "manufacturer", "size_m", "dimmer_curve", "gamma", "pixels", "channels", "modes"
    ):
        _channel_defs(values, ctx)  # still report what is wrong inside channels
        return None
    pixel_spec = values["pixels"]
    pixels = None
    if pixel_spec is not None and pixel_spec.ok("columns", "rows", "order"):
        pixels = PixelLayout(pixel_spec["columns"], pixel_spec["rows"], pixel_spec["order"])
    defs = _channel_defs(values, ctx)
    broken = {name for name, (spec, _) in values["channels"].items() if spec is INVALID}
    modes: dict[str, Mode] = {}
    for mode_name, (mode_spec, span) in values["modes"].items():
        if mode_spec is INVALID or not mode_spec.ok("channels"):
            continue
        mode = _build_mode(mode_name, mode_spec, span, defs, broken, pixels, ctx)
        if mode is not None:
            modes[mode_name] = mode
    if not values["modes"]:
        ctx.error_at(
            values.span_of("modes"), "wrong-length", "expected at least one mode, found none"
        )
    if not values["channels"]:
        ctx.error_at(
            values.span_of("channels"), "wrong-length", "expected at least one channel, found none"
        )
    size = values["size_m"]
    curve = DimmerCurve(values["dimmer_curve"], values["gamma"])
    channels = {name: d for name, (d, byte) in defs.items() if byte == 0}
    return Profile(
        profile_id_of(path),
        values["name"],
        values["manufacturer"],
        (size[0], size[1], size[2]),
        channels,
        modes,
        pixels,
        curve,
        path,
    )
