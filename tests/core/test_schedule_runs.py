"""The runs a schedule makes at the river-front (36.65 N, 117.12 E, Asia/Shanghai), checked against
an independent sun computation for a whole year and against the holiday library's own data."""

import datetime as dt
import math
from zoneinfo import ZoneInfo

import holidays
import pytest

from lightshow.core.schedule_runs import is_holiday, runs_on, sun_event_at, upcoming_runs
from lightshow.model.schedule import DaySet, Entry, Schedule, Site, Start

SITE = Site(36.65, 117.12, "Asia/Shanghai", "CN")
ZONE = ZoneInfo("Asia/Shanghai")


def noaa_sun(day: dt.date, rising: bool) -> dt.datetime:
    """NOAA's general solar position formulas (an independent computation, good to a minute or
    two): sunrise or sunset at the site, in local time."""
    gamma = 2 * math.pi / 365 * (day.timetuple().tm_yday - 1)
    eqtime = 229.18 * (0.000075 + 0.001868 * math.cos(gamma) - 0.032077 * math.sin(gamma)
                       - 0.014615 * math.cos(2 * gamma) - 0.040849 * math.sin(2 * gamma))
    decl = (0.006918 - 0.399912 * math.cos(gamma) + 0.070257 * math.sin(gamma)
            - 0.006758 * math.cos(2 * gamma) + 0.000907 * math.sin(2 * gamma)
            - 0.002697 * math.cos(3 * gamma) + 0.00148 * math.sin(3 * gamma))
    lat = math.radians(SITE.latitude)
    ha = math.degrees(math.acos(math.cos(math.radians(90.833)) / (math.cos(lat) * math.cos(decl))
                                - math.tan(lat) * math.tan(decl)))
    minutes_utc = 720 - 4 * (SITE.longitude + (ha if rising else -ha)) - eqtime
    midnight_utc = dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone.utc)
    return (midnight_utc + dt.timedelta(minutes=minutes_utc)).astimezone(ZONE)


def test_sun_times_at_the_site_for_a_whole_year_match_an_independent_computation():
    day, worst = dt.date(2026, 1, 1), 0.0
    while day.year == 2026:
        for event, rising in (("sunrise", True), ("sunset", False)):
            ours = sun_event_at(SITE, event, day)
            assert ours.date() == day, (event, day, ours)           # the local day asked for (UTC+8)
            worst = max(worst, abs((ours - noaa_sun(day, rising)).total_seconds()) / 60)
        day += dt.timedelta(days=1)
    assert worst < 3.0, f"astral and NOAA differ by {worst:.1f} min"


def test_public_holidays_are_the_library_s():
    table = holidays.country_holidays("CN", years=2026)
    assert is_holiday(SITE, dt.date(2026, 10, 1)) and dt.date(2026, 10, 1) in table
    assert not is_holiday(SITE, dt.date(2026, 10, 20)) and dt.date(2026, 10, 20) not in table
    assert not is_holiday(Site(36.65, 117.12, "Asia/Shanghai"), dt.date(2026, 10, 1))   # no country


def entry(id="e", days=DaySet(weekdays=frozenset(range(7))), start=Start(clock=dt.time(19, 30)), **more):
    return Entry(id, days, start, ("show.yaml",), **more)


def schedule(*entries) -> Schedule:
    return Schedule("s.yaml", SITE, tuple(entries))


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZONE)


def test_sun_starts_are_offset_then_clamped_and_repeat_until_the_end():
    sunset = entry(start=Start(sun_event="sunset", offset_min=20), earliest=dt.time(18, 30),
                   latest=dt.time(20, 0), repeat_every_min=60, until=dt.time(22, 30))
    winter, summer = runs_on(schedule(sunset), dt.date(2026, 12, 21)), runs_on(schedule(sunset), dt.date(2026, 6, 21))
    assert [r.start for r in winter] == [local(2026, 12, 21, h, 30) for h in (18, 19, 20, 21, 22)]  # clamped up
    summer_sunset = noaa_sun(dt.date(2026, 6, 21), rising=False)
    assert abs((summer[0].start - summer_sunset).total_seconds() / 60 - 20) < 3      # sunset + 20 min
    assert summer[0].start.second == 0 and summer[-1].start <= local(2026, 6, 21, 22, 30)


def test_days_exceptions_holidays_and_a_repeat_past_midnight():
    weekdays = entry(days=DaySet(weekdays=frozenset(range(5))), except_days=DaySet(holidays=True),
                     repeat_every_min=90, until=dt.time(1, 0))
    assert runs_on(schedule(weekdays), dt.date(2026, 10, 3)) == []          # a Saturday
    assert runs_on(schedule(weekdays), dt.date(2026, 10, 1)) == []          # National Day, excepted
    runs = runs_on(schedule(weekdays), dt.date(2026, 10, 12))
    assert [r.start for r in runs] == [local(2026, 10, 12, 19, 30), local(2026, 10, 12, 21, 0),
                                      local(2026, 10, 12, 22, 30), local(2026, 10, 13, 0, 0)]
    ranged = entry(days=DaySet(ranges=((dt.date(2026, 10, 1), dt.date(2026, 10, 7)),)))
    assert runs_on(schedule(ranged), dt.date(2026, 10, 7)) and not runs_on(schedule(ranged), dt.date(2026, 10, 8))


def test_an_exclusive_night_silences_lower_priorities_and_priority_wins_an_instant():
    daily = entry("daily")
    late = entry("late", start=Start(clock=dt.time(22, 0)))
    broadcast = entry("broadcast", days=DaySet(dates=frozenset({dt.date(2026, 10, 1)})), priority=5,
                      exclusive=True, start=Start(clock=dt.time(20, 0)))
    same_time = entry("same", priority=1)
    night = runs_on(schedule(daily, late, broadcast), dt.date(2026, 10, 1))
    assert [r.entry_id for r in night] == ["broadcast"]
    assert [r.entry_id for r in runs_on(schedule(daily, late, broadcast), dt.date(2026, 10, 2))] == ["daily", "late"]
    assert [r.entry_id for r in runs_on(schedule(daily, same_time), dt.date(2026, 10, 2))] == ["same"]


def test_upcoming_runs_count_from_a_moment_and_include_those_after_midnight():
    late = entry(repeat_every_min=60, until=dt.time(0, 30))
    runs = upcoming_runs(schedule(late), local(2026, 10, 13, 0, 10), 3)     # the 12th's last repeat first
    assert [r.start for r in runs] == [local(2026, 10, 13, 0, 30), local(2026, 10, 13, 19, 30),
                                      local(2026, 10, 13, 20, 30)]
    runs = upcoming_runs(schedule(late), local(2026, 10, 13, 0, 31), 1)
    assert [r.start for r in runs] == [local(2026, 10, 13, 19, 30)]


@pytest.mark.parametrize("day", [dt.date(2026, 3, 20), dt.date(2026, 9, 23)])
def test_civil_dusk_comes_after_sunset(day):
    assert sun_event_at(SITE, "civil_dusk", day) > sun_event_at(SITE, "sunset", day)
