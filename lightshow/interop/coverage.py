"""How much of an imported fixture a show can drive, and what stays generic.

A mode is drivable when a cue can set its intensity and its colour:

- intensity by a dimmer channel or, without one, by its emitters (red, green, blue,
  white, amber, UV), whose level is the light, or, with neither, by a shutter that opens
  and closes (on and off: a lamp behind a mechanical shutter);
- colour by mixing (two or more of red, green, blue), CMY flags, a colour wheel with
  slots, or hue and saturation (an HSI fixture, rendered from the cue's RGB);
- or, where the fixture has no colour control at all (a dimmer-only channel, a single
  white, amber or UV emitter, a tunable white), its colour is the fixture's own: it
  counts with that colour, as a lighting professional counts a warm-white wash.  A mode
  with a channel left generic whose name says it controls colour (a colour macro, a hue
  or a CTO we could not map) is not counted so: its colour is there but out of reach.
"""

from __future__ import annotations

import re
from collections import Counter

from lightshow.diagnostics import Diagnostic
from lightshow.model.profile import (
    CMY_KINDS,
    COLOUR_KINDS,
    ChannelKind,
    Mode,
    Profile,
    switch_channel,
)

RGB = (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE)
_OFL_GENERIC = re.compile(r"imported as generic \(only its default value is sent\): (.*)")
_QLC_GENERIC = re.compile(r"\(((?:group|preset) [^)]*)\) is imported as generic")
# words, not parts of words: a "reflector" or "selector" is no CTO
_COLOUR_WORDS = re.compile(r"(?<![a-z])(colou?rs?|hues?|sat|saturation|cto|ctb|cyan|magenta|"
                           r"yellow|cmy)(?![a-z])", re.IGNORECASE)


def colour_control(profile: Profile, mode: Mode) -> str | None:
    """How a cue sets the mode's colour: 'mixing', 'cmy', 'wheel', 'hsi', or None."""
    kinds = {profile.channels[slot.channel].kind for slot in mode.channels}
    if len(kinds & set(RGB)) >= 2:
        return "mixing"
    if kinds & set(CMY_KINDS):
        return "cmy"
    if any(profile.channels[slot.channel].kind is ChannelKind.COLOR_WHEEL
           and profile.channels[slot.channel].slots for slot in mode.channels):
        return "wheel"
    if ChannelKind.HUE in kinds:
        return "hsi"
    return None


def fixed_colour(profile: Profile, mode: Mode) -> bool:
    """True when the fixture fixes the mode's colour: no channel we could not map is named
    as a colour control."""
    return not any(profile.channels[slot.channel].kind is ChannelKind.GENERIC
                   and _COLOUR_WORDS.search(slot.channel) for slot in mode.channels)


def mode_drivable(profile: Profile, mode: Mode) -> bool:
    kinds = {profile.channels[slot.channel].kind for slot in mode.channels}
    intensity = (ChannelKind.INTENSITY in kinds or bool(kinds & COLOUR_KINDS)
                 or switch_channel(profile, mode) is not None)
    if not intensity:
        return False
    return colour_control(profile, mode) is not None or fixed_colour(profile, mode)


def generic_capabilities(diagnostics: list[Diagnostic]) -> Counter:
    """Per capability (OFL type, QLC+ group or preset), how many channels stayed generic."""
    counts: Counter = Counter()
    for diagnostic in diagnostics:
        found = _OFL_GENERIC.search(diagnostic.message)
        if found:
            # "Type", "ColorIntensity Red (DMX 0-9)", ...: the capability type leads each
            kinds = {part.split(" ")[0] for part in found.group(1).removesuffix(" ...").split(", ")
                     if part}
            counts.update(kinds or {"?"})
            continue
        found = _QLC_GENERIC.search(diagnostic.message)
        if found:
            counts[found.group(1)] += 1
    return counts
