"""text: a prepared glyph mask placed in metres, static or scrolling."""

import dataclasses

import numpy as np
import pytest

from lightshow.core.effects.text import EFFECT
from lightshow.errors import LightshowError
from lightshow.load.assets import find_font, prepare_text
from tests.core.effects import (
    assert_chunk_invariant,
    assert_schema_complete,
    grid,
    make_input,
    read_params,
    render_rgb,
)

NX, NY, SIZE = 41, 11, (20.0, 5.0)          # 0.5 m pitch


def prepared(params, **kwargs):
    """The text effect's input, prepared; letters at 0.8 of the height unless given."""
    inp = make_input(EFFECT, {"height": 0.8, **params}, **kwargs)
    return dataclasses.replace(inp, params=prepare_text(inp.params, "."))


def lit_columns(rgb_frame, nx=NX, ny=NY):
    """x indices of grid columns with any lit pixel."""
    return np.flatnonzero(rgb_frame[:, 0].reshape(ny, nx).max(axis=0) > 0.25)


def test_schema():
    assert_schema_complete(EFFECT)
    assert EFFECT.prepare == "text"
    values, problems = read_params(EFFECT, "text: 同心\nscroll_speed_m_s: 2\n")
    assert problems == [] and values["text"] == "同心"
    _, problems = read_params(EFFECT, "text: " + "x" * 201 + "\n")
    assert problems and "out-of-range" in problems[0]
    _, problems = read_params(EFFECT, "color: red\n")
    assert problems and "missing-key" in problems[0]


