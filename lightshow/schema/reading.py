"""Typed reading of positioned YAML nodes: what every field type shares.

A field type knows three things: what it expects (for messages), how to read a
node into a Python value (appending diagnostics to a :class:`ReadContext`
instead of raising; a value that failed reads as :data:`INVALID`), and its
JSON Schema (for editors).  The types themselves live in
:mod:`~lightshow.schema.scalars`, :mod:`~lightshow.schema.records` and
:mod:`~lightshow.schema.combinators`.
"""

from __future__ import annotations

from typing import Any

from lightshow.diagnostics import Diagnostic, SourceSpan, error, quote
from lightshow.schema.yamltree import MappingNode, Node, ScalarNode, SequenceNode, span_of

__all__ = [
    "INVALID", "MAX_DEPTH", "MAX_NODES", "NULL_WORDS", "FieldType", "ReadContext",
    "describe_found", "is_null", "plain_text", "scalar_text",
]


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

    def trial(self) -> ReadContext:
        """A scratch context to try one reading in: the same names, depth and
        budget, diagnostics of its own."""
        trial = ReadContext(self.path, self.names)
        trial._depth, trial._nodes_left = self._depth, self._nodes_left
        return trial

    def adopt(self, trial: ReadContext) -> None:
        """Keep a trial's reading: what it read counts against this budget."""
        self._nodes_left = trial._nodes_left


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


class FieldType:
    """Base of field types; subclasses set ``expected`` and implement read."""

    expected = "a value"

    def read(self, node: Node, ctx: ReadContext) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError
