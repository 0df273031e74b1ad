"""Reading one YAML source file into a positioned node tree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from lightshow.diagnostics import Diagnostic, SourceSpan, error
from lightshow.schema.yamltree import Node, decode_text, parse_yaml

MAX_SOURCE_BYTES = 64 * 1024 * 1024


@dataclass
class Source:
    path: str
    root: Node | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: str | None = None   # why the file could not be read at all

    @property
    def ok(self) -> bool:
        return self.unreadable is None and not self.diagnostics


def read_source(path: str) -> Source:
    """Read and compose ``path``; problems become diagnostics, never exceptions.

    ``unreadable`` is set (and no diagnostic made) when the file cannot be
    opened, so that the caller can report it where the file was referenced.
    """
    source = Source(path)
    if not os.path.exists(path):
        source.unreadable = "no such file"
        return source
    if os.path.isdir(path):
        source.unreadable = "it is a directory, not a file"
        return source
    if not os.path.isfile(path):
        source.unreadable = "it is not a regular file"
        return source
    try:
        size = os.path.getsize(path)
        if size > MAX_SOURCE_BYTES:
            source.unreadable = f"it is {size} bytes, larger than the {MAX_SOURCE_BYTES} byte limit"
            return source
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        source.unreadable = exc.strerror or str(exc)
        return source
    text, problems = decode_text(data, path)
    if text is None:
        source.diagnostics = problems
        return source
    source.root, source.diagnostics = parse_yaml(text, path)
    return source


def unreadable_diagnostic(source: Source, what: str, at: SourceSpan | None = None) -> Diagnostic:
    """The diagnostic for a file that could not be read, placed where it was named."""
    code = "file-not-found" if source.unreadable == "no such file" else "unreadable-file"
    if at is None:
        return error(code, f"cannot read {what}: {source.unreadable}", SourceSpan(source.path))
    return error(code, f"cannot read {what} '{source.path}': {source.unreadable}", at)
