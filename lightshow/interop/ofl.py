"""Open Fixture Library fixture JSON (schemas/fixture.json, channel.json, capability.json,
matrix.json) -> :class:`ForeignFixture`.

Channels get one of our kinds from their capabilities (the kind covering the
widest DMX range wins); fine aliases become fine bytes; template channels are
repeated per pixel or pixel group (``$pixelKey``); matrix inserts are expanded
as ``repeatFor`` and ``channelOrder`` say.  Switching channels are imported as
the channel they switch to at the switching channel's default value.
"""

from __future__ import annotations

import json
import re

from lightshow.diagnostics import SourceSpan, warning
from lightshow.interop.foreign import (
    NEUTRAL_NAME,
    RANGE_K,
    SLOW_FAST_HZ,
    TINT_NAME,
    VALUE_NAME,
    UNUSED,
    colour_named,
    strobe_rates,
    wheel_slots,
    UNUSED_KEY,
    ForeignChannel,
    ForeignFixture,
    ForeignMode,
    Slot,
)
from lightshow.interop.names import slug
from lightshow.interop.source_error import ImportFailure, ImportSkipped, position_of
from lightshow.model.profile import ChannelKind

UNSUPPORTED = "unsupported-capability"
PIXEL_KEY = "$pixelKey"
COLOURS = {"Red": ChannelKind.RED, "Green": ChannelKind.GREEN, "Blue": ChannelKind.BLUE,
           "White": ChannelKind.WHITE, "Warm White": ChannelKind.WHITE,
           "Cold White": ChannelKind.WHITE, "Amber": ChannelKind.AMBER, "UV": ChannelKind.UV,
           "Cyan": ChannelKind.CYAN, "Magenta": ChannelKind.MAGENTA, "Yellow": ChannelKind.YELLOW}
BEAM = {"Zoom": ChannelKind.ZOOM, "Focus": ChannelKind.FOCUS, "Iris": ChannelKind.IRIS,
        "Frost": ChannelKind.FROST, "Prism": ChannelKind.PRISM}
WHEEL_KINDS = {"Color": ChannelKind.COLOR_WHEEL, "Gobo": ChannelKind.GOBO,
               "Prism": ChannelKind.PRISM}
RESOLUTION_BYTES = {"8bit": 1, "16bit": 2, "24bit": 3}
MAX_RANGE_DEG = 1080
_NUMBER = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)(deg|K)\Z")
_SPEED = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)(Hz|bpm|%)\Z")
SPEED_KEYWORDS = {"stop": 0.0, "slow": 1.0, "fast": 100.0}   # percent, as OFL reads them
_DIGITS = re.compile(r"([0-9]+)")
# the Generic channels of an HSI fixture, by name ("Hue", "Saturation 2"; not "Hue Gel")
_HSI_NAME = re.compile(r"\s*(hue|saturation|sat)\s*[0-9]*\s*", re.IGNORECASE)
# colour-temperature keywords (capability.json's colorTemperature) of a correction filter mixed
# in by amount: from the fixture's own white ("default") to a CTO (warmer) or CTB (cooler)
CORRECTION_WORDS = {ChannelKind.CTO: {"CTO", "warm"}, ChannelKind.CTB: {"CTB", "cold"}}

Resolved = tuple[str, int, "str | None"]  # (channel key, byte, pixel)


def _natural_key(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in _DIGITS.split(text) if part]


def _unit_value(text, unit: str) -> float | None:
    match = _NUMBER.match(text) if isinstance(text, str) else None
    return float(match.group(1)) if match and match.group(2) == unit else None


def _capabilities(channel: dict) -> list[dict]:
    if isinstance(channel.get("capability"), dict):
        return [channel["capability"]]
    caps = channel.get("capabilities")
    if isinstance(caps, list) and caps and all(isinstance(c, dict) for c in caps):
        return caps
    raise ImportFailure("expected 'capability' (an object) or 'capabilities' (a list of objects)")


def _wheel_slot(cap: dict, wheels: dict) -> dict | None:
    """The slot a WheelSlot capability selects whole (an integer slotNumber), or None."""
    wheel = _wheel_of(cap, wheels)
    number = cap.get("slotNumber")
    if not isinstance(wheel, dict) or not isinstance(number, int) or isinstance(number, bool):
        return None
    slots = wheel.get("slots")
    if isinstance(slots, list) and 1 <= number <= len(slots) and isinstance(slots[number - 1], dict):
        return slots[number - 1]
    return None


