"""A schedule driving the player: runs start on time, and a restart rejoins the run in progress.

The driver looks at the wall clock (schedules are civil time at the site) and keeps the
player where the schedule says: at a run's start it plays the show from its first frame;
started, or restarted after a crash or a power cut, inside a run, it seeks to the frame
the schedule says the show is at now and plays from there; between runs the show is
stopped (dark), or the schedule's idle look plays.  A run's playlist (lead-in, main shows,
lead-out) plays in order on the one player, which switches between the shows (``play_show``);
a restart lands in the item and at the frame the schedule says.  An operator's transport command (play, pause, seek, go ...) holds the
schedule until the operator releases it.  While the system clock is plainly wrong
(before ``CLOCK_SANE_AFTER``, as on a controller that lost its time) no run is started.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Callable

from zoneinfo import ZoneInfo

from lightshow.core.schedule_runs import playlist_position, run_in_progress, runs_on, upcoming_runs
from lightshow.errors import LightshowError
from lightshow.model.schedule import Schedule

log = logging.getLogger("lightshow.schedule")
CLOCK_SANE_AFTER = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
LOOK_EVERY_S = 0.5
ACCOUNT_BACK_H = 24          # at start, runs this far back that the log has not seen count as missed
TRANSPORT = frozenset({"play", "play_from_s", "pause", "resume", "stop", "go", "back", "seek_s", "goto_cue", "goto_chapter", "play_show"})


class ScheduleDriver:
    def __init__(self, player, schedule: Schedule, duration_s: float | dict[str, float],
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc), log=None,
                 alerts=None):
        """``duration_s``: the one show's length (the player plays it, whatever the playlists say),
        or each show's length by its name in the schedule (playlist items and the idle look): then
        the player switches between them (``play_show``), playing a run's playlist in order and the
        idle look, looping, between runs.  ``log``: a PlayLog that records each run started,
        rejoined, ended, missed or skipped, and each hold; ``alerts``: where a missed run is told."""
        self.player, self.schedule, self.now = player, schedule, now
        self.switching = isinstance(duration_s, dict)
        self.durations = dict(duration_s) if self.switching else {
            item: float(duration_s) for entry in schedule.entries for item in entry.playlist}
        self.duration_s = self.run_length      # (kept for callers that read it)
        self.idle = schedule.idle if self.switching and schedule.idle in self.durations else None
        self.log, self.alerts = log, alerts
        self._running_entry: str | None = None
        self.held = False
        self.running: dt.datetime | None = None      # the start of the run being played
        self.item: int | None = None                 # which item of its playlist
        self.idling = False
        self._started: set[dt.datetime] = set()      # runs started or rejoined (this process or the log)
        self._accounted_until: dt.datetime | None = None
        self._halt = threading.Event()
        self._lock = threading.Lock()                # the driver's thread and an operator's release
        self._thread = threading.Thread(target=self._run, name="lightshow-schedule", daemon=True)

    def run_length(self, run) -> float:
        return sum(self.durations[item] for item in run.playlist)

    def start(self) -> "ScheduleDriver":
        now = self.now()
        self._accounted_until = now - dt.timedelta(hours=ACCOUNT_BACK_H)
        events = []
        if self.log is not None:
            try:
                events = self.log.events(self._accounted_until, now + dt.timedelta(days=1))
            except Exception:      # noqa: BLE001 - the log must never stop the show
                log.exception("the play log could not be read")
        if events:       # what the log has seen since then: runs it has not are missed
            self._accounted_until = max(self._accounted_until, events[0].at)
            self._started |= {e.run_start for e in events if e.kind in ("run-start", "run-rejoin", "run-missed",
                                                                        "run-skipped") and e.run_start}
        else:            # a first start (or no log): nothing to account for before now
            self._accounted_until = now
        self.look()
        self._thread.start()
        return self

    def hold(self, on: bool = True, why: str = "operator") -> dict:
        """Hold the schedule (the operator drives); releasing it puts the show where the schedule says."""
        if bool(on) != self.held:
            self._record("hold" if on else "release", why=why)
        self.held = bool(on)
        if not on:
            self.running = self.item = None
            self.idling = False
            self.look()
        return self.status()

    def _record(self, kind: str, entry: str | None = None, run_start: dt.datetime | None = None, **detail):
        if self.log is not None:
            try:
                self.log.record(self.now(), kind, entry, run_start, **detail)
            except Exception:      # noqa: BLE001 - the log must never stop the show
                log.exception("the play log could not record %s", kind)

    def look(self) -> None:
        """Put the player where the schedule says, unless held."""
        with self._lock:
            self._look()

    def _look(self) -> None:
        now = self.now()
        if now < CLOCK_SANE_AFTER:
            log.warning("the system clock says %s: no scheduled run starts until it is set", now.isoformat())
            return
        try:
            if not self.held:
                self._follow(now)
        except LightshowError as exc:
            log.error("the schedule could not command the player: %s", exc)
        self._account(now)

    def _follow(self, now: dt.datetime) -> None:
        current = run_in_progress(self.schedule, now, self.run_length)
        if current is None:
            if self.running is not None:
                self._record("run-end", self._running_entry, self.running)
                self.running = self.item = None
            if not self.idling:
                if self.idle is not None:
                    self.player.play_show(self.idle, 0.0, True)
                else:
                    self.player.stop()
                self.idling = True
            return
        run, elapsed_s = current
        n, _ = playlist_position(run.playlist, self.durations, elapsed_s)
        if run.start == self.running and n == self.item:
            return
        new_run = run.start != self.running
        if new_run and self.running is not None:
            self._record("run-end", self._running_entry, self.running)
        self.running, self._running_entry, self.item, self.idling = run.start, run.entry_id, n, False
        item_start_s = sum(self.durations[item] for item in run.playlist[:n])
        show = run.playlist[n]
        offset_s = min(max(0.0, self.now_elapsed(run) - item_start_s), self.durations[show])
        if self.switching:
            self.player.play_show(show, offset_s, False)
        else:
            self.player.play_from_s(offset_s)
        self._started.add(run.start)
        if new_run:
            self._record("run-start" if elapsed_s < 1 else "run-rejoin", run.entry_id, run.start,
                         elapsed_s=round(elapsed_s, 3), item=n, show=show)
            log.warning("scheduled run %s of '%s' %s", run.start.isoformat(), run.entry_id,
                        "started" if elapsed_s < 1 else f"rejoined {elapsed_s:.1f} s in, at '{show}'")
        else:
            log.info("run %s: playlist item %d '%s'", run.start.isoformat(), n, show)

    def _account(self, now: dt.datetime) -> None:
        """Runs whose start has passed since the last look and that did not start: skipped (held by an
        operator) or missed (the server was down, or stalled), with an alert."""
        since, self._accounted_until = self._accounted_until, now
        if since is None or now <= since:
            return
        zone = ZoneInfo(self.schedule.site.timezone)
        day, last = since.astimezone(zone).date() - dt.timedelta(days=1), now.astimezone(zone).date()
        while day <= last:
            for run in runs_on(self.schedule, day):
                if since < run.start <= now and run.start not in self._started:
                    self._started.add(run.start)
                    kind = "run-skipped" if self.held else "run-missed"
                    self._record(kind, run.entry_id, run.start)
                    if kind == "run-missed":
                        log.error("scheduled run %s of '%s' was missed", run.start.isoformat(), run.entry_id)
                        if self.alerts is not None:
                            self.alerts.raise_alert("run-missed", f"the run of '{run.entry_id}' scheduled at "
                                                    f"{run.start.isoformat()} did not play",
                                                    entry=run.entry_id, run_start=run.start.isoformat())
            day += dt.timedelta(days=1)

    def _run(self) -> None:
        while not self._halt.wait(self._wait_s()):
            self.look()

    def now_elapsed(self, run) -> float:
        """Seconds since ``run`` started, read as late as possible (just before the command goes)."""
        return max(0.0, (self.now() - run.start).total_seconds())

    def _next_run(self, now: dt.datetime, max_days: int):
        """The first run starting after ``now`` (None within ``max_days``)."""
        upcoming = upcoming_runs(self.schedule, now + dt.timedelta(microseconds=1), 1, max_days=max_days)
        return upcoming[0] if upcoming else None

    def _wait_s(self) -> float:
        """Until the next run's start or the next playlist item (to start it on time), at most
        LOOK_EVERY_S."""
        now = self.now()
        wait = LOOK_EVERY_S
        upcoming = self._next_run(now, max_days=2)
        if upcoming:
            wait = min(wait, (upcoming.start - now).total_seconds())
        running, item = self.running, self.item
        if running is not None and item is not None and not self.held:
            run = next((r for r in runs_on(self.schedule, running.astimezone(ZoneInfo(self.schedule.site.timezone)).date())
                        if r.start == running), None)
            if run is not None:
                ends = running + dt.timedelta(seconds=sum(self.durations[i] for i in run.playlist[:item + 1]))
                wait = min(wait, (ends - now).total_seconds())
        return max(0.0, wait)

    def status(self) -> dict:
        following = self._next_run(self.now(), max_days=8)
        return {"held": self.held, "running_since": self.running.isoformat() if self.running else None,
                "item": self.item, "idle": self.idling,
                "next_run": following.start.isoformat() if following else None,
                "next_entry": following.entry_id if following else None,
                "next_playlist": list(following.playlist) if following else None}

    def close(self) -> None:
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)


class OperatorHolds:
    """The player as the operator's controls see it: a transport command holds the schedule first."""

    def __init__(self, player, driver: ScheduleDriver):
        self._player, self._driver = player, driver

    def __getattr__(self, name: str):
        attribute = getattr(self._player, name)
        if name not in TRANSPORT:
            return attribute

        def held_command(*args):
            if not self._driver.held:
                self._driver.hold(True, why=name)
            return attribute(*args)
        return held_command
