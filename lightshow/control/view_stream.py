"""The river-front in the browser: a read-only stream of the output's pixel colours.

The drawing is the simulator's (``simulator/web_view.py`` computes it; the ``serve`` command
hands it here, so this layer imports no simulator): a JSON layout once, then per frame the
colour bytes of every screen cell, washer and head.  Frames are sent as a key (the whole
frame) or a delta (XOR with the frame this client got last), each deflated (zlib): most of a
river-front is still from one frame to the next, so deltas are small.  A client that falls
behind gets frames dropped (never queued without end) and then a key.

Message: one byte (0 key, 1 delta), then the zlib stream of the frame's bytes.
"""

from __future__ import annotations

import asyncio
import threading
import zlib
from typing import Callable

import numpy as np

KEY, DELTA = 0, 1
ZLIB_LEVEL = 1
CLIENT_QUEUE = 3           # frames waiting for a slow client before it misses some


class ViewStream:
    """``frame_bytes(frame)`` turns an output frame into the page's bytes; ``subscribe_frames``
    (a player's, or a tap's) delivers output frames while anyone watches."""

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
