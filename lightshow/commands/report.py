"""``lightshow report``: what played against what the schedule said, from the play log."""

from __future__ import annotations

import argparse
import sys

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import LightshowError, UsageError

NAME = "report"
HELP = "report the runs played against the schedule, from the play log (HTML and CSV)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log", required=True, metavar="FILE", help="the play log (serve --log)")
    p.add_argument("--schedule", required=True, metavar="SCHEDULE", help="the schedule it followed")
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="default: the --from day")
    p.add_argument("-o", "--output", default="report.html", metavar="FILE.html")
    p.add_argument("--csv", metavar="FILE.csv", help="also the runs as CSV, and the nodes' dark spans "
                   "and the works shown as FILE.nodes.csv and FILE.works.csv")


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    import os
    from zoneinfo import ZoneInfo

    from lightshow.files.play_log import PlayLog
    from lightshow.files.play_report import (lit_windows, node_darkness, nodes_csv, report_csv, report_html,
                                             report_rows, works_csv, works_shown)
    from lightshow.load.project import load_schedule

    try:
        first = dt.date.fromisoformat(args.first)
        last = dt.date.fromisoformat(args.last) if args.last else first
    except ValueError:
        raise UsageError("--from and --to expect dates YYYY-MM-DD") from None
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    if not os.path.exists(args.log):
        raise LightshowError(f"no play log '{args.log}'")
    schedule = load_schedule(args.schedule)
    zone = ZoneInfo(schedule.site.timezone)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    stop = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(0), tzinfo=zone)   # runs past midnight
    log = PlayLog(args.log)
    try:
        events = log.events(start, stop)
    finally:
        log.close()
    now = dt.datetime.now(zone)
    rows = report_rows(schedule, events, first, last, now)
    holds = [e for e in events if e.kind in ("hold", "release")]
    lengths = _show_lengths(schedule)
    lit = lit_windows(schedule, first, last, lambda run: sum(lengths[item] for item in run.playlist))
    nodes = node_darkness(events, lit, min(now, stop))
    works = works_shown(events)
    title = f"lightshow: {first}" + (f" to {last}" if last != first else "")
    try:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(report_html(rows, holds, title, nodes, works, zone))
        if args.csv:
            stem = args.csv[:-4] if args.csv.endswith(".csv") else args.csv
            for path, text in ((args.csv, report_csv(rows)), (stem + ".nodes.csv", nodes_csv(nodes)),
                               (stem + ".works.csv", works_csv(works))):
                with open(path, "w", encoding="utf-8") as out:
                    out.write(text)
    except OSError as exc:
        raise LightshowError(f"cannot write the report: {exc.strerror or exc}") from exc
    counts = {o: sum(r.outcome == o for r in rows) for o in ("played", "rejoined", "missed", "to come")}
    print(f"wrote {args.output}: " + ", ".join(f"{n} {o}" for o, n in counts.items())
          + f"; {len(nodes)} node(s) offline, {sum(n.dark_min for n in nodes):.1f} min dark while lit; "
          f"{len(works)} work(s) shown", file=sys.stderr)
    return EXIT_OK


def _show_lengths(schedule) -> dict[str, float]:
    """Each playlist item's length in seconds (the shows are read, not rendered)."""
    import os

    from lightshow.core.timebase import frame_of
    from lightshow.load.project import load_show

    folder = os.path.dirname(os.path.abspath(schedule.path))
    lengths = {}
    for item in dict.fromkeys(i for entry in schedule.entries for i in entry.playlist):
        show = load_show(os.path.join(folder, item))
        lengths[item] = frame_of(show.duration_s, show.fps) / show.fps
    return lengths
