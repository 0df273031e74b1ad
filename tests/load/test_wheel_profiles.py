"""Colour wheels, CMY and colour-temperature slots in profile files, with positioned messages."""

from lightshow.load.profile_file import load_profile
from lightshow.model.profile import ChannelKind


def problems(project, text):
    path = project.fixture("wheel", text)
    profile, diagnostics, _ = load_profile(str(path))
    return profile, [d.format() if hasattr(d, "format") else str(d) for d in diagnostics]


def test_a_wheel_profile_loads(project):
    profile, found = problems(project, """\
name: W
channels:
  colour: {kind: color_wheel, slots: [{name: open, dmx: [0, 9], color: white},
                                      {name: cto, dmx: [10, 19], kelvin: 3200}]}
  cyan: cyan
  gobo: {kind: gobo, slots: [{name: open, dmx: [0, 7]}, {name: dots, dmx: [8, 15]}]}
modes: {m: {channels: [colour, cyan, gobo]}}
""")
    assert found == []
    wheel = profile.channels["colour"]
    assert wheel.kind is ChannelKind.COLOR_WHEEL
    assert [(s.name, s.dmx, s.value) for s in wheel.slots] == [("open", (0, 9), 4),
                                                               ("cto", (10, 19), 14)]
    assert wheel.slot_named("cto").rgb[0] == 1.0 and wheel.slot_named("cto").kelvin == 3200
    assert profile.channels["gobo"].slots[1].rgb is None


def test_bad_wheel_entries_are_positioned(project):
    _, found = problems(project, """\
name: W
channels:
  colour:
    kind: color_wheel
    slots:
      - {name: red, dmx: [10, 19], color: red}
      - {name: red, dmx: [30, 39], color: blue}
      - {name: green, dmx: [15, 25], color: green}
      - {name: blue, dmx: [50, 40], color: blue}
      - {name: pink, dmx: [60, 69]}
      - {name: both, dmx: [70, 79], color: red, kelvin: 3200}
  plain: {kind: color_wheel}
  dimmer: {kind: intensity, slots: [{name: a, dmx: [0, 1]}]}
  gobo: {kind: gobo, slots: [{name: a, dmx: [0, 1], color: red}]}
modes: {m: {channels: [colour, plain, dimmer, gobo]}}
""")
    text = "\n".join(found)
    assert "wheel.yaml:7:16: error[duplicate-slot]: channel 'colour' has two slots named 'red'" in text
    assert ("wheel.yaml:8:28: error[overlapping-slots]: slot 'green' dmx [15, 25] overlaps slot "
            "'red' [10, 19]") in text
    assert "wheel.yaml:9:27: error[invalid-value]: slot 'blue': dmx [50, 40] runs backwards" in text
    assert ("wheel.yaml:10:9: error[missing-key]: slot 'pink' of color_wheel 'colour' needs "
            "'color' or 'kelvin'") in text
    assert "error[invalid-value]: slot 'both' has both color and kelvin; give one" in text
    assert "error[missing-key]: color_wheel channel 'plain' needs 'slots'" in text
    assert "error[invalid-value]: slots apply to color_wheel, gobo and prism channels, not intensity" in text
    assert "error[invalid-value]: slot 'a': a gobo slot has no colour" in text
