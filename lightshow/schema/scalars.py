"""Field types of one scalar node: numbers, times, booleans, text, choices.

Scalars arrive as text: each type decides what text it accepts, so ``on`` is
never a boolean, ``1:30`` never 90 and ``010`` never 8.
"""

from __future__ import annotations

import math
import re
from typing import Iterable

from lightshow.diagnostics import did_you_mean, quote
from lightshow.schema.reading import FieldType, ReadContext, plain_text, scalar_text
from lightshow.schema.yamltree import Node

__all__ = [
    "CLOCK_PATTERN", "NAME_MAX_CHARS", "NAME_PATTERN", "YAML11_BOOL_WORDS", "Bool", "Choice", "Const", "Float", "Int", "Name",
    "Seconds", "Str", "parse_seconds",
]

YAML11_BOOL_WORDS = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.title(), base.upper())
)
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_CLOCK_RE = re.compile(r"(?:([0-9]+):)?([0-9]+):([0-9]{1,2}(?:\.[0-9]*)?)\Z")
CLOCK_PATTERN = r"^([0-9]+:)?[0-9]+:[0-5]?[0-9](\.[0-9]*)?$"


def parse_seconds(text: str) -> float | None:
    """``90``, ``1.5``, ``1:30``, ``1:30.250`` or ``1:02:03.5`` -> seconds."""
    if _FLOAT_RE.match(text):
        value = float(text)
        return value if math.isfinite(value) else None
    match = _CLOCK_RE.match(text)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def _range_text(low, high, unit: str = "") -> str:
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f" from {low} to {high}{suffix}"
    if low is not None:
        return f" of at least {low}{suffix}"
    if high is not None:
        return f" of at most {high}{suffix}"
    return f" ({unit})" if unit else ""


def _check_range(value, low, high, node: Node, ctx: ReadContext, what: str):
    if (low is not None and value < low) or (high is not None and value > high):
        found = node.value if len(node.value) <= 40 else node.value[:39] + "…"
        return ctx.error("out-of-range", f"expected {what}, found {found}", node)
    return value


def _bounds_schema(schema: dict, low, high) -> dict:
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


class _Number(FieldType):
    """A plain number within optional bounds; subclasses say which text is one."""

    noun = "a number"
    json_type = "number"

    def __init__(self, low=None, high=None, unit: str = ""):
        self.low, self.high = low, high
        self.expected = self.noun + _range_text(low, high, unit)

    def parse(self, text: str):
        raise NotImplementedError

    def read(self, node, ctx):
        text = plain_text(node)
        value = self.parse(text) if text is not None else None
        if value is None:
            return ctx.expected(self.expected, node)
        return _check_range(value, self.low, self.high, node, ctx, self.expected)

    def json_schema(self):
        return _bounds_schema({"type": self.json_type}, self.low, self.high)


class Int(_Number):
    noun = "a whole number"
    json_type = "integer"

    def parse(self, text: str) -> int | None:
        if not _INT_RE.match(text):
            return None
        if len(text.lstrip("+-").lstrip("0")) > 18:  # far out of any range, and int() refuses 4300+ digits
            return -(10 ** 19) if text.startswith("-") else 10 ** 19
        return int(text, 10)


class Float(_Number):
    def parse(self, text: str) -> float | None:
        if not _FLOAT_RE.match(text) or not math.isfinite(float(text)):
            return None
        return float(text)


class Seconds(FieldType):
    """A time: seconds (``12.5``) or a clock (``mm:ss.fff``, ``h:mm:ss``)."""

    def __init__(self, low: float | None = 0.0, high: float | None = None):
        self.low, self.high = low, high
        self.expected = "a time in seconds or mm:ss.fff" + _range_text(low, high)

    def read(self, node, ctx):
        text = plain_text(node)
        value = parse_seconds(text) if text is not None else None
        if value is None:
            return ctx.expected(self.expected, node)
        return _check_range(value, self.low, self.high, node, ctx, self.expected)

    def json_schema(self):
        number = _bounds_schema({"type": "number"}, self.low, self.high)
        return {"oneOf": [number, {"type": "string", "pattern": CLOCK_PATTERN}]}


class Bool(FieldType):
    expected = "true or false"

    def read(self, node, ctx):
        text = plain_text(node)
        if text in ("true", "True", "TRUE"):
            return True
        if text in ("false", "False", "FALSE"):
            return False
        if text in YAML11_BOOL_WORDS:
            return ctx.error(
                "wrong-type",
                f"expected true or false, found '{text}' (YAML 1.1 words are not booleans here)",
                node,
            )
        return ctx.expected(self.expected, node)

    def json_schema(self):
        return {"type": "boolean"}


class Str(FieldType):
    """Text; a plain ``010`` or ``on`` stays the text the user wrote."""

    def __init__(self, pattern: str | None = None, what: str = "a string", max_len: int = 200):
        self.pattern = re.compile(pattern) if pattern else None
        self.expected = what
        self.max_len = max_len

    def read(self, node, ctx):
        text = scalar_text(node)
        if text is None or text == "":
            return ctx.expected(self.expected, node)
        if len(text) > self.max_len:
            return ctx.error(
                "out-of-range", f"expected {self.expected} of at most {self.max_len} characters, "
                f"found {len(text)} characters", node)
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return ctx.error("invalid-value", f"expected {self.expected}, found {quote(text)}", node)
        return text

    def json_schema(self):
        schema: dict = {"type": "string", "minLength": 1, "maxLength": self.max_len}
        if self.pattern is not None:
            schema["pattern"] = f"^(?:{self.pattern.pattern})$"
        return schema


NAME_PATTERN = r"[^\s*?\[\]:,/@#'\"]+"
NAME_MAX_CHARS = 100


def Name(what: str = "a name") -> Str:
    """An identifier users refer to: no spaces and none of ``* ? [ ] : , / @ #``."""
    return Str(NAME_PATTERN, f"{what} (no spaces or * ? [ ] : , / @ #)", max_len=NAME_MAX_CHARS)


class Choice(FieldType):
    def __init__(self, choices: Iterable[str], what: str | None = None):
        self.choices = tuple(choices)
        self.expected = what or "one of " + ", ".join(self.choices)

    def read(self, node, ctx):
        text = scalar_text(node)
        if text is None:
            return ctx.expected(self.expected, node)
        if text not in self.choices:
            hint = did_you_mean(text, self.choices)
            return ctx.error("invalid-value", f"expected {self.expected}, found {quote(text)}{hint}", node)
        return text

    def json_schema(self):
        return {"enum": list(self.choices)}


class Const(FieldType):
    def __init__(self, word: str):
        self.word = word
        self.expected = f"'{word}'"

    def read(self, node, ctx):
        if scalar_text(node) != self.word:
            return ctx.expected(self.expected, node)
        return self.word

    def json_schema(self):
        return {"const": self.word}
