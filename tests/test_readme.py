"""The README's two set-up commands: the main job, and exactly what CI runs."""

import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_ci_runs_the_readmes_test_command():
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line and not line.startswith(("#", "set ", "cd "))]
    assert ci_lines == [readme_commands()[1]]


def test_first_command_runs_the_anniversary_show():
    first = readme_commands()[0]
    assert first.startswith("python3 -m pip install -e . && lightshow ")
    assert "shows/anniversary.yaml" in first
