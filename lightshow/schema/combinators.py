"""Field types built from other field types: a list of one type, the first of
several alternatives that reads a node, and a value kept with its span."""

from __future__ import annotations

from lightshow.schema.reading import INVALID, FieldType
from lightshow.schema.records import MapOf, Record
from lightshow.schema.yamltree import MappingNode, Node, SequenceNode

__all__ = ["ListOf", "Located", "OneOf"]


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
            trial = ctx.trial()
            value = option.read(node, trial)
            if not trial.diagnostics:
                ctx.adopt(trial)
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
