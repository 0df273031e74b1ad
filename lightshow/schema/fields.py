"""Typed reading of positioned YAML nodes, and the JSON Schema of the same types.

A field type knows three things: what it expects (for messages), how to read a
node into a Python value (appending diagnostics instead of raising), and its
JSON Schema (for editors).  Scalars arrive as text: each type decides what text
it accepts, so ``on`` is never a boolean, ``1:30`` never 90 and ``010`` never 8.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from lightshow.diagnostics import Diagnostic, SourceSpan, did_you_mean, error, quote
from lightshow.schema.yamltree import MappingNode, Node, ScalarNode, SequenceNode, span_of


class _Invalid:
    """A value that failed to read; its diagnostic has already been reported."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID: Any = _Invalid()

MAX_DEPTH = 64
MAX_NODES = 2_000_000
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
YAML11_BOOL_WORDS = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.title(), base.upper())
)
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_CLOCK_RE = re.compile(r"(?:([0-9]+):)?([0-9]+):([0-9]{1,2}(?:\.[0-9]*)?)\Z")
CLOCK_PATTERN = r"^([0-9]+:)?[0-9]+:[0-5]?[0-9](\.[0-9]*)?$"


class ReadContext:
    """Where diagnostics go while one file is read, plus named things in scope."""

    def __init__(self, path: str, names: dict[str, Any] | None = None):
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.names: dict[str, Any] = names if names is not None else {}
        self._depth = 0
        self._nodes_left = MAX_NODES
        self._exhausted = False

    def span(self, node: Node) -> SourceSpan:
        return span_of(node, self.path)

    def error(self, code: str, message: str, node: Node) -> Any:
        self.diagnostics.append(error(code, message, span_of(node, self.path)))
        return INVALID

    def error_at(self, span: SourceSpan, code: str, message: str) -> Any:
        self.diagnostics.append(error(code, message, span))
        return INVALID

    def expected(self, what: str, node: Node) -> Any:
        return self.error("wrong-type", f"expected {what}, found {describe_found(node)}", node)

    def enter(self, node: Node) -> bool:
        """Guard nesting depth and alias expansion before reading a collection."""
        self._nodes_left -= 1 + len(node.value)
        if self._nodes_left < 0:
            if not self._exhausted:
                self._exhausted = True
                self.error("too-large", "document expands to too many values (alias bomb?)", node)
            return False
        if self._depth >= MAX_DEPTH:
            self.error("too-deep", f"values are nested more than {MAX_DEPTH} levels deep", node)
            return False
        self._depth += 1
        return True

    def leave(self) -> None:
        self._depth -= 1


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value in NULL_WORDS


def describe_found(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing" if node.value in ("", "~") else "null"
    if node.style:
        return f"the string {quote(node.value)}"
    return quote(node.value)


def scalar_text(node: Node) -> str | None:
    """The text of a non-null scalar, else None."""
    if isinstance(node, ScalarNode) and not is_null(node):
        return node.value
    return None


def plain_text(node: Node) -> str | None:
    """The text of an unquoted, non-null scalar (numbers are never quoted)."""
    if isinstance(node, ScalarNode) and not node.style and node.value not in NULL_WORDS:
        return node.value
    return None


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


class FieldType:
    """Base of field types; subclasses set ``expected`` and implement read."""

    expected = "a value"

    def read(self, node: Node, ctx: ReadContext) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


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


def Name(what: str = "a name") -> Str:
    """An identifier users refer to: no spaces and none of ``* ? [ ] : , / @ #``."""
    return Str(NAME_PATTERN, f"{what} (no spaces or * ? [ ] : , / @ #)", max_len=100)


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


class ListOf(FieldType):
    """A list; INVALID as a whole when an item is, unless ``partial`` (lists of
    records whose good items are still checked one by one)."""

    def __init__(self, item: FieldType, min_len: int = 0, max_len: int | None = None,
                 what: str | None = None, partial: bool = False):
        self.item, self.min_len, self.max_len = item, min_len, max_len
        self.partial = partial
        if what is None:
            count = f"{min_len} to {max_len}" if max_len is not None else "a list"
            what = f"a list of {item.expected}" if max_len is None else f"{count} × {item.expected}"
            if max_len is not None and min_len == max_len:
                what = f"a list of {min_len} × {item.expected}"
        self.expected = what

    def read(self, node, ctx):
        if not isinstance(node, SequenceNode):
            return ctx.expected(self.expected, node)
        n = len(node.value)
        if n < self.min_len or (self.max_len is not None and n > self.max_len):
            return ctx.error("wrong-length", f"expected {self.expected}, found {n} item(s)", node)
        if not ctx.enter(node):
            return INVALID
        try:
            items = [self.item.read(item, ctx) for item in node.value]
        finally:
            ctx.leave()
        if not self.partial and any(item is INVALID for item in items):
            return INVALID
        return items

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema()}
        if self.min_len:
            schema["minItems"] = self.min_len
        if self.max_len is not None:
            schema["maxItems"] = self.max_len
        return schema


