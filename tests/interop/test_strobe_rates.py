"""Strobe rates from OFL ShutterStrobe speeds and QLC+ strobe presets, and a cue's strobe_hz on
an imported fixture."""

import json

import numpy as np

from lightshow.core.render import ShowRenderer
from lightshow.interop.importer import import_fixture
from lightshow.load.project import load_show
from lightshow.model.profile import ChannelKind, StrobeRate
from tests.interop.samples import OFL, QLCPLUS, import_sample, profile_text
from tests.interop.test_ofl import load


def rates(profile, channel):
    return [(r.dmx, r.hz) for r in profile.channels[channel].rates]


def test_ofl_strobe_speeds_become_rates_plain_ones_first():
    result = import_sample(OFL / "robe" / "robin-ledwash-600.json")
    profile = load(result, "robe-robin-ledwash-600")
    shutter = profile.channels["shutter_strobe"]
    assert (shutter.kind, shutter.default) == (ChannelKind.SHUTTER, 255)
    # 64-95 has no comment; "Outer zone" and "Random zone" (not randomTiming) come after;
    # random timing, ramps and effect speeds are no strobe rate
    assert rates(profile, "shutter_strobe") == [((64, 95), (0.3, 20.0)), ((32, 63), (0.3, 20.0)),
                                                ((160, 175), (1.0, 20.0))]
    assert ("# channel 'Shutter / Strobe': strobe speeds given as slow to fast (or in percent) are "
            "taken as 1 to 20 Hz") in profile_text(result, "robe-robin-ledwash-600")


def test_ofl_shutter_without_a_default_opens():
    result = import_sample(OFL / "5star-systems" / "spica-250m.json")
    profile = load(result, result.profiles[0][0])
    shutter = profile.channels["shutter_strobe"]
    assert shutter.default == 47                       # the middle of Open [32, 63], not Closed 0
    assert rates(profile, "shutter_strobe") == [((64, 95), (1.0, 20.0))]   # slow..fast


def _ofl(channel: dict) -> dict:
    data = {"name": "S", "availableChannels": {"Strobe": channel},
            "modes": [{"name": "m", "channels": ["Strobe"]}]}
    result = import_fixture(json.dumps(data).encode(), "maker/s.json")
    assert not result.failed, [d.format() for d in result.diagnostics]
    return result.loaded[0].channels["strobe"]


def test_ofl_speed_units_and_a_single_capability():
    channel = _ofl({"capabilities": [
        {"dmxRange": [0, 9], "type": "ShutterStrobe", "shutterEffect": "Open"},
        {"dmxRange": [10, 99], "type": "ShutterStrobe", "shutterEffect": "Strobe",
         "speedStart": "60bpm", "speedEnd": "600bpm"},
        {"dmxRange": [100, 109], "type": "ShutterStrobe", "shutterEffect": "Strobe", "speed": "50%"},
        {"dmxRange": [110, 119], "type": "ShutterStrobe", "shutterEffect": "Strobe",
         "speed": "5Hz", "soundControlled": True},
        {"dmxRange": [129, 120], "type": "ShutterStrobe", "shutterEffect": "Strobe",
         "speedStart": "2Hz", "speedEnd": "4Hz"},
        {"dmxRange": [130, 255], "type": "ShutterStrobe", "shutterEffect": "Strobe", "speed": "stop"}]})
    assert channel.kind is ChannelKind.STROBE and channel.default == 4
    assert channel.rates == (StrobeRate((10, 99), (1.0, 10.0)),
                             StrobeRate((100, 109), (10.404, 10.404)),   # 1 + 19 * 49 / 99
                             StrobeRate((120, 129), (4.0, 2.0)))            # written backwards
    whole = _ofl({"defaultValue": 0, "capability": {
        "type": "ShutterStrobe", "shutterEffect": "Strobe", "speedStart": "1Hz", "speedEnd": "25Hz"}})
    assert whole.rates == (StrobeRate((0, 255), (1.0, 25.0)),) and whole.default == 0


def test_qlcplus_strobe_presets_become_rates():
    glp = load(import_sample(QLCPLUS / "GLP-ImpressionXL.qxf"), "glp-impression-xl")
    assert rates(glp, "shutter") == [((200, 239), (1.0, 10.0))]        # StrobeFreqRange Res1 Res2
    assert glp.channels["shutter"].default == 244                      # no Default: ShutterOpen
    giotto = import_sample(QLCPLUS / "SGM-Giotto-Spot-250.qxf")
    steps = rates(load(giotto, giotto.profiles[0][0]), "shutter")      # StrobeFrequency steps
    assert steps[:3] == [((8, 15), (1.0, 1.0)), ((16, 23), (1.38, 1.38)), ((24, 31), (1.6, 1.6))]
    assert len(steps) == 14
    starforce = import_sample(QLCPLUS / "Showtec-Starforce-LED.qxf")
    assert rates(load(starforce, starforce.profiles[0][0]), "strobe") == [((10, 255), (0.0, 12.0))]
    blizzard = import_sample(QLCPLUS / "Blizzard-Lighting-StormChaser.qxf")
    assert rates(load(blizzard, blizzard.profiles[0][0]), "strobe") == [((1, 255), (1.0, 20.0))]


