"""Selectors name sets of patched fixtures, in groups and in cue targets.

- ``name``       a group, an array (all its elements) or one fixture id
- ``b01-*``      a glob over fixture ids (``*``, ``?``, ``[...]``)
- ``profile:ID`` every fixture of a profile
- ``all``        every fixture of the rig
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from lightshow.diagnostics import did_you_mean

GLOB_CHARS = re.compile(r"[*?\[]")
ALL = "all"


@dataclass
class SelectorScope:
    """What selectors can name: fixture ids in rig order, arrays, groups, profiles."""

    fixture_ids: list[str]
    arrays: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[str, ...]]
    profile_of: dict[str, str]

    def names(self) -> list[str]:
        return [*self.groups, *self.arrays, *self.fixture_ids]


def select(selector: str, scope: SelectorScope) -> tuple[tuple[str, ...], str | None]:
    """The fixture ids a selector names, or () and a message saying why none."""
    if selector == ALL:
        return tuple(scope.fixture_ids), None
    if selector.startswith("profile:"):
        profile = selector[len("profile:"):]
        ids = tuple(f for f in scope.fixture_ids if scope.profile_of.get(f) == profile)
        if not ids:
            hint = did_you_mean(profile, set(scope.profile_of.values()))
            return (), f"no fixture uses profile '{profile}'{hint}"
        return ids, None
    if GLOB_CHARS.search(selector):
        pattern = re.compile(fnmatch.translate(selector))
        ids = tuple(f for f in scope.fixture_ids if pattern.match(f))
        if not ids:
            return (), f"selector '{selector}' matches no fixture id"
        return ids, None
    if selector in scope.groups:
        return scope.groups[selector], None
    if selector in scope.arrays:
        return scope.arrays[selector], None
    if selector in scope.profile_of:
        return (selector,), None
    return (), f"unknown group or fixture '{selector}'{did_you_mean(selector, scope.names())}"


def merge_selected(parts: list[tuple[str, ...]], order: dict[str, int]) -> tuple[str, ...]:
    """Union of selections, in rig order, without repeats."""
    chosen: set[str] = set()
    for part in parts:
        chosen.update(part)
    return tuple(sorted(chosen, key=order.__getitem__))
