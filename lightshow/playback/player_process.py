"""The player in a process of its own: the show's output clock isolated from the control plane.

``serve`` faces a network the operator does not fully control.  OSC floods, a thousand
status requests, WebSocket clients, huge bodies and slow clients all land in the control
process; the output process runs the one player (its clock, its frames, its sinks) and
sees only the commands that got through, one at a time over a pipe.  It shares no
interpreter, no GIL and no lock with the control servers, so their load cannot delay a
frame.

Status flows back the other way: the player's listener only keeps the latest status and
wakes a sender thread, which writes it to a second pipe, so a control process that reads
slowly can never block the output thread.  The control process keeps the latest status
for readers (the HTTP status, the WebSocket, OSC feedback) without asking the output
process.  Frames for the browser view come the same way on a third pipe, at most
``VIEW_FPS`` a second and only while someone in the control process looks
(``subscribe_frames``): a :class:`FrameTap` sink copies the frame and a sender thread writes
its bytes, so the output thread never waits for the pipe.

The output process is forked before the control process starts any thread.  It ignores
Ctrl-C (the control process stops it, with the blackout fade) and, should the control
process die, it fades out and ends by itself when its command pipe closes.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
from typing import Callable

from lightshow.errors import LightshowError, NotFoundError
from lightshow.playback.player import Player
from lightshow.playback.watchdog import ClockWatchdog

log = logging.getLogger("lightshow.player")
COMMANDS = ("play", "play_from_s", "pause", "resume", "stop", "go", "back", "seek_s", "goto_cue",
            "goto_chapter", "play_show", "set_rate", "set_loop", "set_master", "set_blackout", "set_group", "set_freeze")
ERRORS = {"NotFoundError": NotFoundError, "LightshowError": LightshowError}
ORPHAN_FADE_S = 2.0
VIEW_FPS = 20.0


class PlayerProcess:
    """A player running in a forked process, commanded like a :class:`Player`.

    ``open_player`` runs in the new process and returns the (not yet started) player."""

    def __init__(self, open_player: Callable[[], Player], ready_timeout_s: float = 120.0):
        context = multiprocessing.get_context("fork")
        self._commands, child_commands = context.Pipe()
        status_in, status_out = context.Pipe(duplex=False)
        frames_in, frames_out = context.Pipe(duplex=False)
        self._viewing = context.Event()          # set while the control process wants frames
        self._process = context.Process(target=_run_output, name="lightshow-output", daemon=True,
                                        args=(open_player, child_commands, status_out,
                                              (self._commands, status_in, frames_in),
                                              (frames_out, self._viewing)))
        self._process.start()
        child_commands.close()
        status_out.close()
        frames_out.close()
        self._frames_in = frames_in
        self._frame_listeners: list[Callable] = []
        if not status_in.poll(ready_timeout_s):
            self._process.kill()
            raise LightshowError(f"the output process did not start within {ready_timeout_s:g} s")
        try:
            ready = status_in.recv()
        except EOFError:
            self._process.join(timeout=5)
            raise LightshowError("the output process failed to start (see the messages above)") from None
        if ready[0] == "error":
            self._process.join(timeout=5)
            raise ERRORS.get(ready[1], LightshowError)(ready[2])
        _, self.index, self.group_names, self._status = ready
        self._status_at = time.monotonic()
        self.fps = self.index.fps
        self._status_in = status_in
        self._lock = threading.Lock()            # one command at a time on the pipe
        self._listeners: list[Callable[[dict], None]] = []
        self._reader = threading.Thread(target=self._read_statuses, name="lightshow-status", daemon=True)
        self._reader.start()
        threading.Thread(target=self._read_frames, name="lightshow-view-frames", daemon=True).start()
        for name in COMMANDS:
            setattr(self, name, self._command(name))

    def _command(self, name: str) -> Callable[..., dict]:
        def command(*args) -> dict:
            with self._lock:
                try:
                    self._commands.send((name, args))
                    reply = self._commands.recv()
                except (EOFError, OSError):
                    raise LightshowError("the output process has stopped") from None
            if reply[0] == "error":
                raise ERRORS.get(reply[1], LightshowError)(reply[2])
            self._publish(reply[1])
            return reply[1]
        command.__name__ = name
        return command

    def _read_statuses(self) -> None:
        while True:
            try:
                status = self._status_in.recv()
            except (EOFError, OSError):
                return
            self._publish(status)

    def _read_frames(self) -> None:
        import numpy as np

        while True:
            try:
                data = self._frames_in.recv_bytes()
            except (EOFError, OSError):
                return
            frame = np.frombuffer(data, dtype=np.uint8)
            for listener in list(self._frame_listeners):
                try:
                    listener(frame)
                except Exception:      # noqa: BLE001 - one bad viewer must not stop the others
                    log.exception("a frame listener failed")

    def subscribe_frames(self, listener: Callable) -> Callable[[], None]:
        """``listener(frame)`` (flat uint8, on a thread of this class) gets the output frame at most
        VIEW_FPS times a second until unsubscribed; the output process sends frames only while
        someone is subscribed."""
        self._frame_listeners.append(listener)
        self._viewing.set()

        def unsubscribe():
            if listener in self._frame_listeners:
                self._frame_listeners.remove(listener)
            if not self._frame_listeners:
                self._viewing.clear()
        return unsubscribe

    def _publish(self, status: dict) -> None:
        self._status, self._status_at = status, time.monotonic()
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:      # noqa: BLE001 - one bad listener must not stop the others
                log.exception("a status listener failed")

    def status(self) -> dict:
        """The latest status the output process reported (at least five times a second)."""
        return self._status

    def silent_s(self) -> float:
        """Seconds since the output process last reported (it does five times a second while its
        clock loop runs)."""
        return time.monotonic() - self._status_at

    def subscribe(self, listener: Callable[[dict], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def start(self) -> "PlayerProcess":
        return self            # the output process started its clock when it was ready

    def close(self, fade_s: float = 0.0) -> None:
        """Stop the show (after a blackout fade of ``fade_s``) and end the output process."""
        with self._lock:
            try:
                self._commands.send(("close", (fade_s,)))
                self._commands.recv()
            except (EOFError, OSError):
                pass
        self._process.join(timeout=fade_s + 10)
        if self._process.is_alive():
            self._process.kill()
        self._commands.close()
        self._status_in.close()
        self._frames_in.close()


class LatestStatusSender:
    """Sends the latest status over ``connection`` from a thread of its own: ``offer`` never blocks
    (a status not yet sent is replaced by a newer one), so the thread that offers, such as the
    output thread, is never held up by a slow reader at the other end."""

    thread_name = "lightshow-status"

    def __init__(self, connection):
        self.connection = connection
        self._latest: list = []
        self._wake = threading.Event()
        threading.Thread(target=self._send, name=self.thread_name, daemon=True).start()

    def offer(self, item) -> None:
        self._latest[:] = [item]
        self._wake.set()

    def write(self, item) -> None:
        self.connection.send(item)

    def _send(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._latest:
                try:
                    self.write(self._latest.pop())
                except (OSError, ValueError):
                    return


class LatestFrameSender(LatestStatusSender):
    """Like :class:`LatestStatusSender`, for frames: its bytes are written as they are
    (``send_bytes``, no pickling)."""

    thread_name = "lightshow-view-frames"

    def write(self, item) -> None:
        self.connection.send_bytes(item)


def obey(commands, player) -> tuple | None:
    """Run the player's commands that arrive on ``commands`` (``(name, args)``, answered with
    ``("ok", status)`` or ``("error", kind, message)``) until the pipe ends (None) or a command
    that is not the player's, such as ``close``, arrives (returned, unanswered)."""
    while True:
        try:
            name, args = commands.recv()
        except (EOFError, OSError):
            return None
        if name not in COMMANDS:
            return name, args
        try:
            commands.send(("ok", getattr(player, name)(*args)))
        except LightshowError as exc:
            commands.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:      # noqa: BLE001 - a bug in one command must not stop the show
            log.exception("command %s failed", name)
            commands.send(("error", "LightshowError", f"internal error in {name}: {exc}"))


def _run_output(open_player: Callable[[], Player], commands, statuses, control_ends, view=None) -> None:
    """The output process: open and start the player, then obey commands until closed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in control_ends:      # the control process's ends, inherited by the fork: closed here, so
        end.close()               # that the command pipe ends (EOF) when the control process does
    try:
        player = open_player()
        statuses.send(("ready", player.index, player.group_names, player.status()))
    except LightshowError as exc:
        statuses.send(("error", type(exc).__name__, str(exc)))
        return
    player.subscribe(LatestStatusSender(statuses).offer)      # on the output thread: never blocks
    if view is not None:                                      # the browser view's frames
        from lightshow.playback.sinks import FrameTap

        frames_out, viewing = view
        tap = FrameTap(VIEW_FPS, wanted=viewing.is_set)
        tap.subscribe(LatestFrameSender(frames_out).offer)
        player.sinks.append(tap)
    player.start()
    ClockWatchdog(lambda: player.stats.ticks).start()         # systemd restarts a hung clock loop
    ending = obey(commands, player)
    if ending is None:
        player.close(fade_s=ORPHAN_FADE_S)        # the control process is gone
        return
    player.close(fade_s=ending[1][0])             # ("close", (fade_s,))
    commands.send(("ok", None))
