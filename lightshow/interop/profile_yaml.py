"""An imported profile -> the text of our profile YAML, checked by our own loader."""

from __future__ import annotations

import json
import re

from lightshow.diagnostics import Diagnostic
from lightshow.interop.foreign import ForeignChannel, ImportedProfile
from lightshow.load.profile_file import read_profile
from lightshow.load.source import Source
from lightshow.model.profile import Profile
from lightshow.schema.reading import NULL_WORDS
from lightshow.schema.scalars import YAML11_BOOL_WORDS
from lightshow.schema.yamltree import parse_yaml

_PLAIN = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_RESERVED = NULL_WORDS | YAML11_BOOL_WORDS | {"true", "false"}


def yaml_scalar(text: str) -> str:
    """``text`` plain when that reads back as the same text, else double-quoted."""
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _channel_text(channel: ForeignChannel, fine: tuple[str, ...]) -> str:
    fields = [f"kind: {channel.kind.value}"]
    if fine:
        fine_text = (yaml_scalar(fine[0]) if len(fine) == 1
                     else "[" + ", ".join(yaml_scalar(f) for f in fine) + "]")
        fields.append(f"fine: {fine_text}")
    if channel.range_deg is not None:
        fields.append(f"range_deg: {_number(channel.range_deg)}")
    if channel.range_k is not None:
        fields.append(f"range_k: [{_number(channel.range_k[0])}, {_number(channel.range_k[1])}]")
    if channel.default:
        fields.append(f"default: {channel.default}")
    if channel.slots:
        items = []
        for name, low, high, rgb, kelvin in channel.slots:
            item = f"{{name: {yaml_scalar(name)}, dmx: [{low}, {high}]"
            if rgb is not None:
                item += f", color: {json.dumps(rgb)}"
            elif kelvin is not None:
                item += f", kelvin: {_number(kelvin)}"
            items.append(item + "}")
        fields.append("slots: [" + ", ".join(items) + "]")
    for key, dmx in (("open", channel.open), ("closed", channel.closed)):
        if dmx is not None:
            fields.append(f"{key}: [{dmx[0]}, {dmx[1]}]")
    if channel.rates:
        fields.append("rates: [" + ", ".join(
            f"{{dmx: [{low}, {high}], hz: [{_number(start)}, {_number(end)}]}}"
            for low, high, start, end in channel.rates) + "]")
    if len(fields) == 1:
        return channel.kind.value
    return "{" + ", ".join(fields) + "}"


def _mode_item(item: str | tuple[str, ...]) -> str:
    if isinstance(item, str):
        return yaml_scalar(item)
    return "{pixels: [" + ", ".join(yaml_scalar(name) for name in item) + "]}"


def _wrapped(head: str, parts: list[str], tail: str, width: int = 100) -> list[str]:
    """A flow sequence broken over lines of at most ``width`` characters where possible."""
    lines, line = [], head
    indent = " " * len(head)
    for number, part in enumerate(parts):
        piece = part + ("," if number < len(parts) - 1 else tail)
        if line not in (head, indent) and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = indent
        line += piece if line in (head, indent) else " " + piece
    lines.append(line)
    return lines


def comment_lines(text: str) -> list[str]:
    """Free text from a fixture file as YAML comment lines that cannot end their comment: split at
    every line break YAML knows (and the ones it does not), each line ``# ``-prefixed, anything
    unprintable a space."""
    return ["# " + "".join(c if c.isprintable() or c == "\t" else " " for c in line).rstrip()
            for line in (text.splitlines() or [""])]


def profile_yaml(profile: ImportedProfile, source: str) -> str:
    """The profile file's text; ``source`` (where it came from) goes in the first comment."""
    lines = comment_lines(f"Imported from {source} by 'lightshow fixtures import'.")
    for note in profile.notes:
        lines += comment_lines(note)
    lines.append(f"name: {yaml_scalar(profile.name)}")
    lines.append(f"manufacturer: {yaml_scalar(profile.manufacturer)}")
    if profile.size_m is not None:
        lines.append("size_m: [" + ", ".join(_number(v) for v in profile.size_m) + "]")
    if profile.pixels is not None:
        layout = profile.pixels
        lines.append(f"pixels: {{columns: {layout.columns}, rows: {layout.rows}, "
                     f"order: {layout.order}}}")
    lines.append("channels:")
    for name, (channel, fine) in profile.channels.items():
        lines.append(f"  {yaml_scalar(name)}: {_channel_text(channel, fine)}")
    lines.append("modes:")
    for name, items in profile.modes.items():
        lines.append(f"  {yaml_scalar(name)}:")
        lines.extend(_wrapped("    channels: [", [_mode_item(item) for item in items], "]"))
    return "\n".join(lines) + "\n"


def check_profile_text(text: str, path: str) -> tuple[Profile | None, list[Diagnostic]]:
    """Read ``text`` as the profile file ``path`` with our loader (no file is touched)."""
    root, problems = parse_yaml(text, path)
    source = Source(path, root, problems)
    if root is None:
        return None, problems
    profile, more = read_profile(source)
    return profile, problems + more
