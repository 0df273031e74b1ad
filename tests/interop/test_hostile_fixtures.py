"""Hostile fixture files: whatever their free text and names hold, every profile written loads
and says only what the source said."""

import json

import pytest

from lightshow.interop.importer import import_fixture
from lightshow.interop.profile_yaml import check_profile_text, comment_lines

BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]


def ofl_fixture(physical: dict | None = None, channel: str = "Dimmer", mode: str = "1ch") -> bytes:
    return json.dumps({
        "name": "Hostile Wash", "categories": ["Color Changer"],
        "meta": {"authors": ["x"], "createDate": "2024-01-01", "lastModifyDate": "2024-01-01"},
        "physical": physical or {"dimensions": [300, 300, 200]},
        "availableChannels": {channel: {"capability": {"type": "Intensity"}}},
        "modes": [{"name": mode, "channels": [channel]}],
    }).encode()


def written(result) -> tuple[str, object]:
    assert not result.failed, [d.message for d in result.diagnostics]
    [(profile_id, text)] = result.profiles
    profile, problems = check_profile_text(text, f"{profile_id}.yaml")
    assert problems == [], [p.format() for p in problems]
    return text, profile


@pytest.mark.parametrize("line_break", BREAKS)
def test_free_text_with_a_line_break_cannot_add_settings(line_break):
    lens = {"name": f"wide{line_break}dimmer_curve: gamma{line_break}gamma: 3.5"}
    text, profile = written(import_fixture(ofl_fixture({"dimensions": [300, 300, 200], "lens": lens}),
                                           "lib/acme/hostile.json", {"acme": {"name": "ACME"}}))
    assert profile.dimmer_curve.kind == "linear" and "dimmer_curve" not in [
        line.split(":")[0] for line in text.splitlines() if not line.startswith("#")]
    assert "# physical: lens name wide" in text           # what the source said is kept, as comment


def test_control_characters_and_yaml_syntax_stay_in_the_comment():
    lens = {"name": "\x00\x07}{ ]: &a *a !!python/object ---\x1b[31m"}
    text, profile = written(import_fixture(ofl_fixture({"lens": lens}), "lib/acme/hostile.json",
                                           {"acme": {"name": "ACME"}}))
    assert profile.name == "Hostile Wash" and profile.dimmer_curve.kind == "linear"


@pytest.mark.parametrize("length", [101, 300, 5000])
def test_names_longer_than_the_loader_takes_are_shortened_and_load(length):
    text, profile = written(import_fixture(ofl_fixture(channel="D" * length, mode="m" * length),
                                           "lib/acme/hostile.json", {"acme": {"name": "ACME"}}))
    [name] = profile.channels
    [mode] = profile.modes
    assert len(name) == 100 and len(mode) == 100


def test_comment_lines_split_at_every_break_and_blank_the_unprintable():
    assert comment_lines("a\nb\r\nc\u2028d\x85e\x00f") == ["# a", "# b", "# c", "# d", "# e f"]
    assert comment_lines("") == ["# "]


def _profiles_load(result) -> list:
    """Every profile written loads with no problem; returns them."""
    loaded = []
    for profile_id, text in result.profiles:
        profile, problems = check_profile_text(text, f"{profile_id}.yaml")
        assert profile is not None and problems == [], [p.format() for p in problems]
        loaded.append(profile)
    return loaded


HOSTILE_TEXT = ["a\nb: c", "x\u2028dimmer_curve: gamma", "{a: [b", "*alias &anchor !!tag",
                "- item\n- item", "'quote\"", "#comment", "\x00\x1b[31m", "...\n---\n", "é中文 ✓",
                "null", "yes", "1:30", ""]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_names_are_kept_as_text(text):
    data = json.loads(ofl_fixture(channel="Dimmer"))
    data["name"] = text or "x"
    data["availableChannels"] = {
        "Dimmer": {"capability": {"type": "Intensity"}},
        "Colour": {"capabilities": [
            {"dmxRange": [0, 9], "type": "WheelSlot", "slotNumber": 1},
            {"dmxRange": [10, 255], "type": "WheelSlot", "slotNumber": 2}]}}
    data["wheels"] = {"Colour": {"slots": [{"type": "Open"},
                                           {"type": "Color", "name": text, "colors": ["#ff0000"]}]}}
    data["modes"] = [{"name": text or "m", "channels": ["Dimmer", "Colour"]}]
    result = import_fixture(json.dumps(data).encode(), "lib/acme/hostile.json",
                            {"acme": {"name": "ACME"}})
    assert not result.failed, [d.format() for d in result.diagnostics]
    [profile] = _profiles_load(result)
    assert profile.dimmer_curve.kind == "linear"        # nothing the text says became a setting
    assert profile.name == "".join(c if c.isprintable() else " " for c in (text or "x")).strip() \
        or profile.name == (text or "x")
    assert set(profile.channels) == {"dimmer", "colour"}


@pytest.mark.parametrize("physical, default", [
    ({"dimensions": [1e308, 1e308, 1e308], "weight": 1e308}, 10 ** 30),
    ({"dimensions": [-5, "x", None]}, -3),
    ({"dimensions": [float("1e999")] * 3}, "100000%"),
])
def test_huge_and_wrong_values_are_refused_or_clamped(physical, default):
    data = json.loads(ofl_fixture(physical))
    data["availableChannels"]["Dimmer"]["defaultValue"] = default
    raw = json.dumps(data).replace("Infinity", "1e999").encode()
    result = import_fixture(raw, "lib/acme/hostile.json", {"acme": {"name": "ACME"}})
    for profile in _profiles_load(result):
        assert 0 <= profile.channels["dimmer"].default <= 255
        assert all(0 <= v <= 1000 for v in profile.size_m)
    assert result.profiles or result.failed


def test_deeply_nested_json_is_an_error_not_a_crash():
    raw = b'{"name": "x", "a": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    result = import_fixture(raw, "lib/acme/deep.json", {})
    assert result.failed and result.profiles == []
    assert all(d.span is not None and d.span.path == "lib/acme/deep.json" for d in result.diagnostics)


QXF = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
 <Manufacturer>{maker}</Manufacturer>
 <Model>Deep</Model>
 <Type>Dimmer</Type>
 <Channel Name="Dimmer" Preset="IntensityDimmer"/>
 <Mode Name="1ch"><Channel Number="0">Dimmer</Channel></Mode>
 {extra}
</FixtureDefinition>
"""
LAUGHS = ("<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
          + "".join(f"<!ENTITY lol{i} \"{('&lol' + (str(i - 1) if i > 1 else '') + ';') * 10}\">"
                    for i in range(1, 10)) + "]>\n")


@pytest.mark.parametrize("doctype, maker, extra", [
    (LAUGHS, "&lol9;", ""),                                                   # billion laughs
    ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n', "&e;", ""),  # external entity
    ("", "ACME", "<a>" * 50000 + "</a>" * 50000),                             # deep XML
    ("", "ACME<!-- \n dimmer_curve: gamma -->\nB", ""),                       # comment with a break
])
def test_hostile_xml_is_refused_or_says_only_what_it_said(doctype, maker, extra):
    raw = QXF.format(doctype=doctype, maker=maker, extra=extra).encode()
    result = import_fixture(raw, "lib/hostile.qxf", {})
    for profile in _profiles_load(result):
        assert profile.dimmer_curve.kind == "linear"
        assert "lol" not in profile.manufacturer and "root:" not in profile.manufacturer
    for text in (t for _, t in result.profiles):
        assert "lollol" not in text and "root:" not in text
    assert all(d.span is not None for d in result.diagnostics)
