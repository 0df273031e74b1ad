"""What played against what the schedule said: played, rejoined, missed, to come."""

import datetime as dt
from zoneinfo import ZoneInfo

from lightshow.files.play_log import Event
from lightshow.files.play_report import report_csv, report_html, report_rows
from lightshow.model.schedule import DaySet, Entry, Schedule, Site, Start

ZONE = ZoneInfo("Asia/Shanghai")
SCHEDULE = Schedule("s.yaml", Site(36.65, 117.12, "Asia/Shanghai"), (
    Entry("<b>evening</b>", DaySet(weekdays=frozenset(range(7))), Start(clock=dt.time(19, 30)), ("show.yaml",),
          repeat_every_min=60, until=dt.time(21, 30)),))


def at(day, hour, minute=0):
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=ZONE)


def test_each_scheduled_run_is_matched_with_the_log():
    events = [Event(at(1, 19, 30), "run-start", "<b>evening</b>", at(1, 19, 30), {"elapsed_s": 0.0}),
              Event(at(1, 20, 42), "run-rejoin", "<b>evening</b>", at(1, 20, 30), {"elapsed_s": 720.5}),
              Event(at(1, 21, 0), "hold", None, None, {"why": "pause"})]
    rows = report_rows(SCHEDULE, events, dt.date(2026, 10, 1), dt.date(2026, 10, 2), now=at(2, 20, 0))
    assert [(r.scheduled.strftime("%d %H:%M"), r.outcome) for r in rows] == [
        ("01 19:30", "played"), ("01 20:30", "rejoined"), ("01 21:30", "missed"),
        ("02 19:30", "missed"), ("02 20:30", "to come"), ("02 21:30", "to come")]
    assert rows[1].joined_after_s == 720.5
    csv = report_csv(rows).splitlines()
    assert csv[0] == "date,scheduled,entry,outcome,joined_after_s"
    assert csv[2] == "2026-10-01,2026-10-01T20:30:00+08:00,<b>evening</b>,rejoined,720.5"
    page = report_html(rows, [events[2]], "a <report>")
    assert "<b>evening</b>" not in page and "&lt;b&gt;evening&lt;/b&gt;" in page       # escaped
    assert "2 played" not in page and "1 played, 1 rejoined, 2 missed, 2 to come" in page
    assert page.count("<rect") == 6 and "(pause)" in page
