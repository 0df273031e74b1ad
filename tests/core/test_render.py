"""Exact frames for small shows: blend modes, fades, HTP/LTP, RGBW, 16-bit, universe ends."""

import tracemalloc

import numpy as np
import pytest

from lightshow.core.live_levels import LevelMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from tests.projects import RGB_PIXEL_BAR

RGBW_WASH = """\
name: RGBW wash
channels: {red: red, green: green, blue: blue, white: white}
modes:
  4ch: {channels: [red, green, blue, white]}
"""
MOVER = """\
name: Mover
channels:
  pan: {kind: pan, fine: pan_fine, range_deg: 540, default: 128}
  tilt: {kind: tilt, fine: tilt_fine, range_deg: 270, default: 128}
  shutter: {kind: shutter, default: 255}
  dimmer: {kind: intensity, fine: dimmer_fine}
  red: red
  green: green
  blue: blue
modes:
  10ch: {channels: [pan, pan_fine, tilt, tilt_fine, shutter, dimmer, dimmer_fine, red, green, blue]}
"""

# two pixels with a dimmer each, and a fixture-wide master dimmer first
DIMMER_BAR = """\
name: Dimmer bar
pixels: {columns: 2}
channels: {master: intensity, dim: intensity, red: red, green: green, blue: blue}
modes:
  9ch: {channels: [master, {pixels: [dim, red, green, blue]}]}
"""


def renderer(project, patch: str, cues: str, fps: int = 10, extra: str = "") -> ShowRenderer:
    project.rig("name: t\npatch:\n" + patch)
    project.show(f"title: t\nrig: rig.yaml\nfps: {fps}\n{extra}chapters:\n  - id: c\n    cues:\n"
                 + cues)
    return ShowRenderer(load_show("shows/show.yaml"))


def bar_renderer(project, n_pixels: int, cues: str, **kwargs) -> ShowRenderer:
    """A renderer for ``cues`` on one RGB bar of ``n_pixels`` (id ``b``) at universe 0, address 1."""
    project.fixture(f"bar{n_pixels}", RGB_PIXEL_BAR.format(n=n_pixels))
    return renderer(project, f"  - {{id: b, profile: bar{n_pixels}, universe: 0, address: 1}}\n",
                    cues, **kwargs)


def test_solid_on_rgb_pixels(project):
    r = bar_renderer(project, 2,
                     "      - {target: b, effect: solid, params: {color: [255, 0, 102]}, duration: 1}\n")
    frames = r.render(0, 10)
    assert frames.shape == (10, 512)
    assert frames[:, :6].tolist() == [[255, 0, 102, 255, 0, 102]] * 10
    assert not frames[:, 6:].any()


def test_linear_fade_in_and_out(project):
    r = bar_renderer(project, 1,
                     "      - {target: b, effect: solid, params: {color: white}, duration: 1, "
                     "fade_in: 0.4, fade_out: 0.4}\n")
    red = r.render(0, 10)[:, 0].tolist()
    # t = 0, .1, .2 ... .9: in 0, .25, .5, .75, 1; out from 0.6: .4/.4 .. .1/.4
    assert red == [0, 64, 128, 191, 255, 255, 255, 191, 128, 64]



@pytest.mark.parametrize("easing, expected", [
    # t = 0, .1 .. .9 s into a 0.8 s fade-in: x = 0, 1/8 .. 1; red = floor(ease(x) * 255 + .5)
    ("linear", [0, 32, 64, 96, 128, 159, 191, 223, 255, 255]),
    ("sine", [0, 10, 37, 79, 128, 176, 218, 245, 255, 255]),     # .5 - .5 cos(pi x)
    ("quad", [0, 8, 32, 72, 128, 183, 223, 247, 255, 255]),      # 2x^2, then 1 - 2(1 - x)^2
    ("cubic", [0, 2, 16, 54, 128, 201, 239, 253, 255, 255]),     # 4x^3, then 1 - 4(1 - x)^3
    ("step", [0, 0, 0, 0, 255, 255, 255, 255, 255, 255]),        # switches halfway
])
def test_fade_in_easings(project, easing, expected):
    r = bar_renderer(project, 1,
                     "      - {target: b, effect: solid, params: {color: white}, duration: 1, "
                     f"fade_in: {{duration: 0.8, easing: {easing}}}}}\n")
    assert r.render(0, 10)[:, 0].tolist() == expected


