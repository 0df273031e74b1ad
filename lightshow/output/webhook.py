"""Alerts: a dead node or a missed run, told to a webhook and kept for the operator page.

``raise_alert`` never blocks and never fails: the alert is kept (the latest ``KEEP`` of them,
for ``/api/alerts``), recorded in the play log, and queued for a thread that POSTs it as JSON
to the webhook, retrying with exponential backoff.  A webhook that is down, slow or answers
errors costs that thread alone; the show does not wait for it.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import logging
import queue
import threading
import urllib.error
import urllib.request
from typing import Callable

log = logging.getLogger("lightshow.alerts")
KEEP = 100                 # alerts kept for the operator page
QUEUE = 1000               # alerts waiting for the webhook; beyond, new ones are not posted
RETRIES = 6                # attempts after the first
BACKOFF_S = 1.0            # doubling after each failed attempt
BACKOFF_MAX_S = 60.0
TIMEOUT_S = 5.0


class Alerts:
    def __init__(self, url: str | None = None, play_log=None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 retries: int = RETRIES, backoff_s: float = BACKOFF_S, timeout_s: float = TIMEOUT_S):
        self.url, self.play_log, self.now = url, play_log, now
        self.retries, self.backoff_s, self.timeout_s = retries, backoff_s, timeout_s
        self._recent: collections.deque[dict] = collections.deque(maxlen=KEEP)
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue(QUEUE)
        self._halt = threading.Event()
        self.delivered = 0
        self.failed = 0
        self._thread = None
        if url:
            self._thread = threading.Thread(target=self._post_all, name="lightshow-alerts", daemon=True)
            self._thread.start()

    def raise_alert(self, kind: str, message: str, **detail) -> dict:
        alert = {"at": self.now().isoformat(), "kind": kind, "message": message, **detail}
        with self._lock:
            self._recent.append(alert)
        log.error("alert %s: %s", kind, message)
        if self.play_log is not None:
            try:
                self.play_log.record(self.now(), "alert", detail.get("entry"), None, alert=kind, message=message,
                                     **{k: v for k, v in detail.items() if k != "entry"})
            except Exception:      # noqa: BLE001 - the log must never stop the show
                log.exception("the play log could not record the alert")
        if self._thread is not None:
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                log.error("too many alerts waiting for the webhook: %s not posted", kind)
        return alert

    def recent(self) -> list[dict]:
        """The latest alerts, newest first."""
        with self._lock:
            return list(reversed(self._recent))

    def _post_all(self) -> None:
        while not self._halt.is_set():
            try:
                alert = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self._post(alert)

    def _post(self, alert: dict) -> None:
        body = json.dumps({"source": "lightshow", **alert}, ensure_ascii=False).encode()
        wait_s = self.backoff_s
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url, data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                    answer.read()
                self.delivered += 1
                return
            except (OSError, urllib.error.URLError, ValueError) as exc:
                log.warning("alert webhook attempt %d failed: %s", attempt + 1, exc)
            if self._halt.wait(min(wait_s, BACKOFF_MAX_S)):
                return
            wait_s *= 2
        self.failed += 1
        log.error("alert %s not delivered to the webhook after %d attempts", alert["kind"], self.retries + 1)

    def close(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
