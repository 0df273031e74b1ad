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
