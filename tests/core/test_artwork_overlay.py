"""A work's colours as channel bytes of the slot's fixtures, blended over compiled frames."""

import numpy as np

from lightshow.core.artwork_overlay import SlotBytes, light_offsets, slot_bytes
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from tests.core.test_render import MOVER


def test_bytes_of_a_work_are_what_compiling_the_same_colours_gives(project):
    project.fixture("mover", MOVER)
    project.rig("name: r\npatch:\n  - {id: p, profile: par, universe: 0, address: 1}\n"
                "  - {id: m, profile: mover, universe: 0, address: 11}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: [p, m], effect: solid, params: {color: [255, 128, 0]}, duration: 1}\n")
    show = load_show("shows/show.yaml")
    renderer = ShowRenderer(show)
    compiled = renderer.render(0, 1)[0]
    offsets = light_offsets(show.rig, ("p", "m"), renderer.channel_map.universe_slot)
    # the par's dimmer and colour, the mover's dimmer (coarse and fine) and colour; not pan/tilt/shutter
    assert offsets.tolist() == [0, 1, 2, 3, 15, 16, 17, 18, 19]
    colour = np.array([[[1.0, 128 / 255, 0.0]] * 2], dtype=np.float32)
    work = slot_bytes(renderer.channel_map, show.rig, ("p", "m"), np.arange(2), colour)
    assert np.array_equal(work.values[0], compiled[offsets])


def test_the_overlay_blends_by_the_fade_and_leaves_other_channels():
    slot = SlotBytes(np.array([1, 3]), np.array([[200, 100]], dtype=np.uint8))
    frame = np.array([7, 0, 9, 50, 11], dtype=np.uint8)
    assert slot.overlay(frame, 0, 1.0).tolist() == [7, 200, 9, 100, 11]
    assert slot.overlay(frame, 0, 0.5).tolist() == [7, 100, 9, 75, 11]
    assert slot.overlay(frame, 0, 0.0).tolist() == frame.tolist()
