"""HSI fixtures: hue and saturation channels follow the cue's RGB (RGB -> HSV)."""

import numpy as np

from lightshow.core.hsv import hsv_of
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show

HSI_WASH = """\
name: HSI wash
channels: {intensity: intensity, hue: hue, saturation: saturation}
modes:
  3ch: {channels: [intensity, hue, saturation]}
"""


def test_hsv_of_pure_and_mixed_colours():
    rgb = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0.5, 0.5], [0.5, 0.5, 0.5],
                    [0, 0, 0], [1, 0, 1]], dtype=np.float32)
    hue, saturation = hsv_of(rgb)
    np.testing.assert_allclose(hue, [0, 1 / 3, 2 / 3, 1 / 6, 0, 0, 0, 5 / 6], atol=1e-6)
    np.testing.assert_allclose(saturation, [1, 1, 1, 1, 0.5, 0, 0, 1], atol=1e-6)


def test_an_hsi_wash_follows_a_solid_colour(project):
    project.fixture("hsiwash", HSI_WASH)
    project.rig("name: r\npatch:\n  - {id: w, profile: hsiwash, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 10\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: w, effect: solid, params: {color: \"#00ff00\"}, duration: 1}\n"
                 "      - {target: w, effect: solid, params: {color: \"#ff8080\"}, duration: 1}\n")
    frames = ShowRenderer(load_show("shows/show.yaml")).render(0, 20)
    # green: hue 1/3 -> 85, saturation 255, full intensity
    np.testing.assert_array_equal(frames[5, :3], [255, 85, 255])
    # pink (1, 128/255, 128/255): hue 0, saturation 127/255
    np.testing.assert_array_equal(frames[15, :3], [255, 0, 127])
