"""OSC control in a process of its own: a flood of datagrams costs that process, nothing else.

An allowed sender can send 50,000 packets a second, and reading and refusing them takes a
core's worth of Python.  In the control process that work would starve the HTTP server's
event loop; here it cannot.  The OSC process reads, parses, checks and rate-limits every
datagram (:class:`~lightshow.control.osc_control.OscControl`); only the commands that get
through cross a pipe to the control process, which runs them on the player, and the
player's status comes back the other way for feedback to subscribers.  The OSC process
dies with the control process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import threading
from typing import Callable

from lightshow.control.osc_control import OscControl
from lightshow.errors import LightshowError
from lightshow.playback.player_process import COMMANDS, ERRORS, LatestStatusSender, obey

PR_SET_PDEATHSIG = 1   # Linux prctl: a signal for this process when its parent dies


class RemotePlayer:
    """In the OSC process: the player's commands over a pipe, its latest status from another."""

    def __init__(self, commands, statuses, status: dict):
        self._commands, self._statuses, self._status = commands, statuses, status
        self._lock = threading.Lock()
        self._listeners: list[Callable[[dict], None]] = []
        for name in COMMANDS:
            setattr(self, name, self._command(name))
        threading.Thread(target=self._read_statuses, name="lightshow-status", daemon=True).start()

    def _command(self, name: str) -> Callable[..., dict]:
        def command(*args) -> dict:
            with self._lock:
                self._commands.send((name, args))
                reply = self._commands.recv()
            if reply[0] == "error":
                raise ERRORS.get(reply[1], LightshowError)(reply[2])
            return reply[1]
        return command

    def _read_statuses(self) -> None:
        while True:
            try:
                self._status = self._statuses.recv()
            except (EOFError, OSError):
                return
            for listener in list(self._listeners):
                listener(self._status)

    def status(self) -> dict:
        return self._status

    def subscribe(self, listener: Callable[[dict], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None


class OscProcess:
    """OSC control of ``player`` from a forked process, listening on ``bind_ip:port``."""

    def __init__(self, player, bind_ip: str = "0.0.0.0", port: int = 9000, allow: list[str] | None = None,
                 ready_timeout_s: float = 30.0):
        context = multiprocessing.get_context("fork")
        self._commands, child_commands = context.Pipe()
        status_in, status_out = context.Pipe(duplex=False)
        ready_in, ready_out = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_osc, name="lightshow-osc", daemon=True, args=(
            bind_ip, port, allow, child_commands, status_in, ready_out, player.status()))
        self._process.start()
        for end in (child_commands, status_in, ready_out):
            end.close()
        ready = ready_in.recv() if ready_in.poll(ready_timeout_s) else ("error", "the OSC process did not start")
        ready_in.close()
        if ready[0] == "error":
            self._process.kill()
            raise LightshowError(ready[1])
        self.address = ready[1]
        threading.Thread(target=obey, args=(self._commands, player), name="lightshow-osc-commands",
                         daemon=True).start()
        self._status_out = status_out
        self._unsubscribe = player.subscribe(LatestStatusSender(status_out).offer)

    def start(self) -> "OscProcess":
        return self            # it listens from the moment it is ready

    def close(self) -> None:
        self._unsubscribe()
        self._process.terminate()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        self._commands.close()
        self._status_out.close()


def _run_osc(bind_ip: str, port: int, allow, commands, statuses, ready, status: dict) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # the control process stops it
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    try:
        osc = OscControl(RemotePlayer(commands, statuses, status), bind_ip, port, allow=allow)
    except LightshowError as exc:
        ready.send(("error", str(exc)))
        return
    ready.send(("ready", osc.address))
    osc.start()._thread.join()
