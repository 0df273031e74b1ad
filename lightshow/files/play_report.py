"""Reports of what played against what was scheduled: a CSV, and an HTML page with a timeline.

Each scheduled run of the days asked for is matched with the play log: played (started
on time), rejoined (started or restarted inside its window, so the show joined it late),
or missed (no record of it, once its time has passed); holds and releases by operators
are listed with their times.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass

from lightshow.core.schedule_runs import runs_on
from lightshow.files.play_log import Event
from lightshow.model.schedule import Schedule

TIMELINE_FROM_H, TIMELINE_HOURS = 12, 16      # the timeline shows noon to four in the morning


@dataclass(frozen=True)
class ReportRow:
    day: dt.date
    scheduled: dt.datetime
    entry: str
    outcome: str                  # played, rejoined, missed, to come
    joined_after_s: float | None  # for a rejoined run: how far into it


def report_rows(schedule: Schedule, events: list[Event], first_day: dt.date, last_day: dt.date,
                now: dt.datetime) -> list[ReportRow]:
    started = {}
    for event in events:
        if event.kind in ("run-start", "run-rejoin") and event.run_start is not None:
            started.setdefault(event.run_start, event)
    rows, day = [], first_day
    while day <= last_day:
        for run in runs_on(schedule, day):
            event = started.get(run.start)
            if event is not None:
                late = event.detail.get("elapsed_s")
                rows.append(ReportRow(day, run.start, run.entry_id,
                                      "played" if event.kind == "run-start" else "rejoined",
                                      None if event.kind == "run-start" else late))
            else:
                rows.append(ReportRow(day, run.start, run.entry_id, "missed" if run.start < now else "to come",
                                      None))
        day += dt.timedelta(days=1)
    return rows


def report_csv(rows: list[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "scheduled", "entry", "outcome", "joined_after_s"])
    for row in rows:
        writer.writerow([row.day.isoformat(), row.scheduled.isoformat(), row.entry, row.outcome,
                         "" if row.joined_after_s is None else f"{row.joined_after_s:g}"])
    return out.getvalue()


def _x(moment: dt.datetime, width: int) -> float:
    hours = (moment.hour + moment.minute / 60 - TIMELINE_FROM_H) % 24
    return hours / TIMELINE_HOURS * width


def report_html(rows: list[ReportRow], holds: list[Event], title: str) -> str:
    days = sorted({row.day for row in rows})
    width, row_h = 720, 18
    colours = {"played": "#2e9d5b", "rejoined": "#e0a020", "missed": "#d23c3c", "to come": "#999999"}
    marks = []
    for n, day in enumerate(days):
        y = 20 + n * row_h
        marks.append(f'<text x="0" y="{y + 12}" font-size="11">{day.isoformat()}</text>')
        for row in rows:
            if row.day == day:
                marks.append(f'<rect x="{90 + _x(row.scheduled, width):.1f}" y="{y + 2}" width="6" '
                             f'height="{row_h - 4}" fill="{colours[row.outcome]}">'
                             f'<title>{html.escape(row.entry)} {row.scheduled:%H:%M} {row.outcome}</title></rect>')
    for hour in range(0, TIMELINE_HOURS + 1, 2):
        x = 90 + hour / TIMELINE_HOURS * width
        marks.append(f'<text x="{x:.1f}" y="12" font-size="10">{(TIMELINE_FROM_H + hour) % 24:02d}:00</text>')
    height = 30 + len(days) * row_h
    counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in colours}
    table = "".join(
        f"<tr><td>{row.day}</td><td>{row.scheduled:%H:%M}</td><td>{html.escape(row.entry)}</td>"
        f"<td>{row.outcome}</td><td>{'' if row.joined_after_s is None else f'{row.joined_after_s:.1f} s'}</td></tr>"
        for row in rows)
    held = "".join(f"<li>{event.at:%Y-%m-%d %H:%M:%S} {html.escape(event.kind)} "
                   f"({html.escape(str(event.detail.get('why', '')))})</li>" for event in holds)
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title></head><body><h1>{html.escape(title)}</h1><p>"
            + ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
            + f"</p><svg width=\"{90 + width + 10}\" height=\"{height}\" role=\"img\">{''.join(marks)}</svg>"
            f"<h2>runs</h2><table><tr><th>date</th><th>scheduled</th><th>entry</th><th>outcome</th>"
            f"<th>joined after</th></tr>{table}</table><h2>operator holds</h2><ul>{held}</ul></body></html>")
