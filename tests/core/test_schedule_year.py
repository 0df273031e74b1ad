"""A year at the river-front (36.65 N 117.12 E, Asia/Shanghai) with a fake clock: every run the
schedule resolves, checked against sunsets computed here with NOAA's solar equations, the
holiday set against the ``holidays`` package's data, exceptions and a one-off special night."""

import datetime as dt
import math
from zoneinfo import ZoneInfo

import holidays

from lightshow.core.schedule_runs import is_holiday, run_in_progress, runs_on
from lightshow.model.schedule import DaySet, Entry, Schedule, Site, Start

ZONE = ZoneInfo("Asia/Shanghai")
SITE = Site(36.65, 117.12, "Asia/Shanghai", "CN")
YEAR = 2026
EXCEPT = dt.date(YEAR, 12, 31)
SPECIAL = dt.date(YEAR, 10, 1)                  # a live-broadcast evening
EVENINGS = Entry("evenings", DaySet(weekdays=frozenset(range(7))), Start(sun_event="sunset", offset_min=20),
                 ("show.yaml",), except_days=DaySet(dates=frozenset({EXCEPT})), earliest=dt.time(18, 30),
                 latest=dt.time(20, 0), repeat_every_min=60, until=dt.time(22, 30))
HOLIDAY_LATE = Entry("holiday-late", DaySet(holidays=True), Start(clock=dt.time(22, 45)), ("show.yaml",), priority=1)
BROADCAST = Entry("broadcast", DaySet(dates=frozenset({SPECIAL})), Start(clock=dt.time(20, 8)), ("live.yaml",),
                  priority=10, exclusive=True)
SCHEDULE = Schedule("s.yaml", SITE, (EVENINGS, HOLIDAY_LATE, BROADCAST))


def noaa_sunset(day: dt.date, latitude: float, longitude: float) -> dt.datetime:
    """Sunset (zenith 90.833 degrees) in UTC, from NOAA's solar calculator equations, iterated on the
    instant of sunset itself."""
    at = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc) - dt.timedelta(hours=longitude / 15)
    for _ in range(3):
        jd = (at - dt.datetime(2000, 1, 1, 12, tzinfo=dt.timezone.utc)).total_seconds() / 86400 + 2451545.0
        t = (jd - 2451545.0) / 36525
        l0 = (280.46646 + t * (36000.76983 + 0.0003032 * t)) % 360
        m = 357.52911 + t * (35999.05029 - 0.0001537 * t)
        e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
        c = (math.sin(math.radians(m)) * (1.914602 - t * (0.004817 + 0.000014 * t))
             + math.sin(math.radians(2 * m)) * (0.019993 - 0.000101 * t) + math.sin(math.radians(3 * m)) * 0.000289)
        omega = 125.04 - 1934.136 * t
        lam = l0 + c - 0.00569 - 0.00478 * math.sin(math.radians(omega))
        eps0 = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
        eps = eps0 + 0.00256 * math.cos(math.radians(omega))
        decl = math.degrees(math.asin(math.sin(math.radians(eps)) * math.sin(math.radians(lam))))
        y = math.tan(math.radians(eps / 2)) ** 2
        eq_min = 4 * math.degrees(y * math.sin(2 * math.radians(l0)) - 2 * e * math.sin(math.radians(m))
                                  + 4 * e * y * math.sin(math.radians(m)) * math.cos(2 * math.radians(l0))
                                  - 0.5 * y * y * math.sin(4 * math.radians(l0))
                                  - 1.25 * e * e * math.sin(2 * math.radians(m)))
        ha = math.degrees(math.acos(math.cos(math.radians(90.833)) / (math.cos(math.radians(latitude))
                                    * math.cos(math.radians(decl))) - math.tan(math.radians(latitude))
                                    * math.tan(math.radians(decl))))
        minutes = 720 - 4 * (longitude - ha) - eq_min          # UTC minutes of the day
        at = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=minutes)
    return at


def expected_evening(day: dt.date) -> list[dt.datetime]:
    first = noaa_sunset(day, SITE.latitude, SITE.longitude).astimezone(ZONE) + dt.timedelta(minutes=20)
    first = first.replace(second=0, microsecond=0)          # runs start on whole minutes
    first = min(max(first, dt.datetime.combine(day, dt.time(18, 30), ZONE)), dt.datetime.combine(day, dt.time(20, 0), ZONE))
    starts, end = [first], dt.datetime.combine(day, dt.time(22, 30), ZONE)
    while starts[-1] + dt.timedelta(hours=1) <= end:
        starts.append(starts[-1] + dt.timedelta(hours=1))
    return starts


def test_a_year_of_runs_against_noaa_sunsets_holidays_exceptions_and_a_special_night():
    reference = holidays.country_holidays("CN", years=YEAR)
    day, n_runs, worst_s, unclamped = dt.date(YEAR, 1, 1), 0, 0.0, 0
    while day.year == YEAR:
        assert is_holiday(SITE, day) == (day in reference), day
        runs = runs_on(SCHEDULE, day)
        n_runs += len(runs)
        if day == SPECIAL:                                   # exclusive: the broadcast alone
            assert [(r.entry_id, r.start) for r in runs] == [("broadcast", dt.datetime.combine(day, dt.time(20, 8), ZONE))]
        elif day == EXCEPT:
            assert [r.entry_id for r in runs] == (["holiday-late"] if day in reference else [])
        else:
            evening = [r for r in runs if r.entry_id == "evenings"]
            want = expected_evening(day)[0]
            error_s = abs((evening[0].start - want).total_seconds())
            worst_s = max(worst_s, error_s)
            assert error_s <= 60, (day, evening[0].start, want)      # starts are whole minutes
            hourly = [evening[0].start + dt.timedelta(hours=n) for n in range(5)]
            assert [r.start for r in evening] == [t for t in hourly if t <= dt.datetime.combine(day, dt.time(22, 30), ZONE)]
            unclamped += dt.time(18, 30) < evening[0].start.time() < dt.time(20, 0)
            late = [r for r in runs if r.entry_id == "holiday-late"]
            assert bool(late) == (day in reference), day
        day += dt.timedelta(days=1)
    assert n_runs > 365 * 3 and 0 < unclamped < 365        # the clamps bite part of the year only
    print(f"{n_runs} runs in {YEAR}, worst start difference against NOAA {worst_s:.0f} s, "
          f"{unclamped} days not clamped")


def test_the_fake_clock_walks_the_year_minute_by_minute_through_every_run_window():
    """What the driver asks each look: the run in progress, over every evening of the year."""
    day, found = dt.date(YEAR, 1, 1), 0
    while day.year == YEAR:
        for run in runs_on(SCHEDULE, day):
            inside = run_in_progress(SCHEDULE, run.start + dt.timedelta(seconds=90), 180.0)
            assert inside is not None and inside[0].start == run.start and round(inside[1]) == 90
            assert run_in_progress(SCHEDULE, run.start + dt.timedelta(seconds=200), 180.0) is None
            found += 1
        day += dt.timedelta(days=1)
    assert found > 1000
