"""QLC+ .qxf import, field by field, and what it refuses."""

from lightshow.interop.importer import import_fixture
from lightshow.model.profile import ChannelKind, PixelLayout
from tests.interop.samples import QLCPLUS, import_sample
from tests.interop.test_ofl import load


def test_mac_350_fine_pairs_and_pan_tilt_range():
    result = import_sample(QLCPLUS / "Martin-Mac-350-Entour.qxf")
    profile = load(result, "martin-mac-350-entour")
    assert (profile.name, profile.manufacturer) == ("MAC 350 Entour", "Martin")
    assert profile.size_m == (0.377, 0.471, 0.22)
    pan, tilt = profile.channels["pan"], profile.channels["tilt"]
    assert (pan.kind, pan.fine, pan.range_deg) == (ChannelKind.PAN, ("pan_fine",), 630)
    assert (tilt.kind, tilt.fine, tilt.range_deg) == (ChannelKind.TILT, ("tilt_fine",), 300)
    assert profile.modes["8-bit"].n_channels == 14 and profile.modes["16-bit"].n_channels == 17
    assert [(c.channel, c.byte) for c in profile.modes["16-bit"].channels[10:14]] == [
        ("pan", 0), ("pan", 1), ("tilt", 0), ("tilt", 1)]
    messages = [d.message for d in result.diagnostics]
    assert ("channel 'Iris' (group Beam) is imported as generic (only its default value is sent)"
            in messages)
    assert not any("Gobo Rot Fine" in m for m in messages)  # a fine byte, not a channel


def test_cameo_pixbar_heads_become_a_pixel_block():
    result = import_sample(QLCPLUS / "Cameo-CLPIXBAR200PRO.qxf")
    profile = load(result, "cameo-clpixbar200pro")
    assert profile.pixels == PixelLayout(12, 1, "rows")
    mode = profile.modes["38-ch"]
    assert mode.n_heads == 12 and mode.n_channels == 38
    assert [c.channel for c in mode.channels[:5]] == ["dimmer", "strobe", "red_pixel",
                                                      "green_pixel", "blue_pixel"]
    assert profile.channels["red_pixel"].kind is ChannelKind.RED
    assert [c.channel for c in profile.modes["3-ch-2"].channels] == ["red", "green", "blue"]


QXF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FixtureDefinition>
<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>ACME</Manufacturer>
 <Model>Grid 2x2</Model>
 <Type>LED Bar (Pixels)</Type>
 <Channel Name="Dimmer" Default="255"><Group Byte="0">Intensity</Group></Channel>
 <Channel Name="Red 1"><Group Byte="0">Intensity</Group><Colour>Red</Colour></Channel>
 <Channel Name="Red 2"><Group Byte="0">Intensity</Group><Colour>Red</Colour></Channel>
 <Channel Name="Red 3"><Group Byte="0">Intensity</Group><Colour>Red</Colour></Channel>
 <Channel Name="Red 4"><Group Byte="0">Intensity</Group><Colour>Red</Colour></Channel>
 <Mode Name="4 px">
  <Physical><Bulb Type="LED" Lumens="0" ColourTemperature="0"/>
   <Dimensions Weight="1" Width="500" Height="500" Depth="50"/>
   <Lens Name="" DegreesMin="0" DegreesMax="0"/><Focus Type="Fixed" PanMax="0" TiltMax="0"/>
   <Layout Width="2" Height="2"/></Physical>
  <Channel Number="0">Dimmer</Channel>
  <Channel Number="1">Red 1</Channel><Channel Number="2">Red 2</Channel>
  <Channel Number="3">Red 3</Channel><Channel Number="4">Red 4</Channel>
  <Head><Channel>1</Channel></Head><Head><Channel>2</Channel></Head>
  <Head><Channel>3</Channel></Head><Head><Channel>4</Channel></Head>
 </Mode>
