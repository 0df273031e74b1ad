"""One foreign fixture file (bytes) -> our profile texts and diagnostics; no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from lightshow.diagnostics import Diagnostic, SourceSpan, error, has_errors
from lightshow.interop.assemble import assemble_profiles
from lightshow.interop.ofl import read_ofl
from lightshow.interop.profile_yaml import check_profile_text, profile_yaml
from lightshow.interop.qlcplus import read_qlcplus
from lightshow.interop.source_error import ImportFailure
from lightshow.schema.yamltree import decode_text

OFL_SUFFIXES = (".json",)
QLCPLUS_SUFFIXES = (".qxf",)
IMPORT_SUFFIXES = OFL_SUFFIXES + QLCPLUS_SUFFIXES


@dataclass
class ImportResult:
    path: str
    profiles: list[tuple[str, str]] = field(default_factory=list)   # (profile id, YAML text)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    loaded: list = field(default_factory=list)   # the profiles as our loader read them back

    @property
    def failed(self) -> bool:
        return has_errors(self.diagnostics)


def import_fixture(data: bytes, path: str, manufacturers: dict | None = None) -> ImportResult:
    """Convert an OFL ``.json`` or QLC+ ``.qxf`` file's bytes into profile texts.

    Every profile is read back with our loader; a profile it rejects is an error.
    """
    result = ImportResult(path)
    text, problems = decode_text(data, path)
    if text is None:
        result.diagnostics = problems
        return result
    try:
        if path.lower().endswith(QLCPLUS_SUFFIXES) or text.lstrip().startswith("<"):
            fixture = read_qlcplus(text, path)
        else:
            fixture = read_ofl(text, path, manufacturers)
    except ImportFailure as exc:
        result.diagnostics.append(exc.diagnostic(path))
        return result
    profiles, result.diagnostics = assemble_profiles(fixture, path)
    for profile in profiles:
        yaml_text = profile_yaml(profile, path)
        checked, problems = check_profile_text(yaml_text, f"{profile.id}.yaml")
        if checked is None or has_errors(problems):
            result.diagnostics.append(error(
                "invalid-import", f"profile '{profile.id}' made from this file does not load: "
                + "; ".join(p.format() for p in problems[:3]), SourceSpan(path)))
            continue
        result.profiles.append((profile.id, yaml_text))
        result.loaded.append(checked)
    return result
