"""QLC+ fixture definitions (``.qxf`` XML, schema ``fixture.xsd``) -> :class:`ForeignFixture`.

A channel's kind comes from its ``Preset`` or from its ``Group`` and ``Colour``;
a fine channel (``Byte="1"`` or a ``...Fine`` preset) becomes the fine byte of
the coarse channel it belongs to (same function, same name without "fine").
Heads whose channels repeat the same functions become pixel heads, laid out as
the ``Layout`` (mode or fixture ``Physical``) says.

Fixture files carry a bare ``<!DOCTYPE FixtureDefinition>``; entity
declarations are refused before parsing (no expansion tricks, no external
entities), which is why the standard library parser is enough here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from lightshow.diagnostics import SourceSpan, warning
from lightshow.interop.foreign import (
    NEUTRAL_NAME,
    RANGE_K,
    SLOW_FAST_HZ,
    TINT_NAME,
    VALUE_NAME,
    colour_named,
    kelvin_range,
    strobe_rates,
    wheel_slots,
    ForeignChannel,
    ForeignFixture,
    ForeignMode,
    Slot,
)
from lightshow.interop.names import slug
from lightshow.interop.source_error import ImportFailure, position_of
from lightshow.model.profile import ChannelKind

UNSUPPORTED = "unsupported-capability"
MAX_RANGE_DEG = 1080
MAX_SLOTS = 65536
COLOURS = {"Red": ChannelKind.RED, "Green": ChannelKind.GREEN, "Blue": ChannelKind.BLUE,
           "White": ChannelKind.WHITE, "Amber": ChannelKind.AMBER, "UV": ChannelKind.UV,
           "Cyan": ChannelKind.CYAN, "Magenta": ChannelKind.MAGENTA, "Yellow": ChannelKind.YELLOW}
PRESET_PREFIXES = (("ColorWheel", ChannelKind.COLOR_WHEEL), ("ColorMacro", ChannelKind.COLOR_WHEEL),
                   ("GoboWheel", ChannelKind.GOBO), ("GoboMacro", ChannelKind.GOBO),
                   ("BeamZoom", ChannelKind.ZOOM), ("BeamFocus", ChannelKind.FOCUS),
                   ("BeamIris", ChannelKind.IRIS), ("ShutterIris", ChannelKind.IRIS),
                   ("Prism", ChannelKind.PRISM))
GROUPS = {"Colour": ChannelKind.COLOR_WHEEL, "Gobo": ChannelKind.GOBO, "Prism": ChannelKind.PRISM}
_HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")
PRESETS = {"IntensityMasterDimmer": ChannelKind.INTENSITY, "IntensityDimmer": ChannelKind.INTENSITY,
           "PositionPan": ChannelKind.PAN, "PositionTilt": ChannelKind.TILT,
           "ShutterStrobeSlowFast": ChannelKind.STROBE, "ShutterStrobeFastSlow": ChannelKind.STROBE,
           "ColorCTCMixer": ChannelKind.COLOR_TEMPERATURE,
           "ColorCTOMixer": ChannelKind.CTO, "ColorCTBMixer": ChannelKind.CTB,
           "IntensityHue": ChannelKind.HUE, "IntensitySaturation": ChannelKind.SATURATION,
           "IntensityValue": ChannelKind.INTENSITY,
           **{f"Intensity{name}": kind for name, kind in COLOURS.items()}}
# a shutter capability without a preset, by its name (as OFL's QLC+ import reads them)
_OPEN = re.compile(r"^(?:(?:shutter |strobe )?open|full?|on)$", re.IGNORECASE)
# a colour macro's capability that turns the light off: its black slot
_OFF = re.compile(r"^\s*(?:black ?out|off|dark|no light|lamp off|light off|closed?)\s*$", re.IGNORECASE)
_CLOSED = re.compile(r"^(?:blackout|(?:shutter |strobe )?closed?)$", re.IGNORECASE)
# a gobo wheel's positions that close the beam, and its open slot
_GOBO_CLOSED = re.compile(r"^\s*(?:black ?out|closed?|shutter closed?|dark|no light)\s*$", re.IGNORECASE)
_GOBO_OPEN = re.compile(r"^\s*(?:open|open gobo|gobo open|no gobo|white)\s*$", re.IGNORECASE)
# a dimmer within a multi-purpose channel ("Dimmer 0>100%", "Dimmer Min -> Max", "Shutter
# Closed -> Open"), and one that runs from full to dark as its value rises
_DIMMER = re.compile(r"^\s*(?:(?:master )?dimmer|intensity|shutter closed\s*-*>\s*open)\b(?!.*"
                     r"(?:speed|mode|curve|respon|fade|program|chase|sound|auto|macro|strob))",
                     re.IGNORECASE)
_FULL_TO_DARK = re.compile(r"100\s*%?\s*(?:>|-|to|->)\s*0|max\w*\s*(?:>|-|to|->)\s*min|"
                           r"open\s*(?:>|-|to|->)\s*clos|bright\w*\s*(?:>|-|to|->)\s*dark",
                           re.IGNORECASE)
# a channel whose name says it sets the colour temperature
_CCT_NAME = re.compile(r"colou?r\s*temp|\bcct\b|colou?r point|white point|kelvin", re.IGNORECASE)
_NOT_A_STROBE = re.compile(r"random|rnd|puls|ramp|sound|music|audio|lightning|burst|program|"
                           r"auto|reset|lamp|macro|no func|nothing|unused|not used|no strobe|"
                           r"clos|blackout|^\s*off\s*$", re.IGNORECASE)
_HZ_PAIR = re.compile(r"(\d+(?:\.\d+)?)\s*(?:hz)?\s*(?:-|to|–|…|\.{2,}|->|<->|→|>|~)\s*"
                      r"(\d+(?:\.\d+)?)\s*hz", re.IGNORECASE)
_HZ_ONE = re.compile(r"(\d+(?:\.\d+)?)\s*hz\b", re.IGNORECASE)
_FAST_FIRST = re.compile(r"fast.*slow", re.IGNORECASE)
_FINE_WORDS = re.compile(r"\b(fine|lsb|16 ?bit)\b", re.IGNORECASE)
_HEAD_SUFFIX = re.compile(r"\s*(\(\s*(head|pixel|cell|segment|led|section)?\s*\d+\s*\)|"
                          r"(head|pixel|cell|segment|led|section)?\s*#?\d+)\s*$", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return default


def _plain_name(name: str) -> str:
    return " ".join(_FINE_WORDS.sub(" ", name).split()).lower()


class _Channel:
    """One <Channel>: its kind, whether it is a fine byte, and what it matches."""

    def __init__(self, element: ET.Element, warn):
        self.name = element.get("Name", "").strip()
        if not self.name:
            raise ImportFailure("a <Channel> has no Name")
        self.default = max(0, min(255, _int(element.get("Default"))))
        preset = element.get("Preset")
        group = _child(element, "Group")
        colour = _text(_child(element, "Colour"))
        self.fine = False
        if preset:
            self.fine = preset.endswith("Fine")
            base = preset[:-4] if self.fine else preset
            # a fine preset names its family ("BeamZoomFine"), a coarse one its direction too
            # ("BeamZoomSmallBig"): the family pairs them
            self.signature = ("preset", next((prefix for prefix, _ in PRESET_PREFIXES
                                               if base.startswith(prefix)), base))
            self.kind = PRESETS.get(base) or next(
                (kind for prefix, kind in PRESET_PREFIXES if base.startswith(prefix)), None)
            if base == "IntensityLightness" and VALUE_NAME.fullmatch(self.name):
                # an HSL lightness is no intensity (full is white), but files use the preset
                # for an HSV or HSI fixture's brightness too: the name says which
                self.kind = ChannelKind.INTENSITY
            what = f"preset {preset}"
            quiet = preset == "NoFunction"
        else:
            group_name = _text(group) or "Nothing"
            self.fine = group is not None and group.get("Byte") == "1"
            self.signature = ("group", group_name, colour)
            what = f"group {group_name}" + (f" ({colour})" if colour else "")
            quiet = group_name == "Nothing"
            self.kind = self._group_kind(group_name, colour, element)
        self.slots = ()
        self.rates: tuple = ()
        self.open: tuple[int, int] | None = None
        self.closed: tuple[int, int] | None = None
        self.assumed_rates = False
        self.range_k: tuple[float, float] | None = None
        if self.kind in (ChannelKind.STROBE, ChannelKind.SHUTTER) and not self.fine:
            self._read_rates(element, preset)
        if self.kind in (ChannelKind.COLOR_WHEEL, ChannelKind.GOBO, ChannelKind.PRISM):
            self.slots = self._slots(element)
            if self.kind is ChannelKind.COLOR_WHEEL and not self.slots:
                self.kind = None
        if self.kind is None and not preset and not self.fine:
            self._unmapped(element, warn, what)
            if self.kind is ChannelKind.SHUTTER:
                self._read_rates(element, preset)
        if self.kind is ChannelKind.GOBO and not self.fine:
            self._gobo_opening(element)
        if self.kind is None:
            self.kind = ChannelKind.GENERIC
            if not quiet and not self.fine:  # a fine byte's warning is its coarse channel's
                warn(f"channel '{self.name}' ({what}) is imported as generic "
                     "(only its default value is sent)")

    def _unmapped(self, element: ET.Element, warn, what: str) -> None:
        """A channel its group does not give a kind: a green/magenta tint (a control with its
        neutral default), a colour temperature whose capability names its range in K, or a
        multi-purpose channel that opens and closes the beam (or dims it), imported as a
        shutter."""
        caps = _children(element, "Capability")
        if TINT_NAME.fullmatch(self.name):
            neutral = next(((_int(c.get("Min")) + _int(c.get("Max"))) // 2 for c in caps
                            if NEUTRAL_NAME.fullmatch((c.text or "").strip() or "-")), None)
            default = _int(element.get("Default"), -1) if element.get("Default") else neutral
            if default is not None and 0 <= default <= 255:
                self.kind, self.default = ChannelKind.TINT, default
                return
        if _CCT_NAME.search(self.name) or any(_CCT_NAME.search(c.text or "") for c in caps):
            ranges = [(c, kelvin_range(c.text or "")) for c in caps]
            ranges = [(c, k) for c, k in ranges if k is not None]
            if len(ranges) == 1 and _int(ranges[0][0].get("Max")) - _int(ranges[0][0].get("Min")) >= 230:
                self.kind, self.range_k = ChannelKind.COLOR_TEMPERATURE, ranges[0][1]
                return
        opened, closed = self._opening(caps)
        if opened is not None and closed is not None:
            self.kind = ChannelKind.SHUTTER
            warn(f"channel '{self.name}' ({what}) is imported as a shutter from the ranges that "
                 "open and close (or dim) the beam; its other capabilities are not represented")

    def _opening(self, caps: list[ET.Element]) -> tuple[tuple[int, int] | None,
                                                       tuple[int, int] | None]:
        """(open, closed) DMX ranges of a channel's capabilities: by ShutterOpen/ShutterClose
        presets or names, else the full and dark ends of a dimmer among them."""
        opened = closed = None
        dimmer = None
        for cap in caps:
            low, high = _int(cap.get("Min"), -1), _int(cap.get("Max"), -1)
            if not 0 <= low <= high <= 255:
                continue
            name, what = (cap.text or "").strip(), cap.get("Preset")
            if opened is None and (what == "ShutterOpen" or (not what and _OPEN.match(name))):
                opened = (low, high)
            if closed is None and (what == "ShutterClose" or (not what and _CLOSED.match(name))):
                closed = (low, high)
            if dimmer is None and not what and low < high and _DIMMER.match(name):
                dark, full = (high, low) if _FULL_TO_DARK.search(name) else (low, high)
                dimmer = ((full, full), (dark, dark))
        if dimmer is not None:
            opened, closed = opened or dimmer[0], closed or dimmer[1]
        return opened, closed

    def _gobo_opening(self, element: ET.Element) -> None:
        """A gobo wheel's closed position (blackout) and its open slot: it switches the beam."""
        opened = closed = None
        for cap in _children(element, "Capability"):
            low, high = _int(cap.get("Min"), -1), _int(cap.get("Max"), -1)
            if not 0 <= low <= high <= 255:
                continue
            name, what = (cap.text or "").strip(), cap.get("Preset")
            picture = (cap.get("Res1") or cap.get("Res") or "").lower()
            if closed is None and (what == "ShutterClose" or picture == "#000000"
                                   or _GOBO_CLOSED.match(name)):
                closed = (low, high)
            elif opened is None and (what == "ShutterOpen" or picture.endswith("open.svg")
                                     or _GOBO_OPEN.match(name)):
                opened = (low, high)
        if opened is not None and closed is not None:
            self.open, self.closed = opened, closed

    def _read_rates(self, element: ET.Element, preset: str | None) -> None:
        """Strobe rates from the capabilities' presets (StrobeFrequency, StrobeFreqRange,
        StrobeSlowToFast...) or, in a file without capability presets, their names; the
        default, when the file gives none, is the shutter open."""
        caps = _children(element, "Capability")
        slow, fast = SLOW_FAST_HZ
        found = []
        if not caps and preset in ("ShutterStrobeSlowFast", "ShutterStrobeFastSlow"):
            found.append((0, 255, *((slow, fast) if preset.endswith("SlowFast") else (fast, slow))))
            self.assumed_rates = True
        by_name = not any(c.get("Preset") for c in caps)
        for cap in caps:
            low, high = _int(cap.get("Min"), -1), _int(cap.get("Max"), -1)
            what, name = cap.get("Preset"), (cap.text or "").strip()
            if by_name:
                what = self._preset_by_name(name)
            whole = 0 <= low <= high <= 255
            if what == "ShutterOpen" and self.open is None and whole:
                self.open = (low, high)
            if what == "ShutterClose" and self.closed is None and whole:
                self.closed = (low, high)
            hz = self._rates_of(what, cap, name)
            if hz is not None:
                found.append((low, high, *hz))
        if self.open is None or self.closed is None:   # a dimmer in the channel: its ends
            opened, closed = self._opening(caps)
            self.open, self.closed = self.open or opened, self.closed or closed
        self.rates = strobe_rates(found)
        self.assumed_rates = self.assumed_rates and bool(self.rates)
        if element.get("Default") is None and self.open is not None:
            self.default = sum(self.open) // 2

    def _preset_by_name(self, name: str) -> str | None:
        if _OPEN.match(name):
            return "ShutterOpen"
        if _CLOSED.match(name):
            return "ShutterClose"
        if _NOT_A_STROBE.search(name) or not re.search(r"strob|flash", f"{name} {self.name}",
                                                         re.IGNORECASE):
            return None
        if _HZ_PAIR.search(name):
            return "StrobeFreqRange"
        if _HZ_ONE.search(name):
            return "StrobeFrequency"
        return "StrobeFastToSlow" if _FAST_FIRST.search(name) else "StrobeSlowToFast"

    def _rates_of(self, what: str | None, cap: ET.Element, name: str) -> tuple[float, float] | None:
        """(Hz at Min, Hz at Max) of one capability, or None when it is no plain strobe."""
        def number(text):
            try:
                return float(str(text).strip())
            except (TypeError, ValueError):
                return None

        slow, fast = SLOW_FAST_HZ
        if what in ("StrobeSlowToFast", "StrobeFastToSlow"):
            self.assumed_rates = True
            return (slow, fast) if what == "StrobeSlowToFast" else (fast, slow)
        if what == "StrobeFrequency":
            rate = number(cap.get("Res1") or cap.get("Res"))
            if rate is None and _HZ_ONE.search(name):
                rate = float(_HZ_ONE.search(name).group(1))
            return (rate, rate) if rate is not None else None
        if what == "StrobeFreqRange":
            first, last = number(cap.get("Res1")), number(cap.get("Res2"))
            pair = _HZ_PAIR.search(name)
            if (first is None or last is None) and pair:   # Res2 left out: the name says
                first, last = float(pair.group(1)), float(pair.group(2))
            return (first, last) if first is not None and last is not None else None
        return None

    def _slots(self, element: ET.Element) -> tuple:
        """Whole slots from <Capability Min Max Res1|Color="#rrggbb">Name</Capability>."""
        found = []
        for cap in _children(element, "Capability"):
            low, high = _int(cap.get("Min"), -1), _int(cap.get("Max"), -1)
            colour = cap.get("Res1") or cap.get("Color") or ""
            split = cap.get("Color2") or _HEX.match(cap.get("Res2") or "")   # two colours at once
            rgb = colour.lower() if _HEX.match(colour) and not split else None
            name = (cap.text or "").strip() or f"slot {len(found) + 1}"
            kelvin = _kelvin_in(name) if rgb is None else None
            if self.kind is ChannelKind.COLOR_WHEEL and kelvin is not None:
                found.append((name, low, high, None, kelvin))    # a colour-temperature preset: "White 3200K"
                continue
            if self.kind is ChannelKind.COLOR_WHEEL:
                if rgb is None and re.search(r"\bopen\b|\bwhite\b", name, re.IGNORECASE) \
                        and cap.get("Preset") not in ("ColorWheelIndex",):
                    rgb = "#ffffff"
                if rgb is None and cap.get("Preset") in (None, "ColorMacro", "ShutterClose"):
                    rgb = "#000000" if _OFF.match(name) else colour_named(name)
                if cap.get("Preset") not in (None, "ColorMacro", "ColorWheelIndex") and rgb is None:
                    continue
            else:
                rgb = None
            found.append((name, low, high, rgb, None))
        return wheel_slots(found, self.kind is ChannelKind.COLOR_WHEEL)

    @staticmethod
    def _group_kind(group: str, colour: str, element: ET.Element) -> ChannelKind | None:
        if group == "Intensity":
            return COLOURS.get(colour) if colour and colour != "Generic" else ChannelKind.INTENSITY
        if group in ("Pan", "Tilt"):
            return ChannelKind(group.lower())
        if group in GROUPS:
            return GROUPS[group]
        if group == "Shutter":
            caps = _children(element, "Capability")
            closes = any(c.get("Preset") == "ShutterClose" or re.search(
                r"clos|blackout", c.text or "", re.IGNORECASE) for c in caps)
            return ChannelKind.SHUTTER if closes else ChannelKind.STROBE
        return None