class OneOf(FieldType):
    """The first alternative that reads the node without diagnostics."""

    def __init__(self, *options: FieldType, what: str | None = None):
        self.options = options
        self.expected = what or " or ".join(o.expected for o in options)

    def read(self, node, ctx):
        trials = []
        for option in self.options:
            trial = ReadContext(ctx.path, ctx.names)
            trial._depth, trial._nodes_left = ctx._depth, ctx._nodes_left
            value = option.read(node, trial)
            if not trial.diagnostics:
                ctx._nodes_left = trial._nodes_left
                return value
            trials.append((option, trial))
        shaped = [(o, t) for o, t in trials if _accepts_shape(o, node)]
        if len(shaped) == 1:  # only one alternative takes this shape: its own words
            return shaped[0][0].read(node, ctx)
        for option, trial in shaped:  # an alternative that understood the value but refused it
            if all(d.code not in ("wrong-type", "invalid-value") for d in trial.diagnostics):
                for d in trial.diagnostics:
                    found = d.message.rsplit(", found ", 1)
                    message = (f"expected {self.expected}, found {found[1]}" if len(found) == 2
                               else d.message)
                    ctx.error_at(d.span, d.code, message)
                return INVALID
        return ctx.expected(self.expected, node)

    def json_schema(self):
        return {"anyOf": [o.json_schema() for o in self.options]}


def _accepts_shape(option: FieldType, node: Node) -> bool:
    if isinstance(node, MappingNode):
        return isinstance(option, (Record, MapOf))
    if isinstance(node, SequenceNode):
        return isinstance(option, ListOf)
    return not isinstance(option, (Record, MapOf, ListOf))


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


class AnyMapping(FieldType):
    """A mapping kept as its node, to be read once its schema is known."""

    def __init__(self, what: str = "a mapping"):
        self.expected = what

    def read(self, node, ctx):
        if not isinstance(node, MappingNode):
            return ctx.expected(self.expected, node)
        return node

    def json_schema(self):
        return {"type": "object"}


class Located(FieldType):
    """Wraps a type so its value comes with the span it was read from."""

    def __init__(self, inner: FieldType):
        self.inner = inner
        self.expected = inner.expected

    def read(self, node, ctx):
        value = self.inner.read(node, ctx)
        return INVALID if value is INVALID else (value, ctx.span(node))

    def json_schema(self):
        return self.inner.json_schema()


def mapping_items(node: MappingNode, ctx: ReadContext) -> list[tuple[str, Node, Node]]:
    """(key, key node, value node) in order; merges (``<<``) applied; duplicates reported."""
    explicit: list[tuple[str, Node, Node]] = []
    merged: list[tuple[str, Node, Node]] = []
    seen: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = scalar_text(key_node)
        if key is None:
            ctx.error("wrong-type", f"expected a name as key, found {describe_found(key_node)}", key_node)
            continue
        if key == "<<" and not key_node.style:
            merged.extend(_merge_items(value_node, ctx))
            continue
        if key in seen:
            first = seen[key].start_mark.line + 1
            ctx.error("duplicate-key", f"duplicate key '{key}' (first given at line {first})", key_node)
            continue
        seen[key] = key_node
        explicit.append((key, key_node, value_node))
    for key, key_node, value_node in merged:
        if key not in seen:
            seen[key] = key_node
            explicit.append((key, key_node, value_node))
    return explicit


def _merge_items(value_node: Node, ctx: ReadContext) -> list[tuple[str, Node, Node]]:
    sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
    items: list[tuple[str, Node, Node]] = []
    for source in sources:
        if not isinstance(source, MappingNode):
            ctx.expected("a mapping (or list of mappings) to merge", source)
            continue
        if ctx.enter(source):
            try:
                items.extend(mapping_items(source, ctx))
            finally:
                ctx.leave()
    return items


@dataclass(frozen=True)
class Field:
    type: FieldType
    required: bool = False
    default: Any = None
    doc: str = ""


class Values:
    """What a :class:`Record` read: values by key, and where each value was written."""

    __slots__ = ("data", "nodes", "span", "path")

    def __init__(self, data: dict[str, Any], nodes: dict[str, Node], span: SourceSpan, path: str):
        self.data, self.nodes, self.span, self.path = data, nodes, span, path

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __contains__(self, key: str) -> bool:
        return key in self.nodes

    def given(self) -> list[str]:
        """The keys the file wrote (not defaults), in file order."""
        return list(self.nodes)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def span_of(self, key: str) -> SourceSpan:
        node = self.nodes.get(key)
        return self.span if node is None else span_of(node, self.path)

    def ok(self, *keys: str) -> bool:
        return all(self.data.get(k) is not INVALID for k in keys)


