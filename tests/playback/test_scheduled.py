"""The schedule drives the player: runs start on time, a restart rejoins the run in progress at the
frame the schedule says, the operator's transport holds it, and a clock that is plainly wrong
starts nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

from lightshow.load.project import load_show
from lightshow.model.schedule import DaySet, Entry, Schedule, Site, Start
from lightshow.playback.scheduled import OperatorHolds, ScheduleDriver
from lightshow.playback.show_player import open_player
from tests.playback.test_player import FakeClock, Recording

ZONE = ZoneInfo("Asia/Shanghai")
EVERY_DAY = DaySet(weekdays=frozenset(range(7)))
SCHEDULE = Schedule("s.yaml", Site(36.65, 117.12, "Asia/Shanghai"), (
    Entry("evening", EVERY_DAY, Start(clock=dt.time(19, 30)), ("show.yaml",)),))


class WallClock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


def driven(sim_show, at: dt.datetime):
    clock = FakeClock()
    player = open_player(load_show(sim_show), None, [Recording()], clock=clock, sleep=clock.sleep,
                         background=False)
    wall = WallClock(at)
    driver = ScheduleDriver(player, SCHEDULE, player.index.stop_frame / player.fps, now=wall)
    return player, driver, wall


def test_a_run_starts_at_its_time_from_the_first_frame_and_the_show_stops_after_it(sim_show):
    player, driver, wall = driven(sim_show, dt.datetime(2026, 10, 12, 19, 29, 59, tzinfo=ZONE))
    driver.look()
    assert player.status()["state"] == "stopped"
    wall.at = dt.datetime(2026, 10, 12, 19, 30, 0, tzinfo=ZONE)
    driver.look()
    assert (player.status()["state"], player.status()["frame"]) == ("playing", 0)
    assert driver.status()["running_since"] == "2026-10-12T19:30:00+08:00"
    assert driver.status()["next_run"] == "2026-10-13T19:30:00+08:00"
    wall.at = dt.datetime(2026, 10, 12, 19, 30, 3, 100_000, tzinfo=ZONE)   # the 3 s show is over
    driver.look()
    assert player.status()["state"] == "stopped"


def test_a_restart_inside_a_run_rejoins_it_where_the_schedule_says(sim_show):
    player, driver, _ = driven(sim_show, dt.datetime(2026, 10, 12, 19, 30, 2, 500_000, tzinfo=ZONE))
    driver.look()                                     # a fresh driver, as after a crash or a power cut
    status = player.status()
    assert status["state"] == "playing" and status["frame"] == 50 and status["chapter"] == "second"


def test_the_operator_holds_the_schedule_until_releasing_it(sim_show):
    player, driver, wall = driven(sim_show, dt.datetime(2026, 10, 12, 19, 30, 1, tzinfo=ZONE))
    driver.look()
    controls = OperatorHolds(player, driver)
    controls.pause()                                  # a transport command: the schedule is held
    assert driver.held and player.status()["state"] == "paused"
    controls.set_master(0.5)                          # levels do not hold it
    wall.at = dt.datetime(2026, 10, 12, 19, 30, 2, tzinfo=ZONE)
    driver.look()
    assert player.status()["state"] == "paused"       # held: the schedule leaves it alone
    assert driver.hold(False)["held"] is False        # released: back where the schedule says
    assert player.status()["state"] == "playing" and player.status()["frame"] == 40


def test_no_run_starts_while_the_clock_is_plainly_wrong(sim_show):
    player, driver, _ = driven(sim_show, dt.datetime(1970, 1, 1, 19, 30, 1, tzinfo=ZONE))
    driver.look()
    assert player.status()["state"] == "stopped"


def test_the_play_log_records_runs_and_holds(sim_show, tmp_path):
    from lightshow.files.play_log import PlayLog

    clock = FakeClock()
    player = open_player(load_show(sim_show), None, [Recording()], clock=clock, sleep=clock.sleep,
                         background=False)
    wall = WallClock(dt.datetime(2026, 10, 12, 19, 30, 0, tzinfo=ZONE))
    log = PlayLog(str(tmp_path / "log.sqlite"))
    driver = ScheduleDriver(player, SCHEDULE, 3.0, now=wall, log=log)
    driver.look()
    wall.at += dt.timedelta(seconds=1)
    OperatorHolds(player, driver).pause()
    wall.at += dt.timedelta(seconds=0.5)
    driver.hold(False)
    wall.at += dt.timedelta(seconds=5)
    driver.look()
    events = log.events(dt.datetime(2026, 10, 12, tzinfo=ZONE), dt.datetime(2026, 10, 13, tzinfo=ZONE))
    assert [e.kind for e in events] == ["run-start", "hold", "release", "run-rejoin", "run-end"]
    assert events[1].detail == {"why": "pause"} and events[3].detail["elapsed_s"] == 1.5
    assert {e.run_start for e in events if e.run_start} == {dt.datetime(2026, 10, 12, 19, 30, tzinfo=ZONE)}
    log.close()
