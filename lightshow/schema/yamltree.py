"""YAML text -> a node tree that keeps every position, and nothing typed.

PyYAML's composer (libyaml when available) builds the node tree; no resolver
turns scalars into booleans, sexagesimal or octal numbers: every scalar stays
text until a field type reads it.  Explicit tags other than the three plain
ones are refused, so ``!!python/object`` never means anything here.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import re
from typing import Iterator

import numpy as np
import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from lightshow.diagnostics import Diagnostic, SourceSpan, error

try:  # libyaml is ~10x faster; the pure parser gives the same tree
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build

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


def each_node(root: Node) -> Iterator[Node]:
    """Every node of a tree once, keys included (aliases share nodes; cycles end)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def duplicate_key_problems(root: Node, path: str) -> list[Diagnostic]:
    """Every key given twice in a mapping anywhere in the document (what a record reports as it
    reads, found here for a file that is not read as any kind)."""
    problems = []
    for node in each_node(root):
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode):
                    continue
                if key_node.value in seen:
                    problems.append(error("duplicate-key", f"duplicate key '{key_node.value}' (first given at "
                                          f"line {seen[key_node.value]})", span_of(key_node, path)))
                else:
                    seen[key_node.value] = key_node.start_mark.line + 1
    return problems


def _tag_problems(root: Node, path: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for node in each_node(root):
        if node.tag not in PLAIN_TAGS:
            tag = node.tag
            if tag.startswith("tag:yaml.org,2002:"):
                tag = "!!" + tag[len("tag:yaml.org,2002:"):]
            problems.append(error("yaml-tag", f"YAML tag '{tag}' is not supported here; "
                                  "write plain values", span_of(node, path)))
    return problems


MAX_NESTING = 64
_UNICODE_BREAKS = ("\u2028", "\u2029", "\x85")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_ALIAS_RE = re.compile(r"\*([^\s,\[\]{}]+)")


class LineTable:
    """Character offset -> 1-based (line, column), counting only LF, CRLF and CR as breaks.

    libyaml also breaks lines at U+0085, U+2028 and U+2029; editors do not.
    """

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _char_at(text: str, mark) -> str:
    index = getattr(mark, "index", None)
    return text[index] if index is not None and 0 <= index < len(text) else ""


def _describe(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem, context = exc.problem or "", exc.context or ""
    if "end of stream" in problem and "quoted scalar" in context:
        quote_char = _char_at(text, exc.context_mark) or '"'
        return (f"expected a closing '{quote_char}' for the string that starts here, "
                "found the end of the file")
    if "cannot start any token" in problem and _char_at(text, exc.problem_mark) == "\t":
        return "expected spaces for indentation, found a tab character"
    if problem == "found undefined alias":
        match = _ALIAS_RE.match(text, getattr(exc.problem_mark, "index", 0))
        return f"found undefined alias '{match.group(1)}'" if match else problem
    if problem and context and exc.context_mark is not None:
        line = exc.context_mark.line + 1
        if context.startswith("while "):
            return f"{problem} {context} that started at line {line}"
        return f"{context} (line {line}), {problem}"
    return problem or context or "malformed document"


def _mark_span(exc: yaml.MarkedYAMLError, path: str, lines: LineTable) -> SourceSpan:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "quoted scalar" in (exc.context or "") and \
            "end of stream" in (exc.problem or ""):
        mark = exc.context_mark
    if mark is None:
        return SourceSpan(path, 1, 1)
    return SourceSpan(path, *lines.position(mark.index))


class _EventParser(Reader, Scanner, Parser):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


def _bracket_depth(text: str) -> int:
    """Deepest flow nesting if every bracket counted (quoted ones make it an over-estimate)."""
    if text.count("[") + text.count("{") < MAX_NESTING:
        return 0
    data = np.frombuffer(text.encode("utf-8", "replace"), dtype=np.uint8)
    steps = np.zeros(len(data), dtype=np.int32)
    steps[(data == ord("[")) | (data == ord("{"))] = 1
    steps[(data == ord("]")) | (data == ord("}"))] = -1
    return int(np.cumsum(steps).max(initial=0))


def _too_deep(text: str, path: str, lines: LineTable) -> Diagnostic | None:
    """Nesting beyond MAX_NESTING, found from parser events (libyaml's composer recurses
    in C and would overflow the stack on tens of thousands of levels)."""
    if _bracket_depth(text) < MAX_NESTING and not re.search(
            r"^[ \t-]{%d,}" % MAX_NESTING, text, re.M):
        return None
    parser = _EventParser(text)  # pure Python: libyaml's scanner has limits of its own
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return error("too-deep", f"values are nested more than {MAX_NESTING} levels "
                                 "deep", SourceSpan(path, *lines.position(event.start_mark.index)))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the real parse reports it


def _renumber(root: Node, lines: LineTable) -> None:
    """Give every node the line and column an editor shows (see LineTable)."""
    for node in each_node(root):
        mark = node.start_mark
        line, col = lines.position(mark.index)
        node.start_mark = yaml.Mark(mark.name, mark.index, line - 1, col - 1, None, None)


def parse_yaml(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose one YAML document; return its root node (None when empty or broken)."""
    lines = LineTable(text)
    deep = _too_deep(text, path, lines)
    if deep is not None:
        return None, [deep]
    loader = None
    try:
        loader = _NodeLoader(text)
        with paused_gc():
            root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [error("yaml-syntax", f"invalid YAML: {_describe(exc, text)}",
                            _mark_span(exc, path, lines))]
    except yaml.reader.ReaderError as exc:
        span = SourceSpan(path, *lines.position(exc.position))
        what = f"character U+{exc.character:04X} is not allowed in YAML text"
        return None, [error("yaml-syntax", f"invalid YAML: {what}", span)]
    except yaml.YAMLError as exc:
        return None, [error("yaml-syntax", f"invalid YAML: {exc}", SourceSpan(path, 1, 1))]
    except RecursionError:
        what = f"values are nested more than {MAX_NESTING} levels deep"
        return None, [error("too-deep", what, SourceSpan(path, 1, 1))]
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None, []
    if any(brk in text for brk in _UNICODE_BREAKS):
        _renumber(root, lines)
    if "!" in text:  # no explicit tag can be written without '!'
        problems = _tag_problems(root, path)
        if problems:  # a tagged document is not read any further
            return None, problems
    return root, []
