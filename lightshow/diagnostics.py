"""Positioned diagnostics: data first, formatting separate.

A :class:`Diagnostic` names a problem (``code``), says what was expected and
what was found (``message``) and where (``span``, 1-based line and column).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceSpan:
    """A place in a source file; ``line`` and ``col`` are 1-based, 0 = unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    span: SourceSpan

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)

    def format(self) -> str:
        return f"{self.span}: {self.severity.value}[{self.code}]: {self.message}"


def error(code: str, message: str, span: SourceSpan) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, span)


def warning(code: str, message: str, span: SourceSpan) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, span)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by place and drop exact repeats (a rig shared by two shows)."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.format() for d in sorted_unique(diagnostics))


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'chase'?)`` for the closest candidate, or ``""``."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def quote(text: str, limit: int = 40) -> str:
    """Quote user text for a message, shortened so junk cannot flood the output."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown) if any(c in shown for c in "'\n\t\r") else f"'{shown}'"
