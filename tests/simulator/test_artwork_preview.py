"""The moderator's preview of a citizen work: the simulator's picture of the rig with the work where
it will play (the show's artwork slot, else the whole rig; a rig's facades for the queue alone)."""

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from lightshow.content.plain_wall import FACADE_GROUP, plain_wall_rig
from lightshow.content.validation import decode_artwork
from lightshow.core.patch import build_channel_map
from lightshow.core.pixelmap import PixelMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from simulator.appearance import AppearanceMap
from simulator.artwork_preview import (PREVIEW_FRAMES, PREVIEW_SIZE, artwork_preview, preview_frames,
                                      rig_artwork_preview)
from simulator.headless import surface_pixels
from simulator.painter import Painter
from tests.content.pictures import animation, solid

MAGENTA, YELLOW, GREEN = (255, 0, 255), (255, 255, 0), (0, 255, 0)
GLOW = 40              # what the neighbours' glow may add to a cell (measured: 17 from the tower to the roof)
# the roof is the slot; the tower keeps the show's own green while the slot plays
PREVIEW_SHOW = """\
title: 预览 preview
rig: rig.yaml
fps: 20
chapters:
  - id: only
    cues:
      - {id: own, target: pixels, effect: solid, params: {color: [0, 255, 0]}, duration: 4}
      - {id: slot, start: 1, layer: 1, target: roof, effect: artwork, duration: 2,
         params: {fit: stretch, transition_s: 0.5}}
"""


