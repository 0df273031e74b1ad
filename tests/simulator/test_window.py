"""The window as a view of a player: its keys, its timeline, with a fake clock and pygame's dummy
video driver."""

import pygame
import pytest

from simulator.appearance import AppearanceMap
from lightshow.load.project import load_show
from simulator.painter import Painter
from lightshow.playback.frames import FrameSource
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import LatestFrameSink
from simulator.window import PlayerController, run_window


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def key(code, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod)


class Playhead:
    """The window's controller on a player of the small show (20 fps, 60 frames) on a fake clock."""

    def __init__(self, show, clock):
        self.latest = LatestFrameSink(2 * 512)
        self.player = open_player(show, None, [self.latest], clock=clock, sleep=clock.sleep,
                                  background=False)
        self.controller = PlayerController(self.player, self.latest)

    @property
    def position(self) -> int:
        return self.player.status()["frame"]

    @property
    def playing(self) -> bool:
        return self.player.status()["state"] == "playing"

    def __getattr__(self, name):
        return getattr(self.controller, name)


@pytest.fixture
def controller(sim_show):
    clock = FakeClock()
    playhead = Playhead(load_show(sim_show), clock)
    playhead.player.play()
    return playhead, clock


def test_the_playhead_follows_the_clock_and_stops_at_the_end(controller):
    playhead, clock = controller
    assert playhead.position == 0
    clock.now += 1.0
    assert playhead.position == 20
    clock.now += 10.0
    assert playhead.position == 59 and not playhead.playing


def test_keys_pause_seek_and_jump(controller):
    playhead, clock = controller
    playhead.key(key(pygame.K_SPACE))
    clock.now += 5
    assert playhead.position == 0 and not playhead.playing
    playhead.key(key(pygame.K_2))                  # chapter two
    assert playhead.position == 40 and "second chapter" in playhead.status()
    playhead.key(key(pygame.K_p))                  # previous cue: back to the first chapter's cues
    assert playhead.position == 0
    playhead.key(key(pygame.K_n))                  # next marker
    assert playhead.position == 40
    playhead.key(key(pygame.K_LEFT))
    assert playhead.position == 0
    playhead.key(key(pygame.K_HOME))
    assert playhead.position == 0
    playhead.click(320, 640)                       # half-way along the timeline
    assert playhead.position == 30


def test_the_window_draws_frames_until_closed(controller, sim_show):
    playhead, _ = controller
    show = load_show(sim_show)
    painter = Painter(AppearanceMap(show.rig, FrameSource.of_show(show).renderer.pixels), (320, 180))
    drawn = []

    class Counting:
        def __getattr__(self, name):
            return getattr(playhead, name)

        def frame(self):
            drawn.append(1)
            if len(drawn) == 3:
                pygame.event.post(pygame.event.Event(pygame.QUIT))
            return playhead.frame()

    run_window(painter, Counting(), "test", max_fps=1000)
    assert len(drawn) == 3


def test_the_window_follows_a_running_player_and_its_keys_command_it(sim_show):
    show = load_show(sim_show)
    latest = LatestFrameSink(2 * 512)
    player = open_player(show, None, [latest])
    player.play()
    player.start()
    controller = PlayerController(player, latest)
    painter = Painter(AppearanceMap(show.rig, FrameSource.of_show(show).renderer.pixels), (320, 180))
    try:
        controller.key(key(pygame.K_SPACE))                     # pause
        assert player.status()["state"] == "paused"
        controller.key(key(pygame.K_2))                         # chapter two
        assert player.status()["chapter"] == "second"
        controller.key(key(pygame.K_b))
        assert player.blackout.target == 1.0 and player.blackout.fade_s == 1.0   # fading to black
        controller.key(key(pygame.K_LEFT, pygame.KMOD_SHIFT))   # back 30 s: the start
        assert player.status()["frame"] == 0
        assert "paused" in controller.status() and "BLACKOUT" in controller.status()
        shown = []

        class Counting(PlayerController):
            def frame(self):
                shown.append(self.latest.frames)
                if len(shown) == 5:
                    pygame.event.post(pygame.event.Event(pygame.QUIT))
                return super().frame()
        run_window(painter, Counting(player, latest), "test", max_fps=30)
        assert len(shown) == 5 and shown[-1] > shown[0]          # the player kept sending meanwhile
    finally:
        player.close()
