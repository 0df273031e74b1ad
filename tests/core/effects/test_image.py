"""image: a prepared picture sampled at the pixels' places (fit, fill, stretch)."""

import dataclasses

import numpy as np
import pytest
from PIL import Image

from lightshow.core.effects.image import EFFECT, box_sum, pixel_pitch_m, summed_area
from lightshow.load.assets import prepare_image
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    grid,
    make_input,
    read_params,
    render_rgb,
)

RED, BLUE, GREEN = (1.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.0, 1.0, 0.0)
RED_BLUE = np.array([[RED, BLUE]], dtype=np.float32)                 # 2 × 1: left red, right blue
SQUARE_RED_BLUE = np.array([[RED, BLUE], [RED, BLUE]], dtype=np.float32)
TOP_RED_BOTTOM_BLUE = np.array([[RED], [BLUE]], dtype=np.float32)    # 1 wide × 2 tall


def rendered(image, nx, ny, size, **params):
    inp = make_input(EFFECT, {"path": "x.png", "image_rgb": image, **params}, t_s=[0.0], nx=nx, ny=ny,
                     size=size)
    return render_rgb(EFFECT, inp)[0].reshape(ny, nx, 3)           # row 0 = bottom


def test_schema():
    assert_schema_complete(EFFECT)
    assert EFFECT.prepare == "image"
    values, problems = read_params(EFFECT, "path: pics/logo.png\nfit: fill\nbrightness: 1.5\n")
    assert problems == [] and values["fit"] == "fill"
    _, problems = read_params(EFFECT, "path: a.png\nbrightness: 3\n")
    assert problems and "out-of-range" in problems[0]


def test_stretch_two_pixel_image_left_red_right_blue():
    rgb = rendered(RED_BLUE, 8, 3, (4.0, 1.0), fit="stretch")
    assert (rgb[:, :4] == np.float32(RED)).all()
    assert (rgb[:, 4:] == np.float32(BLUE)).all()


def test_stretch_via_prepare_from_a_png(tmp_path):
    Image.fromarray(np.array([[[255, 0, 0], [0, 0, 255]]], dtype=np.uint8)).save(tmp_path / "rb.png")
    params = prepare_image({"path": "rb.png", "fit": "stretch", "background": (0, 0, 0), "brightness": 1.0},
                           str(tmp_path))
    inp = make_input(EFFECT, params, t_s=[0.0, 0.5], nx=6, ny=2, size=(3.0, 7.0))
    rgb = render_rgb(EFFECT, inp)
    assert EFFECT.render(inp).rgb.shape == (1, 12, 3)
    for row in rgb[0].reshape(2, 6, 3):          # patches 1/3 image pixel wide; the third ends on the edge
        assert row[:3] == pytest.approx(np.array([RED] * 3), abs=1e-6)
        assert row[3:] == pytest.approx(np.array([BLUE] * 3), abs=1e-6)


def test_fit_letterboxes_a_square_image_on_a_wide_target():
    # 4 m × 1 m target, 0.5 m pitch: the square image covers x 1.5..2.5 m (columns 3..5)
    rgb = rendered(SQUARE_RED_BLUE, 9, 3, (4.0, 1.0), fit="fit", background=GREEN)
    assert (rgb[:, :3] == np.float32(GREEN)).all() and (rgb[:, 6:] == np.float32(GREEN)).all()
    assert (rgb[:, 3] == np.float32(RED)).all() and (rgb[:, 5] == np.float32(BLUE)).all()
    assert rgb[1, 4] == pytest.approx([0.5, 0.0, 0.5])         # the middle column straddles both


