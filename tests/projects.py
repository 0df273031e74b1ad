"""Small projects (fixture profiles, a rig, a show) written into a temp folder for tests."""

import pathlib
import textwrap

REPO = pathlib.Path(__file__).resolve().parents[2]

RGB_PIXEL_BAR = """\
name: Pixel bar {n}
pixels: {{columns: {n}}}
channels: {{red: red, green: green, blue: blue}}
modes:
  rgb:
    channels: [{{pixels: [red, green, blue]}}]
"""
RGBW_PIXEL_BAR = """\
name: RGBW pixel bar {n}
pixels: {{columns: {n}}}
channels: {{red: red, green: green, blue: blue, white: white}}
modes:
  rgbw:
    channels: [{{pixels: [red, green, blue, white]}}]
"""
PAR = """\
name: Par
channels:
  dimmer: intensity
  red: red
  green: green
  blue: blue
modes:
  4ch: {channels: [dimmer, red, green, blue]}
"""


class ProjectDir:
    def __init__(self, root: pathlib.Path):
        self.root = root
        (root / "fixtures").mkdir()
        (root / "shows").mkdir()
        self.fixture("par", PAR)

    def fixture(self, name: str, text: str) -> pathlib.Path:
        path = self.root / "fixtures" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def rig(self, text: str, name: str = "rig.yaml") -> pathlib.Path:
        path = self.root / "shows" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def show(self, text: str, name: str = "show.yaml") -> pathlib.Path:
        path = self.root / "shows" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
