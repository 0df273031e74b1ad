"""The player: a frame clock on absolute deadlines, transport, live overrides, sinks.

Output tick ``n`` goes out at ``t0 + n / fps`` on the monotonic clock whatever
the show does (paused, stopped, seeking), so output timing never drifts; the
transport says which show frame each tick shows.  Frames come from a cache
that a thread fills ahead of the playhead (from a compiled file or rendered
in memory); a frame not ready in time holds the previous one.  Grand master,
blackout and group levels (with fades) and freeze are applied to each frame
as it goes out.  Commands may come from any thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from lightshow.core.live_levels import LevelMap
from lightshow.core.ramp import Ramp
from lightshow.core.transport import STOPPED, Transport
from lightshow.errors import LightshowError, NotFoundError
from lightshow.model.rig import DMX_SLOTS

log = logging.getLogger("lightshow.player")
CACHE_BLOCK = 40
AHEAD_BLOCKS = 3
STATUS_HZ = 5.0
SPIN_S = 0.0007          # sleep until this close to a deadline, then spin (sleep overshoots)


class Sink(Protocol):
    def send(self, frame: np.ndarray, deadline_s: float) -> None: ...   # (universes, 512) uint8
    def close(self) -> None: ...


class FrameCache:
    """Blocks of frames around the playhead, fetched ahead by a thread (or on demand)."""

    def __init__(self, fetch: Callable[[int, int], np.ndarray], n_frames: int, first_frame: int = 0,
                 background: bool = True, block: int = CACHE_BLOCK):
        self.fetch, self.n_frames, self.first_frame, self.block = fetch, n_frames, first_frame, block
        self.blocks: dict[int, np.ndarray] = {}
        self.wanted = first_frame
        self.misses = 0
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

    def get(self, k: int) -> np.ndarray | None:
        start = self._start_of(k)
        with self._lock:
            if k != self.wanted:
                self.wanted = k
                self._lock.notify_all()
            block = self.blocks.get(start)
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
            return self._lock.wait_for(lambda: start in self.blocks, timeout=timeout_s)

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._halt:
                    return
                first = self._start_of(self.wanted)
                wanted = [s for s in range(first, min(first + AHEAD_BLOCKS * self.block, self.n_frames),
                                           self.block)]
                for start in list(self.blocks):
                    if start not in wanted:
                        del self.blocks[start]
                missing = [s for s in wanted if s not in self.blocks]
                if not missing:
                    self._lock.wait(timeout=0.5)
                    continue
            start = missing[0]
            try:
                block = self._load(start)
            except Exception:          # noqa: BLE001 - keep the show going; log once per block
                log.exception("could not read frames %d..%d", start, start + self.block)
                block = None
            with self._lock:
                if block is not None:
                    self.blocks[start] = block
                    self._lock.notify_all()

    def close(self) -> None:
        with self._lock:
            self._halt = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)


@dataclass
class ShowIndex:
    """Chapters and cues by frame (from a compiled file's index or a loaded show)."""

    title: str
    fps: float
    chapters: list[dict]
    cues: list[dict]

    @classmethod
    def from_index(cls, index: dict) -> "ShowIndex":
        return cls(index.get("title", ""), float(index["fps"]), list(index["chapters"]), list(index["cues"]))

    def chapter(self, ref: str | int) -> dict:
        """By id, or by number from 1."""
        text = str(ref)
        for chapter in self.chapters:
            if chapter["id"] == text:
                return chapter
        if text.isdigit() and 1 <= int(text) <= len(self.chapters):
            return self.chapters[int(text) - 1]
        raise NotFoundError(f"no chapter '{text}' (chapters: 1..{len(self.chapters)} or "
                             + ", ".join(c["id"] for c in self.chapters) + ")")

    def cue(self, cue_id: str) -> dict:
        for cue in self.cues:
            if cue["id"] == cue_id:
                return cue
        raise NotFoundError(f"no cue '{cue_id}'")

    def at(self, frame: int) -> tuple[dict | None, list[dict]]:
        chapter = next((c for c in self.chapters if c["start_frame"] <= frame < c["stop_frame"]), None)
        cues = [q for q in self.cues if q["start_frame"] <= frame < q["stop_frame"]]
        return chapter, cues


@dataclass
class PlayerStats:
    ticks: int = 0
    late_ticks: int = 0      # ticks whose deadline had passed by a whole period: skipped
    held: int = 0            # ticks that showed the previous frame (not ready in time)
    tick_starts_s: list = field(default_factory=list)


class Player:
    def __init__(self, fetch: Callable[[int, int], np.ndarray], n_frames: int, universes: list[int],
                 index: ShowIndex, levels: LevelMap, sinks: list[Sink], first_frame: int = 0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 background: bool = True, keep_tick_times: bool = False):
        self.index, self.levels, self.sinks = index, levels, list(sinks)
        self.universes = universes
        self.fps = index.fps
        self.clock, self.sleep = clock, sleep
        self.cache = FrameCache(fetch, n_frames, first_frame, background)
        self.transport = Transport(self.fps, n_frames, first_frame)
        self.master = Ramp()
        self.blackout = Ramp(0.0, 0.0)      # 1 is full blackout
        self.group_levels: dict[str, Ramp] = {}
        self.frozen: np.ndarray | None = None
        self.artwork = None                  # ArtworkSlots: citizen works over the compiled frames
        self.now_showing: dict | None = None
        self.stats = PlayerStats()
        self.keep_tick_times = keep_tick_times
        self._last_frame = np.zeros(len(universes) * DMX_SLOTS, dtype=np.uint8)
        self._last_out = self._last_frame
        self._lock = threading.RLock()
        self._listeners: list[Callable[[dict], None]] = []
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = 0.0

    # -- commands (any thread) --------------------------------------------------------------
    def _command(self, change: Callable[[float], None]) -> dict:
        with self._lock:
            change(self.clock())
            status = self.status()
        self._notify(status)
        return status

    def play(self) -> dict:
        return self._command(self.transport.play)

    def pause(self) -> dict:
        return self._command(self.transport.pause)

    def resume(self) -> dict:
        return self._command(self.transport.resume)

    def stop(self) -> dict:
        return self._command(self.transport.stop)

    def seek_s(self, seconds: float) -> dict:
        if not 0 <= seconds <= self.transport.n_frames / self.fps:
            raise LightshowError(f"seek: {seconds:g} s is outside the show "
                                 f"(0..{self.transport.n_frames / self.fps:g} s)")
        return self._seek_frame(int(round(seconds * self.fps)))

    def _seek_frame(self, frame: int) -> dict:
        return self._command(lambda now: self.transport.seek(frame, now))

    def goto_cue(self, cue_id: str) -> dict:
        return self._seek_frame(self.index.cue(cue_id)["start_frame"])

    def goto_chapter(self, ref: str | int) -> dict:
        return self._seek_frame(self.index.chapter(ref)["start_frame"])

    def go(self) -> dict:
        """To the start of the next cue after the playhead, and play."""
        def change(now):
            here = self.transport.position(now)
            later = sorted({q["start_frame"] for q in self.index.cues if q["start_frame"] > here})
            if not later:
                raise LightshowError("go: no cue after this point")
            self.transport.seek(later[0], now)
            self.transport.play(now)
        return self._command(change)

    def set_rate(self, rate: float) -> dict:
        try:
            return self._command(lambda now: self.transport.set_rate(rate, now))
        except ValueError as exc:
            raise LightshowError(str(exc)) from None

    def set_loop(self, on: bool) -> dict:
        return self._command(lambda now: setattr(self.transport, "loop", bool(on)))

    def set_master(self, level: float, fade_s: float = 0.0) -> dict:
        level, fade_s = _unit("master", level), _fade(fade_s)
        return self._command(lambda now: setattr(self, "master", self.master.to(level, now, fade_s)))

    def set_blackout(self, on: bool, fade_s: float = 0.0) -> dict:
        fade_s = _fade(fade_s)
        return self._command(lambda now: setattr(self, "blackout",
                                                 self.blackout.to(1.0 if on else 0.0, now, fade_s)))

    def set_group(self, name: str, level: float, fade_s: float = 0.0) -> dict:
        if name not in self.levels.group_single:
            raise NotFoundError(f"no group '{name}' in the rig")
        level, fade_s = _unit("group intensity", level), _fade(fade_s)

        def change(now):
            self.group_levels[name] = self.group_levels.get(name, Ramp()).to(level, now, fade_s)
        return self._command(change)

    def set_freeze(self, on: bool) -> dict:
        return self._command(lambda now: setattr(self, "frozen", self._last_out.copy() if on else None))

    # -- status -----------------------------------------------------------------------------
    def status(self) -> dict:
        with self._lock:
            now = self.clock()
            frame = self.transport.position(now)
            chapter, cues = self.index.at(frame)
            return {
                "state": self.transport.state, "frame": frame, "time_s": round(frame / self.fps, 3),
                "duration_s": round(self.transport.n_frames / self.fps, 3),
                "chapter": chapter["id"] if chapter else None,
                "chapter_title": chapter["title"] if chapter else None,
                "cues": [q["id"] for q in cues], "rate": self.transport.rate, "loop": self.transport.loop,
                "master": round(self.master.value(now), 4), "blackout": round(self.blackout.value(now), 4),
                "blackout_target": self.blackout.target, "frozen": self.frozen is not None,
                "groups": {n: round(r.value(now), 4) for n, r in self.group_levels.items()},
                "artwork": self.now_showing,
            }

    def subscribe(self, listener: Callable[[dict], None]) -> Callable[[], None]:
        """Call ``listener(status)`` on every change and STATUS_HZ times a second."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, status: dict) -> None:
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:      # noqa: BLE001 - one bad listener must not stop the show
                log.exception("a status listener failed")

    # -- output -----------------------------------------------------------------------------
    def output_frame(self, now: float) -> np.ndarray:
        """The flat frame that goes out at ``now``: show frame plus live overrides."""
        with self._lock:
            if self.frozen is not None:
                return self.frozen
            k = self.transport.position(now)
            frame = self.cache.get(k)
            if frame is None:
                self.stats.held += 1
                frame = self._last_frame
            self._last_frame = frame
            if self.artwork is not None:
                frame, self.now_showing = self.artwork.overlay(frame, k)
            master = self.master.value(now) * (1.0 - self.blackout.value(now))
            if self.transport.state == STOPPED:
                master = 0.0
            groups = {n: r.value(now) for n, r in self.group_levels.items()}
        if all(v == 1.0 for v in groups.values()):
            out = frame if master == 1.0 else self.levels.apply_uniform(frame, master)
        else:
            out = self.levels.apply(frame, *self.levels.scales(master, groups))
        self._last_out = out
        return out

    def tick(self, deadline_s: float) -> None:
        out = self.output_frame(deadline_s).reshape(len(self.universes), DMX_SLOTS)
        for sink in self.sinks:
            try:
                sink.send(out, deadline_s)
            except Exception:      # noqa: BLE001 - a failing sink must not stop the others
                log.exception("sink %s failed", type(sink).__name__)
        self.stats.ticks += 1

    def run(self, n_ticks: int | None = None) -> None:
        """Send ticks on absolute deadlines until closed (or ``n_ticks`` have gone)."""
        period = 1.0 / self.fps
        status_every = max(int(self.fps / STATUS_HZ), 1)
        self._t0 = t0 = self.clock()
        n = 0
        while not self._halt.is_set() and (n_ticks is None or n < n_ticks):
            deadline = t0 + n * period
            wait = deadline - self.clock()
            if -wait > period:                 # a whole period late: skip to keep time
                self.stats.late_ticks += 1
                n += 1
                continue
            if wait > SPIN_S:
                self.sleep(wait - SPIN_S)
            self._spin_until(deadline)
            if self.keep_tick_times:
                self.stats.tick_starts_s.append(self.clock() - deadline)
            self.tick(deadline)
            if n % status_every == 0 and self._listeners:
                self._notify(self.status())
            n += 1

    def _spin_until(self, deadline: float) -> None:
        """The last fraction of a millisecond: spin on the real clock (sleep overshoots)."""
        if self.clock is not time.monotonic:
            remaining = deadline - self.clock()
            if remaining > 0:
                self.sleep(remaining)
            return
        while time.monotonic() < deadline:
            pass

    def start(self, ready_timeout_s: float = 10.0) -> "Player":
        """Start the clock once the frames at the playhead are ready."""
        self.cache.wait_ready(self.transport.position(self.clock()), ready_timeout_s)
        self._thread = threading.Thread(target=self.run, name="lightshow-player", daemon=True)
        self._thread.start()
        return self

    def close(self, fade_s: float = 0.0) -> None:
        """Stop the clock (after a blackout fade of ``fade_s``), then close the sinks."""
        if fade_s > 0 and self._thread is not None and self._thread.is_alive():
            self.set_blackout(True, fade_s)
            time.sleep(fade_s + 2.0 / self.fps)
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.cache.close()
        if self.artwork is not None:
            self.artwork.close()
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:      # noqa: BLE001
                log.exception("closing sink %s failed", type(sink).__name__)


def _unit(what: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise LightshowError(f"{what} must be 0..1, found {value:g}")
    return value


def _fade(fade_s: float) -> float:
    fade_s = float(fade_s)
    if not 0.0 <= fade_s <= 3600:
        raise LightshowError(f"fade time must be 0..3600 s, found {fade_s:g}")
    return fade_s
