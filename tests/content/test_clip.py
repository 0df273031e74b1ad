"""A work on a target's pixels: the image effect's mapping, the animation's own timing, fades."""

import numpy as np
import pytest

from lightshow.content.clip import build_artwork_clip, fade_envelope, frame_of_time, map_frame
from lightshow.content.validation import decode_artwork
from lightshow.core.pixelmap import grid_target
from tests.content.pictures import animation, solid


def test_a_solid_work_colours_every_pixel():
    target = grid_target(16, 8, 16.0, 8.0)
    rgb = map_frame(decode_artwork(solid((255, 0, 0), (64, 32))).frames[0], target, "fill")
    assert rgb.shape == (128, 3)
    assert np.allclose(rgb, [1.0, 0.0, 0.0], atol=0.02)


def test_fit_letterboxes_and_fill_covers():
    target = grid_target(32, 8, 32.0, 8.0)           # a wide facade, a square picture
    frame = decode_artwork(solid((0, 0, 255), (40, 40))).frames[0]
    fit = map_frame(frame, target, "fit", background=(0.0, 0.0, 0.0))
    fill = map_frame(frame, target, "fill")
    lit = fit[:, 2] > 0.5
    assert 0.15 < lit.mean() < 0.4                     # only the middle quarter or so
    assert np.all(fill[:, 2] > 0.95)


def test_transparency_shows_the_background():
    target = grid_target(4, 4, 4.0, 4.0)
    frame = decode_artwork(solid((255, 255, 255, 0), (16, 16), mode="RGBA")).frames[0]
    assert np.allclose(map_frame(frame, target, background=(0.0, 1.0, 0.0)), [0.0, 1.0, 0.0], atol=0.01)


def test_frames_follow_the_animation_timing_and_loop():
    index = frame_of_time((100, 250, 400), np.array([0.0, 0.099, 0.1, 0.349, 0.35, 0.749, 0.75, 0.85]))
    assert index.tolist() == [0, 0, 1, 1, 2, 2, 0, 1]


def test_a_clip_holds_each_frame_once_and_indexes_show_frames():
    art = decode_artwork(animation([(255, 0, 0), (0, 0, 255)], [500, 500]))
    target = grid_target(8, 4, 8.0, 4.0)
    clip = build_artwork_clip(art, target, fps=40.0, duration_s=3.0, fit="fill")
    assert clip.frames_rgb.shape == (2, 32, 3) and clip.n_ticks == 120
    assert clip.frame_of_tick[:20].tolist() == [0] * 20
    assert clip.frame_of_tick[20:40].tolist() == [1] * 20
    assert clip.frame_of_tick[40] == 0
    assert np.allclose(clip.frames_rgb[clip.frame_of_tick[25]] * clip.alpha_of_tick[25], [0.0, 0.0, 1.0],
                       atol=0.02)


def test_fades_rise_hold_and_fall():
    env = fade_envelope(40, 10.0, 1.0)
    assert env[0] == pytest.approx(0.05) and env[-1] == pytest.approx(0.05)
    assert np.all(env[10:30] == 1.0)
    assert np.all(np.diff(env[:10]) > 0)
    assert np.all(fade_envelope(5, 10.0, 0.0) == 1.0)