def test_fill_covers_and_crops():
    # the square image scaled to the target's width: no background; left red, right blue
    rgb = rendered(SQUARE_RED_BLUE, 9, 3, (4.0, 1.0), fit="fill", background=GREEN)
    assert (rgb[:, :4] == np.float32(RED)).all() and (rgb[:, 5:] == np.float32(BLUE)).all()
    # a tall image is cropped to its middle: top row red, bottom row blue, nothing green
    rgb = rendered(TOP_RED_BOTTOM_BLUE, 9, 3, (4.0, 1.0), fit="fill", background=GREEN)
    assert (rgb[2] == np.float32(RED)).all() and (rgb[0] == np.float32(BLUE)).all()
    assert not (rgb == np.float32(GREEN)).all(axis=2).any()


def test_fit_on_a_tall_image_keeps_it_whole():
    rgb = rendered(TOP_RED_BOTTOM_BLUE, 9, 5, (4.0, 1.0), fit="fit", background=GREEN)
    # image 0.5 m wide × 1 m tall in the middle: columns 3 and 5 are outside it (0.25 m away)
    assert (rgb[:, :4] == np.float32(GREEN)).all() and (rgb[:, 5:] == np.float32(GREEN)).all()
    assert (rgb[-1, 4] == np.float32(RED)).all() and (rgb[0, 4] == np.float32(BLUE)).all()


def test_brightness_scales_and_clips():
    grey = np.full((2, 2, 3), 0.4, dtype=np.float32)
    assert rendered(grey, 4, 4, (1.0, 1.0), brightness=0.5) == pytest.approx(np.full((4, 4, 3), 0.2))
    assert rendered(grey, 4, 4, (1.0, 1.0), brightness=2.0) == pytest.approx(np.full((4, 4, 3), 0.8))
    assert (rendered(np.ones((2, 2, 3), np.float32), 4, 4, (1.0, 1.0), brightness=2.0) == 1.0).all()


def test_large_image_is_averaged_over_each_pixels_patch():
    # a fine black/white checkerboard seen by a coarse grid averages to grey, it does not alias
    board = (np.indices((200, 400)).sum(axis=0) % 2).astype(np.float32)
    image = np.repeat(board[:, :, None], 3, axis=2)
    rgb = rendered(image, 9, 5, (4.0, 2.0), fit="stretch")
    assert rgb == pytest.approx(np.full(rgb.shape, 0.5), abs=0.02)


def test_chunks_render_the_same():
    params = {"path": "x.png", "image_rgb": np.random.default_rng(1).random((30, 50, 3), dtype=np.float32)}
    for fit in ("fit", "fill", "stretch"):
        assert_chunk_invariant(EFFECT, {**params, "fit": fit}, nx=11, ny=7, size=(5.0, 3.0))


def test_render_without_prepare_is_a_clear_error():
    with pytest.raises(ValueError, match="prepare"):
        EFFECT.render(make_input(EFFECT, {"path": "x.png"}))


def test_degenerate_targets():
    # a single row (no height) and a single pixel still render
    row = rendered(RED_BLUE, 8, 1, (4.0, 0.0), fit="fit")
    assert (row[0, :4] == np.float32(RED)).all() and (row[0, 4:] == np.float32(BLUE)).all()
    inp = make_input(EFFECT, {"path": "x.png", "image_rgb": RED_BLUE}, t_s=[0.0], xy=[(0.5, 0.5)],
                     size=(0.0, 0.0))
    assert render_rgb(EFFECT, inp).shape == (1, 1, 3)
    inp = dataclasses.replace(inp, xy=grid(1, 1))
    render_rgb(EFFECT, inp)


def test_sampling_helpers():
    assert pixel_pitch_m(np.array([0.0, 0.5, 1.0, 1.5, 5.0])) == 0.5
    assert pixel_pitch_m(np.array([2.0, 2.0])) == 0.0
    raster = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    table = summed_area(raster)
    total, area = box_sum(table, np.array([0.0, 1.0, -5.0]), np.array([4.0, 3.0, 0.5]),
                          np.array([0.0, 1.0, 0.0]), np.array([3.0, 2.0, 1.0]))
    assert total[:, 0] == pytest.approx([66.0, 5.0 + 6.0, 0.0 * 0.5])
    assert area == pytest.approx([12.0, 2.0, 0.5])
