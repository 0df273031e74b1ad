"""A lamp behind a shutter, no dimmer: the shutter switches it (closed below half level), the
grand master closes it, and a strobe rate still strobes it."""

from lightshow.core.live_levels import LevelMap
from lightshow.core.render import ShowRenderer
from lightshow.load.profile_file import load_profile
from tests.core.test_cue_controls import _show as cue_show

SEARCHLIGHT = """\
name: Searchlight without dimmer
channels:
  shutter: {kind: shutter, default: 200, open: [128, 255], closed: [0, 31],
            rates: [{dmx: [32, 127], hz: [1, 20]}]}
  colour:
    kind: color_wheel
    slots:
      - {name: open, dmx: [0, 9], color: white}
      - {name: red, dmx: [10, 19], color: red}
      - {name: blue, dmx: [20, 29], color: blue}
  pan: pan
modes:
  3ch: {channels: [shutter, colour, pan]}
"""


def _show(project, cues: str):
    """Searchlights a (address 1) and b (address 11)."""
    return cue_show(project, cues, SEARCHLIGHT)


def test_the_shutter_switches_at_half_level(project):
    show = _show(project,
                 "      - {target: a, effect: solid, params: {color: red}, duration: 2, fade_in: 1}\n"
                 "      - {target: a, effect: solid, params: {color: blue}, duration: 1,"
                 " strobe_hz: 20}\n"
                 "      - {start: '+1', target: a, effect: solid, params: {color: black},"
                 " duration: 1}\n")
    frames = ShowRenderer(show).render(0, 40)
    # the fade: level k / 10; closed (15) below 0.5, open (191) from 0.5
    assert frames[:10, 0].tolist() == [15] * 5 + [191] * 5
    assert frames[10:20, 0].tolist() == [191] * 10
    assert frames[1:20, 1].tolist() == [14] * 19                 # the red slot
    assert frames[20:30, [0, 1]].tolist() == [[127, 24]] * 10   # 20 Hz strobes; blue slot
    assert frames[30:40, 0].tolist() == [15] * 10                # black: closed
    assert (frames[:, 2] == 0).all()                             # pan keeps its default


def test_the_grand_master_closes_a_switched_shutter(project):
    show = _show(project, "      - {target: a, effect: solid, params: {color: red}, duration: 1}\n")
    frame = ShowRenderer(show).render(5, 6)
    levels = LevelMap.build(show.rig)
    assert levels.apply_uniform(frame[0], 0.6)[:2].tolist() == [191, 14]   # still open
    assert levels.apply_uniform(frame[0], 0.4)[:2].tolist() == [15, 14]    # closed
    single, pairs = levels.scales(1.0, {})
    assert levels.apply(frame[0], single * 0.3, pairs)[0] == 15
    assert levels.apply(frame[0], single, pairs)[0] == 191
    frames = frame.copy()
    levels.scale_frames(frames, 0.0)
    assert frames[0, 0] == 15


def test_open_and_closed_are_checked_where_written(project):
    path = project.fixture("searchlight", SEARCHLIGHT.replace(
        "  pan: pan\n", "  pan: {kind: pan, open: [0, 1]}\n").replace("closed: [0, 31]", "closed: [31, 0]"))
    _, diagnostics, _ = load_profile(str(path))
    text = "\n".join(d.format() for d in diagnostics)
    assert "searchlight.yaml:3:68: error[invalid-value]: closed dmx [31, 0] runs backwards" in text
    assert ("searchlight.yaml:11:26: error[invalid-value]: open applies to strobe, shutter and gobo "
            "channels, not pan") in text


MACRO_BAR = """\
name: LED bar in its one-channel mode
channels:
  macro:
    kind: color_wheel
    slots:
      - {name: blackout, dmx: [0, 9], color: black}
      - {name: red, dmx: [10, 19], color: red}
      - {name: green, dmx: [20, 29], color: green}
      - {name: white, dmx: [30, 39], color: white}
modes:
  1ch: {channels: [macro]}
"""