QXF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FixtureDefinition>
<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>M</Manufacturer>
 <Model>Old Strobe</Model>
 <Channel Name="Dimmer" Preset="IntensityDimmer"/>
 <Channel Name="Strobe">
  <Group Byte="0">Shutter</Group>
  <Capability Min="0" Max="5">Closed</Capability>
  <Capability Min="6" Max="10">Open</Capability>
  <Capability Min="11" Max="100">Strobe 2 - 12 Hz</Capability>
  <Capability Min="101" Max="110">Random strobe</Capability>
  <Capability Min="111" Max="200">Strobe fast - slow</Capability>
  <Capability Min="201" Max="255">Strobe 15Hz</Capability>
 </Channel>
 <Channel Name="Flash" Preset="ShutterStrobeFastSlow"/>
 <Mode Name="m">
  <Channel Number="0">Dimmer</Channel>
  <Channel Number="1">Strobe</Channel>
  <Channel Number="2">Flash</Channel>
 </Mode>
</FixtureDefinition>
"""


def test_qlcplus_shutter_capabilities_without_presets_by_their_names():
    result = import_fixture(QXF.encode(), "old.qxf")
    profile = load(result, "m-old-strobe")
    strobe = profile.channels["strobe"]
    assert (strobe.kind, strobe.default) == (ChannelKind.SHUTTER, 8)
    assert rates(profile, "strobe") == [((11, 100), (2.0, 12.0)), ((111, 200), (20.0, 1.0)),
                                        ((201, 255), (15.0, 15.0))]
    assert rates(profile, "flash") == [((0, 255), (20.0, 1.0))]   # a channel preset, no capabilities


def test_a_cue_strobes_an_imported_fixture(project):
    result = import_sample(QLCPLUS / "GLP-ImpressionXL.qxf")
    text = profile_text(result, "glp-impression-xl")
    project.fixture("glp", text)
    profile = load(result, "glp-impression-xl")
    mode = next(iter(profile.modes))
    offset = [c.channel for c in profile.modes[mode].channels].index("shutter")
    project.rig(f"name: r\npatch:\n  - {{id: a, profile: glp, mode: {mode}, universe: 0, address: 1}}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 10\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: a, effect: solid, duration: 1, strobe_hz: 4}\n"
                 "      - {target: a, effect: solid, duration: 1}\n")
    frames = ShowRenderer(load_show("shows/show.yaml")).render(0, 20)
    # 4 Hz on [200, 239] from 1 to 10 Hz: 200 + 3 / 9 * 39 = 213; then open (244)
    assert frames[:10, offset].tolist() == [213] * 10
    assert frames[10:, offset].tolist() == [244] * 10
    assert np.floor(200 + 3 / 9 * 39 + 0.5) == 213


def test_a_shutter_that_opens_and_closes_switches_a_fixture_without_dimmer():
    from lightshow.interop.coverage import mode_drivable
    data = {"name": "Searchlight", "wheels": {"Color": {"slots": [
                {"type": "Open"}, {"type": "Color", "name": "Red", "colors": ["#ff0000"]}]}},
            "availableChannels": {
                "Shutter": {"capabilities": [
                    {"dmxRange": [0, 15], "type": "ShutterStrobe", "shutterEffect": "Closed"},
                    {"dmxRange": [16, 127], "type": "ShutterStrobe", "shutterEffect": "Strobe",
                     "speedStart": "1Hz", "speedEnd": "10Hz"},
                    {"dmxRange": [128, 255], "type": "ShutterStrobe", "shutterEffect": "Open"}]},
                "Color": {"capabilities": [
                    {"dmxRange": [0, 9], "type": "WheelSlot", "slotNumber": 1},
                    {"dmxRange": [10, 19], "type": "WheelSlot", "slotNumber": 2}]}},
            "modes": [{"name": "m", "channels": ["Shutter", "Color"]}]}
    result = import_fixture(json.dumps(data).encode(), "maker/searchlight.json")
    assert "shutter: {kind: shutter, default: 191, open: [128, 255], closed: [0, 15], rates: " \
           "[{dmx: [16, 127], hz: [1, 10]}]}" in profile_text(result, "maker-searchlight")
    profile = result.loaded[0]
    assert mode_drivable(profile, profile.modes["m"])
    qlc = load(import_fixture(QXF.encode(), "old.qxf"), "m-old-strobe").channels["strobe"]
    assert (qlc.open, qlc.closed) == ((6, 10), (0, 5))    # by name: "Open", "Closed"
