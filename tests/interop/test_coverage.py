"""What counts as a drivable mode (bench/import.py's share)."""

import pytest

from lightshow.interop.coverage import mode_drivable
from lightshow.interop.profile_yaml import check_profile_text


def _drivable(channels: str, mode: str) -> bool:
    profile, problems = check_profile_text(
        f"name: x\nchannels: {channels}\nmodes:\n  m: {{channels: [{mode}]}}\n", "x.yaml")
    assert profile is not None, problems
    return mode_drivable(profile, profile.modes["m"])


@pytest.mark.parametrize("channels, mode, expected", [
    ("{d: intensity, r: red, g: green, b: blue}", "d, r, g, b", True),      # mixing
    ("{r: red, g: green, b: blue}", "r, g, b", True),                       # level by mixing
    ("{d: intensity, h: hue, s: saturation}", "d, h, s", True),             # HSI
    ("{d: intensity, c: cyan, m: magenta, y: yellow}", "d, c, m, y", True),  # CMY
    ("{d: intensity}", "d", True),                     # dimmer-only: the lamp's own colour
    ("{w: white}", "w", True),                         # a single warm white
    ("{u: uv, s: strobe}", "u, s", True),              # a UV bar
    ("{d: intensity, color_macro: generic}", "d, color_macro", False),  # colour out of reach
    ("{fan: generic, pump: generic}", "fan, pump", False),  # a hazer: no light to set
    ("{c: {kind: color_wheel, slots: [{name: red, dmx: [0, 9], color: red}]}}", "c", False),
    # a lamp behind a shutter: on and off by it
    ("{s: {kind: shutter, open: [16, 255], closed: [0, 15]}, "
     "c: {kind: color_wheel, slots: [{name: red, dmx: [0, 9], color: red}]}}", "s, c", True),
    ("{s: {kind: shutter, open: [16, 255]}, "
     "c: {kind: color_wheel, slots: [{name: red, dmx: [0, 9], color: red}]}}", "s, c", False),
    # a gobo wheel that closes switches it too
    ("{g: {kind: gobo, open: [8, 15], closed: [0, 7]}, "
     "c: {kind: color_wheel, slots: [{name: red, dmx: [0, 9], color: red}]}}", "g, c", True),
    # a tunable white with its tint and CTO mapped: its colour is its own
    ("{d: intensity, t: color_temperature, tint: {kind: tint, default: 128}, cto: cto}",
     "d, t, tint, cto", True),
    ("{d: intensity, hue_2: generic}", "d, hue_2", False),            # a hue left generic
    ("{d: intensity, parabolic_reflector: generic}", "d, parabolic_reflector", True),  # no CTO
])
def test_drivable_modes(channels, mode, expected):
    assert _drivable(channels, mode) is expected
