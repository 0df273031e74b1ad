import pytest

from tests.projects import ProjectDir


@pytest.fixture
def project(tmp_path, monkeypatch) -> ProjectDir:
    """An empty project folder (fixtures/ with a 4-channel par, shows/) as the cwd."""
    monkeypatch.chdir(tmp_path)
    return ProjectDir(tmp_path)