def test_stepped_fade_effect_shows_its_end_colour_for_the_second_half(project):
    r = bar_renderer(project, 1,
                     "      - {target: b, effect: fade, duration: 1, "
                     "params: {from: red, to: blue, easing: step}}\n")
    assert r.render(0, 10)[:, :3].tolist() == [[255, 0, 0]] * 5 + [[0, 0, 255]] * 5


def test_fade_and_wipe_are_complete_on_the_cues_last_frame(project):
    r = bar_renderer(project, 4,
                     "      - {target: b, effect: fade, duration: 1, params: {from: red, to: blue}}\n"
                     "      - {target: b, effect: wipe, duration: 1, start: after, "
                     "params: {color: white, softness: 0.3}}\n"
                     "      - {target: b, effect: wipe, duration: 0.1, start: after, "
                     "params: {color: white}}\n")
    fade, wipe, one_frame = r.render(0, 10), r.render(10, 20), r.render(20, 21)
    # frames 0..9: from red on the first to blue on the last (k / 9 of the way)
    assert fade[0, :3].tolist() == [255, 0, 0] and fade[9, :3].tolist() == [0, 0, 255]
    assert fade[3, :3].tolist() == [170, 0, 85]
    assert wipe[0, :12].tolist() == [0] * 12 and wipe[9, :12].tolist() == [255] * 12
    assert one_frame[0, :12].tolist() == [255] * 12   # a one-frame wipe shows its end


def test_a_wipe_slower_than_its_cue_keeps_its_pace(project):
    r = bar_renderer(project, 10,
                     "      - {target: b, effect: wipe, duration: 1, "
                     "params: {color: white, softness: 0, wipe_s: 4}}\n")
    # 4 s to cross: at 0.9 s the front is 0.9 / 4 of the way (pixels at k / 9): 3 lit
    assert np.count_nonzero(r.render(9, 10)[0, :30:3]) == 3

def test_delay_holds_a_cue_and_its_fade_back(project):
    r = bar_renderer(project, 1,
                     "      - {target: b, effect: solid, params: {color: white}, duration: 0.5, "
                     "delay: 0.3, fade_in: {duration: 0.4, easing: step}}\n")
    # output begins at 0.3 s; the step comes 0.2 s later, at frame 5 (0.5 s), however
    # 0.5 - 0.3 rounds in floating point
    assert r.render(0, 10)[:, 0].tolist() == [0, 0, 0, 0, 0, 255, 255, 255]  # the show ends at 0.8 s


def test_priority_stacks_cues_of_one_layer(project):
    project.fixture("bar1", RGB_PIXEL_BAR.format(n=1))
    cue = ("      - {{id: {id}, start: 0, target: b, effect: solid, params: {{color: {colour}}}, "
           "duration: 1{priority}}}\n")
    patch = "  - {id: b, profile: bar1, universe: 0, address: 1}\n"
    # same layer and start: the later cue in the show wins (LTP) ...
    r = renderer(project, patch, cue.format(id="r", colour="red", priority="")
                 + cue.format(id="g", colour="[0, 255, 0]", priority=""))
    assert r.render(0, 1)[0, :3].tolist() == [0, 255, 0]
    # ... unless the earlier one has the higher priority
    r = renderer(project, patch, cue.format(id="r", colour="red", priority=", priority: 5")
                 + cue.format(id="g", colour="[0, 255, 0]", priority=""))
    assert r.render(0, 1)[0, :3].tolist() == [255, 0, 0]

