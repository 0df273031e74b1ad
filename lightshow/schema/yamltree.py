"""YAML text -> a node tree that keeps every position, and nothing typed.

PyYAML's composer (libyaml when available) builds the node tree; no resolver
turns scalars into booleans, sexagesimal or octal numbers: every scalar stays
text until a field type reads it.  Explicit tags other than the three plain
ones are refused, so ``!!python/object`` never means anything here.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from lightshow.diagnostics import Diagnostic, SourceSpan, error

try:  # libyaml is ~10x faster; the pure parser gives the same tree
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
PLAIN_TAGS = frozenset({STR_TAG, SEQ_TAG, MAP_TAG})

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "parse_yaml", "span_of"]


class _TextOnlyResolver(BaseResolver):
    """Every implicit scalar is a string; typing happens in the field readers."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook
        if kind is ScalarNode:
            return STR_TAG
        if kind is SequenceNode:
            return SEQ_TAG
        return MAP_TAG


class _NodeLoader(_Parser, _TextOnlyResolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _TextOnlyResolver.__init__(self)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Build large trees without the cyclic collector re-scanning them (4x faster).

    Node trees hold no reference cycles except through aliases, which the
    collector reclaims once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def span_of(node: Node, path: str) -> SourceSpan:
    mark = node.start_mark
    return SourceSpan(path, mark.line + 1, mark.column + 1)


def decode_text(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (with or without BOM) -> text, or a positioned diagnostic."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = data[exc.start]
        return None, [
            error(
                "encoding",
                f"expected UTF-8 text, found byte 0x{byte:02x} (is this a binary file?)",
                SourceSpan(path, line, col),
            )
        ]


def _tag_problems(root: Node, path: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            problems.append(
                error(
                    "yaml-tag",
                    f"YAML tag '{node.tag}' is not supported here; write plain values",
                    span_of(node, path),
                )
            )
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return problems


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem, context = exc.problem, exc.context
    if problem and context and exc.context_mark is not None:
        line = exc.context_mark.line + 1
        if context.startswith("while "):
            return f"{problem} {context} that started at line {line}"
        return f"{context} (line {line}), {problem}"
    return problem or context or "malformed document"


def _mark_span(exc: yaml.MarkedYAMLError, path: str) -> SourceSpan:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return SourceSpan(path, 1, 1)
    return SourceSpan(path, mark.line + 1, mark.column + 1)


def _offset_span(text: str, offset: int, path: str) -> SourceSpan:
    head = text[:offset]
    return SourceSpan(path, head.count("\n") + 1, offset - (head.rfind("\n") + 1) + 1)


def parse_yaml(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose one YAML document; return its root node (None when empty)."""
    loader = None
    try:
        loader = _NodeLoader(text)
        with paused_gc():
            root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [error("yaml-syntax", f"invalid YAML: {_describe(exc)}", _mark_span(exc, path))]
    except yaml.reader.ReaderError as exc:
        span = _offset_span(text, exc.position, path)
        what = f"character U+{exc.character:04X} is not allowed in YAML text"
        return None, [error("yaml-syntax", f"invalid YAML: {what}", span)]
    except yaml.YAMLError as exc:
        return None, [error("yaml-syntax", f"invalid YAML: {exc}", SourceSpan(path, 1, 1))]
    except RecursionError:
        what = "invalid YAML: nesting is too deep"
        return None, [error("yaml-syntax", what, SourceSpan(path, 1, 1))]
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None, []
    if "!" not in text:  # no explicit tag can be written without '!'
        return root, []
    return root, _tag_problems(root, path)
