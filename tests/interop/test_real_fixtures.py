"""Mappings the whole libraries needed, each on a real file (tests/interop/real, README there):
imported, loaded, and driven by a cue to exact DMX."""

import json
import pathlib

from lightshow.core.live_levels import LevelMap
from lightshow.core.render import ShowRenderer
from lightshow.interop.coverage import mode_drivable
from lightshow.interop.importer import import_fixture
from lightshow.load.project import load_show
from lightshow.model.profile import ChannelKind
from tests.interop.samples import OFL, import_sample

REAL = pathlib.Path(__file__).parent / "real"


def imported(path: pathlib.Path):
    """The file's first profile, as our loader reads it back, and its YAML text."""
    result = import_fixture(path.read_bytes(), str(path.relative_to(REAL.parent)))
    assert not result.failed, [d.format() for d in result.diagnostics]
    (_, text), profile = result.profiles[0], result.loaded[0]
    return profile, text


def render(project, text: str, mode: str, cues: str, n_frames: int):
    """Frames (fps 10) of one fixture 'a' in ``mode`` at address 1 under ``cues``."""
    project.fixture("real", text)
    project.rig(f"name: r\npatch:\n  - {{id: a, profile: real, mode: {mode}, universe: 0, address: 1}}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 10\nchapters:\n  - id: c\n    cues:\n" + cues)
    show = load_show("shows/show.yaml")
    return ShowRenderer(show).render(0, n_frames), show


FADE_IN_RED = ("      - {target: a, effect: solid, params: {color: red}, duration: 2, fade_in: 1}\n"
               "      - {start: '+2', target: a, effect: solid, params: {color: black}, duration: 1}\n")


def test_a_dimmer_inside_a_multi_purpose_channel_switches_the_lamp(project):
    # QLC+ "Gobo change / dimmer / stopper / strobe" (group Effect): Dimmer 0-75, Strobe 76-126,
    # ShutterOpen 127-128, gobo sequences: a shutter closed at the dimmer's dark end
    profile, text = imported(REAL / "qlcplus" / "Clay-Paky-Mini-Scan-150.qxf")
    shutter = profile.channels["gobo_change_dimmer_stopper_strobe"]
    assert (shutter.kind, shutter.open, shutter.closed, shutter.default) == (
        ChannelKind.SHUTTER, (127, 128), (0, 0), 127)
    assert mode_drivable(profile, profile.modes["normal"])
    frames, show = render(project, text, "normal", FADE_IN_RED, 30)
    # [color wheel, shutter, pan, tilt]: level k / 10 over the fade; closed below half
    assert frames[:10, 1].tolist() == [0] * 5 + [127] * 5
    assert frames[10:20, 1].tolist() == [127] * 10
    assert frames[20:, 1].tolist() == [0] * 10               # black
    assert frames[5:20, 0].tolist() == [17] * 15             # the red slot, 9-25
    levels = LevelMap.build(show.rig)
    assert levels.apply_uniform(frames[15], 0.4)[1] == 0     # the grand master closes it


def test_a_dimmer_in_a_shutter_channel_gives_its_closed_and_open_ends(project):
    # QLC+ "Dimmer / Strobe" (group Shutter): Dimmer[min-max] 0-127, StrobeSlowToFast 128-255
    profile, text = imported(REAL / "qlcplus" / "Clay-Paky-Tiger-Scan-HMI-575.qxf")
    assert (profile.channels["dimmer_strobe"].open, profile.channels["dimmer_strobe"].closed) == (
        (127, 127), (0, 0))
    frames, _ = render(project, text, "6-channel",
                       "      - {target: a, effect: solid, params: {color: red}, duration: 1}\n"
                       "      - {target: a, effect: solid, params: {color: red}, duration: 1,"
                       " strobe_hz: 10}\n"
                       "      - {target: a, effect: solid, params: {color: black}, duration: 1}\n", 30)
    # [gobo rotation, colour wheel, gobo, dimmer/strobe, pan, tilt]
    assert frames[:10, 3].tolist() == [127] * 10
    assert frames[10:20, 3].tolist() == [188] * 10   # 10 Hz on 128-255 from 1 to 20 Hz
    assert frames[20:, 3].tolist() == [0] * 10
    assert frames[5, 1] == 23                        # the red slot, 16-31


def test_a_gobo_wheel_that_closes_switches_a_scanner(project):
    # QLC+ gobo channel: "Closed" 0-7, "Open" 8-15, gobos; no dimmer, no shutter
    profile, text = imported(REAL / "qlcplus" / "Futurelight-DJScan200.qxf")
    gobo = profile.channels["gobo"]
    assert (gobo.kind, gobo.open, gobo.closed) == (ChannelKind.GOBO, (8, 15), (0, 7))
    assert mode_drivable(profile, profile.modes["mode-1"])
    frames, _ = render(project, text, "mode-1",
                       FADE_IN_RED.replace("duration: 1}", "duration: 1, gobo: gobo_1}"), 30)
    # [pan, tilt, colour, gobo]
    assert frames[:20, 3].tolist() == [3] * 5 + [11] * 15
    assert frames[20:, 3].tolist() == [19] * 10      # the cue's gobo (LTP over the switch)
    assert frames[5, 2] == 82                        # the red slot, 77-87


def test_an_ofl_gobo_wheel_with_a_closed_shutter_capability_switches(project):
    profile, text = imported(REAL / "ofl" / "nicols" / "pat-252.json")
    gobo = profile.channels["gobo_wheel"]
    assert (gobo.open, gobo.closed) == ((8, 15), (0, 7))    # the Open slot; ShutterStrobe Closed
    frames, _ = render(project, text, "default", FADE_IN_RED, 30)
    # [shutter, gobo wheel, colour wheel, pan, tilt]
    assert frames[:, 1].tolist() == [3] * 5 + [11] * 15 + [3] * 10
    assert frames[5, 2] == 61                                # red, 56-66


def test_a_colour_wheels_closed_slot_is_its_off(project):
    profile, text = imported(REAL / "ofl" / "martin" / "roboscan-812.json")
    wheel = profile.channels["color_wheel"]
    assert wheel.dark_slot.name == "closed" and wheel.dark_slot.dmx == (0, 0)
    assert mode_drivable(profile, profile.modes["5-channel-tracking"])
    gobo = profile.channels["gobo_wheel"]          # its Closed and Open slots: it switches first
    assert (gobo.closed, gobo.open) == ((0, 0), (15, 15))
    frames, _ = render(project, text, "5-channel-tracking", FADE_IN_RED, 30)
    # [strobe, colour wheel, gobo wheel, pan, tilt]: the gobo closed below half level; the
    # colour wheel on red once asked (its default, 0, is the closed slot), kept through black
    assert frames[:, 2].tolist() == [0] * 5 + [15] * 15 + [0] * 10
    assert frames[:, 1].tolist() == [0] + [60] * 29


def test_an_hsv_fixtures_value_is_its_intensity(project):
    profile, text = imported(REAL / "ofl" / "blizzard" / "hotbox-rgbw.json")
    assert profile.channels["value"].kind is ChannelKind.INTENSITY
    frames, _ = render(project, text, "3-channel",
                       "      - {target: a, effect: solid, params: {color: red}, duration: 1}\n"
                       "      - {target: a, effect: solid, params: {color: blue}, duration: 1,"
                       " opacity: 0.5}\n", 20)
    assert frames[5, :3].tolist() == [0, 255, 255]           # hue 0, saturation, value full
    assert frames[15, :3].tolist() == [170, 255, 128]        # hue 240 / 360, value half


def test_a_colour_temperature_named_by_its_range_in_kelvin(project):
    profile, text = imported(REAL / "qlcplus" / "Stairville-RevueLED-120-COB-True-White.qxf")
    cct = profile.channels["color_temperature"]
    assert (cct.kind, cct.range_k) == (ChannelKind.COLOR_TEMPERATURE, (2800, 7800))
    frames, _ = render(project, text, "2-channel-1",
                       "      - {target: a, effect: solid, params: {color: [255, 128, 0]}, duration: 1}\n"
                       "      - {target: a, effect: solid, params: {color: white}, duration: 1}\n", 20)
    assert frames[5, :2].tolist() == [255, 0] and frames[15, :2].tolist() == [255, 128]


def test_a_colour_temperature_that_runs_cool_to_warm(project):
    # OFL ColorTemperature 15500K at DMX 1 to 2700K at 255 (the shared samples)
    result = import_sample(OFL / "robe" / "robin-ledwash-600.json")
    profile, text = result.loaded[0], result.profiles[0][1]
    assert profile.channels["ctc"].range_k == (15500, 2700)
    mode = "3rd"
    at = [c.channel for c in profile.modes[mode].channels].index("ctc")
    frames, _ = render(project, text, mode,
                       "      - {target: a, effect: solid, params: {color: [255, 128, 0]}, duration: 1}\n"
                       "      - {target: a, effect: solid, params: {color: [0, 128, 255]}, duration: 1}\n",
                       20)
    assert frames[5, at] == 255 and frames[15, at] == 0     # warm: the top; cool: the bottom