@pytest.mark.parametrize("mode, expected", [
    ("normal", [179, 51, 51]),     # 0.4 + (1 - 0.4) * 0.5 = 0.7 ; 0.4 * 0.5 = 0.2
    ("add", [230, 102, 102]),      # min(0.4 + 0.5, 1) = 0.9 ; 0.4
    ("multiply", [102, 51, 51]),   # 0.4 * (1 - .5 + .5 * 1) = 0.4 ; 0.4 * 0.5 = 0.2
    ("screen", [179, 102, 102]),   # 1 - 0.6 * 0.5 = 0.7 ; 1 - 0.6 * 1 = 0.4
    ("max", [128, 102, 102]),      # max(0.4, 0.5) = 0.5 ; max(0.4, 0) = 0.4
    ("mask", [102, 102, 102]),     # red's peak is 1: the mask keeps everything below
])
def test_blend_modes_over_a_grey_layer(project, mode, expected):
    r = bar_renderer(project, 1,
                     "      - {id: grey, target: b, effect: solid, params: {color: [102, 102, 102]}, "
                     "duration: 1}\n"
                     f"      - {{id: top, start: 0, layer: 1, blend: {mode}, opacity: 0.5, target: b, "
                     "effect: solid, params: {color: red}, duration: 1}\n")
    assert r.render(0, 1)[0, :3].tolist() == expected


def test_mask_with_black_halves_what_is_below(project):
    r = bar_renderer(project, 1,
                     "      - {id: grey, target: b, effect: solid, params: {color: [102, 204, 0]}, "
                     "duration: 1}\n"
                     "      - {id: top, start: 0, layer: 1, blend: mask, opacity: 0.5, target: b, "
                     "effect: solid, params: {color: black}, duration: 1}\n")
    assert r.render(0, 1)[0, :3].tolist() == [51, 102, 0]


def test_intensity_is_htp_and_colour_is_ltp(project):
    r = renderer(project, "  - {id: p, profile: par, universe: 0, address: 1}\n",
                 "      - {id: white, target: p, effect: solid, params: {color: white}, "
                 "opacity: 0.3, duration: 1}\n"
                 "      - {id: red, start: 0, layer: 1, target: p, effect: solid, "
                 "params: {color: red}, opacity: 0.6, duration: 1}\n")
    # colour: white*.3*(1-.6) + red*.6 = (.72, .12, .12) -> hue (1, 1/6, 1/6)
    # dimmer: HTP max(.3, .6) = .6 -> 153
    assert r.render(0, 1)[0, :4].tolist() == [153, 255, 43, 43]


def test_rgbw_white_extraction(project):
    project.fixture("rgbw", RGBW_WASH)
    r = renderer(project, "  - {id: w, profile: rgbw, universe: 0, address: 1}\n",
                 "      - {target: w, effect: solid, params: {color: [255, 153, 51]}, duration: 1}\n")
    assert r.render(0, 1)[0, :4].tolist() == [204, 102, 0, 51]


def test_uv_keeps_its_default(project):
    project.fixture("rgbuv", RGBW_WASH.replace("white: white}", "white: white, uv: {kind: uv, default: 200}}")
                    .replace("[red, green, blue, white]", "[red, green, blue, white, uv]")
                    .replace("4ch:", "5ch:"))
    r = renderer(project, "  - {id: w, profile: rgbuv, universe: 0, address: 1}\n",
                 "      - {target: w, effect: solid, params: {color: [255, 153, 51]}, duration: 1}\n")
    assert r.render(0, 1)[0, :5].tolist() == [204, 102, 0, 51, 200]

