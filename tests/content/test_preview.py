"""The moderator's preview: the work's colours as dots at the rig's pixel places, on dark ground."""

import io

import numpy as np
from PIL import Image

from lightshow.content.preview import GROUND_RGB, draw_dots, render_artwork_preview
from lightshow.content.validation import decode_artwork
from tests.content.pictures import solid
from lightshow.core.pixelmap import grid_target


def test_dots_have_the_work_s_colour_on_a_dark_ground():
    png = render_artwork_preview(decode_artwork(solid((255, 128, 0), (40, 40))),
                                 grid_target(20, 10, 20.0, 10.0), width_px=400)
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    colours = {tuple(int(v) for v in c) for c in image.reshape(-1, 3)}
    assert tuple(GROUND_RGB) in colours
    assert any(abs(r - 255) <= 3 and abs(g - 128) <= 3 and b <= 3 for r, g, b in colours)
    assert image.shape[1] == 402


def test_dots_sit_where_the_pixels_are():
    pos = np.array([[0.0, 0.0, 0.0], [10.0, 5.0, 0.0]])
    image = np.asarray(Image.open(io.BytesIO(draw_dots(np.array([[1, 0, 0], [0, 1, 0]]), pos, 100))))
    assert tuple(image[8 + 42, 8]) == (255, 0, 0)         # bottom left
    assert tuple(image[8, 8 + 84]) == (0, 255, 0)         # top right
