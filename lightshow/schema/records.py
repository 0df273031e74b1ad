"""Mapping-shaped field types: records with known keys, maps of user-chosen names,
and whole documents (a file's root record and its JSON Schema)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from lightshow.diagnostics import SourceSpan, did_you_mean, error, quote
from lightshow.schema.reading import INVALID, FieldType, ReadContext, describe_found, scalar_text
from lightshow.schema.scalars import Name
from lightshow.schema.yamltree import MappingNode, Node, SequenceNode, span_of

__all__ = [
    "AnyMapping", "Field", "MapOf", "Record", "Values", "document_schema", "mapping_items", "read_document",
]


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
