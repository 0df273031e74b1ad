"""A foreign file that cannot be imported: the problem and where it is."""

from __future__ import annotations

from lightshow.diagnostics import Diagnostic, SourceSpan, error, warning


class ImportFailure(Exception):
    """Raised inside an importer; turned into one error diagnostic at its edge."""

    def __init__(self, message: str, line: int = 0, col: int = 0, code: str = "invalid-fixture"):
        super().__init__(message)
        self.message, self.line, self.col, self.code = message, line, col, code

    def diagnostic(self, path: str) -> Diagnostic:
        return error(self.code, self.message, SourceSpan(path, self.line, self.col))


class ImportSkipped(ImportFailure):
    """A file that is no fixture to import but is no mistake either (an OFL redirect to
    another fixture file): a warning, and no profile."""

    def diagnostic(self, path: str) -> Diagnostic:
        return warning(self.code, self.message, SourceSpan(path, self.line, self.col))


def position_of(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first ``needle`` in ``text``, or (0, 0)."""
    at = text.find(needle)
    if at < 0:
        return 0, 0
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
