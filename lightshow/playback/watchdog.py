"""Liveness for a service manager: systemd's notify protocol, fed by the clock loop.

Under ``Type=notify`` with ``WatchdogSec=``, systemd restarts a service that stops saying
``WATCHDOG=1`` in time.  :class:`ClockWatchdog` says it only while the player's clock loop
keeps sending frames, so a hung output (not merely a living process) is restarted.  Without
``$NOTIFY_SOCKET`` (not under systemd) nothing is sent.
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Callable

PING_EVERY_S = 1.0


def notify(message: str) -> bool:
    """Send ``message`` (``READY=1``, ``WATCHDOG=1``, ``STATUS=...``) to systemd; False if not under it."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]              # the abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        return False
    return True


class ClockWatchdog:
    """Pings ``WATCHDOG=1`` every PING_EVERY_S while ``ticks()`` keeps growing."""

    def __init__(self, ticks: Callable[[], int]):
        self.ticks = ticks
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lightshow-watchdog", daemon=True)

    def start(self) -> "ClockWatchdog":
        if os.environ.get("NOTIFY_SOCKET"):
            self._thread.start()
        return self

    def _run(self) -> None:
        last = self.ticks()
        while not self._halt.wait(PING_EVERY_S):
            now = self.ticks()
            if now != last:
                notify("WATCHDOG=1")
            last = now

    def close(self) -> None:
        self._halt.set()