def _wheel_of(cap: dict, wheels: dict) -> dict | None:
    """The wheel a capability is about: its ``wheel`` (a name, or a list of names for a
    capability that moves several wheels: the first), else the wheel named as its channel."""
    name = cap.get("wheel") or cap.get("_channel")
    if isinstance(name, list):
        name = next((n for n in name if isinstance(n, str)), None)
    wheel = wheels.get(name) if isinstance(name, str) else None
    return wheel if isinstance(wheel, dict) else None


def _wheel_kind(cap: dict, wheels: dict) -> ChannelKind | None:
    wheel = _wheel_of(cap, wheels)
    if not isinstance(wheel, dict) or not isinstance(wheel.get("slots"), list):
        return None
    types = {slot.get("type") for slot in wheel["slots"] if isinstance(slot, dict)}
    for name, kind in WHEEL_KINDS.items():
        if name in types:
            return kind
    return None


def _cap_kind(cap: dict, wheels: dict | None = None) -> ChannelKind | None:
    kind = cap.get("type")
    if kind == "ColorPreset":
        return ChannelKind.COLOR_WHEEL
    if kind in ("WheelSlot", "WheelShake", "WheelRotation", "WheelSlotRotation"):
        return _wheel_kind(cap, wheels or {})
    if kind in BEAM:
        return BEAM[kind]
    if kind == "Intensity":
        return ChannelKind.INTENSITY
    if kind == "ColorIntensity":
        return COLOURS.get(cap.get("color"))
    if kind in ("Pan", "Tilt"):
        return ChannelKind(kind.lower())
    if kind == "ShutterStrobe":
        return ChannelKind.SHUTTER if cap.get("shutterEffect") in ("Open", "Closed") else ChannelKind.STROBE
    if kind in ("StrobeSpeed", "StrobeDuration"):
        return ChannelKind.STROBE
    if kind == "ColorTemperature":
        return ChannelKind.COLOR_TEMPERATURE
    return None


def _cap_width(cap: dict) -> int:
    dmx = cap.get("dmxRange")
    if isinstance(dmx, list) and len(dmx) == 2 and all(isinstance(v, int) for v in dmx):
        return abs(dmx[1] - dmx[0]) + 1
    return 1


def _describe(cap: dict) -> str:
    what = cap.get("type", "?")
    if what == "ColorIntensity":
        what += f" {cap.get('color')}"
    dmx = cap.get("dmxRange")
    return what + (f" (DMX {dmx[0]}-{dmx[1]})" if isinstance(dmx, list) and len(dmx) == 2 else "")


def _ranges(kind: ChannelKind, caps: list[dict]):
    """(range_deg, range_k) from the capabilities of a pan/tilt or colour temperature channel."""
    if kind in (ChannelKind.PAN, ChannelKind.TILT):
        angles = [v for c in caps if _cap_kind(c) is kind
                  for v in (_unit_value(c.get(k), "deg") for k in ("angle", "angleStart", "angleEnd"))
                  if v is not None]
        travel = max(angles) - min(angles) if angles else 0
        return (travel if 0 < travel <= MAX_RANGE_DEG else None), None
    if kind is ChannelKind.COLOR_TEMPERATURE:
        # in DMX order: the channel's first and last colour temperature give its direction
        kelvin = [v for c in sorted((c for c in caps if _cap_kind(c) is kind), key=_cap_start)
                  for v in (_unit_value(c.get(k), "K") for k in
                            ("colorTemperature", "colorTemperatureStart", "colorTemperatureEnd"))
                  if v is not None]
        if kelvin and RANGE_K[0] <= min(kelvin) < max(kelvin) <= RANGE_K[1]:
            steps = [b - a for a, b in zip(kelvin, kelvin[1:])]
            if all(step <= 0 for step in steps):   # cool to warm as the value rises
                return None, (max(kelvin), min(kelvin))
            return None, (min(kelvin), max(kelvin))
    return None, None


def _cap_start(cap: dict) -> int:
    dmx = cap.get("dmxRange")
    return min(dmx) if isinstance(dmx, list) and len(dmx) == 2 and all(
        isinstance(v, int) for v in dmx) else 0


