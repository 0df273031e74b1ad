"""Schedule files: the site, and entries of days, start times, repeats and playlists.

```yaml
site: {latitude: 36.65, longitude: 117.12, timezone: Asia/Shanghai, holidays: CN}
entries:
  - id: evenings
    days: [daily]                      # mon..sun, weekdays, weekends, holidays, 2026-10-01,
    except: [2026-12-31]               #   2026-10-01..2026-10-07
    start: sunset+20                   # 19:30, 19:58:30, sunrise, sunset-10, civil_dusk+5, civil_dawn
    earliest: "18:30"
    latest: "20:00"
    repeat_every_min: 60
    until: "22:30"
    playlist: [lead-in.yaml, anniversary.yaml, lead-out.yaml]   # show files, relative to the schedule,
                                       #   played in order (one rig, one frame rate)
idle: wash.yaml                        # the look between runs (a show file, looped), else dark
```
"""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import available_timezones

from lightshow.diagnostics import Diagnostic, did_you_mean
from lightshow.load.source import Source
from lightshow.model.schedule import STOP_RULES, SUN_EVENTS, WEEKDAYS, DaySet, Entry, Schedule, Site, Start
from lightshow.schema.combinators import ListOf
from lightshow.schema.reading import INVALID, FieldType, ReadContext, scalar_text
from lightshow.schema.records import Field, Record, read_document
from lightshow.schema.scalars import Bool, Choice, Float, Int, Name, Str

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_SUN = re.compile(r"(" + "|".join(SUN_EVENTS) + r")\s*(?:([+-])\s*(\d+(?:\.\d+)?))?")
_DATE = r"\d{4}-\d{2}-\d{2}"
DAY_WORDS = {"daily": set(range(7)), "weekdays": set(range(5)), "weekends": {5, 6},
             **{name: {n} for n, name in enumerate(WEEKDAYS)}}
MAX_OFFSET_MIN = 12 * 60


def _clock_of(match: re.Match) -> dt.time:
    return dt.time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


class ClockTime(FieldType):
    expected = "a clock time HH:MM or HH:MM:SS (quoted, such as \"19:30\")"

    def read(self, node, ctx):
        text = scalar_text(node)
        match = _CLOCK.fullmatch(text.strip()) if text is not None else None
        if match is None:
            return ctx.expected(self.expected, node)
        return _clock_of(match)

    def json_schema(self):
        return {"type": "string", "pattern": f"^{_CLOCK.pattern}$"}


class StartTime(FieldType):
    expected = ("a start: a clock time HH:MM or HH:MM:SS, or " + ", ".join(SUN_EVENTS)
                + " with minutes before or after (sunset+20, civil_dusk-5)")

    def read(self, node, ctx):
        text = (scalar_text(node) or "").strip()
        clock = _CLOCK.fullmatch(text)
        if clock:
            return Start(clock=_clock_of(clock))     # to the second: a broadcast cutting to the river at 19:58:30
        sun = _SUN.fullmatch(text)
        if sun is None:
            word = re.match(r"[a-z_]+", text)
            hint = did_you_mean(word.group(0), SUN_EVENTS) if word else ""
            return ctx.error("wrong-type", f"expected {self.expected}, found '{text[:40]}'{hint}", node)
        offset = float(sun.group(3) or 0) * (-1 if sun.group(2) == "-" else 1)
        if abs(offset) > MAX_OFFSET_MIN:
            return ctx.error("out-of-range", f"a start is at most {MAX_OFFSET_MIN} minutes from "
                             f"{sun.group(1)}, found {offset:g}", node)
        return Start(sun_event=sun.group(1), offset_min=offset)

    def json_schema(self):
        return {"type": "string", "pattern": f"^({_CLOCK.pattern}|{_SUN.pattern})$"}


class Day(FieldType):
    expected = ("a day: daily, weekdays, weekends, holidays, mon..sun, a date YYYY-MM-DD or a "
                "range YYYY-MM-DD..YYYY-MM-DD")

    def read(self, node, ctx):
        text = (scalar_text(node) or "").strip()
        if text in DAY_WORDS or text == "holidays":
            return text
        first, sep, last = text.partition("..")
        try:
            start = dt.date.fromisoformat(first)
            end = dt.date.fromisoformat(last) if sep else start
        except ValueError:
            hint = did_you_mean(text, [*DAY_WORDS, "holidays"]) if text.isalpha() else ""
            return ctx.error("wrong-type", f"expected {self.expected}, found '{text[:40]}'{hint}", node)
        if end < start:
            return ctx.error("out-of-range", f"the range {text} ends before it starts", node)
        return (start, end)

    def json_schema(self):
        return {"type": "string", "pattern": f"^([a-z]+|{_DATE}(\\.\\.{_DATE})?)$"}


class TimeZoneName(FieldType):
    expected = "an IANA time zone such as Asia/Shanghai"

    def read(self, node, ctx):
        text = (scalar_text(node) or "").strip()
        if text not in available_timezones():
            return ctx.error("unknown-time-zone", f"expected {self.expected}, found '{text[:60]}'"
                             + did_you_mean(text, sorted(available_timezones())), node)
        return text

    def json_schema(self):
        return {"type": "string"}


class HolidayCountry(FieldType):
    expected = "a country code for public holidays, such as CN"

    def read(self, node, ctx):
        import holidays

        text = (scalar_text(node) or "").strip()
        supported = sorted(holidays.list_supported_countries())
        if text not in supported:
            return ctx.error("unknown-country", f"expected {self.expected}, found '{text[:20]}'"
                             + did_you_mean(text, supported), node)
        return text

    def json_schema(self):
        return {"type": "string", "pattern": "^[A-Z]{2,3}$"}


