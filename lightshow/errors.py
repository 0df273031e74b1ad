"""The one exception family of lightshow.

Every error that a user can cause derives from :class:`LightshowError`; the CLI
turns those into exit code 1 and anything else into exit code 3 (a bug).
"""

from __future__ import annotations


class LightshowError(Exception):
    """Base of every error a user's input or environment can cause."""


class UsageError(LightshowError):
    """The command line itself is wrong (exit code 2)."""


class DiagnosticsError(LightshowError):
    """Input files have problems; carries the positioned diagnostics."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s) found")


class FormatError(LightshowError):
    """A binary file (compiled show, packet) is malformed."""


class NotFoundError(LightshowError):
    """A chapter, cue, group or other named thing does not exist."""
