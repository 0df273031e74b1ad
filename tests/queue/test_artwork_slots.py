"""Artwork slots: approved works over the compiled frames, the show's own content when the queue is empty."""

import io

import pytest
from PIL import Image

from lightshow.queue.content_store import ContentStore
from lightshow.playback.show_player import open_player
from lightshow.load.project import load_show
from tests.playback.test_player import FakeClock, Recording

SLOT_SHOW = """\
title: slots
rig: rig.yaml
fps: 20
chapters:
  - id: only
    cues:
      - {id: own, target: roof, effect: solid, params: {color: [0, 255, 0]}, duration: 4}
      - {id: slot, start: 1, layer: 1, target: roof, effect: artwork, duration: 2,
         params: {fit: stretch, transition_s: 0.5}}
"""


def png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def slot_player(sim_show, project, tmp_path):
    project.show(SLOT_SHOW, "slots.yaml")
    store = ContentStore(str(tmp_path / "store"))
    clock, sink = FakeClock(), Recording()
    player = open_player(load_show("shows/slots.yaml"), None, [sink], content=store, clock=clock,
                         sleep=clock.sleep, background=False)
    yield player, store, clock, sink
    store.close()


def roof(sink):
    return sink.frames[-1][0, :24].reshape(8, 3)


def show_frame(player, clock, sink, k):
    player.pause()
    player._seek_frame(k)
    player.artwork.prepare(k, clock())
    player.tick(clock())
    return roof(sink)


def test_an_empty_queue_plays_the_show_s_own_content(slot_player):
    player, store, clock, sink = slot_player
    assert (show_frame(player, clock, sink, 30) == [0, 255, 0]).all()
    assert player.status()["artwork"] is None


def test_an_approved_work_plays_in_the_slot_with_its_fades(slot_player):
    player, store, clock, sink = slot_player
    work = store.submit(png((255, 0, 0)), "红日 Red sun", "王小明", "济南", consent=True, identity="127.0.0.9")
    store.approve(work.id, "test")
    assert (show_frame(player, clock, sink, 10) == [0, 255, 0]).all()     # before the slot: own
    middle = show_frame(player, clock, sink, 30)
    assert (middle == [255, 0, 0]).all()                                   # the work, full
    status = player.status()["artwork"]
    assert (status["title"], status["name"], status["city"]) == ("红日 Red sun", "王小明", "济南")
    fading = show_frame(player, clock, sink, 21)                           # 0.05 s into a 0.5 s fade
    assert 0 < fading[0, 0] < 128 and fading[0, 1] > 128
    assert (show_frame(player, clock, sink, 70) == [0, 255, 0]).all()     # after it: own again
    assert player.status()["artwork"] is None