def test_a_cto_mixer_beside_cmy_keeps_its_default(project):
    profile, text = imported(REAL / "qlcplus" / "SGM-Giotto-Wash-400.qxf")
    assert profile.channels["linear_cto"].kind is ChannelKind.CTO
    frames, _ = render(project, text, "mode-1",
                       "      - {target: a, effect: solid, params: {color: [255, 128, 0]},"
                       " duration: 1}\n", 10)
    names = [c.channel for c in profile.modes["mode-1"].channels]
    cmy = [frames[5, names.index(n)] for n in ("cyan", "magenta", "yellow")]
    assert cmy == [0, 127, 255] and frames[5, names.index("linear_cto")] == 0


def test_a_tint_is_a_control_with_its_neutral_default(project):
    # DMG Lumiere MAXI MIX (the shared samples): Green-Magenta Point, default 0 ("Neutral" 0-10)
    result = import_sample(OFL / "dmg-lumiere" / "maxi-mix.json")
    profile, text = result.loaded[0], result.profiles[0][1]
    mode = "1-white-8-bit"
    names = [c.channel for c in profile.modes[mode].channels]
    tint = next(n for n in names if profile.channels[n].kind is ChannelKind.TINT)
    assert profile.channels[tint].default == 0 and mode_drivable(profile, profile.modes[mode])
    frames, _ = render(project, text, mode,
                       "      - {target: a, effect: solid, params: {color: white}, duration: 1,"
                       " opacity: 0.5}\n", 10)
    assert frames[5, names.index(tint)] == 0
    assert frames[5, names.index("dimmer")] == 128


def _ofl(channels: dict, mode: list) -> object:
    data = {"name": "F", "availableChannels": channels, "modes": [{"name": "m", "channels": mode}]}
    result = import_fixture(json.dumps(data).encode(), "maker/f.json")
    assert not result.failed, [d.format() for d in result.diagnostics]
    return result.loaded[0]


def test_ofl_tint_without_a_default_takes_its_neutral_capability_and_corrections_by_keyword():
    profile = _ofl({
        "Green/Magenta Point": {"capabilities": [
            {"dmxRange": [0, 120], "type": "Generic", "comment": "-1.0 … -0.1"},
            {"dmxRange": [121, 132], "type": "Generic", "comment": "0"},
            {"dmxRange": [133, 255], "type": "Generic", "comment": "0.1 … 1.0"}]},
        "CTO": {"capability": {"type": "ColorTemperature", "colorTemperatureStart": "default",
                               "colorTemperatureEnd": "CTO"}},
        "CTB": {"capability": {"type": "ColorTemperature", "colorTemperatureStart": "default",
                               "colorTemperatureEnd": "CTB"}},
        "Gel Filter": {"capability": {"type": "Generic", "comment": "Lilac Tint"}}},
        ["Green/Magenta Point", "CTO", "CTB", "Gel Filter"])
    kinds = {name: (c.kind, c.default) for name, c in profile.channels.items()}
    assert kinds == {"green_magenta_point": (ChannelKind.TINT, 126), "cto": (ChannelKind.CTO, 0),
                     "ctb": (ChannelKind.CTB, 0), "gel_filter": (ChannelKind.GENERIC, 0)}


QXF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FixtureDefinition>
<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>M</Manufacturer>
 <Model>HSL</Model>
 <Channel Name="Hue" Preset="IntensityHue"/>
 <Channel Name="Saturation" Preset="IntensitySaturation"/>
 <Channel Name="Brightness" Preset="IntensityLightness"/>
 <Channel Name="Lightness" Preset="IntensityLightness"/>
 <Channel Name="Tint" Default="128">
  <Group Byte="0">Colour</Group>
  <Capability Min="0" Max="127">-25% to 0</Capability>
  <Capability Min="128" Max="128">Neutral</Capability>
  <Capability Min="129" Max="255">0 to 25%</Capability>
 </Channel>
 <Mode Name="m">
  <Channel Number="0">Hue</Channel>
  <Channel Number="1">Saturation</Channel>
  <Channel Number="2">Brightness</Channel>
  <Channel Number="3">Lightness</Channel>
  <Channel Number="4">Tint</Channel>
 </Mode>
</FixtureDefinition>
"""


def test_qlcplus_lightness_is_an_intensity_only_where_named_so_and_a_tint_keeps_its_default():
    result = import_fixture(QXF.encode(), "m.qxf")
    channels = result.loaded[0].channels
    assert [(channels[n].kind, channels[n].default) for n in ("brightness", "lightness", "tint")] == [
        (ChannelKind.INTENSITY, 0), (ChannelKind.GENERIC, 0), (ChannelKind.TINT, 128)]
