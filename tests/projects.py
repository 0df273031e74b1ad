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


# two buildings of pixels, an RGBW bar, a par and a moving head (the simulator tests)
SIM_RIG = """\
name: two buildings
patch:
  - {id: roof, profile: bar8, universe: 0, address: 1, position_m: [10, 30, 0]}
  - {id: tower, profile: rgbw4, universe: 0, address: 25, position_m: [10, 15, 0], rotation_deg: 90}
  - {id: par, profile: par, universe: 1, address: 1, position_m: [60, 12, 0]}
  - {id: head, profile: mover, universe: 1, address: 11, position_m: [60, 40, 0]}
groups:
  pixels: [roof, tower]
"""
SIM_SHOW = """\
title: 测试 two buildings
rig: rig.yaml
fps: 20
chapters:
  - id: first
    title: 第一章 red
    cues:
      - {id: red-roof, target: roof, effect: solid, params: {color: red}, duration: 2}
      - {id: green-tower, start: 0, target: tower, effect: solid, params: {color: [0, 255, 0]}, duration: 2}
      - {id: par-half, start: 0, target: par, effect: solid, params: {color: [0, 0, 255]}, opacity: 0.5,
         duration: 2}
      - {id: beam, start: 0, target: head, effect: sweep, params: {pattern: fan, color: white,
         tilt_center_deg: 30, tilt_amplitude_deg: 0, pan_amplitude_deg: 0}, duration: 2}
  - id: second
    title: second chapter
    cues:
      - {id: blue-all, target: pixels, effect: solid, params: {color: blue}, duration: 1}
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
