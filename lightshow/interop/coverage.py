"""How much of an imported fixture a show can drive, and what stays generic.

A mode is drivable when a cue can set both its intensity and its colour: intensity
by a dimmer channel (or, without one, by mixing colour channels, whose level is the
light), colour by mixing (two or more of red, green, blue), CMY flags or a colour
wheel with slots.
"""

from __future__ import annotations

import re
from collections import Counter

from lightshow.diagnostics import Diagnostic
from lightshow.model.profile import CMY_KINDS, ChannelKind, Mode, Profile

RGB = (ChannelKind.RED, ChannelKind.GREEN, ChannelKind.BLUE)
_OFL_GENERIC = re.compile(r"imported as generic \(only its default value is sent\): (.*)")
_QLC_GENERIC = re.compile(r"\(((?:group|preset) [^)]*)\) is imported as generic")
_CAPABILITY = re.compile(r"([A-Za-z]+(?: [A-Za-z]+)?) \(DMX")


def mode_drivable(profile: Profile, mode: Mode) -> bool:
    kinds = {profile.channels[slot.channel].kind for slot in mode.channels}
    wheel = any(profile.channels[slot.channel].kind is ChannelKind.COLOR_WHEEL
                and profile.channels[slot.channel].slots for slot in mode.channels)
    mixing = len(kinds & set(RGB)) >= 2
    colour = mixing or bool(kinds & set(CMY_KINDS)) or wheel
    intensity = ChannelKind.INTENSITY in kinds or mixing
    return colour and intensity


def generic_capabilities(diagnostics: list[Diagnostic]) -> Counter:
    """Per capability (OFL type, QLC+ group or preset), how many channels stayed generic."""
    counts: Counter = Counter()
    for diagnostic in diagnostics:
        found = _OFL_GENERIC.search(diagnostic.message)
        if found:
            kinds = {m.group(1).split(" ")[0] for m in _CAPABILITY.finditer(found.group(1))}
            counts.update(kinds or {"?"})
            continue
        found = _QLC_GENERIC.search(diagnostic.message)
        if found:
            counts[found.group(1)] += 1
    return counts
