"""Frames around the playhead, fetched ahead by a thread (or on demand, without one).

Blocks of ``block`` frames are kept from the wanted frame on, ``AHEAD_BLOCKS`` of
them; a frame not yet fetched is a miss (the player then holds the previous one), so
a slow disk or a slow render never delays a tick.  Besides whole blocks the cache keeps
*pieces*: frames from any frame on (an edited show's first frames at the playhead, see
:meth:`FrameCache.replace`); a block that pieces cover from the playhead on is not fetched,
and one they cover in part is fetched from where they end.  While a reload is prepared the
read-ahead pauses (:meth:`FrameCache.pause`), so that on two cores it does not take the
time the edited show's first frames need.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Callable

import numpy as np

log = logging.getLogger("lightshow.player")
CACHE_BLOCK = 40
AHEAD_BLOCKS = 3
FETCH_STEP = 8      # with ``between_ticks``, frames fetched at a time


FETCH_NICE = 10     # the fetching thread yields the CPU to output ticks (its own and other players')


def lower_thread_priority(nice: int = FETCH_NICE) -> None:
    """Make the calling thread (only it: Linux keeps a nice value per thread) yield the CPU.

    Reading a block decompresses every universe of 40 frames; players of one show (a master and
    its remotes on one host) read their blocks at the same frame, and on a busy host those bursts
    would take the CPU from the ticks that should go out at that instant."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        pass