class Record(FieldType):
    """A mapping with known keys; unknown keys are errors with suggestions."""

    def __init__(self, name: str, fields: dict[str, Field], doc: str = "",
                 check: Callable[[Values, MappingNode, ReadContext], None] | None = None,
                 unknown_code: str = "unknown-key", whole: bool = False):
        self.name = name
        self.whole = whole  # INVALID as a whole when a field is
        self.unknown_code = unknown_code
        self.fields = fields
        self.doc = doc
        self.check = check
        self.expected = f"a mapping ({name})"

    def read(self, node, ctx):
        if not isinstance(node, MappingNode):
            return ctx.expected(self.expected, node)
        if not ctx.enter(node):
            return INVALID
        try:
            return self._read_items(node, ctx)
        finally:
            ctx.leave()

    def _read_items(self, node: MappingNode, ctx: ReadContext) -> Values:
        fields = self.fields
        data: dict[str, Any] = {}
        nodes: dict[str, Node] = {}
        for key, key_node, value_node in mapping_items(node, ctx):
            spec = fields.get(key)
            if spec is None:
                ctx.error(self.unknown_code, self._unknown_key_message(key), key_node)
                continue
            nodes[key] = value_node
            data[key] = spec.type.read(value_node, ctx)
        for key, spec in fields.items():
            if key in nodes:
                continue
            if spec.required:
                ctx.error("missing-key", f"{self.name} is missing key '{key}': expected "
                          f"{spec.type.expected}", node)
                data[key] = INVALID
            else:
                data[key] = spec.default
        values = Values(data, nodes, span_of(node, ctx.path), ctx.path)
        if self.check is not None:
            self.check(values, node, ctx)
        if self.whole and any(value is INVALID for value in data.values()):
            return INVALID
        return values

    def _unknown_key_message(self, key: str) -> str:
        hint = did_you_mean(key, self.fields)
        if hint:
            return f"unknown key {quote(key)} in {self.name}{hint}"
        return f"unknown key {quote(key)} in {self.name}; expected one of: " + ", ".join(self.fields)

    def json_schema(self):
        properties = {}
        for key, spec in self.fields.items():
            prop = dict(spec.type.json_schema())
            if spec.doc:
                prop["description"] = spec.doc
            properties[key] = prop
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        required = [k for k, s in self.fields.items() if s.required]
        if required:
            schema["required"] = required
        if self.doc:
            schema["description"] = self.doc
        return schema


class MapOf(FieldType):
    """A mapping from user-chosen names to values of one type."""

    def __init__(self, value: FieldType, key: FieldType | None = None, what: str | None = None):
        self.value = value
        self.key = key or Name()
        self.expected = what or f"a mapping of names to {value.expected}"

    def read(self, node, ctx):
        if not isinstance(node, MappingNode):
            return ctx.expected(self.expected, node)
        if not ctx.enter(node):
            return INVALID
        try:
            result: dict[str, tuple[Any, SourceSpan]] = {}
            for key, key_node, value_node in mapping_items(node, ctx):
                if self.key.read(key_node, ctx) is INVALID:
                    continue
                result[key] = (self.value.read(value_node, ctx), span_of(key_node, ctx.path))
            return result
        finally:
            ctx.leave()

    def json_schema(self):
        return {"type": "object", "additionalProperties": self.value.json_schema(),
                "propertyNames": self.key.json_schema()}


def read_document(root: Node | None, record: Record, ctx: ReadContext, kind: str) -> Values | Any:
    """Read a whole file's root node; an empty file, or one that is not a mapping
    (a list, a lone value), is one diagnostic."""
    keys = ", ".join(k for k, f in record.fields.items() if f.required)
    if root is None:
        ctx.diagnostics.append(error(
            "empty-file", f"file is empty: expected a {kind} (a mapping with keys {keys})",
            SourceSpan(ctx.path, 1, 1)))
        return INVALID
    if not isinstance(root, MappingNode):
        return ctx.error("wrong-type", f"a {kind} file must be a mapping at the top level "
                         f"(with keys {keys}), found {describe_found(root)}", root)
    return record.read(root, ctx)


def document_schema(record: Record, title: str, schema_id: str) -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id,
              "title": title}
    schema.update(record.json_schema())
    return schema


__all__ = [
    "AnyMapping", "Bool", "Choice", "Const", "Field", "FieldType", "Float", "INVALID", "Int", "ListOf", "Located",
    "MapOf", "Name", "OneOf", "ReadContext", "Record", "Seconds", "Str", "Values",
    "describe_found", "document_schema", "mapping_items", "parse_seconds",
    "plain_text", "read_document", "scalar_text",
]
