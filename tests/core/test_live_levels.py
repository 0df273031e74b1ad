"""Grand master and group levels scale intensity only, 8 and 16 bit."""

import numpy as np

from lightshow.core.live_levels import LevelMap
from lightshow.load.project import load_show
from tests.core.test_render import DIMMER_BAR, MOVER
from tests.projects import RGB_PIXEL_BAR


def test_dimmers_16_bit_dimmers_and_pixels_scale_and_nothing_else(project):
    project.fixture("bar2", RGB_PIXEL_BAR.format(n=2))
    project.fixture("mover", MOVER)
    project.rig("name: r\npatch:\n"
                "  - {id: bar, profile: bar2, universe: 0, address: 1}\n"
                "  - {id: par, profile: par, universe: 0, address: 11}\n"
                "  - {id: head, profile: mover, universe: 0, address: 21}\n"
                "groups:\n  pars: [par]\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, params: {color: red}, duration: 1}\n")
    levels = LevelMap.build(load_show("shows/show.yaml").rig)
    frame = np.zeros(512, dtype=np.uint8)
    frame[0:6] = [200, 100, 50, 255, 255, 255]          # bar: two RGB pixels
    frame[10:14] = [255, 10, 20, 30]                    # par: dimmer, RGB
    frame[20:30] = [1, 2, 3, 4, 255, 0xFF, 0xFF, 9, 9, 9]   # head: pan, tilt, shutter, dimmer 16 bit, RGB
    out = levels.apply(frame, *levels.scales(0.5, {}))
    assert out[0:6].tolist() == [100, 50, 25, 128, 128, 128]
    assert out[10:14].tolist() == [128, 10, 20, 30]     # the dimmer only
    assert out[20:25].tolist() == [1, 2, 3, 4, 255]     # pan, tilt, shutter kept
    assert int(out[25]) * 256 + int(out[26]) == round(0xFFFF * 0.5) and out[27:30].tolist() == [9, 9, 9]
    out = levels.apply(frame, *levels.scales(1.0, {"pars": 0.0}))
    assert out[10] == 0 and np.array_equal(np.delete(out, 10), np.delete(frame, 10))


def test_a_uniform_master_by_table_equals_the_general_path(project):
    project.fixture("bar2", RGB_PIXEL_BAR.format(n=2))
    project.fixture("mover", MOVER)
    project.rig("name: r\npatch:\n  - {id: bar, profile: bar2, universe: 0, address: 1}\n"
                "  - {id: head, profile: mover, universe: 0, address: 21}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, params: {color: red}, duration: 1}\n")
    levels = LevelMap.build(load_show("shows/show.yaml").rig)
    frame = np.random.default_rng(3).integers(0, 256, 512, dtype=np.uint8)
    for master in (0.0, 0.25, 0.5, 0.77, 1.0):
        assert np.array_equal(levels.apply_uniform(frame, master), levels.apply(frame, *levels.scales(master, {})))


def test_with_a_dimmer_per_pixel_the_master_scales_those_and_not_the_fixture_wide_one(project):
    # the renderer holds the fixture-wide dimmer at full: scaling it too would apply the
    # master twice (0.25 of the light at 0.5)
    project.fixture("dimbar", DIMMER_BAR)
    project.rig("name: r\npatch:\n  - {id: d, profile: dimbar, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, params: {color: red}, duration: 1}\n")
    levels = LevelMap.build(load_show("shows/show.yaml").rig)
    frame = np.zeros(512, dtype=np.uint8)
    frame[0:9] = [255, 200, 255, 0, 0, 100, 255, 0, 0]
    assert levels.apply_uniform(frame, 0.5)[0:9].tolist() == [255, 100, 255, 0, 0, 50, 255, 0, 0]
