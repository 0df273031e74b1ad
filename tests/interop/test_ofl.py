"""Open Fixture Library import, field by field, and what it refuses."""

import json

from lightshow.interop.importer import import_fixture
from lightshow.interop.profile_yaml import check_profile_text
from lightshow.model.profile import ChannelKind, ModeChannel, PixelLayout
from tests.interop.samples import OFL, import_sample


def load(result, profile_id):
    profile, problems = check_profile_text(dict(result.profiles)[profile_id], f"{profile_id}.yaml")
    assert problems == []
    return profile


def test_robe_ledwash_fine_channels_pixels_and_physical():
    result = import_sample(OFL / "robe" / "robin-ledwash-600.json")
    profile = load(result, "robe-robin-ledwash-600")
    assert (profile.name, profile.manufacturer) == ("Robin LEDWash 600", "Robe")
    assert profile.size_m == (0.343, 0.444, 0.203)
    assert profile.pixels == PixelLayout(3, 1, "rows")
    pan = profile.channels["pan"]
    assert (pan.kind, pan.fine, pan.range_deg, pan.default) == (ChannelKind.PAN, ("pan_fine",), 450, 128)
    assert profile.channels["ctc"].range_k == (15500, 2700)   # cool to warm as it rises
    assert profile.channels["shutter_strobe"].kind is ChannelKind.SHUTTER
    assert profile.channels["shutter_strobe"].default == 255
    first = profile.modes["1st"]
    assert first.n_heads == 3
    assert first.channels[:2] == (ModeChannel("pan", 0), ModeChannel("pan", 1))
    heads = [c for c in first.channels if c.head == 2]
    assert [(c.channel, c.byte) for c in heads] == [
        ("red", 0), ("red", 1), ("green", 0), ("green", 1), ("blue", 0), ("blue", 1),
        ("white", 0), ("white", 1)]
    assert profile.modes["3rd"].n_heads == 0
    text = dict(result.profiles)["robe-robin-ledwash-600"]
    assert "# physical: weight 10.6 kg" in text


def test_giga_bar_pixel_mode_and_generic_warning():
    path = OFL / "varytec" / "giga-bar-frost-pix-8-rgb.json"
    result = import_sample(path)
    profile = load(result, "varytec-giga-bar-frost-pix-8-rgb")
    assert profile.pixels == PixelLayout(8, 1, "rows")
    assert profile.modes["24-channel"].n_channels == 24
    assert profile.modes["24-channel"].n_heads == 8
    assert [c.channel for c in profile.modes["5-channel"].channels] == [
        "red", "green", "blue", "dimmer", "strobe"]


MINIMAL = """{
  "name": "Test Bar",
  "categories": ["Pixel Bar"],
  "meta": {"authors": ["x"], "createDate": "2024-01-01", "lastModifyDate": "2024-01-01"},
  "physical": {"dimensions": [1000, 100, 50]},
  "matrix": {"pixelCount": [2, 2, 1]},
  "availableChannels": {
    "Dimmer": {"fineChannelAliases": ["Dimmer fine"], "defaultValue": 32768,
               "capability": {"type": "Intensity"}},
    "Gobo": {"capability": {"type": "WheelSlot", "slotNumber": 1}}
  },
  "templateChannels": {
    "Red $pixelKey": {"capability": {"type": "ColorIntensity", "color": "Red"}},
    "Cyan $pixelKey": {"capability": {"type": "ColorIntensity", "color": "Cyan"}}
  },
  "modes": [
    {"name": "grid", "channels": ["Dimmer", "Dimmer fine",
      {"insert": "matrixChannels", "repeatFor": "eachPixelYXZ", "channelOrder": "perPixel",
       "templateChannels": ["Red $pixelKey", null]}]},
    {"name": "by colour", "channels": [null, "Gobo",
      {"insert": "matrixChannels", "repeatFor": "eachPixelXYZ", "channelOrder": "perChannel",
       "templateChannels": ["Red $pixelKey", "Cyan $pixelKey"]}]}
  ]
}"""