class FrameCache:
    """Blocks of frames around the playhead, fetched ahead by a thread (or on demand)."""

    def __init__(self, fetch: Callable[[int, int], np.ndarray], n_frames: int, first_frame: int = 0,
                 background: bool = True, block: int = CACHE_BLOCK,
                 between_ticks: Callable[[], None] | None = None):
        self.fetch, self.n_frames, self.first_frame, self.block = fetch, n_frames, first_frame, block
        self.between_ticks = between_ticks   # the fetching thread fetches FETCH_STEP frames when it returns
        self.blocks: dict[int, np.ndarray] = {}
        self.pieces: dict[int, np.ndarray] = {}   # frames [start, start + len) at any start
        self.wanted = first_frame
        self.paused = False          # only the block at the wanted frame is fetched
        self.misses = 0
        self.generation = 0          # counts replace(): a block fetched before one is dropped
        self._lock = threading.Condition()
        self._halt = False
        self._thread = None
        if background:
            self._thread = threading.Thread(target=self._run, name="lightshow-frames", daemon=True)
            self._thread.start()

    def _start_of(self, k: int) -> int:
        return self.first_frame + (k - self.first_frame) // self.block * self.block

    def _load(self, start: int) -> np.ndarray:
        stop = min(start + self.block, self.n_frames)
        return np.asarray(self.fetch(start, stop)).reshape(stop - start, -1)

    def _piece_at(self, k: int) -> np.ndarray | None:
        """Frame ``k`` from a piece, or None (call with the lock held)."""
        for start, piece in self.pieces.items():
            if start <= k < start + len(piece):
                return piece[k - start]
        return None

    def _covered_to(self, a: int, b: int) -> int:
        """The first frame of [a, b) no piece holds (b when they hold them all)."""
        moved = True
        while a < b and moved:
            moved = False
            for start, piece in self.pieces.items():
                if start <= a < start + len(piece):
                    a, moved = start + len(piece), True
        return min(a, b)

    def get(self, k: int) -> np.ndarray | None:
        start = self._start_of(k)
        with self._lock:
            if k != self.wanted:
                self.wanted = k
                self._lock.notify_all()
            block = self.blocks.get(start)
            if block is None and self.pieces:
                frame = self._piece_at(k)
                if frame is not None:
                    return frame
        if block is None and self._thread is None:
            block = self._load(start)
            self.blocks = {start: block}
        if block is None:
            self.misses += 1
            return None
        return block[k - start]

    def wait_ready(self, k: int, timeout_s: float) -> bool:
        """Wait until frame ``k`` is cached (the clock should not start on an empty cache)."""
        start = self._start_of(k)
        with self._lock:
            if self.wanted != k:
                self.wanted = k
                self._lock.notify_all()
            if self._thread is None:
                return True
            return self._lock.wait_for(lambda: start in self.blocks or self._piece_at(k) is not None,
                                       timeout=timeout_s)

    def pause(self) -> None:
        """Fetch ahead no further than the block at the playhead until :meth:`replace` or
        :meth:`resume` (a reload is being prepared: its first frames come first)."""
        with self._lock:
            self.paused = True

    def resume(self) -> None:
        with self._lock:
            self.paused = False
            self._lock.notify_all()

    def _run(self) -> None:
        lower_thread_priority()
        while True:
            with self._lock:
                if self._halt:
                    return
                first = self._start_of(self.wanted)
                end = min(first + AHEAD_BLOCKS * self.block, self.n_frames)
                wanted = [s for s in range(first, end, self.block)]
                for start in list(self.blocks):
                    if start not in wanted:
                        del self.blocks[start]
                for start in list(self.pieces):
                    if start >= end or start + len(self.pieces[start]) <= self.wanted:
                        del self.pieces[start]
                missing = []   # (first frame to fetch, its block's start, stop)
                for s in wanted[:1] if self.paused else wanted:
                    if s in self.blocks:
                        continue
                    stop = min(s + self.block, self.n_frames)
                    lo = max(s, self.wanted)
                    a = self._covered_to(lo, stop) if self.pieces else lo
                    if a < stop:   # pieces hold [lo, a): only the rest, else the whole block
                        missing.append((s if a == lo else a, s, stop))
                if not missing:
                    self._lock.wait(timeout=0.5)
                    continue
                generation = self.generation
            a, start, stop = missing[0]
            try:
                block = self._fetch_steps(a, stop)
            except Exception:          # noqa: BLE001 - keep the show going; log once per block
                log.exception("could not read frames %d..%d", a, stop)
                block = None
            with self._lock:
                if block is not None and generation == self.generation:
                    if a == start:
                        self.blocks[start] = block
                    else:
                        self.pieces[a] = block
                    self._lock.notify_all()

    def _fetch_steps(self, a: int, stop: int) -> np.ndarray:
        """Frames [a, stop): at once, or with ``between_ticks`` FETCH_STEP at a time, each step when
        it returns (between the output clock's ticks)."""
        if self.between_ticks is None:
            return np.asarray(self.fetch(a, stop)).reshape(stop - a, -1)
        frames = None
        for p in range(a, stop, FETCH_STEP):
            q = min(p + FETCH_STEP, stop)
            self.between_ticks()
            step = np.asarray(self.fetch(p, q)).reshape(q - p, -1)
            if frames is None:
                frames = np.empty((stop - a, step.shape[1]), dtype=step.dtype)
            frames[p - a:q - a] = step
        return frames

    def replace(self, fetch: Callable[[int, int], np.ndarray], n_frames: int, changed,
                ready: dict[int, np.ndarray] | None = None) -> int:
        """Fetch from ``fetch`` from now on (a show edited while it plays): blocks that hold a
        frame of ``changed`` (a :class:`~lightshow.core.show_diff.FrameSpans`), or that end
        past ``n_frames``, are dropped and fetched again; the others are kept; ``ready``: frames
        already fetched from ``fetch``, by first frame (a whole block, or a piece from any
        frame on).  Ends a :meth:`pause`.  Returns the frames dropped."""
        with self._lock:
            self.fetch, self.generation = fetch, self.generation + 1
            old_n, self.n_frames = self.n_frames, n_frames
            dropped = 0
            for kept in (self.blocks, self.pieces):
                for start in list(kept):
                    stop = start + len(kept[start])
                    if changed.overlaps(start, stop) or stop > n_frames or (stop == old_n and n_frames > old_n):
                        dropped += len(kept.pop(start))
            for start, block in (ready or {}).items():
                if start == self._start_of(start) and len(block) == min(self.block, n_frames - start):
                    self.blocks[start] = block
                elif 0 < len(block) and start + len(block) <= n_frames:
                    self.pieces[start] = block
            self.paused = False
            self._lock.notify_all()
        return dropped

    def close(self) -> None:
        with self._lock:
            self._halt = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
