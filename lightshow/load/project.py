"""Loading shows with their rigs and profiles, and validating any of the three.

One :class:`Project` is one run: every file is read once, however many shows
share it, and every problem of every file is collected.
"""

from __future__ import annotations

import os

from lightshow.diagnostics import Diagnostic, SourceSpan, error, has_errors, sorted_unique
from lightshow.errors import DiagnosticsError
from lightshow.load.library import ProfileLibrary
from lightshow.load.profile_file import read_profile
from lightshow.load.rig_file import read_rig
from lightshow.load.schedule_file import read_schedule
from lightshow.load.show_file import build_show, read_show_header
from lightshow.load.source import read_source, unreadable_diagnostic
from lightshow.model.rig import Rig
from lightshow.model.schedule import Schedule
from lightshow.model.show import Show
from lightshow.schema.reading import INVALID, scalar_text
from lightshow.schema.yamltree import MappingNode, duplicate_key_problems, paused_gc

KINDS = ("show", "rig", "fixture")
# the top-level key that tells each kind of file apart
KIND_KEYS = {"chapters": "show", "patch": "rig", "modes": "fixture", "entries": "schedule"}
KIND_NAMES = {"show": "a show", "rig": "a rig file", "fixture": "a fixture profile", "schedule": "a schedule"}
KINDS_EXPECTED = ("a show (with 'chapters'), a rig (with 'patch'), a fixture profile "
                  "(with 'modes') or a schedule (with 'entries')")


def detect_kind(root) -> str | None:
    if not isinstance(root, MappingNode):
        return None
    for key_node, _ in root.value:
        kind = KIND_KEYS.get(scalar_text(key_node) or "")
        if kind:
            return kind
    return None


class Project:
    def __init__(self) -> None:
        self.library = ProfileLibrary()
        self._rigs: dict[str, tuple[Rig | None, list[Diagnostic]]] = {}

    def load_rig(self, path: str, at: SourceSpan | None = None) -> tuple[Rig | None, list[Diagnostic]]:
        key = os.path.normpath(path)
        if key not in self._rigs:
            source = read_source(key)
            if source.unreadable:
                self._rigs[key] = (None, [unreadable_diagnostic(source, "rig file", at)])
            elif source.root is None and source.diagnostics:
                self._rigs[key] = (None, source.diagnostics)
            elif detect_kind(source.root) not in (None, "rig") and at is not None:
                found = KIND_NAMES[detect_kind(source.root)]
                self._rigs[key] = (None, [error(
                    "wrong-kind", f"expected a rig file (with 'patch'), found {found} in '{key}'", at)])
            else:
                rig, problems = read_rig(source, self.library)
                self._rigs[key] = (None if has_errors(problems) else rig, problems)
        return self._rigs[key]

    def _show_from_source(self, source) -> tuple[Show | None, list[Diagnostic]]:
        values, ctx = read_show_header(source.root, source.path)
        if values is INVALID:
            return None, ctx.diagnostics
        rig = None
        problems: list[Diagnostic] = []
        if values["rig"] not in (None, INVALID):
            rig_path = os.path.join(os.path.dirname(source.path), values["rig"])
            rig, problems = self.load_rig(rig_path, values.span_of("rig"))
        show, show_problems = build_show(source.path, values, rig, ctx)
        return show, problems + show_problems

    def load_show(self, path: str) -> tuple[Show | None, list[Diagnostic]]:
        source = read_source(path)
        if source.unreadable:
            return None, [unreadable_diagnostic(source, "show file")]
        if source.root is None and source.diagnostics:
            return None, source.diagnostics
        show, problems = self._show_from_source(source)
        return show, source.diagnostics + problems

    def validate(self, path: str, kind: str | None = None) -> list[Diagnostic]:
        source = read_source(path)
        if source.unreadable:
            return [unreadable_diagnostic(source, "file")]
        if source.root is None and source.diagnostics:
            return source.diagnostics
        if source.root is None:
            return [error("empty-file", f"file is empty: expected {KINDS_EXPECTED}",
                          SourceSpan(path, 1, 1))]
        if not isinstance(source.root, MappingNode) and kind is None:
            found = "a list" if source.root.id == "sequence" else "a single value"
            return source.diagnostics + duplicate_key_problems(source.root, path) + [
                error("wrong-type", f"expected {KINDS_EXPECTED}, found {found}", SourceSpan(path, 1, 1))]
        kind = kind or detect_kind(source.root)
        if kind == "show":
            return source.diagnostics + self._show_from_source(source)[1]
        if kind == "rig":
            if source.diagnostics:
                return source.diagnostics
            key = os.path.normpath(path)
            if key not in self._rigs:
                rig, problems = read_rig(source, self.library)
                self._rigs[key] = (None if has_errors(problems) else rig, problems)
            return self._rigs[key][1]
        if kind == "fixture":
            return source.diagnostics + read_profile(source)[1]
        if kind == "schedule":
            return source.diagnostics + read_schedule(source)[1]
        return source.diagnostics + duplicate_key_problems(source.root, path) + [
            error("unknown-kind", f"cannot tell what this file is: expected {KINDS_EXPECTED}",
                  SourceSpan(path, 1, 1))]


def yaml_files_under(path: str) -> list[str]:
    """A directory argument stands for the YAML files below it, except marks files (``*.marks.yaml``,
    the data ``lightshow marks`` writes, not show language)."""
    if not os.path.isdir(path):
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(folder, f) for f in sorted(files)
                     if f.endswith((".yaml", ".yml")) and not f.endswith(".marks.yaml"))
    return found


def validate_paths(paths: list[str], kind: str | None = None) -> list[Diagnostic]:
    project = Project()
    diagnostics: list[Diagnostic] = []
    with paused_gc():
        for path in paths:
            for file_path in yaml_files_under(path):
                diagnostics.extend(project.validate(file_path, kind))
    return sorted_unique(diagnostics)


def load_show(path: str) -> Show:
    """The show at ``path`` with its rig; raises DiagnosticsError when it has errors."""
    with paused_gc():
        show, problems = Project().load_show(path)
    if show is None or has_errors(problems):
        raise DiagnosticsError(sorted_unique(problems))
    return show


def load_rig_of(path: str) -> Rig:
    """The rig at ``path``, or the rig of the show at ``path``; raises DiagnosticsError when it
    has errors."""
    project = Project()
    with paused_gc():
        if detect_kind(read_source(path).root) == "show":
            show, problems = project.load_show(path)
            rig = show.rig if show else None
        else:
            rig, problems = project.load_rig(path)
    if rig is None or has_errors(problems):
        raise DiagnosticsError(sorted_unique(problems))
    return rig


def load_schedule(path: str) -> Schedule:
    """The schedule at ``path``; raises DiagnosticsError when it has errors."""
    source = read_source(path)
    if source.unreadable:
        raise DiagnosticsError([unreadable_diagnostic(source, "schedule file")])
    if source.root is None and source.diagnostics:
        raise DiagnosticsError(source.diagnostics)
    schedule, problems = read_schedule(source)
    problems = source.diagnostics + problems
    if schedule is None or has_errors(problems):
        raise DiagnosticsError(sorted_unique(problems))
    return schedule
