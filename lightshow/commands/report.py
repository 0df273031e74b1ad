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
    p.add_argument("--csv", metavar="FILE.csv", help="also the rows as CSV")


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    import os
    from zoneinfo import ZoneInfo

    from lightshow.files.play_log import PlayLog
    from lightshow.files.play_report import report_csv, report_html, report_rows
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
    rows = report_rows(schedule, events, first, last, dt.datetime.now(zone))
    holds = [e for e in events if e.kind in ("hold", "release")]
    title = f"lightshow: {first}" + (f" to {last}" if last != first else "")
    try:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(report_html(rows, holds, title))
        if args.csv:
            with open(args.csv, "w", encoding="utf-8") as out:
                out.write(report_csv(rows))
    except OSError as exc:
        raise LightshowError(f"cannot write the report: {exc.strerror or exc}") from exc
    counts = {o: sum(r.outcome == o for r in rows) for o in ("played", "rejoined", "missed", "to come")}
    print(f"wrote {args.output}: " + ", ".join(f"{n} {o}" for o, n in counts.items()), file=sys.stderr)
    return EXIT_OK