def test_rgbwa_white_then_amber_extraction(project):
    project.fixture("rgbwa", RGBW_WASH.replace("white: white}", "white: white, amber: amber}")
                    .replace("[red, green, blue, white]", "[red, green, blue, white, amber]")
                    .replace("4ch:", "5ch:"))
    r = renderer(project, "  - {id: w, profile: rgbwa, universe: 0, address: 1}\n",
                 "      - {target: w, effect: solid, params: {color: [255, 204, 51]}, duration: 1}\n")
    # white = 0.2 leaves (0.8, 0.6, 0); amber (1, 176/255, 0) takes min(0.8, 0.6 / 0.69) = 0.8
    # of it, leaving green 0.6 - 0.8 * 176/255 = 0.048
    assert r.render(0, 1)[0, :5].tolist() == [0, 12, 0, 51, 204]


def test_moving_head_16bit_pan_tilt_dimmer_and_defaults(project):
    project.fixture("mover", MOVER)
    r = renderer(project, "  - {id: m, profile: mover, universe: 0, address: 1}\n",
                 "      - {target: m, effect: sweep, duration: 1, params: {pattern: circle, "
                 "pan_center_deg: 135, tilt_center_deg: -67.5, pan_amplitude_deg: 0, "
                 "tilt_amplitude_deg: 0, color: [255, 128, 0]}}\n"
                 "      - {target: m, effect: solid, duration: 1, start: after}\n")
    first, later = r.render(0, 1)[0, :10].tolist(), r.render(15, 16)[0, :10].tolist()
    # pan 135/540 + .5 = .75 -> 49151 ; tilt -67.5/270 + .5 = .25 -> 16384
    assert first == [191, 255, 64, 0, 255, 255, 255, 255, 128, 0]
    # no cue moves the head any more: pan/tilt return to their defaults (128, 0)
    assert later == [128, 0, 128, 0, 255, 255, 255, 255, 255, 255]


def _sweep_at(pan_deg: float, extra: str = "") -> str:
    return ("{target: m, effect: sweep, duration: 1, start: 0" + extra + ", params: {pattern: circle, "
            f"pan_center_deg: {pan_deg}, tilt_center_deg: 0, pan_amplitude_deg: 0, "
            "tilt_amplitude_deg: 0}}")


def _pan_16bit(frames: np.ndarray) -> list[int]:
    return (frames[:, 0].astype(int) * 256 + frames[:, 1]).tolist()


def test_pan_tilt_crossfade_by_the_cues_alpha(project):
    project.fixture("mover", MOVER)
    patch = "  - {id: m, profile: mover, universe: 0, address: 1}\n"
    # half opacity over a cue at pan 0: halfway to 135 deg, 67.5 / 540 + .5 = .625 of the range
    r = renderer(project, patch, f"      - {_sweep_at(0)}\n      - {_sweep_at(135, ', layer: 1, opacity: 0.5')}\n")
    assert _pan_16bit(r.render(0, 1)) == [round(0.625 * 65535)]
    # a fade-in over it moves the head along with the fade
    r = renderer(project, patch,
                 f"      - {_sweep_at(0)}\n      - {_sweep_at(135, ', layer: 1, fade_in: 0.4')}\n")
    expected = [round((0.5 + 0.25 * k / 4) * 65535) for k in (0, 1, 2, 3, 4, 4)]
    assert _pan_16bit(r.render(0, 6)) == expected


def test_a_head_fading_in_over_nothing_is_on_its_path_at_once(project):
    project.fixture("mover", MOVER)
    r = renderer(project, "  - {id: m, profile: mover, universe: 0, address: 1}\n",
                 f"      - {_sweep_at(135, ', fade_in: 0.5, opacity: 0.3')}\n")
    assert _pan_16bit(r.render(0, 3)) == [round(0.75 * 65535)] * 3

def test_16bit_dimmer_keeps_its_fine_byte(project):
    project.fixture("mover", MOVER)
    r = renderer(project, "  - {id: m, profile: mover, universe: 0, address: 1}\n",
                 "      - {target: m, effect: solid, duration: 1, opacity: 0.3, "
                 "params: {color: white}}\n")
    # 0.3 in float32 -> 16-bit level floor(0.3 * 65535 + .5) = 19661 = 76 * 256 + 205
    assert r.render(0, 1)[0, 5:7].tolist() == [76, 205]


