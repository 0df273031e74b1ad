"""A schedule: when the show runs by itself, at a site, night after night.

Entries say on which days (weekdays, dates, date ranges, the site's public holidays, with
exceptions) a run starts at a clock time or at sunrise / sunset / civil dusk plus or minus
minutes (clamped to an earliest and a latest time), repeating every N minutes until an end
time, and what it plays.  An exclusive entry (a live-broadcast evening) is the only one
that runs on its days, over any entry of a lower priority.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SUN_EVENTS = ("sunrise", "sunset", "civil_dusk", "civil_dawn")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STOP_RULES = ("graceful", "hard")


@dataclass(frozen=True)
class Site:
    latitude: float
    longitude: float
    timezone: str                 # an IANA zone, such as Asia/Shanghai
    holidays: str | None = None   # a country code for public holidays, such as CN


@dataclass(frozen=True)
class DaySet:
    """Days by weekday (0 = Monday), by date, by inclusive date range, and the public holidays."""

    weekdays: frozenset[int] = frozenset()
    dates: frozenset[dt.date] = frozenset()
    ranges: tuple[tuple[dt.date, dt.date], ...] = ()
    holidays: bool = False

    def holds(self, day: dt.date, holiday: bool) -> bool:
        return (day.weekday() in self.weekdays or day in self.dates or (self.holidays and holiday)
                or any(first <= day <= last for first, last in self.ranges))


@dataclass(frozen=True)
class Start:
    """A clock time, or a sun event (``SUN_EVENTS``) plus ``offset_min`` (negative: before)."""

    clock: dt.time | None = None
    sun_event: str | None = None
    offset_min: float = 0.0


@dataclass(frozen=True)
class Entry:
    id: str
    days: DaySet
    start: Start
    playlist: tuple[str, ...]
    except_days: DaySet = DaySet()
    earliest: dt.time | None = None
    latest: dt.time | None = None
    repeat_every_min: int | None = None
    until: dt.time | None = None
    priority: int = 0
    exclusive: bool = False
    stop: str = "graceful"


@dataclass(frozen=True)
class Schedule:
    path: str
    site: Site
    entries: tuple[Entry, ...]
    idle: str | None = None      # the look between runs (a show file), if any
