"""The player: one output clock on absolute deadlines, a playhead that follows a time
source, live overrides, sinks.

Output tick ``n`` goes out at ``t0 + n / fps`` on the monotonic clock whatever the
show does (paused, stopped, seeking), so output timing never drifts; the transport
says which show frame each tick shows, and follows the player's time source (see
:mod:`lightshow.playback.time_source`).  Frames come from a cache that a thread fills
ahead of the playhead (from a compiled file or rendered in memory); a frame not ready
in time holds the previous one.  Grand master, blackout and group levels (with fades)
and freeze are applied to each frame as it goes out.  Commands may come from any thread.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from lightshow.core.follow import FollowPolicy, follow_correction, tick_phase_shift
from lightshow.core.live_levels import LevelMap
from lightshow.core.ramp import Ramp
from lightshow.core.transport import ENDED, FRAME_EPSILON, PLAYING, STOPPED, Transport
from lightshow.errors import LightshowError, NotFoundError
from lightshow.model.rig import DMX_SLOTS
from lightshow.playback.frame_cache import FrameCache
from lightshow.playback.frames import FrameSource
from lightshow.playback.sinks import Sink
from lightshow.playback.time_source import MonotonicClock, TimeSource

log = logging.getLogger("lightshow.player")
STATUS_HZ = 5.0
SPIN_S = 0.0007          # sleep until this close to a deadline, then spin (sleep overshoots)
FETCH_MARGIN_S = 0.006   # the frame cache fetches no step of a block this close to a tick
FETCH_TRIES = 4          # ticks a fetch step waits for a quiet moment at most


@dataclass
class PlayerStats:
    ticks: int = 0
    late_ticks: int = 0      # ticks whose deadline had passed by a whole period: skipped
    jumps: int = 0           # seeks to the time source's time (errors too large to slew)
    held: int = 0            # ticks that showed the previous frame (not ready in time)
    tick_starts_s: list = field(default_factory=list)


class Player:
    """Plays frames [first_frame, stop_frame) of ``source`` (default: all it has) to ``sinks``.

    ``levels`` says where intensity lies for master, blackout and group levels (None: the
    frames go out as they are, as ``send`` does); ``until_ended``: the clock stops after
    the last frame instead of holding it."""

    def __init__(self, source: FrameSource, levels: LevelMap | None, sinks: list[Sink],
                 time_source: TimeSource | None = None, first_frame: int | None = None,
                 stop_frame: int | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, background: bool = True,
                 keep_tick_times: bool = False, until_ended: bool = False,
                 follow_policy: FollowPolicy = FollowPolicy(), realtime_priority: int | None = None,
                 realtime_quiet: bool = False):
        self.source, self.index, self.levels, self.sinks = source, source.index, levels, list(sinks)
        self.universes = source.universes
        self.fps = source.fps
        self.time_source = time_source or MonotonicClock()
        self.follow_policy = follow_policy
        self.clock, self.sleep = clock, sleep
        first = source.first_frame if first_frame is None else first_frame
        stop = source.n_frames if stop_frame is None else stop_frame
        self._thread: threading.Thread | None = None       # the clock's, once started
        self._ticked = threading.Condition()      # notified when a tick is done (see _between_ticks)
        self._quiet_until_s = float("-inf")      # until then no tick falls due
        self.cache = FrameCache(source.fetch, stop, first, background, between_ticks=self._between_ticks)
        self.transport = Transport(self.fps, stop, first)
        self.until_ended = until_ended
        self.realtime_priority = realtime_priority   # SCHED_FIFO priority of the clock thread, when permitted
        self.realtime_quiet = realtime_quiet         # a refusal is logged at info level, not as a warning
        self.realtime = False                        # the clock thread runs SCHED_FIFO
        self._spin_s = SPIN_S
        self.master = Ramp()
        self.blackout = Ramp(0.0, 0.0)      # 1 is full blackout
        self.group_levels: dict[str, Ramp] = {}
        self.frozen: np.ndarray | None = None
        self.artwork = None                  # ArtworkSlots: citizen works over the compiled frames
        self.now_showing: dict | None = None
        self.stats = PlayerStats()
        self.keep_tick_times = keep_tick_times
        self._last_frame = np.zeros(len(self.universes) * DMX_SLOTS, dtype=np.uint8)
        self._last_out = self._last_frame
        self.shown_frame = first
        self.last_tick_s: float | None = None   # when the clock loop last sent a frame
        self.follow_error_s: float | None = None  # how far the time source was from the playhead
        # told of every move of the transport (play, pause, seek, rate, a loop's wrap, the end): a
        # soundtrack plays, pauses and seeks with the light; the time source too when it listens
        self.followers: list = [time_source] if hasattr(time_source, "transport_moved") else []
        self._moved_as: tuple | None = None
        self.closing: list[Callable[[], None]] = []   # more to close with the player (a following soundtrack)
        self._jumps_told = 0
        self._lock = threading.RLock()
        self._listeners: list[Callable[[dict], None]] = []
        self._halt = threading.Event()
        # the shows this player can switch between on its one clock and its one set of sinks (a
        # schedule's playlists and idle look): name -> (source, cache, artwork); "" is the first
        self.showing = ""
        self.programme: dict[str, tuple] = {"": (source, self.cache, None)}
        # each show's own soundtrack clock (or None): the clock while nothing external drives the
        # show, else a follower; switching shows switches the music
        self.music: dict[str, object] = {"": time_source if getattr(time_source, "name", "") == "soundtrack"
                                         else None}

    # -- commands (any thread) --------------------------------------------------------------
    def _command(self, change: Callable[[float], None]) -> dict:
        with self._lock:
            now = self.clock()
            change(now)
            self._tell_followers(now, force=True)
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

    def play_from_s(self, seconds: float) -> dict:
        """Play from ``seconds`` into the show, counted from this instant (seek and play at once, so
        no time is lost between the two: how a schedule rejoins a run in progress)."""
        if not 0 <= seconds <= self.transport.n_frames / self.fps:
            raise LightshowError(f"play from {seconds:g} s: outside the show "
                                 f"(0..{self.transport.n_frames / self.fps:g} s)")

        return self._command(lambda now: self.transport.play_at(seconds * self.fps, now))

    def _seek_frame(self, frame: int) -> dict:
        return self._command(lambda now: self.transport.seek(frame, now))

    # -- programme: several shows of one rig on the one clock --------------------------------
    def add_show(self, name: str, source: FrameSource, artwork=None, music=None) -> None:
        """Make ``source`` (a show of the same rig and frame rate) playable as ``name``, with its
        soundtrack clock ``music`` when it has one."""
        if list(source.universes) != list(self.universes) or source.fps != self.fps:
            raise LightshowError(f"show '{name}' cannot share this player: it has "
                                 f"{len(source.universes)} universes at {source.fps:g} fps, the player "
                                 f"{len(self.universes)} at {self.fps:g} fps (a programme's shows share one rig)")
        cache = FrameCache(source.fetch, source.n_frames, source.first_frame, self.cache._thread is not None,
                           between_ticks=self._between_ticks)
        with self._lock:
            self.programme[name] = (source, cache, artwork)
            self.music[name] = music

    def play_show(self, name: str, from_s: float = 0.0, loop: bool = False) -> dict:
        """Switch to the show ``name`` of the programme and play it from ``from_s`` (counted from
        this instant), looping or not: one command, so no frame of anything else goes out between."""
        if name not in self.programme:
            raise NotFoundError(f"no show '{name}' in this player's programme")
        source = self.programme[name][0]
        if not 0 <= from_s <= source.n_frames / self.fps:
            raise LightshowError(f"play '{name}' from {from_s:g} s: outside the show "
                                 f"(0..{source.n_frames / self.fps:g} s)")

        def change(now):
            if self.programme[name][0] is not self.source:
                for key, item in self.programme.items():      # names of the same show (aliases) too
                    if item[0] is self.source:
                        self.programme[key] = (self.source, self.cache, self.artwork)
                self.source, self.cache, self.artwork = self.programme[name]
                self.index = self.source.index
                self.transport = Transport(self.fps, self.source.n_frames, self.source.first_frame)
                self._switch_music(self.music.get(self.showing), self.music.get(name), now)
            self.showing = name
            self.transport.loop = bool(loop)
            self.transport.play_at(from_s * self.fps, now)
        return self._command(change)

    def _switch_music(self, old, new, now: float) -> None:
        """The show changed: its soundtrack (if any) replaces the last one's, as the clock when the
        last one was the clock (or nothing was), else as a follower of the external source."""
        if old is new:
            return
        if old is not None:
            old.transport_moved("paused", 0.0, 1.0, now)       # silence the last show's music
            if old in self.followers:
                self.followers.remove(old)
        if self.time_source is old or isinstance(self.time_source, MonotonicClock):
            self.time_source = new if new is not None else MonotonicClock()
            self.follow_error_s = None
        if new is not None:
            self.followers.append(new)

    def goto_cue(self, cue_id: str) -> dict:
        return self._seek_frame(self.index.cue(cue_id).start_frame)

    def goto_chapter(self, ref: str | int) -> dict:
        """By number from 1, or by id."""
        return self._seek_frame(self.index.chapter(ref).start_frame)

    def go(self) -> dict:
        """To the start of the next cue after the playhead, and play."""
        def change(now):
            here = self.transport.position(now)
            later = self.index.cue_starts_after(here)
            if not later:
                raise LightshowError("go: no cue after this point")
            self.transport.seek(later[0], now)
            self.transport.play(now)
        return self._command(change)

    def back(self) -> dict:
        """To the start of the chapter or cue before the playhead (from within a second of one's
        start, the one before that), as a console's "back" does."""
        def change(now):
            earlier = self.index.starts_before(self.transport.position(now) - int(self.fps))
            self.transport.seek(earlier[-1] if earlier else self.transport.first_frame, now)
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

    def replace_source(self, source: FrameSource, changed, ready: dict | None = None) -> int:
        """Play ``source`` (an edited show's frames) from now on without stopping the clock,
        the transport or the music: cached frames of ``changed`` (FrameSpans) are fetched again,
        the rest kept (``ready``: blocks of ``source`` fetched already, see FrameCache.replace).
        Returns the cached frames dropped."""
        with self._lock:
            old = self.source
            self.source, self.index = source, source.index
            stop = source.n_frames
            if self.transport.n_frames != stop:      # the show got longer or shorter
                now = self.clock()
                frame = self.transport.position(now)
                self.transport.n_frames = stop
                if frame >= stop:
                    self.transport.seek(stop - 1, now)
            dropped = self.cache.replace(source.fetch, stop, changed, ready)
        if self.artwork is not None and source.renderer is not None:
            self.artwork.replace_renderer(source.renderer)
        old.close()
        status = self.status()
        self._notify(status)
        return dropped

    def silent_s(self) -> float:
        """Seconds since the clock loop last sent a frame (infinite before the first)."""
        return float("inf") if self.last_tick_s is None else self.clock() - self.last_tick_s

    @property
    def group_names(self) -> list[str]:
        """The rig's groups whose intensity the operator can set."""
        return sorted(self.levels.group_single) if self.levels is not None else []

    # -- status -----------------------------------------------------------------------------
    def status(self) -> dict:
        with self._lock:
            now = self.clock()
            frame = self.transport.position(now)
            chapter, cues = self.index.at(frame)
            return {
                "state": self.transport.state, "show": self.showing, "frame": frame, "time_s": round(frame / self.fps, 3),
                "duration_s": round(self.transport.n_frames / self.fps, 3),
                "chapter": chapter.id if chapter else None,
                "chapter_title": chapter.title if chapter else None,
                "cues": [q.id for q in cues], "time_source": self.time_source.name,
                "follow_error_frames": (None if self.follow_error_s is None
                                        else round(self.follow_error_s * self.fps, 2)),
                "rate": self.transport.rate, "loop": self.transport.loop,
                "master": round(self.master.value(now), 4), "blackout": round(self.blackout.value(now), 4),
                "blackout_target": self.blackout.target, "frozen": self.frozen is not None,
                "groups": {n: round(r.value(now), 4) for n, r in self.group_levels.items()},
                "artwork": self.now_showing,
                "follow": (self.time_source.follow_status(self.follow_error_s)
                           if hasattr(self.time_source, "follow_status") else None),
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

    # -- followers --------------------------------------------------------------------------
    def _tell_followers(self, now: float, force: bool = False) -> None:
        """Tell the followers where the transport is when it moved other than by running on: a
        command (``force``), a loop's wrap, the end, and (to followers other than the time source) a
        jump of the playhead to the time source.  Under the lock."""
        if not self.followers:
            return
        transport = self.transport
        moved_as = (transport.state, transport.lap(now), transport.rate)
        jumped = self.stats.jumps != self._jumps_told     # the playhead jumped to the time source
        only_jumped = not force and moved_as == self._moved_as
        if only_jumped and not jumped:
            return
        self._moved_as, self._jumps_told = moved_as, self.stats.jumps
        show_s = transport.position_s(now)
        if transport.loop and transport.state == PLAYING:       # where the wrapped playhead is
            frame = show_s * self.fps + FRAME_EPSILON - transport.first_frame
            show_s = (transport.first_frame + frame % (transport.n_frames - transport.first_frame)) / self.fps
        for follower in self.followers:
            if only_jumped and follower is self.time_source:
                continue                # the source made the jump: it is where the jump went
            try:
                follower.transport_moved(transport.state, show_s, transport.rate, now)
            except Exception:      # noqa: BLE001 - a failing follower (an audio device gone) must not stop the show
                log.exception("%s failed to follow the transport", type(follower).__name__)

    # -- output -----------------------------------------------------------------------------
    def follow(self, now: float) -> None:
        """Correct the playhead towards the time source (see :mod:`lightshow.core.follow`); a source
        that drives the transport (a sync master, chased timecode) also starts the show, and stops it
        (or holds it, when the source's ``on_loss`` is ``"hold"``) when the source falls silent."""
        target_s = self.time_source.show_time_s(now)
        drives = getattr(self.time_source, "drives_transport", False)
        with self._lock:
            if drives and target_s is None and self.transport.state == PLAYING:
                if getattr(self.time_source, "on_loss", "stop") == "hold":
                    self.transport.pause(now)       # the frame it was showing stays up
                else:
                    self.transport.stop(now)
                self.follow_error_s = None
                return
            if (drives and target_s is not None and self.transport.state != PLAYING
                    and target_s * self.fps < self.transport.n_frames):   # past the end: it stays ended
                self.transport.play_at(target_s * self.fps, now)
                self.stats.jumps += 1
            if target_s is None or self.transport.state != PLAYING:
                return
            self.follow_error_s = target_s - self.transport.position_s(now)
            policy = getattr(self.time_source, "follow_policy", None) or self.follow_policy   # the source's own
            correction = follow_correction(self.follow_error_s, policy)
            if correction.jump:
                self.transport.play_at(target_s * self.fps, now)
                self.transport.set_trim(1.0, now)
                self.stats.jumps += 1
            else:
                self.transport.set_trim(correction.trim, now)

    def output_frame(self, now: float) -> np.ndarray:
        """The flat frame that goes out at ``now``: show frame plus live overrides."""
        with self._lock:
            self.shown_frame = k = self.transport.position(now)
            if self.frozen is not None:
                return self.frozen
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
        if self.levels is None:
            out = frame
        elif all(v == 1.0 for v in groups.values()):
            out = frame if master == 1.0 else self.levels.apply_uniform(frame, master)
        else:
            out = self.levels.apply(frame, *self.levels.scales(master, groups))
        self._last_out = out
        return out

    def tick(self, deadline_s: float) -> bool:
        """Send the frame of ``deadline_s`` to every sink; False (nothing sent) once the show
        has ended when the player runs ``until_ended``."""
        self.follow(deadline_s)
        out = self.output_frame(deadline_s).reshape(len(self.universes), DMX_SLOTS)
        if self.followers:
            with self._lock:
                self._tell_followers(deadline_s)
                if self.transport.state == PLAYING and self.transport.rate == 1.0:
                    show_s = self.transport.position_s(deadline_s)
                    for follower in self.followers:
                        if follower is not self.time_source and hasattr(follower, "keep_up"):
                            follower.keep_up(show_s, deadline_s)
        if self.until_ended and self.transport.state == ENDED:
            return False
        # the show's time while it plays; None when stopped or paused (no timecode: gear chasing it
        # stops, as it does when a console's timecode stops)
        show_s = self.shown_frame / self.fps if self.transport.state == PLAYING else None
        for sink in self.sinks:
            try:
                sink.send(out, deadline_s, show_s)
            except Exception:      # noqa: BLE001 - a failing sink must not stop the others
                log.exception("sink %s failed", type(sink).__name__)
        self._latch(deadline_s)
        self.stats.ticks += 1
        self.last_tick_s = self.clock()
        return True

    def _latch(self, deadline_s: float) -> None:
        """Sinks that latch (Art-Net holding its ArtSync) are told to at the deadline plus their
        ``latch_s``: the frame shows then, at the same instant on every player of the show, however
        long each one's universes took to send."""
        for sink in sorted((s for s in self.sinks if getattr(s, "latch_s", 0.0) > 0), key=lambda s: s.latch_s):
            self._wait_until(deadline_s + sink.latch_s)
            try:
                sink.latch()
            except Exception:      # noqa: BLE001 - a failing sink must not stop the others
                log.exception("sink %s failed to latch", type(sink).__name__)

    def _wait_until(self, deadline: float) -> None:
        """Sleep until just before ``deadline``, then spin to it (sleep overshoots)."""
        wait = deadline - self.clock()
        if wait > self._spin_s:
            self.sleep(wait - self._spin_s)
        self._spin_until(deadline)

    def run(self, n_ticks: int | None = None) -> None:
        """Send ticks on absolute deadlines until closed (or ``n_ticks`` have gone, or the show
        has ended when ``until_ended``)."""
        period = 1.0 / self.fps
        status_every = max(int(self.fps / STATUS_HZ), 1)
        if self.realtime_priority is not None:
            self._go_realtime(self.realtime_priority)
        t0 = self.clock()
        with self._lock:
            self.transport.rebase(t0)          # a playing show counts its frames from tick 0
        n = 0
        self.tick_phase_s = 0.0                # ticks moved to fall on the followed source's frames
        while not self._halt.is_set() and (n_ticks is None or n < n_ticks):
            deadline = t0 + n * period + self.tick_phase_s
            wait = deadline - self.clock()
            if -wait > period:                 # a whole period late: skip to keep time
                self.stats.late_ticks += 1
                n += 1
                continue
            self._wait_until(deadline)
            if self.keep_tick_times:
                self.stats.tick_starts_s.append(self.clock() - deadline)
            if not self.tick(deadline):
                break
            self._align_ticks(deadline, period)
            with self._ticked:
                self._quiet_until_s = t0 + (n + 1) * period + self.tick_phase_s - FETCH_MARGIN_S
                self._ticked.notify_all()
            if n % status_every == 0 and self._listeners:
                self._notify(self.status())
            n += 1

    def _between_ticks(self) -> None:
        """For the frame cache's thread, before each step of a fetch: returns just after a tick, when
        the next one is more than FETCH_MARGIN_S away (at once while the clock is not running), so a
        step does not hold the interpreter lock when a tick falls due; one step per tick.

        Players of one show reach a block's end at the same frame; fetching the next block at once
        would decompress it in every player right when the next frames are due, and a tick waiting
        for a fetching thread's lock (which the scheduler may have put aside) goes out late."""
        if self._thread is None or not self._thread.is_alive() or threading.current_thread() is self._thread:
            return
        with self._ticked:
            for _ in range(FETCH_TRIES):          # then fetch anyway: a block must come in the end
                self._ticked.wait(timeout=2.0 / self.fps)
                if self.clock() < self._quiet_until_s or not self._thread.is_alive():
                    return

    def _go_realtime(self, priority: int) -> None:
        """Run this (the clock's) thread SCHED_FIFO at ``priority`` where the system permits it
        (else as it was, with one line in the log); a real-time thread wakes on time, so it sleeps
        to its deadlines instead of spinning the last fraction of a millisecond."""
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
        except (AttributeError, OSError) as exc:
            log.log(logging.INFO if self.realtime_quiet else logging.WARNING,
                    "real-time scheduling not permitted (%s): the output clock runs at normal priority",
                    getattr(exc, "strerror", None) or exc)
            return
        self.realtime, self._spin_s = True, 0.0

    def _align_ticks(self, deadline: float, period: float) -> None:
        """While a time source leads at the plain rate, move the ticks onto its frame boundaries."""
        with self._lock:
            transport = self.transport
            if (self.follow_error_s is None or transport.state != PLAYING
                    or abs(transport.rate * transport.trim - 1.0) > 0.06):
                return
            playhead_frames = transport.position_s(deadline) * self.fps
        self.tick_phase_s += tick_phase_shift(playhead_frames) * period

    def wait(self) -> None:
        """Until the clock stops (the show ended, with ``until_ended``, or the player closed)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.2)

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
        for source, cache, artwork in {id(item[1]): item for item in self.programme.values()}.values():
            if cache is not self.cache:
                cache.close()
                source.close()
                if artwork is not None and artwork is not self.artwork:
                    artwork.close()
        self.cache.close()
        self.source.close()
        close_source = getattr(self.time_source, "close", None)     # a listening source stops listening
        if close_source is not None:
            close_source()
        for close in self.closing:
            close()
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
