import pytest

from tests.projects import SIM_RIG, SIM_SHOW, RGB_PIXEL_BAR, RGBW_PIXEL_BAR, ProjectDir


@pytest.fixture
def project(tmp_path, monkeypatch) -> ProjectDir:
    """An empty project folder (fixtures/ with a 4-channel par, shows/) as the cwd."""
    monkeypatch.chdir(tmp_path)
    return ProjectDir(tmp_path)


@pytest.fixture
def sim_show(project) -> str:
    """Path of a small show (two buildings, pixels, a washer bar, a par, a mover) in ``project``."""
    from tests.core.test_render import MOVER

    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.fixture("rgbw4", RGBW_PIXEL_BAR.format(n=4))
    project.fixture("mover", MOVER)
    project.rig(SIM_RIG)
    return str(project.show(SIM_SHOW))
