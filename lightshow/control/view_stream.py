"""The river-front in the browser: a read-only stream of the output's pixel colours.

The drawing is the simulator's (``simulator/web_view.py`` computes it; the ``serve`` and
``simulate --live --web`` commands hand it here, so this layer imports no simulator): a JSON layout once, then per frame the
colour bytes of every screen cell, washer and head.  Frames are sent as a key (the whole
frame) or a delta (XOR with the frame this client got last), each deflated (zlib): most of a
river-front is still from one frame to the next, so deltas are small.  A client that falls
behind gets frames dropped (never queued without end) and then a key.

Message: one byte (0 key, 1 delta), then the zlib stream of the frame's bytes.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import zlib
from typing import Callable

import numpy as np

log = logging.getLogger("lightshow.view")
KEY, DELTA = 0, 1
ZLIB_LEVEL = 1
CLIENT_QUEUE = 3           # frames waiting for a slow client before it misses some
POLL_FPS = 20.0            # frames a second from a source that only keeps its latest (live Art-Net)


class ViewStream:
    """``frame_bytes(frame)`` turns an output frame into the page's bytes; ``subscribe_frames``
    (a player's, a tap's, or :class:`PolledFrames`') delivers output frames while anyone watches."""

    def __init__(self, layout: dict, background_png: bytes, frame_bytes: Callable[[np.ndarray], bytes],
                 subscribe_frames: Callable[[Callable], Callable[[], None]]):
        self.layout, self.background_png = layout, background_png
        self.frame_bytes, self.subscribe_frames = frame_bytes, subscribe_frames
        self._watchers: list[Callable[[int, bytes, bytes], None]] = []
        self._lock = threading.Lock()
        self._unsubscribe = None
        self._previous: np.ndarray | None = None
        self._seq = 0
        self.latest: tuple[int, bytes, bytes] | None = None
        self.frames_encoded = 0

    def watch(self, watcher: Callable[[int, bytes, bytes], None]) -> Callable[[], None]:
        """``watcher(seq, key, delta)`` for every frame from now on (on the frames' thread)."""
        with self._lock:
            self._watchers.append(watcher)
            if self._unsubscribe is None:
                self._unsubscribe = self.subscribe_frames(self._frame)

        def unwatch():
            with self._lock:
                if watcher in self._watchers:
                    self._watchers.remove(watcher)
                if not self._watchers and self._unsubscribe is not None:
                    self._unsubscribe()
                    self._unsubscribe, self._previous = None, None
        return unwatch

    def _frame(self, frame: np.ndarray) -> None:
        data = np.frombuffer(self.frame_bytes(frame), dtype=np.uint8)
        key = bytes([KEY]) + zlib.compress(data.tobytes(), ZLIB_LEVEL)
        previous = self._previous
        delta = None
        if previous is not None and len(previous) == len(data):
            delta = bytes([DELTA]) + zlib.compress(np.bitwise_xor(data, previous).tobytes(), ZLIB_LEVEL)
        self._previous = data
        self._seq += 1
        self.frames_encoded += 1
        seq = self._seq
        # a delta only helps a client that got frame seq - 1; without one, everyone gets the key
        self.latest = (seq, key, delta if delta is not None else key)
        for watcher in list(self._watchers):
            watcher(*self.latest)


class PolledFrames:
    """Frames for a :class:`ViewStream` from a source that only keeps its latest frame (live Art-Net,
    ``latest()`` a copy): while anyone is subscribed, a thread of its own asks for it ``max_fps``
    times a second, on a drift-free clock, and hands it to the listeners; with nobody subscribed
    the thread ends."""

    def __init__(self, latest: Callable[[], np.ndarray], max_fps: float = POLL_FPS):
        self.latest, self.period_s = latest, 1.0 / max_fps
        self._listeners: list[Callable[[np.ndarray], None]] = []
        self._lock = threading.Lock()
        self._halt: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self.frames = 0

    def subscribe(self, listener: Callable[[np.ndarray], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)
            if self._halt is None:
                self._halt = threading.Event()
                self._thread = threading.Thread(target=self._run, args=(self._halt,),
                                                name="lightshow-view-poll", daemon=True)
                self._thread.start()

        def unsubscribe():
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
                if not self._listeners and self._halt is not None:
                    self._halt.set()
                    self._halt = None
        return unsubscribe

    def _run(self, halt: threading.Event) -> None:
        next_s = time.monotonic()
        while not halt.is_set():
            frame = self.latest()
            self.frames += 1
            with self._lock:
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener(frame)
                except Exception:      # noqa: BLE001 - one bad viewer must not stop the others
                    log.exception("a view frame listener failed")
            next_s += self.period_s
            late_s = time.monotonic() - next_s
            if late_s > self.period_s:            # fell behind: skip, never catch up in a burst
                next_s += (late_s // self.period_s) * self.period_s
            halt.wait(max(next_s - time.monotonic(), 0.0))

    def close(self) -> None:
        with self._lock:
            self._listeners.clear()
            halt, thread = self._halt, self._thread
            self._halt = None
        if halt is not None:
            halt.set()
        if thread is not None:
            thread.join(timeout=2)


async def stream_view(socket, view: ViewStream) -> None:
    """Send ``view``'s frames to one accepted WebSocket until it goes away."""
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue = asyncio.Queue(maxsize=CLIENT_QUEUE)

    def offer(seq: int, key: bytes, delta: bytes) -> None:
        def put():
            if frames.full():
                frames.get_nowait()            # the oldest goes; the next one sent is then a key
            frames.put_nowait((seq, key, delta))
        loop.call_soon_threadsafe(put)
    unwatch = view.watch(offer)
    got = -1
    try:
        while True:
            seq, key, delta = await frames.get()
            await socket.send_bytes(delta if seq == got + 1 else key)
            got = seq
    finally:
        unwatch()
