"""Frame bytes back to light: colours, white, dimmers, pan/tilt, any frame buffer."""

import numpy as np
import pytest

from simulator.appearance import AppearanceMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from tests.core.test_render import DIMMER_BAR


@pytest.fixture
def compiled(sim_show):
    show = load_show(sim_show)
    renderer = ShowRenderer(show)
    return renderer, AppearanceMap(show.rig, renderer.pixels)


def pixels_of(renderer, fixture_id):
    return renderer.pixels.pixels_of((fixture_id,))


def test_compiled_colours_come_back_as_light(compiled):
    renderer, appearance = compiled
    light = appearance.light(renderer.render(5, 6)[0])
    assert light.shape == (renderer.pixels.n_pixels, 3)
    np.testing.assert_array_equal(light[pixels_of(renderer, "roof")], [[1, 0, 0]] * 8)
    np.testing.assert_array_equal(light[pixels_of(renderer, "tower")], [[0, 1, 0]] * 4)
    # the par: colour on its colour channels, the cue's opacity on its dimmer (128 / 255)
    (par,) = light[pixels_of(renderer, "par")]
    assert par == pytest.approx([0, 0, 128 / 255], abs=1e-6)


def test_white_channel_adds_white_and_amber_adds_amber(project):
    project.fixture("rgbwa", """\
name: RGBWA
channels: {red: red, green: green, blue: blue, white: white, amber: amber}
modes:
  5ch: {channels: [red, green, blue, white, amber]}
""")
    project.rig("name: r\npatch:\n  - {id: a, profile: rgbwa, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: a, effect: solid, params: {color: black}, duration: 1}\n")
    show = load_show("shows/show.yaml")
    appearance = AppearanceMap(show.rig)
    frame = np.zeros(512, dtype=np.uint8)
    frame[3] = 51           # white 0.2
    frame[4] = 255          # amber full
    (light,) = appearance.light(frame)
    assert light == pytest.approx([1.0, 0.2 + 176 / 255, 0.2], abs=1e-6)


def test_a_dimmer_without_colour_is_a_white_source(project):
    project.fixture("flood", "name: Flood\nchannels: {dimmer: intensity}\nmodes: {1ch: {channels: [dimmer]}}\n")
    project.rig("name: r\npatch:\n  - {id: f, profile: flood, universe: 3, address: 10}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: f, effect: solid, params: {color: white}, duration: 1}\n")
    appearance = AppearanceMap(load_show("shows/show.yaml").rig)
    frame = np.zeros(512, dtype=np.uint8)
    assert appearance.light(frame).max() == 0
    frame[9] = 255
    (light,) = appearance.light(frame)
    assert light[0] == 1.0 and light[0] > light[1] > light[2] > 0   # warm white


def test_pan_and_tilt_in_degrees_from_16_bit_channels(compiled):
    renderer, appearance = compiled
    frame = renderer.render(0, 1)[0].copy()
    beams = appearance.beams(frame)
    assert beams.pixels.tolist() == pixels_of(renderer, "head").tolist()
    assert beams.pan_deg[0] == pytest.approx(0.0, abs=540 / 65535)
    assert beams.tilt_deg[0] == pytest.approx(30.0, abs=270 / 65535)
    offset = 512 + 10                       # the head: universe 1, address 11
    frame[offset:offset + 4] = [0xFF, 0xFF, 0x00, 0x00]   # pan full right, tilt full back
    beams = appearance.beams(frame)
    assert beams.pan_deg[0] == pytest.approx(270.0) and beams.tilt_deg[0] == pytest.approx(-135.0)


def test_a_master_dimmer_and_per_pixel_dimmers_multiply(project):
    project.fixture("dimbar", DIMMER_BAR)
    project.rig("name: r\npatch:\n  - {id: d, profile: dimbar, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, params: {color: red}, duration: 1}\n")
    appearance = AppearanceMap(load_show("shows/show.yaml").rig)
    frame = np.zeros(512, dtype=np.uint8)
    frame[0:9] = [51, 255, 255, 0, 0, 128, 255, 0, 0]      # master 0.2; pixel dimmers 1 and 0.5
    light = appearance.light(frame)
    assert light[:, 0] == pytest.approx([0.2, 0.2 * 128 / 255])


