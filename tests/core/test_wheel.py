"""Colour wheels and CMY: a rainbow cue turned into the nearest slots and subtractive flags."""

import numpy as np

from lightshow.core.render import ShowRenderer
from lightshow.core.wheel import MARGIN, choose_slots, oklab
from lightshow.load.project import load_show

SEARCHLIGHT = """\
name: Searchlight
channels:
  dimmer: intensity
  colour:
    kind: color_wheel
    slots:
      - {name: open, dmx: [0, 9], color: white}
      - {name: red, dmx: [10, 19], color: red}
      - {name: yellow, dmx: [20, 29], color: "#ffff00"}
      - {name: green, dmx: [30, 39], color: "#00ff00"}
      - {name: cyan, dmx: [40, 49], color: "#00ffff"}
      - {name: blue, dmx: [50, 59], color: "#0000ff"}
      - {name: magenta, dmx: [60, 69], color: "#ff00ff"}
      - {name: cto, dmx: [70, 79], kelvin: 3200}
modes:
  2ch: {channels: [dimmer, colour]}
"""
CMY_SPOT = """\
name: CMY spot
channels: {dimmer: intensity, cyan: cyan, magenta: magenta, yellow: yellow}
modes:
  4ch: {channels: [dimmer, cyan, magenta, yellow]}
"""


def rainbow_rig(project, cue: str = "{target: [s, c], effect: rainbow, "
                                     "params: {rate_hz: 0.1, count: 0}, duration: 10}"):
    project.fixture("searchlight", SEARCHLIGHT)
    project.fixture("cmyspot", CMY_SPOT)
    project.rig("name: r\npatch:\n  - {id: s, profile: searchlight, universe: 0, address: 1}\n"
                "  - {id: c, profile: cmyspot, universe: 0, address: 11}\n")
    project.show(f"title: t\nrig: rig.yaml\nfps: 6\nchapters:\n  - id: c\n    cues:\n"
                 f"      - {cue}\n")
    return ShowRenderer(load_show("shows/show.yaml"))


def test_a_wheel_and_a_cmy_spot_follow_a_rainbow(project):
    # hue = -t * 0.1: every 10 frames (1/6 of a turn) a pure hue, backwards from red
    frames = rainbow_rig(project).render(0, 60)
    at = frames[::10]
    np.testing.assert_array_equal(at[:, 0], [255] * 6)                # dimmer full
    np.testing.assert_array_equal(at[:, 1], [14, 64, 54, 44, 34, 24])  # red magenta blue cyan green yellow
    np.testing.assert_array_equal(at[:, 10:14], [
        [255, 0, 255, 255],    # red: magenta and yellow flags in
        [255, 0, 255, 0],      # magenta
        [255, 255, 255, 0],    # blue
        [255, 255, 0, 0],      # cyan
        [255, 255, 0, 255],    # green
        [255, 0, 0, 255],      # yellow
    ])
    # only whole slots are ever sent (the middle of a slot's range), never a split colour
    assert set(frames[:, 1].tolist()) <= {4, 14, 24, 34, 44, 54, 64, 74}
    # the wheel goes round in order: each slot is reached once
    changes = [v for i, v in enumerate(frames[:, 1].tolist()) if i == 0 or v != frames[i - 1, 1]]
    assert changes == [14, 64, 54, 44, 34, 24, 74, 14]


def test_any_frame_range_gives_the_same_wheel_bytes(project):
    renderer = rainbow_rig(project)
    whole = renderer.render(0, 60)
    one_by_one = np.concatenate([renderer.render(i, i + 1) for i in (37, 5, 59, 12)])
    np.testing.assert_array_equal(one_by_one, whole[[37, 5, 59, 12]])


def _boundary(slot_a, slot_b):
    """Two colours on either side of the boundary between two slots, within the margin."""
    lab = oklab(np.array([slot_a, slot_b]))
    lo, hi = 0.0, 1.0
    for _ in range(60):   # mix of a and b equidistant in OKLab
        mid = (lo + hi) / 2
        d = np.linalg.norm(oklab(np.array(slot_a) * (1 - mid) + np.array(slot_b) * mid) - lab, axis=1)
        lo, hi = (mid, hi) if d[0] < d[1] else (lo, mid)
    step = 0.01
    return (np.array(slot_a) * (1 - lo + step) + np.array(slot_b) * (lo - step),
            np.array(slot_a) * (1 - lo - step) + np.array(slot_b) * (lo + step))