def test_matrix_orders_defaults_and_flattening():
    result = import_fixture(MINIMAL.encode(), "lib/acme/test-bar.json", {"acme": {"name": "ACME"}})
    assert not result.failed
    profile = load(result, "acme-test-bar")
    assert profile.manufacturer == "ACME" and profile.size_m == (1.0, 0.1, 0.05)
    assert profile.pixels == PixelLayout(2, 2, "columns")  # eachPixelYXZ: y changes fastest
    assert profile.channels["dimmer"].default == 128     # 16-bit 32768 -> coarse 128
    grid = profile.modes["grid"]
    assert grid.n_heads == 4 and grid.n_channels == 2 + 4 * 2
    flat = profile.modes["by-colour"]
    assert flat.n_heads == 0
    assert [c.channel for c in flat.channels] == [
        "unused_2", "gobo", "red_1_1", "red_2_1", "red_1_2", "red_2_2",
        "cyan_1_1", "cyan_2_1", "cyan_1_2", "cyan_2_2"]
    messages = [d.message for d in result.diagnostics]
    assert "channel 'Gobo' is imported as generic (only its default value is sent): WheelSlot" in messages
    assert ("mode 'by colour': its pixel channels are ordered channel by channel, not pixel by "
            "pixel; its pixel channels are imported as fixture-wide channels") in messages


def test_broken_json_is_a_positioned_error():
    result = import_fixture(b'{\n  "name": "x",\n  "modes": [,]\n}', "bad.json")
    assert result.failed and result.profiles == []
    assert result.diagnostics[0].format() == (
        "bad.json:3:13: error[invalid-json]: invalid JSON: Expecting value")


def test_unknown_channel_in_a_mode_is_positioned():
    text = MINIMAL.replace('"Gobo",', '"Gobbo",')
    result = import_fixture(text.encode(), "acme/test-bar.json")
    assert result.failed
    assert result.diagnostics[-1].format().startswith("acme/test-bar.json:20:46: error[unknown-channel]")
    assert "unknown channel 'Gobbo'" in result.diagnostics[-1].message


def test_a_schema_file_is_not_a_fixture():
    result = import_fixture(b'{"$schema": "x", "type": "object"}', "schemas/gobo.json")
    assert result.failed and "expected 'name'" in result.diagnostics[0].message


def test_a_redirect_is_skipped_not_failed():
    result = import_fixture(b'{"$schema": "x", "name": "TS 60", "redirectTo": "cameo/ts-60-rgbw", '
                            b'"reason": "FixtureRenamed"}', "cameo/ts60.json")
    assert not result.failed and result.profiles == []
    assert [d.format() for d in result.diagnostics] == [
        "cameo/ts60.json:1:1: warning[fixture-redirect]: skipped: this is a redirect to "
        "'cameo/ts-60-rgbw' (schemas/fixture-redirect.json), which is imported from its own file"]


def test_a_capability_about_several_wheels():
    # capability.json: a WheelShake or WheelRotation's "wheel" may list several wheels
    data = {"name": "S", "wheels": {"Gobo 1": {"slots": [{"type": "Open"}, {"type": "Gobo", "name": "Dots"}]},
                                    "Gobo 2": {"slots": [{"type": "Open"}]}},
            "availableChannels": {"Gobo 1": {"capabilities": [
                {"dmxRange": [0, 9], "type": "WheelSlot", "slotNumber": 1},
                {"dmxRange": [10, 19], "type": "WheelSlot", "slotNumber": 2},
                {"dmxRange": [20, 255], "type": "WheelShake", "wheel": ["Gobo 1", "Gobo 2"]}]}},
            "modes": [{"name": "m", "channels": ["Gobo 1"]}]}
    result = import_fixture(json.dumps(data).encode(), "maker/s.json")
    assert not result.failed
    gobo = result.loaded[0].channels["gobo_1"]
    assert gobo.kind is ChannelKind.GOBO and [s.name for s in gobo.slots] == ["open", "dots"]
