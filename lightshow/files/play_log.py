"""The play log: what the show did, night after night, kept durably in SQLite.

Every scheduled run that starts, is rejoined after a restart, ends, is missed or skipped,
every hold and release of the schedule by an operator, every node going offline or coming
back, every citizen work shown and every alert raised is one row, written with ``synchronous=FULL`` in
WAL mode before ``record`` returns, so a power cut loses nothing that was recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass

from lightshow.errors import LightshowError

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,            -- ISO 8601 with its UTC offset
    kind TEXT NOT NULL,          -- one of KINDS
    entry TEXT,
    run_start TEXT,              -- the scheduled instant of the run it concerns
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
"""
KINDS = ("run-start", "run-rejoin", "run-end", "run-missed", "run-skipped", "hold", "release",
         "node-offline", "node-online", "work-shown", "alert")


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    entry: str | None
    run_start: dt.datetime | None
    detail: dict


class PlayLog:
    def __init__(self, path: str):
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise LightshowError(f"cannot open the play log '{path}': {exc}") from exc
        self._lock = threading.Lock()

    def record(self, at: dt.datetime, kind: str, entry: str | None = None,
               run_start: dt.datetime | None = None, **detail) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown play-log event {kind!r}")
        with self._lock:
            self._db.execute("INSERT INTO events (at, kind, entry, run_start, detail) VALUES (?, ?, ?, ?, ?)",
                             (at.isoformat(), kind, entry, run_start.isoformat() if run_start else None,
                              json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def events(self, start: dt.datetime, stop: dt.datetime) -> list[Event]:
        """The events from ``start`` to before ``stop``, in order."""
        with self._lock:
            rows = self._db.execute("SELECT at, kind, entry, run_start, detail FROM events ORDER BY at, id"
                                    ).fetchall()
        events = [Event(dt.datetime.fromisoformat(at), kind, entry,
                        dt.datetime.fromisoformat(run) if run else None, json.loads(detail))
                  for at, kind, entry, run, detail in rows]
        return [e for e in events if start <= e.at < stop]

    def close(self) -> None:
        with self._lock:
            self._db.close()
