"""When a cue starts, as a show file writes it: a time from the chapter's start, after the
previous cue's start or end, or at a mark of the music."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lightshow.schema.reading import FieldType, plain_text
from lightshow.schema.scalars import parse_seconds
from lightshow.schema.yamltree import ScalarNode

_AFTER_RE = re.compile(r"after(?:\s*\+\s*(.+))?\Z")


_MUSIC_RE = re.compile(r"(beat|bar|onset)\s+([0-9]+(?:\.[0-9]*)?)\s*(?:([+-])\s*(\S+))?\Z")
_MARK_RE = re.compile(r"mark\s+(\S+?)(?:\s+([+-])\s*(\S+))?\Z")


@dataclass(frozen=True)
class CueStart:
    """When a cue starts: from the ``chapter`` start, the previous cue's ``start`` or ``end``,
    or at a mark of the music (``beat``, ``bar``, ``onset`` number or named ``mark``)."""

    anchor: str
    offset_s: float
    ref: str | float | None = None

    def __str__(self) -> str:
        offset = "" if self.offset_s == 0 else f" {'+' if self.offset_s > 0 else '-'} {abs(self.offset_s):g}"
        return f"{self.anchor} {self.ref if isinstance(self.ref, str) else f'{self.ref:g}'}{offset}"


class CueStartField(FieldType):
    expected = ("a time from the chapter start (12.5 or mm:ss.fff), '+N' after the previous "
                "cue's start, 'after' / 'after+N' after the previous cue's end, or a mark of the "
                "music ('beat 64', 'bar 17', 'mark chorus + 0.5')")

    def read(self, node, ctx):
        text = plain_text(node)
        if text is None and isinstance(node, ScalarNode) and node.style in ("'", '"'):
            text = node.value
        if text is None:
            return ctx.expected(self.expected, node)
        text = text.strip()
        music = _MUSIC_RE.match(text) or _MARK_RE.match(text)
        if music:
            kind, ref, sign, offset_text = music.groups() if text.startswith(("beat", "bar", "onset")) \
                else ("mark", *music.groups())
            offset = parse_seconds(offset_text) if offset_text else 0.0
            if offset is None or offset < 0:
                return ctx.expected(self.expected, node)
            return CueStart(kind, -offset if sign == "-" else offset, ref if kind == "mark" else float(ref))
        match = _AFTER_RE.match(text)
        if match:
            offset = parse_seconds(match.group(1).strip()) if match.group(1) else 0.0
            if offset is None or offset < 0:
                return ctx.expected(self.expected, node)
            return CueStart("end", offset)
        if text.startswith("+"):
            offset = parse_seconds(text[1:].strip())
            if offset is None or offset < 0:
                return ctx.expected(self.expected, node)
            return CueStart("start", offset)
        seconds = parse_seconds(text)
        if seconds is None or seconds < 0:
            return ctx.expected(self.expected, node)
        return CueStart("chapter", seconds)

    def json_schema(self):
        return {"anyOf": [{"type": "number", "minimum": 0},
                          {"type": "string", "pattern": r"^(\+?[0-9:.]+|after(\s*\+\s*[0-9:.]+)?)$"},
                          {"type": "string", "pattern": r"^((beat|bar|onset)\s+[0-9.]+|mark\s+\S+)(\s*[+-]\s*[0-9:.]+)?$"}]}