def _correction(caps: list[dict]) -> ChannelKind | None:
    """CTO or CTB for a colour-temperature channel that mixes in a correction filter by amount
    (its keywords run from "default" to "CTO" or "warm", or to "CTB" or "cold"), else None."""
    words = {c.get(k) for c in caps if c.get("type") == "ColorTemperature"
             for k in ("colorTemperature", "colorTemperatureStart", "colorTemperatureEnd")} - {None}
    for kind, towards in CORRECTION_WORDS.items():
        if "default" in words and words - {"default"} and words - {"default"} <= towards:
            return kind
    return None


def _classify(label: str, caps: list[dict], warn, wheels: dict | None = None,
              hsv: bool = False) -> tuple[ChannelKind, list[dict]]:
    """Our kind for a channel, and the capabilities that kind does not represent.  ``hsv``:
    the fixture has a hue channel, so a generic 'Value' or 'Brightness' is its intensity."""
    working = [c for c in caps if c.get("type") != "NoFunction"]
    if not working:
        return ChannelKind.GENERIC, []
    if hsv and VALUE_NAME.fullmatch(label) and all(c.get("type") == "Generic" for c in working):
        return ChannelKind.INTENSITY, []
    widths: dict[ChannelKind, int] = {}
    for cap in working:
        kind = _cap_kind(cap, wheels)
        if kind is not None:
            widths[kind] = widths.get(kind, 0) + _cap_width(cap)
    hsi = _HSI_NAME.fullmatch(label)
    if hsi and all(c.get("type") in ("Generic", "Intensity") for c in working):
        # OFL has no hue type: an HSI fixture's channels are Generic (or Intensity), named so
            return (ChannelKind.HUE if hsi.group(1).lower() == "hue"
                    else ChannelKind.SATURATION), []
    if not widths:
        warn(f"channel '{label}' is imported as generic (only its default value is sent): "
             + ", ".join(_describe(c) for c in working[:6]) + (" ..." if len(working) > 6 else ""))
        return ChannelKind.GENERIC, []
    if set(widths) <= {ChannelKind.SHUTTER, ChannelKind.STROBE}:
        closed = any(c.get("shutterEffect") == "Closed" for c in working)
        kind = ChannelKind.SHUTTER if closed else max(widths, key=widths.get)
        left = [c for c in working
                if _cap_kind(c, wheels) not in (ChannelKind.SHUTTER, ChannelKind.STROBE)]
    else:
        kind = max(widths, key=widths.get)
        left = [c for c in working if _cap_kind(c, wheels) is not kind]
    if left:
        warn(f"channel '{label}' is imported as {kind.value}; not represented: "
             + ", ".join(_describe(c) for c in left[:6]) + (" ..." if len(left) > 6 else ""))
    return kind, left


def _n_bytes(channel: dict) -> int:
    return RESOLUTION_BYTES.get(channel.get("dmxValueResolution"),
                                1 + len(channel.get("fineChannelAliases") or ()))