def test_a_colour_macro_with_a_blackout_switches_by_it(project):
    show = cue_show(project, "      - {target: a, effect: solid, params: {color: green}, duration: 2,"
                             " fade_in: 1}\n"
                             "      - {start: '+2', target: [a, b], effect: solid, params: {color: red},"
                             " duration: 1}\n"
                             "      - {start: '+1', target: b, effect: solid, params: {color: black},"
                             " duration: 1}\n", MACRO_BAR, second_address=2)
    frames = ShowRenderer(show).render(0, 40)
    assert frames[:10, 0].tolist() == [4] * 5 + [24] * 5     # off below half, then green
    assert frames[10:20, 0].tolist() == [24] * 10
    assert frames[20:30, [0, 1]].tolist() == [[14, 14]] * 10  # red on both
    assert frames[30:, [0, 1]].tolist() == [[4, 4]] * 10      # nothing asked: off
    assert frames[:20, 1].tolist() == [4] * 20                # b: no cue, off
    levels = LevelMap.build(show.rig)
    assert levels.apply_uniform(frames[25], 0.3)[:2].tolist() == [4, 4]
    assert levels.apply_uniform(frames[25], 0.7)[:2].tolist() == [14, 14]


GOBO_SPOT = """\
name: Spot whose gobo wheel closes
channels:
  gobo:
    kind: gobo
    open: [8, 15]
    closed: [0, 7]
    slots:
      - {name: closed, dmx: [0, 7]}
      - {name: open, dmx: [8, 15]}
      - {name: star, dmx: [16, 23]}
  colour:
    kind: color_wheel
    slots:
      - {name: open, dmx: [0, 9], color: white}
      - {name: red, dmx: [10, 19], color: red}
modes:
  2ch: {channels: [gobo, colour]}
"""


def test_a_gobo_wheel_that_closes_switches_a_fixture_without_dimmer(project):
    show = cue_show(project, "      - {target: a, effect: solid, params: {color: red}, duration: 2,"
                             " fade_in: 1}\n"
                             "      - {start: '+2', target: a, effect: solid, params: {color: red},"
                             " duration: 1, gobo: star}\n"
                             "      - {start: '+1', target: a, effect: solid, params: {color: black},"
                             " duration: 1}\n", GOBO_SPOT, second_address=3)
    frames = ShowRenderer(show).render(0, 40)
    assert frames[:10, 0].tolist() == [3] * 5 + [11] * 5     # closed below half, then open
    assert frames[10:20, 0].tolist() == [11] * 10
    assert frames[20:30, 0].tolist() == [19] * 10            # the cue's gobo
    assert frames[30:, 0].tolist() == [3] * 10               # black: closed
    assert frames[5:30, 1].tolist() == [14] * 25             # the red slot
    assert frames[:, 2].tolist() == [3] * 40                 # b: no cue, closed
    levels = LevelMap.build(show.rig)
    assert levels.apply_uniform(frames[15], 0.4)[:1].tolist() == [3]   # the grand master closes it
    assert levels.apply_uniform(frames[15], 0.6)[:1].tolist() == [11]


CORRECTED_WHITES = """\
name: Whites with a CTO, a CTB and a colour temperature running cool to warm
channels:
  dimmer: intensity
  cto: cto
  ctb: {kind: ctb, default: 7}
  cct: {kind: color_temperature, range_k: [6500, 2700]}
modes:
  4ch: {channels: [dimmer, cto, ctb, cct]}
"""


def test_a_cto_warms_and_a_ctb_cools_by_the_colours_warmth(project):
    show = cue_show(project, "      - {target: a, effect: solid, params: {color: [255, 128, 0]},"
                             " duration: 1}\n"
                             "      - {target: a, effect: solid, params: {color: white}, duration: 1}\n"
                             "      - {target: a, effect: solid, params: {color: [0, 128, 255]},"
                             " duration: 1}\n", CORRECTED_WHITES, second_address=5)
    frames = ShowRenderer(show).render(0, 30)
    # warm: CTO full, CTB none, the colour temperature at its warm end (the top: 6500 -> 2700 K)
    assert frames[5, :4].tolist() == [255, 255, 0, 255]
    assert frames[15, :4].tolist() == [255, 0, 0, 128]      # white: no correction, the middle
    assert frames[25, :4].tolist() == [255, 0, 255, 0]      # cool
    assert frames[5, 4:8].tolist() == [0, 0, 0, 128]        # b: no cue, no colour: no correction


def test_a_cto_beside_colour_mixing_keeps_its_default(project):
    show = cue_show(project, "      - {target: a, effect: solid, params: {color: [255, 128, 0]},"
                             " duration: 1}\n",
                    CORRECTED_WHITES.replace("  cct:", "  red: red\n  green: green\n  blue: blue\n"
                                             "  cct:").replace("[dimmer, cto, ctb, cct]",
                                                               "[dimmer, cto, ctb, red, green, blue]"),
                    second_address=7)
    frames = ShowRenderer(show).render(5, 6)
    assert frames[0, :6].tolist() == [255, 0, 7, 255, 128, 0]
