"""The player follows a time source: slews small errors, jumps large ones, free-runs without one."""

import pytest

from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player
from lightshow.playback.time_source import MonotonicClock
from tests.playback.test_player import FakeClock, Recording


class DriftingSource:
    """A source that runs ``rate`` times as fast as the monotonic clock from ``start_s`` (the seam
    where a soundtrack, timecode or a sync master will report its position)."""

    name = "drifting"

    def __init__(self, t0: float, start_s: float, rate: float):
        self.t0, self.start_s, self.rate = t0, start_s, rate

    def show_time_s(self, now_s: float) -> float:
        return self.start_s + (now_s - self.t0) * self.rate


def player_with(sim_show, source_of):
    clock, sink = FakeClock(), Recording()
    player = open_player(load_show(sim_show), None, [sink], clock=clock, sleep=clock.sleep,
                         background=False, time_source=source_of(clock()))
    return player, clock


def test_the_monotonic_clock_has_no_opinion_and_the_playhead_free_runs(sim_show):
    player, clock = player_with(sim_show, lambda t0: MonotonicClock())
    player.play()
    player.run(n_ticks=21)
    assert player.status()["frame"] == 20 and player.status()["time_source"] == "clock"
    assert player.stats.jumps == 0 and player.transport.trim == 1.0


def test_a_source_running_fast_is_slewed_to_without_a_jump(sim_show):
    player, clock = player_with(sim_show, lambda t0: DriftingSource(t0, 0.0, 1.02))
    player.play()
    player.run(n_ticks=40)                  # 2 s: the source gains 40 ms
    assert player.stats.jumps == 0
    assert player.transport.trim > 1.0      # running faster to catch up
    error_s = player.time_source.show_time_s(clock()) - player.transport.position_s(clock())
    assert abs(error_s) < 0.04              # kept within a frame or so of the source


def test_a_source_far_away_is_jumped_to(sim_show):
    player, clock = player_with(sim_show, lambda t0: DriftingSource(t0, 2.0, 1.0))
    player.play()
    player.run(n_ticks=1)
    assert player.stats.jumps == 1 and player.status()["frame"] == 40
    player.run(n_ticks=5)
    assert player.stats.jumps == 1           # locked: no more jumps
    assert player.transport.position_s(clock()) == pytest.approx(player.time_source.show_time_s(clock()),
                                                                 abs=0.05)