DAYS = ListOf(Day(), 1, what="a list of days")
SITE = Record("site", {
    "latitude": Field(Float(-90, 90, "degrees"), required=True),
    "longitude": Field(Float(-180, 180, "degrees"), required=True, doc="east positive"),
    "timezone": Field(TimeZoneName(), required=True),
    "holidays": Field(HolidayCountry(), doc="whose public holidays 'holidays' means"),
})
ENTRY = Record("entry", {
    "id": Field(Name("an entry id"), required=True),
    "days": Field(DAYS, required=True, doc="when the entry plays"),
    "except": Field(DAYS, doc="days it does not play, though its days say so"),
    "start": Field(StartTime(), required=True),
    "earliest": Field(ClockTime(), doc="a sun-timed start is never earlier"),
    "latest": Field(ClockTime(), doc="a sun-timed start is never later"),
    "repeat_every_min": Field(Int(1, 24 * 60, "minutes"), doc="start again this often (give until)"),
    "until": Field(ClockTime(), doc="the last repeat starts by this time (after midnight: the next day)"),
    "playlist": Field(ListOf(Str(what="a show file, relative to the schedule", max_len=400), 1),
                      required=True, doc="what each run plays, in order"),
    "priority": Field(Int(-100, 100), default=0, doc="at one instant the higher priority runs"),
    "exclusive": Field(Bool(), default=False, doc="on its days, no entry of a lower priority runs"),
    "stop": Field(Choice(STOP_RULES), default="graceful", doc="graceful: finish the run; hard: stop"),
})
SCHEDULE = Record("schedule", {
    "site": Field(SITE, required=True),
    "entries": Field(ListOf(ENTRY, 1, partial=True), required=True),
    "idle": Field(Str(what="a show file for the look between runs", max_len=400)),
})


def _day_set(items) -> DaySet:
    weekdays, dates, ranges, holiday = set(), set(), [], False
    for item in items or ():
        if item == "holidays":
            holiday = True
        elif isinstance(item, str):
            weekdays |= DAY_WORDS[item]
        elif item[0] == item[1]:
            dates.add(item[0])
        else:
            ranges.append(item)
    return DaySet(frozenset(weekdays), frozenset(dates), tuple(ranges), holiday)


def read_schedule(source: Source) -> tuple[Schedule | None, list[Diagnostic]]:
    ctx = ReadContext(source.path)
    values = read_document(source.root, SCHEDULE, ctx, "schedule")
    if values is INVALID:
        return None, ctx.diagnostics
    site = None
    site_values = values["site"]
    if site_values is not INVALID and site_values.ok("latitude", "longitude", "timezone", "holidays"):
        site = Site(site_values["latitude"], site_values["longitude"], site_values["timezone"],
                    site_values["holidays"])
    entries, seen = [], {}
    for spec in values["entries"] if values["entries"] is not INVALID else ():
        if spec is INVALID:
            continue
        before = len(ctx.diagnostics)
        _check_entry(spec, site, seen, ctx)
        _check_playlist(spec, os.path.dirname(source.path), ctx)
        if len(ctx.diagnostics) == before and spec.ok(*ENTRY.fields):
            entries.append(Entry(spec["id"], _day_set(spec["days"]), spec["start"], tuple(spec["playlist"]),
                                 _day_set(spec["except"]), spec["earliest"], spec["latest"],
                                 spec["repeat_every_min"], spec["until"], spec["priority"],
                                 spec["exclusive"], spec["stop"]))
    idle_ok = _check_idle(values, os.path.dirname(source.path), ctx)
    if site is None or values["entries"] is INVALID or len(entries) != len(values["entries"]) or not idle_ok:
        return None, ctx.diagnostics
    return Schedule(source.path, site, tuple(entries), values["idle"]), ctx.diagnostics


def _check_idle(values, folder: str, ctx: ReadContext) -> bool:
    """The idle look is a show file there (relative to the schedule)."""
    if not values.ok("idle") or values["idle"] is None:
        return values.ok("idle")
    if not os.path.isfile(os.path.join(folder, values["idle"])):
        ctx.error_at(values.span_of("idle"), "file-not-found",
                     f"no show file '{values['idle'][:80]}' for the idle look (relative to the schedule)")
        return False
    return True


def _check_playlist(spec, folder: str, ctx: ReadContext) -> None:
    """Every show a run plays is there (relative to the schedule)."""
    if not spec.ok("playlist"):
        return
    for show in spec["playlist"]:
        if not os.path.isfile(os.path.join(folder, show)):
            ctx.error_at(spec.span_of("playlist"), "file-not-found",
                         f"no show file '{show[:80]}' (playlists are relative to the schedule)")


def _check_entry(spec, site: Site | None, seen: dict[str, int], ctx: ReadContext) -> None:
    """What the fields cannot say one by one: unique ids, repeats with an end, holidays with a country."""
    if spec.ok("id"):
        if spec["id"] in seen:
            ctx.error_at(spec.span_of("id"), "duplicate-id",
                         f"entry '{spec['id']}' is given twice (first at line {seen[spec['id']]})")
        else:
            seen[spec["id"]] = spec.span_of("id").line
    if spec.ok("repeat_every_min", "until") and (spec["repeat_every_min"] is None) != (spec["until"] is None):
        given = "repeat_every_min" if spec["until"] is None else "until"
        ctx.error_at(spec.span_of(given), "missing-key", "repeat_every_min and until go together: give both")
    for key in ("days", "except"):
        if site is not None and site.holidays is None and spec.ok(key) and "holidays" in (spec[key] or ()):
            ctx.error_at(spec.span_of(key), "missing-key",
                         "'holidays' needs the site's holidays (a country code such as CN)")