def _dmx_value(value, n_bytes: int) -> int | None:
    """A DMX value in the channel's resolution (int or "50%"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.endswith("%"):
        try:
            return round(float(value[:-1]) / 100 * (256 ** n_bytes - 1))
        except ValueError:
            return None
    return None


def _coarse_default(channel: dict) -> int:
    n_bytes = _n_bytes(channel)
    value = _dmx_value(channel.get("defaultValue"), n_bytes)
    if value is None:
        return 0
    return max(0, min(255, value >> (8 * (n_bytes - 1))))


def _slots_of(kind: ChannelKind, caps: list[dict], wheels: dict, n_bytes: int) -> tuple:
    """Whole slots of a colour wheel (WheelSlot, ColorPreset), gobo or prism channel."""
    if kind not in WHEEL_KINDS.values() or n_bytes != 1:
        return ()
    found = []
    for number, cap in enumerate(caps, 1):
        dmx = cap.get("dmxRange")
        if not (isinstance(dmx, list) and len(dmx) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) for v in dmx)):
            continue
        slot = cap if cap.get("type") == "ColorPreset" else (
            _wheel_slot(cap, wheels) if cap.get("type") == "WheelSlot" else None)
        if slot is None and kind is ChannelKind.COLOR_WHEEL and _is_off(cap):
            slot = {"name": "off", "colors": ["#000000"]}   # the macro's blackout: a black slot
        if slot is None:
            continue
        what = slot.get("type", "Color")
        colours = slot.get("colors")
        rgb = kelvin = None
        if kind is not ChannelKind.COLOR_WHEEL:
            pass   # a gobo or prism slot is named only
        elif what == "Open":
            rgb = "#ffffff"
        elif what == "Closed":   # the wheel's closed slot lets no light through: its off
            rgb = "#000000"
        elif isinstance(colours, list) and len(colours) == 1 and isinstance(colours[0], str) \
                and re.fullmatch(r"#[0-9a-fA-F]{6}", colours[0]):
            rgb = colours[0].lower()
        else:
            kelvin = _unit_value(slot.get("colorTemperature"), "K")
        name = slot.get("name") or cap.get("comment") or (
            what.lower() if what in ("Open", "Closed") else f"{what} {number}")
        if kind is ChannelKind.COLOR_WHEEL and rgb is None and kelvin is None:
            rgb = colour_named(str(name))   # a slot named as one colour, with no colour given
        found.append((str(name), dmx[0], dmx[1], rgb, kelvin))
    return wheel_slots(found, kind is ChannelKind.COLOR_WHEEL)


def _speed_hz(speed) -> tuple[float, bool] | None:
    """A strobe speed (``"12Hz"``, ``"120bpm"``, ``"50%"``, ``"slow"``) in Hz, and whether
    it is assumed (percent and keywords: SLOW_FAST_HZ from 1 % to 100 %)."""
    if not isinstance(speed, str):
        return None
    if speed in SPEED_KEYWORDS:
        percent = SPEED_KEYWORDS[speed]
    else:
        match = _SPEED.match(speed)
        if match is None:
            return None
        value, unit = float(match.group(1)), match.group(2)
        if unit != "%":
            return (value if unit == "Hz" else value / 60), False
        percent = value
    if percent <= 0:
        return 0.0, True
    slow, fast = SLOW_FAST_HZ
    return slow + (fast - slow) * (percent - 1) / 99, True


def _rates_of(caps: list[dict], n_bytes: int) -> tuple[tuple, bool]:
    """Strobe rates of a shutter or strobe channel (its plain strobe capabilities: not random,
    not sound-controlled; those without a comment first, as the others are variants such as
    a zone), and whether a rate was assumed."""
    if n_bytes != 1:
        return (), False
    plain: list = []
    variants: list = []
    assumed = False
    for cap in caps:
        if cap.get("type") != "ShutterStrobe" or cap.get("shutterEffect") != "Strobe" \
                or cap.get("randomTiming") or cap.get("soundControlled"):
            continue
        dmx = cap.get("dmxRange", [0, 255])
        if not (isinstance(dmx, list) and len(dmx) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) for v in dmx)):
            continue
        ends = ((cap.get("speedStart"), cap.get("speedEnd")) if "speedStart" in cap
                else (cap.get("speed"), cap.get("speed")))
        speeds = [_speed_hz(v) for v in ends]
        if None in speeds:
            continue
        assumed = assumed or any(a for _, a in speeds)
        start, end = speeds[0][0], speeds[1][0]
        if dmx[0] > dmx[1]:   # a range written from its last value
            start, end = end, start
        (variants if cap.get("comment") else plain).append((min(dmx), max(dmx), start, end))
    rates = strobe_rates(plain + variants)
    return rates, assumed and bool(rates)


def _whole_range(cap: dict) -> tuple[int, int] | None:
    dmx = cap.get("dmxRange", [0, 255])
    if isinstance(dmx, list) and len(dmx) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in dmx):
        return min(dmx), max(dmx)
    return None


def _shutter_range(caps: list[dict], effect: str, wheels: dict | None = None
                   ) -> tuple[int, int] | None:
    """A shutter (or gobo wheel) channel's first 8-bit range that opens or closes the beam
    (``effect`` Open or Closed): a ShutterStrobe capability with that ``shutterEffect``, a wheel
    slot of that type, or a dimming capability's end that is dark (Closed) or full (Open)."""
    for cap in caps:
        dmx = _whole_range(cap)
        if dmx is None:
            continue
        if cap.get("type") == "ShutterStrobe" and cap.get("shutterEffect") == effect:
            return dmx
        slot = _wheel_slot(cap, wheels or {}) if cap.get("type") == "WheelSlot" else None
        if slot is not None and slot.get("type") == effect:
            return dmx
    for cap in caps:   # a dimmer within the channel: its dark end closes, its full end opens
        dmx = _whole_range(cap)
        ends = _dimming_ends(cap)
        if dmx is None or ends is None:
            continue
        first, last = cap["dmxRange"]
        value = (first, last)[ends.index("off" if effect == "Closed" else "full")]
        return value, value
    return None