def _name_attribute(name: str) -> str:
    """How ``Name="..."`` is written in the file, to find where a channel is defined."""
    return 'Name="' + name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") + '"'


def _kelvin_in(name: str) -> float | None:
    """The colour temperature a capability's name gives ("White 2700K", "CTO 3200 K"), if any."""
    found = re.findall(r"(?<!\d)(\d{4,5})\s*K\b", name)
    if len(found) == 1 and RANGE_K[0] <= int(found[0]) <= RANGE_K[1]:    # one preset, not a range
        return float(found[0])
    return None


class _QlcReader:
    def __init__(self, root: ET.Element, text: str, path: str):
        self.root, self.text, self.path = root, text, path
        self.notes: list[str] = []
        self.diagnostics = []

    def warn(self, message: str, near: str | None = None) -> None:
        """A warning for this fixture, at the first ``near`` in its file (e.g. a channel's Name)."""
        line, col = position_of(self.text, near) if near else (0, 0)
        self.diagnostics.append(warning(UNSUPPORTED, message, SourceSpan(self.path, line, col)))

    def read(self) -> ForeignFixture:
        maker = _text(_child(self.root, "Manufacturer")) or "Generic"
        model = _text(_child(self.root, "Model"))
        if not model:
            raise ImportFailure("expected a <Model>, the fixture's name")
        physical = _child(self.root, "Physical")
        size_m, pan_deg, tilt_deg, layout = self._physical(physical, "")
        channels = [_Channel(e, lambda m, e=e: self.warn(m, _name_attribute(e.get("Name", ""))))
                    for e in _children(self.root, "Channel")]
        by_name = {c.name: c for c in channels}
        coarse_of = self._pair_fine(channels)
        fixture = ForeignFixture(slug(f"{maker}-{model}", "fixture", "-"), model, maker, size_m, {}, [])
        for channel in channels:
            if channel.name in coarse_of:
                continue
            range_deg = {ChannelKind.PAN: pan_deg, ChannelKind.TILT: tilt_deg}.get(channel.kind)
            fixture.channels[channel.name] = ForeignChannel(
                channel.name, channel.kind, channel.default, range_deg, channel.range_k,
                channel.slots, channel.rates, channel.open, channel.closed)
            if channel.assumed_rates:
                self.notes.append(f"channel '{channel.name}': strobe speeds given as slow to fast "
                                  f"are taken as {SLOW_FAST_HZ[0]:g} to {SLOW_FAST_HZ[1]:g} Hz")
        fixture.grid_size = layout
        modes = _children(self.root, "Mode")
        if not modes:
            raise ImportFailure("expected at least one <Mode>")
        fixture.modes = [self._mode(m, by_name, coarse_of, fixture, layout) for m in modes]
        fixture.notes, fixture.diagnostics = self.notes, self.diagnostics
        return fixture

    def _physical(self, physical: ET.Element | None, where: str):
        size_m = pan = tilt = layout = None
        if physical is None:
            return size_m, pan, tilt, layout
        facts = []
        dims = _child(physical, "Dimensions")
        if dims is not None:
            mm = [_int(dims.get(k), -1) for k in ("Width", "Height", "Depth")]
            if all(0 <= v <= 1_000_000 for v in mm):
                size_m = tuple(v / 1000 for v in mm)
            if dims.get("Weight"):
                facts.append(f"weight {dims.get('Weight')} kg")
        focus = _child(physical, "Focus")
        if focus is not None:
            pan, tilt = (_int(focus.get(k)) for k in ("PanMax", "TiltMax"))
            pan = pan if 0 < pan <= MAX_RANGE_DEG else None
            tilt = tilt if 0 < tilt <= MAX_RANGE_DEG else None
            facts.append(f"focus {focus.get('Type', '')}")
        grid = _child(physical, "Layout")
        if grid is not None:
            width, height = _int(grid.get("Width"), 1), _int(grid.get("Height"), 1)
            layout = (width, height) if width > 0 and height > 0 else None
        for name in ("Bulb", "Lens", "Technical"):
            element = _child(physical, name)
            if element is not None:
                facts.append(name.lower() + " " + ", ".join(f"{k} {v}" for k, v in element.attrib.items()
                                                           if v not in ("", "0")))
        if facts:
            self.notes.append(f"physical{where}: " + "; ".join(facts))
        return size_m, pan, tilt, layout

    def _pair_fine(self, channels: list[_Channel]) -> dict[str, str]:
        """fine channel name -> coarse channel name (same function, same name without 'fine')."""
        coarse_of: dict[str, str] = {}
        for index, fine in enumerate(channels):
            if not fine.fine:
                continue
            candidates = [c for c in channels if not c.fine and c.signature == fine.signature]
            named = [c for c in candidates if _plain_name(c.name) == _plain_name(fine.name)]
            before = [c for c in candidates if channels.index(c) < index]
            match = (named or before[-1:] or candidates[:1] or [None])[0]
            if match is None and (fine.slots or fine.rates):
                # whole DMX ranges named by its capabilities: a channel of its own, marked
                # Byte="1" by mistake
                self.warn(f"fine channel '{fine.name}' has no coarse channel; its capabilities "
                          f"name whole DMX values, so it is imported as a {fine.kind.value} "
                          "channel of its own", _name_attribute(fine.name))
                fine.fine = False
            elif match is None:
                self.warn(f"fine channel '{fine.name}' has no coarse channel; imported as generic",
                          _name_attribute(fine.name))
                fine.kind, fine.slots, fine.rates = ChannelKind.GENERIC, (), ()
            else:
                coarse_of[fine.name] = match.name
        return coarse_of

    def _mode(self, element: ET.Element, by_name, coarse_of, fixture: ForeignFixture,
              fixture_layout) -> ForeignMode:
        name = element.get("Name", "").strip() or "mode"
        _, _, _, layout = self._physical(_child(element, "Physical"), f" in mode '{name}'")
        numbered: dict[int, str] = {}
        for channel in _children(element, "Channel"):
            number, channel_name = _int(channel.get("Number"), -1), _text(channel)
            if not 0 <= number < MAX_SLOTS or number in numbered:
                line, col = position_of(self.text, f'Number="{channel.get("Number")}"')
                raise ImportFailure(f"mode '{name}': channel number {channel.get('Number')!r} is "
                                    f"invalid or repeated", line, col)
            if channel_name not in by_name:
                line, col = position_of(self.text, f">{channel_name}</")
                raise ImportFailure(f"mode '{name}' lists unknown channel '{channel_name}'",
                                    line, col, "unknown-channel")
            numbered[number] = channel_name
        n_slots = max(numbered, default=-1) + 1
        slots: list[Slot | None] = []
        for number in range(n_slots):
            channel_name = numbered.get(number)
            if channel_name is None:
                slots.append(None)
                continue
            coarse = coarse_of.get(channel_name, channel_name)
            slots.append(Slot(coarse, 1 if coarse != channel_name else 0, None, channel_name))
        heads = [sorted(n for n in (_int(_text(c), -1) for c in _children(head, "Channel"))
                        if n in numbered) for head in _children(element, "Head")]
        heads = [h for h in heads if h]
        if len(heads) > 1:
            self._heads(name, heads, slots, fixture, layout or fixture_layout)
        return ForeignMode(name, tuple(slots))

    def _heads(self, mode: str, heads: list[list[int]], slots: list, fixture: ForeignFixture,
               layout) -> None:
        """Mark the slots of heads that repeat the same functions as pixel slots."""
        def signature(number: int):
            slot = slots[number]
            return fixture.channels[slot.channel].kind, slot.byte

        first = [signature(n) for n in heads[0]]
        if any([signature(n) for n in head] != first for head in heads[1:]):
            self.warn(f"mode '{mode}': its heads do not all have the same channels; "
                      "they are imported as fixture-wide channels")
            return
        for position, number in enumerate(heads[0]):
            template = slots[number].channel
            key = f"(head) {template}"
            if key not in fixture.channels:
                channel = fixture.channels[template]
                label = _HEAD_SUFFIX.sub("", channel.label).strip() or channel.kind.value
                if label.lower() in {c.label.lower() for c in fixture.channels.values()}:
                    label += " pixel"  # the fixture-wide channel of other modes keeps the name
                fixture.channels[key] = ForeignChannel(label, channel.kind, channel.default,
                                                       channel.range_deg, channel.range_k,
                                                       channel.slots, channel.rates,
                                                       channel.open, channel.closed)
            for head, numbers in enumerate(heads):
                slot = slots[numbers[position]]
                slots[numbers[position]] = Slot(key, slot.byte, str(head + 1), slot.label)
        n = len(heads)
        if layout is not None and layout[0] * layout[1] == n:
            size = layout
        else:
            if layout is not None:
                self.warn(f"mode '{mode}': its layout {layout[0]}x{layout[1]} does not match its "
                          f"{n} heads; they are imported as one row")
            size = (n, 1)
        grid = {str(h + 1): (h % size[0], h // size[0]) for h in range(n)}
        fixture.mode_grids[mode] = (grid, size)


def read_qlcplus(text: str, path: str) -> ForeignFixture:
    """Parse a QLC+ ``.qxf``; raises :class:`ImportFailure` (positioned when possible)."""
    if "<!ENTITY" in text:
        line, col = position_of(text, "<!ENTITY")
        raise ImportFailure("entity declarations are not allowed in a fixture definition",
                            line, col, "invalid-xml")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ImportFailure(f"invalid XML: {str(exc).split(': line ')[0]}", line, col + 1,
                            "invalid-xml") from None
    if _local(root.tag) != "FixtureDefinition":
        raise ImportFailure(f"expected a <FixtureDefinition> (QLC+ fixture), found <{_local(root.tag)}>",
                            1, 1)
    return _QlcReader(root, text, path).read()
