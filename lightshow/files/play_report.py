"""Reports of what played against what was scheduled: a CSV, and an HTML page with a timeline.

Each scheduled run of the days asked for is matched with the play log: played (started
on time), rejoined (started or restarted inside its window, so the show joined it late),
or missed (no record of it, once its time has passed); holds and releases by operators
are listed with their times.  Nodes that went offline are matched with the runs' windows:
the minutes each node was dark while the show should have lit it ("lights on but dark");
citizen works shown are listed with who made them.
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
class NodeDark:
    node: str
    name: str | None
    offline: list[tuple[dt.datetime, dt.datetime]]   # spans without ArtPollReply
    dark_min: float                                    # of those, minutes inside runs' windows


@dataclass(frozen=True)
class WorkShown:
    at: dt.datetime
    title: str
    name: str
    city: str | None
    slot: str | None


def lit_windows(schedule: Schedule, first_day: dt.date, last_day: dt.date,
                run_length_s) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans the show should be lit: each scheduled run, for its playlist's length."""
    spans, day = [], first_day
    while day <= last_day:
        spans += [(run.start, run.start + dt.timedelta(seconds=run_length_s(run))) for run in runs_on(schedule, day)]
        day += dt.timedelta(days=1)
    return spans


def node_darkness(events: list[Event], lit: list[tuple[dt.datetime, dt.datetime]],
                  until: dt.datetime) -> list[NodeDark]:
    """Each node that went offline: when, and minutes of that inside ``lit`` (an offline span still
    open ends at ``until``)."""
    spans: dict[str, list] = {}
    names: dict[str, str | None] = {}
    down: dict[str, dt.datetime] = {}
    for event in events:
        node = event.detail.get("node")
        if event.kind == "node-offline" and node and node not in down:
            down[node] = event.at
            names[node] = event.detail.get("name")
            spans.setdefault(node, [])
        elif event.kind == "node-online" and node in down:
            spans[node].append((down.pop(node), event.at))
    for node, since in down.items():
        spans[node].append((since, max(since, until)))
    result = []
    for node, offline in sorted(spans.items()):
        dark_s = sum(max(0.0, (min(b, lb) - max(a, la)).total_seconds()) for a, b in offline for la, lb in lit)
        result.append(NodeDark(node, names.get(node), offline, dark_s / 60))
    return result


def works_shown(events: list[Event]) -> list[WorkShown]:
    return [WorkShown(e.at, str(e.detail.get("title", "")), str(e.detail.get("name", "")), e.detail.get("city"),
                      e.detail.get("slot")) for e in events if e.kind == "work-shown"]


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


def nodes_csv(nodes: list[NodeDark]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["node", "name", "offline_from", "offline_to", "dark_while_lit_min"])
    for node in nodes:
        for n, (a, b) in enumerate(node.offline):
            writer.writerow([node.node, node.name or "", a.isoformat(), b.isoformat(),
                             f"{node.dark_min:.2f}" if n == 0 else ""])
    return out.getvalue()


def works_csv(works: list[WorkShown]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["shown_at", "title", "by", "city", "slot"])
    for work in works:
        writer.writerow([work.at.isoformat(), work.title, work.name, work.city or "", work.slot or ""])
    return out.getvalue()


def _x(moment: dt.datetime, width: int) -> float:
    hours = (moment.hour + moment.minute / 60 - TIMELINE_FROM_H) % 24
    return hours / TIMELINE_HOURS * width


def report_html(rows: list[ReportRow], holds: list[Event], title: str, nodes: list[NodeDark] = (),
                works: list[WorkShown] = (), zone=None) -> str:
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
        for node in nodes:                       # a node dark: a thin red bar under the day's runs
            for a, b in node.offline:
                a, b = (a.astimezone(zone), b.astimezone(zone)) if zone else (a, b)
                if a.date() <= day <= b.date():
                    x0 = _x(a, width) if a.date() == day else 0.0
                    x1 = _x(b, width) if b.date() == day else width
                    marks.append(f'<rect x="{90 + x0:.1f}" y="{y + row_h - 4}" width="{max(x1 - x0, 1.5):.1f}" '
                                 f'height="3" fill="#7a1010"><title>node {html.escape(node.node)} offline '
                                 f'{a:%H:%M:%S}-{b:%H:%M:%S}</title></rect>')
        for work in works:
            at = work.at.astimezone(zone) if zone else work.at
            if at.date() == day:
                marks.append(f'<circle cx="{90 + _x(at, width):.1f}" cy="{y + 3}" r="2.5" fill="#3060d0">'
                             f'<title>{html.escape(work.title)} · {html.escape(work.name)}</title></circle>')
    for hour in range(0, TIMELINE_HOURS + 1, 2):
        x = 90 + hour / TIMELINE_HOURS * width
        marks.append(f'<text x="{x:.1f}" y="12" font-size="10">{(TIMELINE_FROM_H + hour) % 24:02d}:00</text>')
    height = 30 + len(days) * row_h
    counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in colours}
    table = "".join(
        f"<tr><td>{row.day}</td><td>{row.scheduled:%H:%M}</td><td>{html.escape(row.entry)}</td>"
        f"<td>{row.outcome}</td><td>{'' if row.joined_after_s is None else f'{row.joined_after_s:.1f} s'}</td></tr>"
        for row in rows)
    dark = "".join(f"<tr><td>{html.escape(n.node)}</td><td>{html.escape(n.name or '')}</td><td>"
                   + "<br>".join(f"{a:%Y-%m-%d %H:%M:%S} – {b:%H:%M:%S}" for a, b in n.offline)
                   + f"</td><td>{n.dark_min:.1f}</td></tr>" for n in nodes)
    shown = "".join(f"<tr><td>{w.at:%Y-%m-%d %H:%M:%S}</td><td>{html.escape(w.title)}</td>"
                    f"<td>{html.escape(w.name)}</td><td>{html.escape(w.city or '')}</td></tr>" for w in works)
    held = "".join(f"<li>{event.at:%Y-%m-%d %H:%M:%S} {html.escape(event.kind)} "
                   f"({html.escape(str(event.detail.get('why', '')))})</li>" for event in holds)
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title></head><body><h1>{html.escape(title)}</h1><p>"
            + ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
            + f"</p><svg width=\"{90 + width + 10}\" height=\"{height}\" role=\"img\">{''.join(marks)}</svg>"
            f"<h2>runs</h2><table><tr><th>date</th><th>scheduled</th><th>entry</th><th>outcome</th>"
            f"<th>joined after</th></tr>{table}</table>"
            f"<h2>nodes dark while lit</h2><table><tr><th>node</th><th>name</th><th>offline</th>"
            f"<th>minutes dark while lit</th></tr>{dark}</table>"
            f"<h2>works shown</h2><table><tr><th>shown</th><th>title</th><th>by</th><th>city</th></tr>{shown}</table>"
            f"<h2>operator holds</h2><ul>{held}</ul></body></html>")