def test_pixels_with_a_dimmer_each_show_intensity_there_and_hue_on_colour(project):
    project.fixture("dimbar", DIMMER_BAR)
    r = renderer(project, "  - {id: d, profile: dimbar, universe: 0, address: 1}\n",
                 "      - {target: d, effect: solid, params: {color: [255, 128, 0]}, duration: 1}\n"
                 "      - {target: d, effect: solid, params: {color: [0, 0, 102]}, duration: 1, "
                 "start: after}\n")
    # the master stays full; each head: dimmer at the colour's peak, colour at full hue
    assert r.render(0, 1)[0, :9].tolist() == [255, 255, 255, 128, 0, 255, 255, 128, 0]
    assert r.render(10, 11)[0, :9].tolist() == [255, 102, 0, 0, 255, 102, 0, 0, 255]

def test_universe_boundary_keeps_pixels_whole(project):
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    r = renderer(project, "  - {id: b, profile: bar200, universe: 7, address: auto}\n",
                 "      - {target: b, effect: chase, duration: 1, params: {color: white, "
                 "width: 0.004, softness: 0, rate_hz: 0, count: 1}}\n")
    assert r.channel_map.universes == [7, 8]
    frame = r.render(0, 1)[0]
    lit = np.nonzero(frame)[0].tolist()
    assert lit == [0, 1, 2]           # the band sits on pixel 0 only
    assert frame[510:512].tolist() == [0, 0]  # two slots unused at the end of universe 7


def test_master_scales_intensity(project):
    project.fixture("bar1", RGB_PIXEL_BAR.format(n=1))
    r = renderer(project, "  - {id: b, profile: bar1, universe: 0, address: 1}\n"
                          "  - {id: p, profile: par, universe: 0, address: 10}\n",
                 "      - {target: all, effect: solid, params: {color: white}, duration: 1}\n")
    frame = r.render(0, 1, master=0.5)[0]
    assert frame[:3].tolist() == [128, 128, 128]
    assert frame[9:13].tolist() == [128, 255, 255, 255]


def test_master_is_applied_last_as_live_playback_applies_it(project):
    project.fixture("tube", RGB_PIXEL_BAR.format(n=2).replace("pixels:", "dimmer_curve: gamma\ngamma: 2.2\npixels:", 1))
    project.fixture("mover", MOVER)
    r = renderer(project, "  - {id: t, profile: tube, universe: 0, address: 1}\n"
                          "  - {id: m, profile: mover, universe: 0, address: 10}\n",
                 "      - {target: all, effect: solid, params: {color: [255, 128, 0]}, duration: 1, "
                 "opacity: 0.8}\n")
    full, halved = r.render(0, 3), r.render(0, 3, master=0.5)
    live = LevelMap.build(r.show.rig)
    assert all((halved[k] == live.apply_uniform(full[k], 0.5)).all() for k in range(3))
    # after the gamma curve: the byte halves (before it, it would have been 0.5 ** 2.2 of it)
    assert full[0, 0] == 156 and halved[0, 0] == 78   # 0.8 ** 2.2 * 255 = 156.1
    # the mover's 16-bit dimmer halves too; its colour and pan/tilt keep their bytes
    assert full[0, 14:16].tolist() == [204, 204] and halved[0, 14:16].tolist() == [102, 102]
    assert (halved[0, 9:14] == full[0, 9:14]).all() and (halved[0, 16:19] == full[0, 16:19]).all()