def test_static_I_lights_the_centre_column_not_the_corners():
    inp = prepared({"text": "I"}, t_s=[0.0, 1.0], nx=NX, ny=NY, size=SIZE)
    out = EFFECT.render(inp)
    assert out.rgb.shape == (1, NX * NY, 3)                   # static: one picture
    rgb = render_rgb(EFFECT, inp)[0].reshape(NY, NX, 3)
    assert rgb[NY // 2, NX // 2] == pytest.approx([1.0, 1.0, 1.0], abs=1e-3)
    for corner in (rgb[0, 0], rgb[0, -1], rgb[-1, 0], rgb[-1, -1]):
        assert (corner == 0).all()
    # the letter spans 80% of the 5 m height, 0.5 m to 4.5 m: the top and bottom rows stay dark
    # and the rows at 0.5 m and 4.5 m are half covered
    assert (rgb[0] == 0).all() and (rgb[-1] == 0).all()
    assert (rgb[2:-2, NX // 2, 0] == 1.0).all()
    assert rgb[[1, -2], NX // 2, 0] == pytest.approx([0.5, 0.5], abs=1e-3)


def test_colour_and_background():
    inp = prepared({"text": "I", "color": (1.0, 0.0, 0.0), "background": (0.0, 0.0, 0.5)},
                   t_s=[0.0], nx=NX, ny=NY, size=SIZE)
    rgb = render_rgb(EFFECT, inp)[0].reshape(NY, NX, 3)
    assert rgb[NY // 2, NX // 2] == pytest.approx([1.0, 0.0, 0.0], abs=1e-3)
    assert rgb[0, 0] == pytest.approx([0.0, 0.0, 0.5])


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_static_alignment(align):
    inp = prepared({"text": "HI", "align": align}, t_s=[0.0], nx=NX, ny=NY, size=SIZE)
    cols = lit_columns(render_rgb(EFFECT, inp)[0])
    assert len(cols) > 3
    if align == "left":
        assert cols[0] == 0 and cols[-1] < NX // 2
    elif align == "right":
        assert cols[-1] == NX - 1 and cols[0] > NX // 2
    else:
        assert abs((cols[0] + cols[-1]) / 2 - NX // 2) <= 1


def test_aspect_is_kept_in_metres():
    widths = []
    for width_m, nx in ((20.0, 41), (40.0, 81)):
        inp = prepared({"text": "同心"}, t_s=[0.0], nx=nx, ny=NY, size=(width_m, 5.0))
        cols = lit_columns(render_rgb(EFFECT, inp)[0], nx=nx)
        widths.append((cols[-1] - cols[0]) * 0.5)
    assert widths[0] == widths[1]
    assert 6.0 < widths[0] < 9.0        # two square-ish glyphs 4 m tall


def test_scrolling_enters_from_the_right_and_moves_left():
    speed = 4.0
    inp = prepared({"text": "HI", "scroll_speed_m_s": speed}, t_s=[0.0, 1.0, 1.5], nx=NX, ny=NY, size=SIZE)
    rgb = render_rgb(EFFECT, inp)
    assert (rgb[0].reshape(NY, NX, 3)[:, :-1] == 0).all()     # only the right edge can be touched
    at_1, at_15 = lit_columns(rgb[1]), lit_columns(rgb[2])
    # the text's left edge is at 20 - 4 m = 16 m (column 32), then 14 m (column 28)
    assert at_1[0] in (32, 33) and at_15[0] in (28, 29)
    assert at_1[0] - at_15[0] == 4


def test_scrolling_repeats_after_leaving():
    inp = prepared({"text": "I", "scroll_speed_m_s": 10.0}, t_s=[0.0], nx=NX, ny=NY, size=SIZE)
    mask_w_m = 4.0 * inp.params["text_mask"].shape[1] / inp.params["text_mask"].shape[0]
    period = (SIZE[0] + mask_w_m) / 10.0
    inp = dataclasses.replace(inp, t_s=np.array([0.7, 0.7 + period]), phase=np.zeros(2))
    rgb = render_rgb(EFFECT, inp)
    assert rgb[0] == pytest.approx(rgb[1], abs=1e-5)


@pytest.mark.parametrize("params", [{"text": "Hi 同心"}, {"text": "同心 Hello", "scroll_speed_m_s": 3.3}])
def test_chunks_render_the_same(params):
    inp = prepared(params)
    assert_chunk_invariant(EFFECT, inp.params, nx=NX, ny=NY, size=SIZE)


def test_cjk_text_renders():
    inp = prepared({"text": "同心"}, t_s=[0.0], nx=NX, ny=NY, size=SIZE)
    rgb = render_rgb(EFFECT, inp)
    assert (rgb[..., 0] > 0.5).sum() > 20


def test_render_without_prepare_is_a_clear_error():
    with pytest.raises(ValueError, match="prepare"):
        EFFECT.render(make_input(EFFECT, {"text": "x"}))


def test_single_row_target_does_not_crash():
    inp = prepared({"text": "I"}, t_s=[0.0], xy=grid(20, 1), size=(10.0, 0.0))
    render_rgb(EFFECT, inp)


# -- letter size: ``height`` is the capital height, whatever letters the string holds --------

TALL_NX, TALL_NY, TALL_SIZE = 193, 25, (48.0, 6.0)      # 0.25 m pitch, 24 pixels of height


def glyph_rows(text, **params):
    """Grid rows (from the bottom) lit by each glyph of ``text``, left to right: one
    (lowest, highest) pair per group of adjacent lit columns."""
    inp = prepared({"text": text, **params}, t_s=[1.5], nx=TALL_NX, ny=TALL_NY, size=TALL_SIZE)
    lit = render_rgb(EFFECT, inp)[0][:, 0].reshape(TALL_NY, TALL_NX) > 0.5
    columns = np.flatnonzero(lit.any(axis=0))
    groups = np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1)
    return [(int(rows[0]), int(rows[-1]))
            for rows in (np.flatnonzero(lit[:, group].any(axis=1)) for group in groups)]


@pytest.mark.parametrize("params", [{}, {"scroll_speed_m_s": 20.0}, {"height": 0.5}])
def test_descenders_do_not_change_the_capital_height_or_position(params):
    caps = glyph_rows("HELLO", **params)
    desc = glyph_rows("Hgjpy", **params)
    assert caps[0] == desc[0]                                   # the H: same rows
    height = params.get("height", 0.8)
    bottom, top = caps[0]
    assert abs((top - bottom + 1) - height * 24) <= 1.0         # capital height = height × 24 px
    assert abs((top + bottom) / 2 - (TALL_NY - 1) / 2) <= 1.0   # the capitals are centred
    assert min(low for low, _ in desc[1:]) < bottom - 1         # descenders hang below the baseline


def _has_cjk_font():
    try:
        find_font("山泉湖同")
    except LightshowError:
        return False
    return True


@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font installed (fonts-noto-cjk)")
def test_cjk_is_as_tall_as_latin_capitals():
    bottom, top = glyph_rows("HELLO", scroll_speed_m_s=20.0)[0]
    for rows in glyph_rows("山泉湖", scroll_speed_m_s=20.0):
        assert abs(rows[0] - bottom) <= 1 and abs(rows[1] - top) <= 1
    # in mixed text the ideographs are drawn as tall as the capitals, which keep their size
    mixed = glyph_rows("HE 山同", scroll_speed_m_s=20.0)
    assert mixed[0] == (bottom, top)
    for rows in mixed[-2:]:
        assert abs(rows[0] - bottom) <= 1 and abs(rows[1] - top) <= 1