</FixtureDefinition>
"""


def test_mode_layout_and_defaults():
    result = import_fixture(QXF.encode(), "acme.qxf")
    assert not result.failed, result.diagnostics
    profile = load(result, "acme-grid-2x2")
    assert profile.pixels == PixelLayout(2, 2, "rows")
    assert profile.channels["dimmer"].default == 255
    assert profile.modes["4-px"].n_heads == 4
    assert [c.channel for c in profile.modes["4-px"].channels] == ["dimmer"] + ["red"] * 4


def test_broken_xml_is_a_positioned_error():
    result = import_fixture(QXF.replace("</Model>", "</Modle>").encode(), "acme.qxf")
    assert result.failed
    assert result.diagnostics[0].format() == "acme.qxf:5:19: error[invalid-xml]: invalid XML: mismatched tag"


def test_entity_declarations_are_refused():
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE x [\n <!ENTITY a "aaaaaaaaaa">\n]>\n'
            '<FixtureDefinition>&a;</FixtureDefinition>')
    result = import_fixture(bomb.encode(), "bomb.qxf")
    assert result.diagnostics[0].format() == (
        "bomb.qxf:3:2: error[invalid-xml]: entity declarations are not allowed in a fixture definition")


def test_unknown_mode_channel_is_positioned():
    result = import_fixture(QXF.replace('"4">Red 4<', '"4">Red 5<').encode(), "acme.qxf")
    assert result.diagnostics[0].format().startswith("acme.qxf:19:57: error[unknown-channel]")
    assert result.diagnostics[0].message == "mode '4 px' lists unknown channel 'Red 5'"


def test_colour_temperature_presets_become_kelvin_slots():
    result = import_sample(QLCPLUS / "ADB-ALC4.qxf")
    text = "\n".join(text for _, text in result.profiles)
    assert "{name: white_2700k, dmx: [77, 101], kelvin: 2700}" in text
    assert "{name: white_6500k, dmx: [230, 255], kelvin: 6500}" in text
    assert "kelvin: 2700}]" not in text.split("ct_linear:")[1].split("\n")[0]   # a range is no preset


LONE_FINE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FixtureDefinition>
<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>M</Manufacturer>
 <Model>Lone</Model>
 <Channel Name="Dimmer" Preset="IntensityDimmer"/>
 <Channel Name="Color macro">
  <Group Byte="1">Colour</Group>
  <Capability Min="0" Max="4">No function</Capability>
  <Capability Min="5" Max="8">White 2700K</Capability>
  <Capability Min="9" Max="12" Res1="#ff0000">Red</Capability>
 </Channel>
 <Channel Name="Tilt fine">
  <Group Byte="1">Tilt</Group>
 </Channel>
 <Mode Name="m">
  <Channel Number="0">Dimmer</Channel>
  <Channel Number="1">Color macro</Channel>
  <Channel Number="2">Tilt fine</Channel>
 </Mode>
</FixtureDefinition>
"""


def test_a_lone_fine_channel_with_whole_values_is_a_channel_of_its_own():
    result = import_fixture(LONE_FINE.encode(), "lone.qxf")
    assert not result.failed, [d.format() for d in result.diagnostics]
    profile = load(result, "m-lone")
    assert [(s.name, s.dmx) for s in profile.channels["color_macro"].slots] == [
        ("white_2700k", (5, 8)), ("red", (9, 12))]
    assert profile.channels["tilt_fine"].kind is ChannelKind.GENERIC
    messages = [d.format() for d in result.diagnostics]
    assert ("lone.qxf:7:11: warning[unsupported-capability]: fine channel 'Color macro' has no coarse "
            "channel; its capabilities name whole DMX values, so it is imported as a color_wheel "
            "channel of its own") in messages
    assert ("lone.qxf:13:11: warning[unsupported-capability]: fine channel 'Tilt fine' has no coarse "
            "channel; imported as generic") in messages


MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE FixtureDefinition>
<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>M</Manufacturer>
 <Model>Macro Par</Model>
 <Channel Name="Colour macros">
  <Group Byte="0">Colour</Group>
  <Capability Min="0" Max="9">Blackout</Capability>
  <Capability Min="10" Max="19" Preset="ColorMacro">Red</Capability>
  <Capability Min="20" Max="29" Preset="ColorMacro">Light blue</Capability>
  <Capability Min="30" Max="39" Preset="ColorDoubleMacro" Res1="#ff0000" Res2="#00ff00">Red/Green</Capability>
  <Capability Min="40" Max="49">Colour macro 5</Capability>
 </Channel>
 <Mode Name="1-channel">
  <Channel Number="0">Colour macros</Channel>
 </Mode>
</FixtureDefinition>
"""


def test_colour_macros_named_as_colours_and_a_blackout():
    from lightshow.interop.coverage import mode_drivable
    result = import_fixture(MACROS.encode(), "macro.qxf")
    profile = load(result, "m-macro-par")
    slots = profile.channels["colour_macros"].slots
    assert [(s.name, s.dmx, s.rgb) for s in slots] == [
        ("blackout", (0, 9), (0.0, 0.0, 0.0)), ("red", (10, 19), (1.0, 0.0, 0.0)),
        ("light_blue", (20, 29), (128 / 255, 192 / 255, 1.0))]   # no split, no unnamed colour
    assert mode_drivable(profile, profile.modes["1-channel"])   # on and off by its blackout


def test_fine_presets_pair_with_their_family_and_iris_presets():
    text = LONE_FINE.replace('''<Channel Name="Tilt fine">
  <Group Byte="1">Tilt</Group>
 </Channel>''', '''<Channel Name="Zoom" Preset="BeamZoomSmallBig"/>
 <Channel Name="Zoom fine" Preset="BeamZoomFine"/>
 <Channel Name="Iris" Preset="ShutterIrisMaxToMin"/>''').replace(
        '<Channel Number="2">Tilt fine</Channel>', '<Channel Number="2">Zoom</Channel>\n'
        '  <Channel Number="3">Zoom fine</Channel>\n  <Channel Number="4">Iris</Channel>')
    profile = load(import_fixture(text.encode(), "lone.qxf"), "m-lone")
    assert (profile.channels["zoom"].kind, profile.channels["zoom"].fine) == (ChannelKind.ZOOM,
                                                                                ("zoom_fine",))
    assert profile.channels["iris"].kind is ChannelKind.IRIS
