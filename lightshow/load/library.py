"""Finding fixture profiles by id in the rig's library folders, each read once."""

from __future__ import annotations

import os

from lightshow.diagnostics import Diagnostic, SourceSpan, did_you_mean, error
from lightshow.load.profile_file import load_profile, profile_id_of
from lightshow.load.source import unreadable_diagnostic
from lightshow.model.profile import Profile


class ProfileLibrary:
    """Profiles by path, loaded lazily and cached for a whole validation run."""

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[Profile | None, list[Diagnostic]]] = {}
        self._listings: dict[str, list[str]] = {}
        self._found: dict[tuple[str, tuple[str, ...]], str | None] = {}

    def load_path(self, path: str, at: SourceSpan | None = None) -> tuple[Profile | None, list[Diagnostic]]:
        key = os.path.normpath(path)
        if key not in self._by_path:
            profile, problems, source = load_profile(key)
            if source.unreadable:
                problems = [unreadable_diagnostic(source, "fixture profile", at)]
            self._by_path[key] = (profile, problems)
        return self._by_path[key]

    def profile_ids(self, folder: str) -> list[str]:
        if folder not in self._listings:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            self._listings[folder] = [profile_id_of(n) for n in names
                                      if n.endswith((".yaml", ".yml"))]
        return self._listings[folder]

    def find(self, profile_id: str, folders: list[str], at: SourceSpan
             ) -> tuple[Profile | None, list[Diagnostic]]:
        """The profile ``profile_id`` from the first folder that has it."""
        key = (profile_id, tuple(folders))
        if key not in self._found:
            self._found[key] = next(
                (candidate for folder in folders for suffix in (".yaml", ".yml")
                 if os.path.exists(candidate := os.path.join(folder, profile_id + suffix))), None)
        if self._found[key] is not None:
            return self.load_path(self._found[key], at)
        known = [p for folder in folders for p in self.profile_ids(folder)]
        where = ", ".join(folders) or "(no library folders)"
        return None, [error("unknown-profile",
                            f"unknown fixture profile '{profile_id}'{did_you_mean(profile_id, known)};"
                            f" looked in {where}", at)]