def test_a_wheel_does_not_flicker_at_a_slot_boundary():
    red, yellow = (1.0, 0.0, 0.0), (1.0, 1.0, 0.0)
    slots = oklab(np.array([red, yellow]))
    nearer_red, nearer_yellow = _boundary(red, yellow)
    d = np.linalg.norm(oklab(np.array([nearer_red, nearer_yellow]))[:, None] - slots, axis=2)
    assert d[0, 0] < d[0, 1] and d[1, 1] < d[1, 0] and abs(d[0, 0] - d[0, 1]) < MARGIN
    wobble = [nearer_yellow, nearer_red] * 10
    # coming from red, the wheel stays red; coming from yellow, it stays yellow
    from_red = np.array([red] * 3 + wobble, dtype=np.float32)[:, None]
    from_yellow = np.array([yellow] * 3 + wobble, dtype=np.float32)[:, None]
    assert choose_slots(from_red, slots, 0)[:, 0].tolist() == [0] * 23
    assert choose_slots(from_yellow, slots, 0)[:, 0].tolist() == [1] * 23
    # the same frames as a block with the first three as history: the same choice
    assert choose_slots(from_red, slots, 3, look_back=40)[:, 0].tolist() == [0] * 20
    # wobbling for longer than the look-back: still no flicker (at most one change)
    assert choose_slots(from_red, slots, 3)[:, 0].tolist() == [0] * 20
    long_wobble = choose_slots(from_yellow, slots, 3)[:, 0].tolist()
    assert sum(a != b for a, b in zip(long_wobble, long_wobble[1:])) <= 1
    # a colour well past the boundary does change the slot
    assert choose_slots(np.array([red, yellow], np.float32)[:, None], slots, 0)[:, 0].tolist() == [0, 1]


def test_black_keeps_the_slot_and_nothing_asked_keeps_the_default():
    slots = oklab(np.array([(1.0, 0, 0), (0, 0, 1.0)]))
    colours = np.array([(0, 0, 0), (0, 0, 1), (0, 0, 0), (0, 0, 0.5)], np.float32)[:, None]
    assert choose_slots(colours, slots, 0)[:, 0].tolist() == [-1, 1, 1, 1]


def test_an_effect_asks_for_a_wheel_slot_by_name(project):
    # the wheel turns to the slot; the CMY spot (no wheel) subtracts to the slot's colour,
    # 3200 K = (1, 0.7201, 0.4828): cyan 0, magenta 71, yellow 132
    renderer = rainbow_rig(project, "{target: [s, c], effect: solid, params: {slot: cto}, duration: 1}\n"
                                    "      - {target: [s, c], effect: chase, params: {slot: blue, "
                                    "count: 1, width: 1}, duration: 1}")
    frames = renderer.render(0, 12)
    np.testing.assert_array_equal(frames[:6, [0, 1]], [[255, 74]] * 6)
    np.testing.assert_array_equal(frames[:6, 10:14], [[255, 0, 71, 132]] * 6)
    np.testing.assert_array_equal(frames[6:, 1], [54] * 6)               # the blue slot
    np.testing.assert_array_equal(frames[6:, 10:14], [[255, 255, 255, 0]] * 6)   # blue by CMY


def _slot_errors(project, params: str, extra: str = "") -> str:
    import pytest
    from lightshow.errors import DiagnosticsError
    with pytest.raises(DiagnosticsError) as info:
        rainbow_rig(project, f"{{target: [s, c], effect: solid, params: {params}, duration: 1{extra}}}")
    return "\n".join(d.format() for d in info.value.diagnostics)


def test_a_wrong_slot_name_is_positioned_with_a_suggestion(project):
    assert ("shows/show.yaml:7:56: error[unknown-slot]: unknown color_wheel slot 'magneta' "
            "(did you mean 'magenta'?)") in _slot_errors(project, "{slot: magneta}")
    assert ("shows/show.yaml:7:56: error[invalid-value]: slot 'red' and color both set the colour; "
            "give one") in _slot_errors(project, "{slot: red, color: blue}")
    assert "error[invalid-value]: slot 'red' and wheel 'blue' (at shows/show.yaml:7:" in _slot_errors(
        project, "{slot: red}", ", wheel: blue")


def test_a_slot_needs_a_wheel_among_the_targets(project):
    import pytest
    from lightshow.errors import DiagnosticsError
    with pytest.raises(DiagnosticsError) as info:
        rainbow_rig(project, "{target: c, effect: solid, params: {slot: red}, duration: 1}")
    assert ("shows/show.yaml:7:51: error[no-such-channel]: slot 'red': no fixture this cue targets "
            "has a colour wheel") in [d.format() for d in info.value.diagnostics]