def test_any_range_renders_the_same_bytes(project):
    project.fixture("bar50", RGB_PIXEL_BAR.format(n=50))
    r = renderer(project, "  - {id: b, profile: bar50, universe: 0, address: auto, array: {columns: 4}}\n",
                 "      - {target: all, effect: rainbow, duration: 3, fade_in: 1}\n"
                 "      - {target: b.2, effect: chase, start: 0.5, duration: 2, layer: 1, "
                 "blend: add}\n"
                 "      - {target: all, effect: strobe, start: 1, duration: 1.5, layer: 2, "
                 "blend: multiply, opacity: 0.5, params: {rate_hz: 2.5}}\n")
    whole = r.render(0, r.n_frames)
    pieces = np.concatenate([r.render(a, min(a + 7, r.n_frames)) for a in range(0, r.n_frames, 7)])
    assert whole.shape == (30, 512 * 2)
    assert np.array_equal(whole, pieces)
    assert whole.any()


def test_a_head_no_cue_moves_any_more_keeps_its_defaults_whatever_the_blocks(project):
    project.fixture("mover", MOVER)
    r = renderer(project, "  - {id: m, profile: mover, universe: 0, address: 1}\n",
                 "      - {target: m, effect: sweep, params: {pattern: fan, pan_amplitude_deg: 0, "
                 "tilt_amplitude_deg: 0, tilt_center_deg: 30}, duration: 1}\n"
                 "      - {target: m, effect: solid, params: {color: red}, duration: 1}\n")
    whole = r.render(0, 20)
    assert whole[15, :4].tolist() == [128, 0, 128, 0]            # the defaults, not 0xFFFF
    for start in (5, 9, 10, 11):                                 # blocks across the change
        assert np.array_equal(r.render(start, 20), whole[start:]), start


def test_pixel_colours_go_straight_to_their_bytes_through_each_curve(project):
    """Two RGB pixel profiles (gamma 2.2 and linear), the second split across a universe
    end and around the first, patched in another order than their addresses: every
    pixel's bytes are its colour through its own curve."""
    from lightshow.core.channels import quantise
    from lightshow.core.effects import EFFECTS
    from lightshow.core.effects.base import EffectInput

    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.fixture("tube", RGB_PIXEL_BAR.format(n=30).replace(
        "name: Pixel bar 30", "name: Tube\ndimmer_curve: gamma\ngamma: 2.2"))
    r = renderer(project, "  - {id: t, profile: tube, universe: 2, address: 200}\n"
                          "  - {id: b, profile: bar200, universe: 1, address: auto}\n",
                 "      - {target: all, effect: gradient, duration: 2, "
                 "params: {palette: [china_red, jade, gold], angle_deg: 30, rate_hz: 0.4}}\n")
    frames = r.render(3, 17)
    target = r.pixels.target(("t", "b"))
    t_s = np.arange(3, 17) / 10
    colours = EFFECTS["gradient"].render(EffectInput(
        t_s, t_s / 2, target.xy, target.pos_m, target.order, target.size_m, 2.0,
        r.cues[0].cue.params, 0, {})).rgb
    tube, bar = colours[:, :30].reshape(14, -1), colours[:, 30:].reshape(14, -1)
    tube_curve = r.show.rig.fixtures[0].profile.dimmer_curve
    bar_curve = r.show.rig.fixtures[1].profile.dimmer_curve
    assert tube_curve.kind == "gamma" and bar_curve.kind == "linear"
    assert np.array_equal(frames[:, :510], quantise(bar[:, :510], bar_curve, 1))
    assert np.array_equal(frames[:, 711:801], quantise(tube, tube_curve, 1))
    assert np.array_equal(frames[:, 801:891], quantise(bar[:, 510:], bar_curve, 1))  # after the tube
    assert not frames[:, 510:711].any() and not frames[:, 891:].any()


