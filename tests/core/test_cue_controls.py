"""Controls a cue sets directly (LTP): wheel slot by name, gobo by name or number, zoom fades."""

import numpy as np
import pytest

from lightshow.core.render import ShowRenderer
from lightshow.errors import DiagnosticsError
from lightshow.load.project import load_show

SPOT = """\
name: Spot
channels:
  dimmer: intensity
  colour:
    kind: color_wheel
    slots:
      - {name: open, dmx: [0, 9], color: white}
      - {name: red, dmx: [10, 19], color: red}
      - {name: deep_blue, dmx: [20, 29], color: "#0000ff"}
  gobo:
    kind: gobo
    slots: [{name: open, dmx: [0, 7]}, {name: dots, dmx: [8, 15]}, {name: star, dmx: [16, 23]}]
  zoom: {kind: zoom, fine: zoom_fine, default: 0}
  iris: {kind: iris, default: 255}
modes:
  7ch: {channels: [dimmer, colour, gobo, zoom, zoom_fine, iris]}
"""


def _show(project, cues: str):
    project.fixture("spot", SPOT)
    project.rig("name: r\npatch:\n  - {id: a, profile: spot, universe: 0, address: 1}\n"
                "  - {id: b, profile: spot, universe: 0, address: 11}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 10\nchapters:\n  - id: c\n    cues:\n" + cues)
    return load_show("shows/show.yaml")


def test_a_zoom_fade_gives_the_exact_dmx(project):
    show = _show(project,
                 "      - {target: a, effect: solid, duration: 2, zoom: 1, fade_in: 1}\n"
                 "      - {start: '+2', target: a, effect: solid, duration: 2, zoom: 0.5,"
                 " fade_in: 0.5}\n")
    frames = ShowRenderer(show).render(0, 40)
    zoom = frames[:, 3].astype(int) * 256 + frames[:, 4]
    expected = [int(np.floor(k / 10 * 65535 + 0.5)) for k in range(10)] + [65535] * 10
    expected += [int(np.floor((1 - 0.5 * (k / 5)) * 65535 + 0.5)) for k in range(5)]
    expected += [int(np.floor(0.5 * 65535 + 0.5))] * 15
    assert zoom.tolist() == expected
    assert (frames[:, 13] == 0).all() and (frames[:, 14] == 0).all()   # b: no cue zooms it
    assert (frames[:, 5] == 255).all()                                 # iris: its default
    # any frame range gives the same bytes
    renderer = ShowRenderer(show)
    np.testing.assert_array_equal(
        np.concatenate([renderer.render(k, k + 1) for k in (22, 3, 31, 15)]), frames[[22, 3, 31, 15]])


def test_wheel_slot_by_name_and_gobo_by_name_or_number(project):
    show = _show(project,
                 "      - {target: [a, b], effect: solid, params: {color: red}, duration: 1,"
                 " wheel: deep_blue, gobo: star}\n"
                 "      - {target: b, effect: solid, params: {color: red}, duration: 1, gobo: 2}\n")
    frames = ShowRenderer(show).render(0, 20)
    assert frames[5, [1, 2, 11, 12]].tolist() == [24, 19, 24, 19]   # deep_blue, star on both
    assert frames[15, [11, 12]].tolist() == [14, 11]                # colour picks red; dots


def test_an_unknown_slot_is_positioned_with_a_suggestion(project):
    with pytest.raises(DiagnosticsError):
        _show(project, "      - {target: a, effect: solid, duration: 1, wheel: deep_bleu}\n")
    with pytest.raises(DiagnosticsError) as info:
        load_show("shows/show.yaml")
    text = "\n".join(d.format() for d in info.value.diagnostics)
    assert ("shows/show.yaml:7:56: error[unknown-slot]: unknown color_wheel slot 'deep_bleu' "
            "(did you mean 'deep_blue'?)") in text
