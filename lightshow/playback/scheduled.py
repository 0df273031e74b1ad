"""A schedule driving the player: runs start on time, and a restart rejoins the run in progress.

The driver looks at the wall clock (schedules are civil time at the site) and keeps the
player where the schedule says: at a run's start it plays the show from its first frame;
started, or restarted after a crash or a power cut, inside a run, it seeks to the frame
the schedule says the show is at now and plays from there; between runs the show is
stopped (dark).  An operator's transport command (play, pause, seek, go ...) holds the
schedule until the operator releases it.  While the system clock is plainly wrong
(before ``CLOCK_SANE_AFTER``, as on a controller that lost its time) no run is started.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Callable

from lightshow.core.schedule_runs import run_in_progress, upcoming_runs
from lightshow.errors import LightshowError
from lightshow.model.schedule import Schedule

log = logging.getLogger("lightshow.schedule")
CLOCK_SANE_AFTER = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
LOOK_EVERY_S = 0.5
TRANSPORT = frozenset({"play", "play_from_s", "pause", "resume", "stop", "go", "back", "seek_s", "goto_cue", "goto_chapter"})


class ScheduleDriver:
    def __init__(self, player, schedule: Schedule, duration_s: float,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc), log=None):
        """``log``: a PlayLog that records each run started, rejoined and ended, and each hold."""
        self.player, self.schedule, self.duration_s, self.now = player, schedule, duration_s, now
        self.log = log
        self._running_entry: str | None = None
        self.held = False
        self.running: dt.datetime | None = None      # the start of the run being played
        self._halt = threading.Event()
        self._lock = threading.Lock()                # the driver's thread and an operator's release
        self._thread = threading.Thread(target=self._run, name="lightshow-schedule", daemon=True)

    def start(self) -> "ScheduleDriver":
        self.look()
        self._thread.start()
        return self

    def hold(self, on: bool = True, why: str = "operator") -> dict:
        """Hold the schedule (the operator drives); releasing it puts the show where the schedule says."""
        if bool(on) != self.held:
            self._record("hold" if on else "release", why=why)
        self.held = bool(on)
        if not on:
            self.running = None
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
        if self.held:
            return
        now = self.now()
        if now < CLOCK_SANE_AFTER:
            log.warning("the system clock says %s: no scheduled run starts until it is set", now.isoformat())
            return
        current = run_in_progress(self.schedule, now, self.duration_s)
        try:
            if current is None:
                if self.running is not None:
                    self._record("run-end", self._running_entry, self.running)
                    self.running = None
                    self.player.stop()
                return
            run, elapsed_s = current
            if run.start != self.running:
                self.running, self._running_entry = run.start, run.entry_id
                self.player.play_from_s(min(self.now_elapsed(run), self.duration_s))
                self._record("run-start" if elapsed_s < 1 else "run-rejoin", run.entry_id, run.start,
                             elapsed_s=round(elapsed_s, 3))
                log.warning("scheduled run %s of '%s' %s", run.start.isoformat(), run.entry_id,
                            "started" if elapsed_s < 1 else f"rejoined {elapsed_s:.1f} s in")
        except LightshowError as exc:
            log.error("the schedule could not command the player: %s", exc)

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
        """Until the next run's start (to start it on time), at most LOOK_EVERY_S."""
        now = self.now()
        upcoming = self._next_run(now, max_days=2)
        if upcoming:
            return max(0.0, min(LOOK_EVERY_S, (upcoming.start - now).total_seconds()))
        return LOOK_EVERY_S

    def status(self) -> dict:
        following = self._next_run(self.now(), max_days=8)
        return {"held": self.held, "running_since": self.running.isoformat() if self.running else None,
                "next_run": following.start.isoformat() if following else None,
                "next_entry": following.entry_id if following else None}

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