def picture_of(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def screen_of(rig, fixture_ids, size=PREVIEW_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) on the preview of the fixtures' pixels."""
    pixels = PixelMap(rig)
    scene = Painter(AppearanceMap(rig, pixels), size).scene
    index = pixels.pixels_of(tuple(fixture_ids))
    return scene.pixel_x[index], scene.pixel_y[index]


@pytest.fixture
def slot_show(sim_show, project):
    return load_show(str(project.show(PREVIEW_SHOW, "preview.yaml")))


def test_the_work_is_drawn_in_the_slot_over_the_show_s_own_frame(slot_show):
    png = artwork_preview(slot_show)(decode_artwork(solid(MAGENTA, (64, 32))))
    renderer = ShowRenderer(slot_show)
    expected = renderer.render(40, 41)[0].copy()          # the middle of the slot (frames 20..60)
    expected[0:24] = np.tile(MAGENTA, 8)                  # the roof: 8 RGB pixels at universe 0, address 1
    painter = Painter(AppearanceMap(slot_show.rig, renderer.pixels), PREVIEW_SIZE)
    picture = picture_of(png)
    assert picture.shape == (540, 960, 3)
    assert np.array_equal(picture, surface_pixels(painter.paint(expected)).astype(np.int16))
    x, y = screen_of(slot_show.rig, ["roof"])
    assert (np.abs(picture[y, x] - MAGENTA) <= GLOW).all()
    x, y = screen_of(slot_show.rig, ["tower"])
    assert (np.abs(picture[y, x] - GREEN) <= GLOW).all()


def test_without_a_slot_the_work_fills_the_whole_rig(sim_show):
    show = load_show(sim_show)
    picture = picture_of(artwork_preview(show)(decode_artwork(solid(MAGENTA, (64, 32)))))
    x, y = screen_of(show.rig, ["roof", "tower"])
    assert (np.abs(picture[y, x] - MAGENTA) <= GLOW).all()


def test_on_a_rig_alone_the_work_fills_its_facades_and_the_rest_is_dark():
    rig = plain_wall_rig()
    picture = picture_of(rig_artwork_preview(rig, rig.groups[FACADE_GROUP].fixture_ids)(
        decode_artwork(solid(YELLOW, (48, 16)))))
    x, y = screen_of(rig, rig.groups[FACADE_GROUP].fixture_ids)
    assert (np.abs(picture[y, x] - YELLOW) <= GLOW).all()
    assert picture.shape == (540, 960, 3) and build_channel_map(rig, PixelMap(rig)).base.max() == 0


def test_an_animated_work_is_previewed_frame_by_frame_as_long_as_each_plays():
    """Every frame, not only the first: a frame a moderator never saw could still play."""
    rig = plain_wall_rig()
    facades = rig.groups[FACADE_GROUP].fixture_ids
    colours, durations = (MAGENTA, YELLOW, GREEN), (100, 250, 400)
    png = rig_artwork_preview(rig, facades)(decode_artwork(animation(colours, durations, size=(48, 16))))
    shown = Image.open(io.BytesIO(png))
    assert shown.format == "PNG" and shown.n_frames == 3
    x, y = screen_of(rig, facades)
    for number, (colour, duration) in enumerate(zip(colours, durations)):
        shown.seek(number)
        assert shown.info["duration"] == duration
        picture = np.asarray(shown.convert("RGB"), dtype=np.int16)
        assert (np.abs(picture[y, x] - colour) <= GLOW).all()


def test_a_long_animation_is_previewed_by_frames_chosen_evenly_over_its_whole_length():
    durations = tuple(40 + (n % 3) * 10 for n in range(300))
    shown, shown_ms = preview_frames(durations)
    assert len(shown) == PREVIEW_FRAMES and shown[0] == 0 and shown[-1] == 299
    assert sorted(set(shown)) == shown and max(b - a for a, b in zip(shown, shown[1:])) <= 7
    assert sum(shown_ms) == sum(durations)                  # as long as the work
    assert shown_ms[0] == sum(durations[:shown[1]])         # each frame until the next shown
    assert preview_frames((100, 250, 400)) == ([0, 1, 2], [100, 250, 400])
    assert preview_frames((0,)) == ([0], [0])


# -- on the moderation page, in Chromium --------------------------------------------------------

SAMPLE_JS = """([selector, points]) => {
  const img = document.querySelector(selector);
  const c = document.createElement("canvas");
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  return points.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)));
}"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_the_moderation_page_previews_works_where_the_slot_is(slot_show, tmp_path):
    """A pending work (magenta) and an approved one (yellow): each preview on the page, as the
    browser decoded it, has the work's colour at the roof (the slot) and the show's green at the
    tower; titles stay text."""
    from playwright.sync_api import sync_playwright

    from lightshow.queue.artwork_slots import submission_target
    from lightshow.queue.content_web import create_content_app
    from tests.control.test_view import BUILD, CHROMIUM_ARGS
    from tests.queue.content_server import TOKEN
    from tests.served import served

    app = create_content_app(str(tmp_path / "store"), TOKEN, facades=lambda: submission_target(slot_show),
                             preview=artwork_preview(slot_show))
    store = app.state.content_store
    title = '红日 & "Red sun" \'1\' &lt;b&gt;'               # text as typed, never markup
    pending = store.submit(solid(MAGENTA, (64, 32)), title, "王小明", "济南", consent=True, identity="127.0.0.9")
    approved = store.submit(solid(YELLOW, (64, 32)), "黄 yellow", None, None, consent=True, identity="127.0.0.8")
    store.approve(approved.id, "test")
    roof = np.stack(screen_of(slot_show.rig, ["roof"]), axis=1).tolist()
    tower = np.stack(screen_of(slot_show.rig, ["tower"]), axis=1).tolist()
    errors = []
    with served(app, "127.0.0.37") as port, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"http://127.0.0.37:{port}/moderate")
        page.fill("#token", TOKEN)
        page.click("#login")
        card = f".card[data-id='{pending.id}'] img.preview"
        queued = "#queue img.preview"
        for selector in (card, queued):
            page.wait_for_function("(s) => { const i = document.querySelector(s); return i && i.complete "
                                   "&& i.naturalWidth > 0; }", arg=selector, timeout=30000)
        assert page.text_content(f".card[data-id='{pending.id}'] .title") == title
        samples = {name: (np.array(page.evaluate(SAMPLE_JS, [selector, roof])),
                          np.array(page.evaluate(SAMPLE_JS, [selector, tower])))
                   for name, selector in (("pending", card), ("approved", queued))}
        assert page.evaluate("(s) => document.querySelector(s).naturalWidth", card) == 960
        BUILD.mkdir(exist_ok=True)
        page.screenshot(path=str(BUILD / "moderation-preview.png"), full_page=True)
        browser.close()
    assert errors == []
    for name, colour in (("pending", MAGENTA), ("approved", YELLOW)):
        at_roof, at_tower = samples[name]
        assert (np.abs(at_roof - colour) <= GLOW).all(), (name, at_roof)
        assert (np.abs(at_tower - GREEN) <= GLOW).all(), (name, at_tower)