def test_the_simulator_draws_wheel_colours_and_cmy(project):
    from tests.core.test_wheel import rainbow_rig
    renderer = rainbow_rig(project)
    appearance = AppearanceMap(renderer.show.rig, renderer.pixels)
    frames = renderer.render(0, 60)
    (light_s,) = appearance.light(frames[20])[pixels_of(renderer, "s")]   # blue slot
    (light_c,) = appearance.light(frames[20])[pixels_of(renderer, "c")]   # cyan + magenta flags
    assert light_s == pytest.approx([0, 0, 1])
    assert light_c == pytest.approx([0, 0, 1])
    (light_s,) = appearance.light(frames[50])[pixels_of(renderer, "s")]   # yellow slot
    assert light_s == pytest.approx([1, 1, 0])
    (warm,) = appearance.light(np.array([255, 74] + [0] * 510, np.uint8))[pixels_of(renderer, "s")]
    assert warm[0] == 1 and 0.6 < warm[1] < 0.8 and 0.3 < warm[2] < 0.5   # the 3200 K slot


def test_the_simulator_draws_a_slot_an_effect_asks_for(project):
    from tests.core.test_wheel import rainbow_rig
    renderer = rainbow_rig(project, "{target: [s, c], effect: solid, params: {slot: magenta}, "
                                    "duration: 1}")
    appearance = AppearanceMap(renderer.show.rig, renderer.pixels)
    light = appearance.light(renderer.render(3, 4)[0])
    (light_s,) = light[pixels_of(renderer, "s")]    # through the magenta slot
    (light_c,) = light[pixels_of(renderer, "c")]    # the slot's colour by subtraction
    assert light_s == pytest.approx([1, 0, 1]) and light_c == pytest.approx([1, 0, 1])


def test_the_simulator_darkens_a_closed_shutter(project):
    from tests.core.test_shutter_switch import _show
    show = _show(project, "      - {target: a, effect: solid, params: {color: blue}, duration: 1}\n"
                          "      - {target: a, effect: solid, params: {color: black}, duration: 1}\n")
    lit, dark = _lit_and_dark(show)                # open, the blue slot; then closed
    assert lit == pytest.approx([0, 0, 1]) and dark == pytest.approx([0, 0, 0])


def _lit_and_dark(show):
    """Fixture a's light at frames 5 and 15 of ``show``."""
    renderer = ShowRenderer(show)
    appearance = AppearanceMap(show.rig, renderer.pixels)
    frames = renderer.render(0, 20)
    return [appearance.light(frames[k])[pixels_of(renderer, "a")][0] for k in (5, 15)]


def test_the_simulator_darkens_a_closed_gobo_wheel(project):
    from tests.core.test_cue_controls import _show
    from tests.core.test_shutter_switch import GOBO_SPOT
    show = _show(project, "      - {target: a, effect: solid, params: {color: red}, duration: 1}\n"
                          "      - {target: a, effect: solid, params: {color: black}, duration: 1}\n",
                 GOBO_SPOT, second_address=3)
    lit, dark = _lit_and_dark(show)                # open, the red slot; then closed
    assert lit == pytest.approx([1, 0, 0]) and dark == pytest.approx([0, 0, 0])


def test_the_simulator_warms_a_white_by_its_cto_and_reads_a_reversed_colour_temperature(project):
    from simulator.appearance import COOL_WHITE, WARM_WHITE
    project.fixture("white", "name: W\nchannels:\n  dimmer: intensity\n  cto: cto\n"
                             "  cct: {kind: color_temperature, range_k: [6500, 2700]}\n"
                             "modes: {3ch: {channels: [dimmer, cto, cct]}}\n")
    project.rig("name: r\npatch:\n  - {id: w, profile: white, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: w, effect: solid, params: {color: white}, duration: 1}\n")
    appearance = AppearanceMap(load_show("shows/show.yaml").rig)
    frame = np.zeros(512, dtype=np.uint8)
    frame[0] = 255
    (cool,) = appearance.light(frame)           # cct 0: 6500 K, the cool end; no CTO
    assert cool == pytest.approx(COOL_WHITE)
    frame[1] = 255
    (warmed,) = appearance.light(frame)         # a full CTO
    assert warmed == pytest.approx(WARM_WHITE)
