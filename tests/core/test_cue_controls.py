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


def _show(project, cues: str, profile: str = SPOT, second_address: int = 11):
    project.fixture("spot", profile)
    project.rig("name: r\npatch:\n  - {id: a, profile: spot, universe: 0, address: 1}\n"
                f"  - {{id: b, profile: spot, universe: 0, address: {second_address}}}\n")
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


STROBE_PAR = """\
name: Strobe Par
channels:
  dimmer: intensity
  shutter:
    kind: shutter
    default: 250
    rates: [{dmx: [20, 119], hz: [1, 21]}, {dmx: [130, 139], hz: [25, 25]}]
  flash: {kind: strobe, rates: [{dmx: [10, 20], hz: [1, 2]}]}
modes:
  2ch: {channels: [dimmer, shutter]}
"""


def test_a_strobe_rate_fades_onto_the_shutter_ranges(project):
    show = _show(project,
                 "      - {target: a, effect: solid, duration: 2, strobe_hz: 11, fade_in: 1}\n"
                 "      - {start: '+2', target: [a, b], effect: solid, duration: 1, strobe_hz: 40}\n"
                 "      - {start: '+1', target: a, effect: solid, duration: 1, strobe_hz: 0.2}\n"
                 "      - {start: '+1', target: a, effect: solid, duration: 1, strobe_hz: 0}\n"
                 "      - {start: '+1', target: b, effect: solid, duration: 1}\n",
                 STROBE_PAR, second_address=3)
    frames = ShowRenderer(show).render(0, 60)
    shutter = frames[:, 1].astype(int).tolist()
    # 0 Hz (the default, open) to 11 Hz over 10 frames: k * 1.1 Hz; 0 Hz is open (250), a
    # rate under the slowest strobes at the slowest (1 Hz: 20); then 20 + (hz - 1) / 20 * 99
    fade = [250] + [int(np.floor(20 + (k * 1.1 - 1) / 20 * 99 + 0.5)) for k in range(1, 10)]
    assert fade[1:3] == [20, 26]
    assert shutter[:10] == fade
    assert shutter[10:20] == [70] * 10          # 11 Hz: 20 + 10 / 20 * 99 = 69.5 -> 70
    assert shutter[20:30] == [134] * 10         # 40 Hz: beyond both, the nearest end (25 Hz)
    assert frames[20:30, 3].tolist() == [134] * 10   # b too
    assert shutter[30:40] == [20] * 10          # 0.2 Hz: the slowest end (1 Hz)
    assert shutter[40:50] == [250] * 10         # 0 Hz: the shutter open (its default)
    assert shutter[50:] == [250] * 10           # after the last cue: the default again
    assert (frames[:20, 3] == 250).all()        # b untouched until its cue
    renderer = ShowRenderer(show)
    np.testing.assert_array_equal(
        np.concatenate([renderer.render(k, k + 1) for k in (5, 33, 2)]), frames[[5, 33, 2]])


def test_strobe_rates_are_checked_where_written(project):
    from lightshow.load.profile_file import load_profile
    path = project.fixture("par", STROBE_PAR.replace(
        "  dimmer: intensity\n", "  dimmer: {kind: intensity, rates: [{dmx: [0, 9], hz: [1, 2]}]}\n"
    ).replace("{dmx: [130, 139], hz: [25, 25]}", "{dmx: [110, 139], hz: [0, 0]}, "
              "{dmx: [100, 139], hz: [25, 25]}").replace("[10, 20]", "[200, 100]"))
    _, diagnostics, _ = load_profile(str(path))
    text = "\n".join(d.format() for d in diagnostics)
    assert "par.yaml:3:36: error[invalid-value]: rates apply to strobe and shutter channels, not intensity" in text
    assert "par.yaml:7:66: error[invalid-value]: a strobe rate of 0 Hz is no strobe (the channel's default)" in text
    assert ("par.yaml:7:81: error[overlapping-slots]: strobe rate dmx [100, 139] overlaps [20, 119]"
            in text)
    assert "par.yaml:8:39: error[invalid-value]: strobe rate dmx [200, 100] runs backwards" in text


def test_a_strobe_rate_on_fixtures_without_rates_warns(project):
    project.fixture("spot", SPOT)
    project.rig("name: r\npatch:\n  - {id: a, profile: spot, universe: 0, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 10\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: a, effect: solid, duration: 1, strobe_hz: 5}\n")
    from lightshow.load.project import validate_paths
    diagnostics = validate_paths(["shows/show.yaml"])
    text = "\n".join(d.format() for d in diagnostics)
    assert ("shows/show.yaml:7:60: warning[no-such-channel]: strobe_hz: no fixture this cue targets "
            "has a strobe or shutter channel with rates; nothing is set") in text
