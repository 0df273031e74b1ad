"""Every sample fixture imports, loads with our loader, and patches and renders in a rig."""

import numpy as np
import pytest

from lightshow.core.render import ShowRenderer
from lightshow.errors import DiagnosticsError
from lightshow.load.project import load_show
from tests.interop.samples import OFL_FILES, QLCPLUS_FILES, import_sample

ALL = OFL_FILES + QLCPLUS_FILES


def test_the_sample_set_is_there():
    assert len(OFL_FILES) == 66 and len(QLCPLUS_FILES) == 29


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_sample_imports_without_errors(path):
    result = import_sample(path)
    assert not result.failed, [d.format() for d in result.diagnostics]
    assert result.profiles
    for diagnostic in result.diagnostics:
        assert diagnostic.code == "unsupported-capability"
        assert diagnostic.format().startswith(f"{path}:")
        assert ": warning[unsupported-capability]: " in diagnostic.format()
        if "channel '" in diagnostic.message:              # said where that channel is defined
            assert diagnostic.span.line > 0 and diagnostic.span.col > 0, diagnostic.format()


def test_every_imported_mode_patches_and_renders(project):
    lines = ["name: imported", "patch:"]
    universe = 1
    for path in ALL:
        for profile_id, text in import_sample(path).profiles:
            if (project.root / "fixtures" / f"{profile_id}.yaml").exists():
                profile_id += "-qlc"  # ADB ALC4 is in both sample sets
            project.fixture(profile_id, text)
            for mode in _mode_names(text):
                lines.append(f"  - {{id: f{universe}, profile: {profile_id}, mode: {mode}, "
                             f"universe: {universe}, address: auto}}")
                universe += 2  # a mode may need a second universe
    project.rig("\n".join(lines) + "\n")
    project.show("title: t\nrig: rig.yaml\nfps: 20\nchapters:\n  - id: one\n    cues:\n"
                 "      - {id: a, target: all, effect: solid, params: {color: red}, duration: 1}\n")
    try:
        show = load_show("shows/show.yaml")
    except DiagnosticsError as exc:
        raise AssertionError([d.format() for d in exc.diagnostics])
    assert len(show.rig.fixtures) == (universe - 1) // 2 > 400
    frames = ShowRenderer(show).render(0, 2)
    assert frames.shape[0] == 2 and np.count_nonzero(frames) > 0


def _mode_names(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("modes:")
    return [line.strip().rstrip(":").strip('"') for line in lines[start + 1:]
            if line.startswith("  ") and not line.startswith("    ")]
