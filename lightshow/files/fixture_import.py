"""``lightshow fixtures import``: find foreign fixture files, convert them, write profiles."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from lightshow.diagnostics import Diagnostic, SourceSpan, error
from lightshow.interop.importer import IMPORT_SUFFIXES, ImportResult, import_fixture
from lightshow.interop.names import NameAllocator

MANUFACTURERS = "manufacturers.json"
MAX_FIXTURE_BYTES = 16 * 1024 * 1024


@dataclass
class ImportRun:
    n_files: int = 0
    n_failed: int = 0
    written: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def fixture_files(paths: list[str]) -> list[str]:
    """The files named, and the .json/.qxf files under the folders named (sorted)."""
    found: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            found.append(path)
            continue
        for folder, dirs, names in os.walk(path):
            dirs.sort()
            found.extend(os.path.join(folder, n) for n in sorted(names)
                         if n.lower().endswith(IMPORT_SUFFIXES) and n != MANUFACTURERS)
    return found


def _manufacturers(path: str, cache: dict[str, dict]) -> dict:
    """OFL's manufacturers.json beside the manufacturer folders, if there is one."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    if root not in cache:
        try:
            with open(os.path.join(root, MANUFACTURERS), encoding="utf-8") as handle:
                cache[root] = json.load(handle)
        except (OSError, ValueError):
            cache[root] = {}
        if not isinstance(cache[root], dict):
            cache[root] = {}
    return cache[root]


def read_and_import(path: str, cache: dict[str, dict]) -> ImportResult:
    try:
        if os.path.getsize(path) > MAX_FIXTURE_BYTES:
            return ImportResult(path, [], [error("unreadable-file", f"larger than "
                                                 f"{MAX_FIXTURE_BYTES} bytes", SourceSpan(path))])
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return ImportResult(path, [], [error("unreadable-file", f"cannot read: "
                                             f"{exc.strerror or exc}", SourceSpan(path))])
    manufacturers = _manufacturers(path, cache) if path.lower().endswith(".json") else {}
    return import_fixture(data, path, manufacturers)


def import_paths(paths: list[str], out_dir: str | None) -> ImportRun:
    """Import every fixture file under ``paths``; write ``<id>.yaml`` files into ``out_dir``."""
    run = ImportRun()
    cache: dict[str, dict] = {}
    ids = NameAllocator("-")
    if out_dir is not None:
        os.makedirs(out_dir, exist_ok=True)
    for path in fixture_files(paths):
        result = read_and_import(path, cache)
        run.n_files += 1
        run.n_failed += result.failed
        run.diagnostics.extend(result.diagnostics)
        if result.failed:
            continue
        for profile_id, text in result.profiles:
            target = ids.claim(profile_id)
            if target != profile_id:  # another file made this id: keep both, and say so
                text = text.replace("\nname: ", f"\n# saved as {target}: '{profile_id}' was taken\n"
                                    "name: ", 1)
            if out_dir is not None:
                out = os.path.join(out_dir, target + ".yaml")
                with open(out, "w", encoding="utf-8") as handle:
                    handle.write(text)
                run.written.append(out)
    return run