WARM_UP_CHECK = """
import importlib
import json
import pkgutil
import numba
import lightshow.core
from lightshow.core.live_levels import LevelMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
renderer = ShowRenderer(load_show("shows/show.yaml"))
modules = [importlib.import_module(found.name)
           for found in pkgutil.walk_packages(lightshow.core.__path__, "lightshow.core.")]
def compiled():
    return {name: len(k.signatures) for module in modules for name, k in vars(module).items()
            if isinstance(k, numba.core.registry.CPUDispatcher)
            and k.py_func.__module__ == module.__name__}
before = compiled()
renderer.warm_up()
warm = compiled()
renderer.render(0, renderer.n_frames)
print(json.dumps([before, warm, compiled()]))
"""


def test_after_warming_up_rendering_the_whole_show_compiles_nothing_new(project):
    """In a fresh process: warm_up compiles the kernels, and then the whole show, in blocks
    of several frames, needs no other compiled version of any kernel."""
    import json
    import subprocess
    import sys

    from tests.projects import RGBW_PIXEL_BAR, SIM_RIG

    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.fixture("rgbw4", RGBW_PIXEL_BAR.format(n=4))
    project.fixture("mover", MOVER)
    project.rig(SIM_RIG)
    cues = [
        "{target: pixels, effect: gradient, duration: 4, fade_in: 1, params: {rate_hz: 0.3}}",
        "{target: roof, effect: chase, start: 0.5, duration: 3, layer: 1, blend: add}",
        "{target: tower, effect: wipe, start: 1, duration: 2, layer: 1, blend: screen}",
        "{target: pixels, effect: noise, start: 2, duration: 2, layer: 2, blend: multiply}",
        "{target: pixels, effect: ripple, start: 2.5, duration: 1.5, layer: 3, blend: max}",
        "{target: roof, effect: flow, start: 3, duration: 1, layer: 4, blend: mask}",
        "{target: all, effect: sparkle, start: 3.5, duration: 2, layer: 5, blend: add}",
        "{target: pixels, effect: sparkle, start: 4, duration: 2, layer: 6, blend: add, "
        "params: {mode: fireworks}}",
        "{target: par, effect: color_cycle, duration: 6}",
        "{target: all, effect: strobe, start: 5, duration: 1, layer: 7, blend: screen, opacity: 0.5}",
        "{target: head, effect: sweep, duration: 6, params: {pattern: circle}}",
        "{target: tower, effect: rainbow, start: 5.5, duration: 0.5, layer: 8}",
    ]
    project.show("title: t\nrig: rig.yaml\nfps: 20\nchapters:\n  - id: c\n    cues:\n"
                 + "".join(f"      - {cue}\n" for cue in cues))
    done = subprocess.run([sys.executable, "-c", WARM_UP_CHECK], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    before, warm, after = json.loads(done.stdout)
    assert sum(before.values()) == 0
    assert {"mix_layer", "quantise_runs_into", "drifting_palette", "noise_octave",
            "burst_light"} <= {name for name, n in warm.items() if n}
    assert after == warm


def _peak_bytes_rendering(project, n_cues: int) -> int:
    """tracemalloc's peak while rendering a show of ``n_cues`` still cues one after another."""
    project.fixture("bar", RGB_PIXEL_BAR.format(n=4000))
    cues = "".join(f"      - {{target: b, effect: {'solid' if k % 2 else 'gradient'}, duration: 0.5, "
                   f"params: {{{'color: [' + str(k) + ', 0, 0]' if k % 2 else 'rate_hz: 0'}}}}}\n"
                   for k in range(n_cues))
    r = renderer(project, "  - {id: b, profile: bar, universe: 0, address: auto}\n", cues)
    tracemalloc.start()
    try:
        for start in range(0, r.n_frames, 4):
            r.render(start, start + 4)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_still_cues(project):
    _peak_bytes_rendering(project, 2)  # the first render also compiles and caches
    # a still gradient's output is 4000 pixels x 3 floats = 48 kB: keeping the 75 more of
    # them would take 3.6 MB (measured before the fix: 0.57 MB against 4.2 MB)
    few, many = _peak_bytes_rendering(project, 10), _peak_bytes_rendering(project, 160)
    assert many < few + 1_000_000
