"""A red pixel in the buffer is red on screen; the scene is laid out from the rig."""

import numpy as np
import pytest

from simulator.appearance import AppearanceMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from simulator.headless import surface_pixels
from simulator.painter import SRGB, Painter, encode
from simulator.scene import Scene, find_buildings


@pytest.fixture
def setup(sim_show):
    show = load_show(sim_show)
    renderer = ShowRenderer(show)
    return renderer, AppearanceMap(show.rig, renderer.pixels)


def screen_colours(painter, picture, renderer, fixture_id):
    index = renderer.pixels.pixels_of((fixture_id,))
    pixels = surface_pixels(picture)
    return pixels[painter.scene.pixel_y[index], painter.scene.pixel_x[index]]


def test_buffer_colours_are_the_screen_colours_without_glow(setup):
    renderer, appearance = setup
    painter = Painter(appearance, (640, 360), glow=False)
    picture = painter.paint(renderer.render(5, 6)[0])

    def lit(fixture_id, light):   # light adds to the night: background + sRGB of the light
        under = screen_colours(painter, painter.background, renderer, fixture_id).astype(int)
        return np.minimum(under + encode(np.asarray(light, dtype=np.float32)).astype(int), 255).tolist()

    assert screen_colours(painter, picture, renderer, "roof").tolist() == lit("roof", [1, 0, 0])
    assert screen_colours(painter, picture, renderer, "tower").tolist() == lit("tower", [0, 1, 0])
    # the par's blue at dimmer 128/255
    assert screen_colours(painter, picture, renderer, "par").tolist() == lit("par", [0, 0, 128 / 255])
    roof = screen_colours(painter, picture, renderer, "roof")
    assert (roof[:, 0] == 255).all() and (roof[:, 1:] < 40).all()       # red on screen


def test_with_glow_the_hue_stays_and_light_spreads(setup):
    renderer, appearance = setup
    painter = Painter(appearance, (640, 360))
    picture = painter.paint(renderer.render(5, 6)[0])
    roof = screen_colours(painter, picture, renderer, "roof").astype(int)
    assert (roof[:, 0] == 255).all() and (roof[:, 0] > roof[:, 1] + 150).all()
    pixels = surface_pixels(picture).astype(int)
    dark = surface_pixels(painter.paint(np.zeros(renderer.n_channels, np.uint8))).astype(int)
    roof_index = renderer.pixels.pixels_of(("roof",))
    y, x = painter.scene.pixel_y[roof_index][0], painter.scene.pixel_x[roof_index][0]
    around = (slice(y - 4, y + 5), slice(x - 4, x + 5))
    glow = pixels[around] - dark[around]
    glow[4, 4] = 0                                                   # the roof's own cell aside
    assert glow[..., 0].sum() > 200 and glow[..., 0].sum() > 5 * glow[..., 2].sum()  # red glow
    river = slice(painter.scene.quay_y + 5, None)
    reflected = pixels[river] - dark[river]
    assert reflected[..., 1].sum() > max(300, 3 * reflected[..., 0].sum())   # the green tower, mirrored


def test_a_beam_is_drawn_along_its_tilt(setup):
    renderer, appearance = setup
    painter = Painter(appearance, (640, 360))
    frame = renderer.render(5, 6)[0]
    lit = surface_pixels(painter.paint(frame)).astype(int)
    frame_off = frame.copy()
    frame_off[512 + 15:512 + 17] = 0            # the head's dimmer (coarse and fine) to zero
    unlit = surface_pixels(painter.paint(frame_off)).astype(int)
    head = renderer.pixels.pixels_of(("head",))[0]
    x0, y0 = painter.scene.pixel_x[head], painter.scene.pixel_y[head]
    # tilt 30 deg towards the viewer, pan 0: straight up on screen, foreshortened
    assert (lit[y0 - 25, x0] - unlit[y0 - 25, x0]).sum() > 30
    assert (lit[y0 - 25, x0 + 40] - unlit[y0 - 25, x0 + 40]).sum() == 0


def test_buildings_are_found_from_the_rig(setup):
    renderer, _ = setup
    buildings = find_buildings(renderer.pixels.pos_m)
    assert [(b.left_m, b.top_m) for b in buildings] == [(pytest.approx(9.9125), 30.0), (60.0, 40.0)]
    scene = Scene(renderer.pixels, (640, 360))
    assert scene.quay_y == round(360 * 0.72)
    sx, sy = scene.to_screen([60.0], [0.0])
    assert sy[0] == scene.quay_y and 0 < sx[0] < 640


def test_srgb_table_ends():
    assert SRGB[0] == 0 and SRGB[-1] == 255 and (np.diff(SRGB.astype(int)) >= 0).all()