def _dimming_ends(cap: dict) -> tuple[str, str] | None:
    """("off", "full") or ("full", "off") for an Intensity capability that dims from dark to
    full (or back) over its DMX range, else None."""
    if cap.get("type") != "Intensity":
        return None
    ends = tuple("off" if v in ("off", "0%", "dark") else "full" if v in ("100%", "bright")
                 else None for v in (cap.get("brightnessStart"), cap.get("brightnessEnd")))
    return ends if set(ends) == {"off", "full"} else None


def _is_off(cap: dict) -> bool:
    """A capability that turns the light off: a closed shutter, or intensity off."""
    if cap.get("type") == "ShutterStrobe":
        return cap.get("shutterEffect") == "Closed"
    if cap.get("type") == "Intensity":
        ends = ({cap.get("brightness")} if "brightness" in cap
                else {cap.get("brightnessStart"), cap.get("brightnessEnd")})
        return ends <= {"off", "0%", "dark"}
    return False


def _tint_default(name: str, channel: dict, caps: list[dict]) -> int | None:
    """The neutral default of a green/magenta tint control (named so, its capabilities all
    Generic): its defaultValue, else the middle of its capability commented as neutral; None
    when it is no such control or says no neutral value."""
    working = [c for c in caps if c.get("type") != "NoFunction"]
    if not TINT_NAME.fullmatch(name) or not working or any(
            c.get("type") != "Generic" for c in working):
        return None
    if _dmx_value(channel.get("defaultValue"), _n_bytes(channel)) is not None:
        return _coarse_default(channel)
    for cap in working:
        dmx = cap.get("dmxRange")
        if NEUTRAL_NAME.fullmatch(str(cap.get("comment", "-"))) and isinstance(dmx, list) \
                and len(dmx) == 2 and all(isinstance(v, int) for v in dmx):
            return max(0, min(255, (sum(dmx) // 2) >> (8 * (_n_bytes(channel) - 1))))
    return None


def _read_channel(label: str, channel: dict, warn, wheels: dict | None = None,
                  notes: list[str] | None = None, hsv: bool = False) -> ForeignChannel:
    if not isinstance(channel, dict):
        raise ImportFailure(f"channel '{label}' must be an object")
    try:
        caps = _capabilities(channel)
    except ImportFailure as exc:
        raise ImportFailure(f"channel '{label}': {exc.message}") from None
    name = str(channel.get("name") or label).replace(PIXEL_KEY, "").strip() or "pixel"
    wheels = wheels or {}
    caps = [{**c, "_channel": label} if c.get("type", "").startswith("Wheel") else c for c in caps]
    tint = _tint_default(name, channel, caps)
    if tint is not None:   # a control with its default: the white's green/magenta balance
        return ForeignChannel(name, ChannelKind.TINT, tint)
    kind, _ = _classify(name, caps, warn, wheels, hsv)
    if kind is ChannelKind.COLOR_TEMPERATURE:
        kind = _correction(caps) or kind
    range_deg, range_k = _ranges(kind, caps)
    slots = _slots_of(kind, caps, wheels, _n_bytes(channel))
    if kind is ChannelKind.COLOR_WHEEL and not slots:
        warn(f"channel '{name}': no whole colour slot to select; imported as generic")
        kind = ChannelKind.GENERIC
    default, rates, opened, closed = _coarse_default(channel), (), None, None
    if kind in (ChannelKind.SHUTTER, ChannelKind.STROBE) and _n_bytes(channel) == 1:
        rates, assumed = _rates_of(caps, _n_bytes(channel))
        if assumed and notes is not None:
            notes.append(f"channel '{name}': strobe speeds given as slow to fast (or in percent) "
                         f"are taken as {SLOW_FAST_HZ[0]:g} to {SLOW_FAST_HZ[1]:g} Hz")
        opened, closed = _shutter_range(caps, "Open"), _shutter_range(caps, "Closed")
        if opened is not None and "defaultValue" not in channel:
            default = sum(opened) // 2   # no default given: the shutter open, so the light shows
    if kind is ChannelKind.GOBO and _n_bytes(channel) == 1:   # a closed position beside an open one
        opened, closed = _shutter_range(caps, "Open", wheels), _shutter_range(caps, "Closed", wheels)
        if opened is None or closed is None:
            opened = closed = None
    return ForeignChannel(name, kind, default, range_deg, range_k, slots, rates, opened, closed)


def _default_capability(channel: dict) -> dict | None:
    caps = channel.get("capabilities") or []
    value = _dmx_value(channel.get("defaultValue"), _n_bytes(channel))
    for cap in caps:
        dmx = cap.get("dmxRange")
        if value is not None and isinstance(dmx, list) and len(dmx) == 2 and dmx[0] <= value <= dmx[1]:
            return cap
    return caps[0] if caps else None


def _is_hue(key: str, channel) -> bool:
    """Whether a channel is an HSI fixture's hue (OFL has no hue type: Generic, named so)."""
    if not isinstance(channel, dict):
        return False
    name = str(channel.get("name") or key).replace(PIXEL_KEY, "")
    found = _HSI_NAME.fullmatch(name)
    try:
        caps = _capabilities(channel)
    except ImportFailure:
        return False
    return bool(found) and found.group(1).lower() == "hue" and all(
        c.get("type") in ("Generic", "Intensity", "NoFunction") for c in caps)


class _Matrix:
    """Pixel keys with their (column, row) in our grid, and pixel group keys."""

    def __init__(self, matrix: dict, notes: list[str]):
        self.grid: dict[str, tuple[int, int]] = {}
        self.order: list[tuple[str, tuple[int, int, int]]] = []   # key, (x, y, z) 1-based
        if isinstance(matrix.get("pixelCount"), list) and len(matrix["pixelCount"]) == 3:
            counts = [int(n) for n in matrix["pixelCount"]]
            wide = [axis for axis in range(3) if counts[axis] > 1]
            for z in range(1, counts[2] + 1):
                for y in range(1, counts[1] + 1):
                    for x in range(1, counts[0] + 1):
                        pos = (x, y, z)
                        if len(wide) <= 1:
                            key = str(max(pos))
                        elif len(wide) == 2:
                            key = "(" + ", ".join(str(pos[a]) for a in wide) + ")"
                        else:
                            key = f"({x}, {y}, {z})"
                        self.order.append((key, pos))
        elif isinstance(matrix.get("pixelKeys"), list):
            counts = [1, 1, len(matrix["pixelKeys"])]
            for z, plane in enumerate(matrix["pixelKeys"], 1):
                counts[1] = max(counts[1], len(plane))
                for y, line in enumerate(plane, 1):
                    counts[0] = max(counts[0], len(line))
                    self.order.extend((key, (x, y, z)) for x, key in enumerate(line, 1)
                                      if isinstance(key, str))
        else:
            raise ImportFailure("matrix needs 'pixelCount' or 'pixelKeys'")
        wide = [axis for axis in range(3) if counts[axis] > 1] or [0]
        if len(wide) == 3:
            notes.append(f"3-D pixel matrix {counts[0]}x{counts[1]}x{counts[2]} laid out as "
                         f"{counts[0]} columns by {counts[1] * counts[2]} rows")
            self.size = (counts[0], counts[1] * counts[2])
            self.grid = {k: (p[0] - 1, (p[2] - 1) * counts[1] + p[1] - 1) for k, p in self.order}
        else:
            first, second = (wide + [None])[:2]
            self.size = (counts[first], counts[second] if second is not None else 1)
            self.grid = {k: (p[first] - 1, p[second] - 1 if second is not None else 0)
                         for k, p in self.order}
        groups = matrix.get("pixelGroups") or {}
        self.groups = list(groups) if isinstance(groups, dict) else []

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.order] + self.groups

    def repeat_keys(self, repeat_for) -> list[str]:
        if isinstance(repeat_for, list) and all(isinstance(k, str) for k in repeat_for):
            return repeat_for
        if repeat_for == "eachPixelGroup":
            return list(self.groups)
        if repeat_for == "eachPixelABC":
            return sorted((k for k, _ in self.order), key=_natural_key)
        axes = re.fullmatch(r"eachPixel([XYZ])([XYZ])([XYZ])", str(repeat_for))
        if axes is None or len(set(axes.groups())) != 3:
            raise ImportFailure(f"unknown repeatFor {repeat_for!r}")
        fastest_first = ["XYZ".index(a) for a in axes.groups()]
        return [k for k, pos in sorted(self.order,
                                       key=lambda kp: tuple(kp[1][a] for a in reversed(fastest_first)))]


class _OflReader:
    def __init__(self, data: dict, path: str, manufacturers: dict, raw_text: str):
        self.data, self.path, self.raw_text = data, path, raw_text
        self.fixture = self._new_fixture(manufacturers)
        self.resolve: dict[str, Resolved] = {}

    def warn(self, message: str, near: str | None = None) -> None:
        """A warning for this fixture, at the first ``near`` in its file (e.g. a channel's key)."""
        line, col = position_of(self.raw_text, near) if near else (0, 0)
        self.fixture.diagnostics.append(warning(UNSUPPORTED, message, SourceSpan(self.path, line, col)))

    def _new_fixture(self, manufacturers: dict) -> ForeignFixture:
        parts = self.path.replace("\\", "/").split("/")
        stem = parts[-1].rsplit(".", 1)[0]
        maker_key = parts[-2] if len(parts) > 1 else ""
        maker = manufacturers.get(maker_key, {}).get("name") if isinstance(
            manufacturers.get(maker_key), dict) else None
        name = self.data.get("name")
        if not isinstance(name, str) or not name:
            raise ImportFailure("expected 'name', the fixture's name (is this an Open Fixture "
                                "Library fixture?)", *position_of(self.raw_text, "{"))
        profile_id = slug(f"{maker_key}-{stem}" if maker_key else stem, "fixture", "-")
        return ForeignFixture(profile_id, name, maker or maker_key.replace("-", " ").title() or "Generic",
                              None, {}, [])

    def read(self) -> ForeignFixture:
        self._read_physical(self.data.get("physical"), "")
        matrix = None
        if "matrix" in self.data:
            matrix = _Matrix(self.data["matrix"] or {}, self.fixture.notes)
            self.fixture.pixel_grid, self.fixture.grid_size = matrix.grid, matrix.size
        channels = self.data.get("availableChannels") or {}
        templates = self.data.get("templateChannels") or {}
        if not isinstance(channels, dict) or not isinstance(templates, dict):
            raise ImportFailure("availableChannels and templateChannels must be objects")
        self.hsv = any(_is_hue(key, channel) for key, channel in
                       [*channels.items(), *templates.items()])
        for key, channel in channels.items():
            self._add_channel(key, channel, [None])
        pixel_keys = matrix.keys if matrix is not None else []
        for key, channel in templates.items():
            self._add_channel(key, channel, pixel_keys)
        self._add_switching(channels, [None])
        self._add_switching(templates, pixel_keys)
        modes = self.data.get("modes")
        if not isinstance(modes, list) or not modes:
            raise ImportFailure("expected 'modes', a list of at least one mode")
        self.fixture.channels[UNUSED_KEY] = UNUSED
        self.fixture.modes = [self._read_mode(mode, matrix) for mode in modes]
        return self.fixture

    def _read_physical(self, physical, where: str) -> None:
        if not isinstance(physical, dict):
            return
        dims = physical.get("dimensions")
        if (not where and isinstance(dims, list) and len(dims) == 3
                and all(isinstance(v, (int, float)) and 0 <= v <= 1e6 for v in dims)):
            self.fixture.size_m = tuple(float(v) / 1000 for v in dims)
        facts = []
        if where and dims:
            facts.append(f"dimensions {dims} mm")
        for key, unit in (("weight", " kg"), ("power", " W"), ("DMXconnector", "")):
            if key in physical:
                facts.append(f"{key} {physical[key]}{unit}")
        for key in ("bulb", "lens", "matrixPixels", "powerConnectors"):
            if isinstance(physical.get(key), dict):
                facts.append(f"{key} " + ", ".join(f"{k} {v}" for k, v in physical[key].items()))
        if facts:
            self.fixture.notes.append(f"physical{where}: " + "; ".join(facts))

    def _add_channel(self, key: str, channel, pixels: list) -> None:
        wheels = self.data.get("wheels")
        self.fixture.channels[key] = _read_channel(key, channel, lambda m, k=key: self.warn(m, f'"{k}":'),
                                                   wheels if isinstance(wheels, dict) else {},
                                                   self.fixture.notes, self.hsv)
        fine = channel.get("fineChannelAliases") or []
        if len(fine) > 2:
            raise ImportFailure(f"channel '{key}' has {len(fine)} fine channels; at most 2 (24 bit) "
                                "are supported")
        for pixel in pixels:
            for byte, alias in enumerate([key, *fine]):
                name = alias if pixel is None else alias.replace(PIXEL_KEY, pixel)
                self.resolve[name] = (key, byte, pixel)

    def _add_switching(self, channels: dict, pixels: list) -> None:
        for key, channel in channels.items():
            cap = _default_capability(channel)
            switches = (cap or {}).get("switchChannels")
            if not isinstance(switches, dict):
                continue
            options = {alias: sorted({c.get("switchChannels", {}).get(alias) for c in
                                      channel.get("capabilities", [])} - {None})
                       for alias in switches}
            for alias, target in switches.items():
                self.warn(f"channel '{key}' switches '{alias}' between {', '.join(options[alias])}; "
                          f"imported as '{target}', the one at its default value", f'"{key}":')
                for pixel in pixels:
                    name = alias if pixel is None else alias.replace(PIXEL_KEY, pixel)
                    to = target if pixel is None else target.replace(PIXEL_KEY, pixel)
                    if to in self.resolve:
                        self.resolve[name] = self.resolve[to]

    def _slot(self, key, pixel: str | None = None) -> Slot:
        if key is None:
            return Slot(UNUSED_KEY, 0, pixel, "unused")
        if not isinstance(key, str) or key not in self.resolve:
            line, col = position_of(self.raw_text, json.dumps(key)) if isinstance(key, str) else (0, 0)
            raise ImportFailure(f"a mode lists unknown channel {key!r}", line, col, "unknown-channel")
        channel, byte, at = self.resolve[key]
        return Slot(channel, byte, at, key)

    def _read_mode(self, mode, matrix: _Matrix | None) -> ForeignMode:
        if not isinstance(mode, dict) or not isinstance(mode.get("name"), str):
            raise ImportFailure("every mode needs a 'name'")
        if not isinstance(mode.get("channels"), list):
            raise ImportFailure(f"mode '{mode['name']}' needs a 'channels' list")
        self._read_physical(mode.get("physical"), f" in mode '{mode['name']}'")
        slots: list[Slot | None] = []
        for entry in mode["channels"]:
            if entry is None:
                slots.append(None)
            elif isinstance(entry, dict):
                slots.extend(self._insert(entry, matrix, mode["name"]))
            else:
                slots.append(self._slot(entry))
        return ForeignMode(mode["name"], tuple(slots))

    def _insert(self, entry: dict, matrix: _Matrix | None, mode: str) -> list[Slot]:
        if entry.get("insert") != "matrixChannels" or matrix is None:
            raise ImportFailure(f"mode '{mode}': a channel insert needs 'insert: matrixChannels' "
                                "and a fixture matrix")
        keys = matrix.repeat_keys(entry.get("repeatFor"))
        templates = entry.get("templateChannels") or []

        def slot(template, pixel):
            if template is None:
                return self._slot(None, pixel)
            return self._slot(template.replace(PIXEL_KEY, pixel))

        if entry.get("channelOrder") == "perChannel":
            return [slot(t, p) for t in templates for p in keys]
        return [slot(t, p) for p in keys for t in templates]


def read_ofl(text: str, path: str, manufacturers: dict | None = None) -> ForeignFixture:
    """Parse OFL fixture JSON; raises :class:`ImportFailure` (positioned when possible)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, "invalid-json") from None
    except RecursionError:   # arrays or objects nested thousands deep
        raise ImportFailure("invalid JSON: values are nested too deeply", 1, 1,
                            "invalid-json") from None
    if not isinstance(data, dict):
        raise ImportFailure("expected a JSON object (an Open Fixture Library fixture)", 1, 1)
    if isinstance(data.get("redirectTo"), str):
        raise ImportSkipped(f"skipped: this is a redirect to '{data['redirectTo']}' (schemas/"
                            "fixture-redirect.json), which is imported from its own file", 1, 1,
                            "fixture-redirect")
    reader = _OflReader(data, path, manufacturers or {}, text)
    try:
        return reader.read()
    except ImportFailure:
        raise
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise ImportFailure(f"not a valid Open Fixture Library fixture: {exc}") from None
