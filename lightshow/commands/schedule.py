"""``lightshow schedule``: the runs a schedule makes, with their resolved times and entries."""

from __future__ import annotations

import argparse

from lightshow.commands.exit_codes import EXIT_OK
from lightshow.errors import UsageError

NAME = "schedule"
HELP = "print the runs a schedule makes: the next ones, or those of one date"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("schedule", metavar="SCHEDULE", help="schedule file")
    p.add_argument("--next", type=int, default=10, metavar="N", help="how many upcoming runs (default 10)")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="every run of this date instead")
    p.add_argument("--from", dest="after", metavar="YYYY-MM-DDTHH:MM",
                   help="with --next: count from this local time at the site (default: now)")


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from lightshow.core.schedule_runs import runs_on, upcoming_runs
    from lightshow.load.project import load_schedule

    schedule = load_schedule(args.schedule)
    zone = ZoneInfo(schedule.site.timezone)
    if args.on:
        try:
            runs = runs_on(schedule, dt.date.fromisoformat(args.on))
        except ValueError:
            raise UsageError(f"--on expects a date YYYY-MM-DD, found '{args.on}'") from None
    else:
        if args.next < 1:
            raise UsageError(f"--next expects a whole number of at least 1, found {args.next}")
        try:
            after = dt.datetime.fromisoformat(args.after).replace(tzinfo=zone) if args.after \
                else dt.datetime.now(zone)
        except ValueError:
            raise UsageError(f"--from expects YYYY-MM-DDTHH:MM, found '{args.after}'") from None
        runs = upcoming_runs(schedule, after, args.next)
    for run in runs:
        clock = f"{run.start:%H:%M:%S}" if run.start.second else f"{run.start:%H:%M}"   # to the second when given so
        print(f"{run.start:%Y-%m-%d %a} {clock} {run.start:%Z}  {run.entry_id:<16} {', '.join(run.playlist)}")
    if not runs:
        print("(no runs)")
    return EXIT_OK
