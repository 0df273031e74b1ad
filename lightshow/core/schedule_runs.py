"""The runs a schedule makes: dates, sun times and repeats resolved to instants at the site.

Sun times come from astral.  Asked for a date, astral computes the event of that UTC date,
so far from Greenwich (Asia/Shanghai is UTC+8) a morning event can fall on the local day
before or after; :func:`sun_event_at` asks again for the neighbouring date until the event
falls on the local day asked for.  Public holidays come from the ``holidays`` package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

import holidays as holiday_tables
from astral import Observer
from astral.sun import dawn, dusk, sunrise, sunset

from lightshow.model.schedule import Entry, Schedule, Site

_EVENTS = {"sunrise": sunrise, "sunset": sunset, "civil_dusk": dusk, "civil_dawn": dawn}
MAX_RUNS_A_DAY = 24 * 60


@dataclass(frozen=True)
class Run:
    start: dt.datetime            # aware, in the site's time zone
    entry_id: str
    playlist: tuple[str, ...]
    priority: int
    stop: str


def sun_event_at(site: Site, event: str, day: dt.date) -> dt.datetime | None:
    """``event`` on the local ``day`` at the site (None when the sun does not do it that day)."""
    zone = ZoneInfo(site.timezone)
    observer = Observer(site.latitude, site.longitude)
    for asked in (day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
        try:
            when = _EVENTS[event](observer, asked, tzinfo=zone)
        except ValueError:            # polar day or night
            return None
        if when.date() == day:
            return when
    return None


@lru_cache(maxsize=64)
def _holiday_table(country: str, year: int):
    return holiday_tables.country_holidays(country, years=year)


def is_holiday(site: Site, day: dt.date) -> bool:
    return bool(site.holidays) and day in _holiday_table(site.holidays, day.year)


def _at(day: dt.date, clock: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=zone)


def entry_runs(site: Site, entry: Entry, day: dt.date) -> list[Run]:
    """The runs ``entry`` makes on the local ``day`` (none when it does not play that day)."""
    holiday = is_holiday(site, day)
    if not entry.days.holds(day, holiday) or entry.except_days.holds(day, holiday):
        return []
    zone = ZoneInfo(site.timezone)
    if entry.start.clock is not None:
        first = _at(day, entry.start.clock, zone)
    else:
        event = sun_event_at(site, entry.start.sun_event, day)
        if event is None:
            return []
        first = (event + dt.timedelta(minutes=entry.start.offset_min)).replace(second=0, microsecond=0)
    if entry.earliest is not None:
        first = max(first, _at(day, entry.earliest, zone))
    if entry.latest is not None:
        first = min(first, _at(day, entry.latest, zone))
    starts = [first]
    if entry.repeat_every_min and entry.until is not None:
        end = _at(day, entry.until, zone)
        if end <= first:
            end += dt.timedelta(days=1)           # until 01:00 after a start at 19:00
        step = dt.timedelta(minutes=entry.repeat_every_min)
        while starts[-1] + step <= end and len(starts) < MAX_RUNS_A_DAY:
            starts.append(starts[-1] + step)
    return [Run(start, entry.id, entry.playlist, entry.priority, entry.stop) for start in starts]


def runs_on(schedule: Schedule, day: dt.date) -> list[Run]:
    """Every run the schedule starts on the local ``day``, in time order.  An exclusive entry
    playing that day leaves only the entries of its priority or higher; at one instant, the
    entry of the highest priority runs."""
    by_entry = {entry.id: entry_runs(schedule.site, entry, day) for entry in schedule.entries}
    playing = [e for e in schedule.entries if by_entry[e.id]]
    exclusive = [e.priority for e in playing if e.exclusive]
    floor = max(exclusive) if exclusive else None
    chosen: dict[dt.datetime, Run] = {}
    for entry in playing:
        if floor is not None and entry.priority < floor:
            continue
        for run in by_entry[entry.id]:
            if run.start not in chosen or run.priority > chosen[run.start].priority:
                chosen[run.start] = run
    return [chosen[start] for start in sorted(chosen)]


def upcoming_runs(schedule: Schedule, after: dt.datetime, count: int, max_days: int = 400) -> list[Run]:
    """The next ``count`` runs starting at or after ``after`` (looking at most ``max_days`` ahead)."""
    zone = ZoneInfo(schedule.site.timezone)
    local = after.astimezone(zone)
    found: list[Run] = []
    for offset in range(-1, max_days):          # the day before: runs repeating past midnight
        day = local.date() + dt.timedelta(days=offset)
        found += [run for run in runs_on(schedule, day) if run.start >= local]
        if len(found) >= count and offset >= 0:
            break
    return sorted(found, key=lambda run: run.start)[:count]


def run_in_progress(schedule: Schedule, now: dt.datetime,
                    duration_s: float | Callable[[Run], float]) -> tuple[Run, float] | None:
    """The run playing at ``now`` (each run lasting ``duration_s``, or ``duration_s(run)``: its
    playlist's length) and the seconds since it started; of several, the one started last.  None
    between runs."""
    zone = ZoneInfo(schedule.site.timezone)
    local = now.astimezone(zone)
    length = duration_s if callable(duration_s) else (lambda run: duration_s)
    started = [run for offset in (-1, 0) for run in runs_on(schedule, local.date() + dt.timedelta(days=offset))
               if run.start <= local < run.start + dt.timedelta(seconds=length(run))]
    if not started:
        return None
    run = max(started, key=lambda r: r.start)
    return run, (local - run.start).total_seconds()


def playlist_position(playlist: tuple[str, ...], durations_s: dict[str, float],
                      elapsed_s: float) -> tuple[int, float] | None:
    """Which item of ``playlist`` plays ``elapsed_s`` into a run, and how far into it; None after
    the last."""
    start_s = 0.0
    for n, item in enumerate(playlist):
        if elapsed_s < start_s + durations_s[item]:
            return n, max(0.0, elapsed_s - start_s)
        start_s += durations_s[item]
    return None
