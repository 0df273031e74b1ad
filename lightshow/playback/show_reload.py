"""A playing show that follows edits of its files (``play --watch``, ``simulate --watch``).

A save of the show, its rig, a profile, a marks file or an asset reloads the show.  With
errors, the last good show keeps playing and the positioned diagnostics are reported;
without, the edited show's frames swap into the running player (its clock, transport and
soundtrack go on): frames that cannot have changed (:mod:`lightshow.core.show_diff`) stay
in the player's cache, or are read from the compiled file the player started with; only
the frames of changed cues are rendered.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from lightshow.core.render import ShowRenderer
from lightshow.core.show_diff import FrameSpans, ShowDiff, diff_shows, show_digests
from lightshow.core.show_index import ShowIndex
from lightshow.diagnostics import Diagnostic, SourceSpan, error, format_diagnostics, has_errors, sorted_unique
from lightshow.files.compiled_file import CompiledShow
from lightshow.load.project import Project
from lightshow.model.show import Show
from lightshow.playback.frames import FrameSource
from lightshow.schema.yamltree import paused_gc

log = logging.getLogger("lightshow.reload")
WATCH_STEP_MS = 30        # watchfiles: a change is reported once no other came for this long
WATCH_DEBOUNCE_MS = 400   # ... or after this long at most (an editor's burst of writes)
IGNORED_DIRS = ("build", ".git", "__pycache__")
READY_FRAMES = 10         # frames at the playhead rendered before a swap (a quarter second at 40 fps)


class CountingRenderer:
    """``render`` of a :class:`ShowRenderer`, counting the frames it renders."""

    def __init__(self, renderer: ShowRenderer):
        self.renderer = renderer
        self.frames_rendered = 0
        self._lock = threading.Lock()

    def render(self, start: int, stop: int) -> np.ndarray:
        frames = self.renderer.render(start, stop)
        with self._lock:
            self.frames_rendered += len(frames)
        return frames


def patched_fetch(compiled: CompiledShow, render: Callable[[int, int], np.ndarray],
                  changed: FrameSpans) -> Callable[[int, int], np.ndarray]:
    """Frames [a, b): those in ``changed`` rendered, the others read from ``compiled``."""
    file_start, file_stop = compiled.first_frame, compiled.first_frame + compiled.n_frames

    def fetch(start: int, stop: int) -> np.ndarray:
        dirty = changed | FrameSpans.of([(start, file_start), (file_stop, stop)])
        if not dirty.overlaps(start, stop):
            return compiled.show_frames(start, stop)
        runs = dirty.clip(start, stop).runs
        if runs == ((start, stop),):
            return render(start, stop)
        frames = np.array(compiled.show_frames(max(start, file_start), min(stop, file_stop))
                          ) if start < file_stop and stop > file_start else None
        out = np.empty((stop - start, render(start, start).shape[1] if frames is None
                        else frames.shape[1]), dtype=np.uint8)
        if frames is not None:
            out[max(start, file_start) - start:min(stop, file_stop) - start] = frames
        for a, b in runs:
            out[a - start:b - start] = render(a, b)
        return out
    return fetch


@dataclass
class Reload:
    """One reload: its diagnostics (errors: nothing swapped), what changed, how long it took."""

    ok: bool
    diagnostics: list[Diagnostic]
    diff: ShowDiff | None = None
    dropped_frames: int = 0       # frames dropped from the player's cache, to be rendered again
    load_s: float = 0.0
    swap_s: float = 0.0
    show: Show | None = field(default=None, repr=False)


class LiveShow:
    """Keeps ``player`` playing the latest good version of ``show``."""

    def __init__(self, player, show: Show, report: Callable[[str], None] | None = None):
        self.player, self.show = player, show
        self.report = report or (lambda text: print(text, file=sys.stderr, flush=True))
        self.digests = show_digests(show)
        compiled = player.source.compiled
        # the compiled file the player started with stays the base: its frames are read
        # wherever the edited show cannot differ from the show it was compiled from
        self.base_path = None if compiled is None else compiled.path
        self.base_digests = self.digests if compiled is not None else None
        self.errors: list[Diagnostic] = []     # of the last reload, when it failed
        self.renderer: CountingRenderer | None = None
        self._rig_renderer: ShowRenderer | None = player.source.renderer   # its rig maps are reused
        self._project: Project | None = None  # kept while only the show file changes (its rig is read once)
        self.reloads = 0
        self._lock = threading.Lock()
        self.listeners: list[Callable[[Reload], None]] = []

    def warm(self) -> "LiveShow":
        """Read the show's rig and profiles now, so that the first save of the show alone does not."""
        self._project = Project()
        with paused_gc():
            self._project.load_show(self.show.path)
        return self

    def warm_kernels(self) -> None:
        """Load the compiled kernels the show's cues use (a player reading a compiled file has
        not needed them), so that the first save does not wait for them.  A renderer of its
        own: the player's may be rendering meanwhile."""
        if self.player.source.compiled is not None:
            ShowRenderer(self.show, self._rig_renderer).warm_up()

    def watched_paths(self) -> list[str]:
        """The folders of the show, its rig and its profiles (assets and marks files sit near them)."""
        paths = {os.path.dirname(os.path.abspath(self.show.path))}
        if self.show.rig.path:
            paths.add(os.path.dirname(os.path.abspath(self.show.rig.path)))
        for fixture in self.show.rig.fixtures:
            if fixture.profile.path:
                paths.add(os.path.dirname(os.path.abspath(fixture.profile.path)))
        return sorted(p for p in paths if os.path.isdir(p))

    def reload(self, changed_paths: set[str] | None = None) -> Reload:
        """Load the show again; swap it in when it has no errors.  ``changed_paths``: the files
        saved (when only the show file was, its rig and profiles are not read again)."""
        with self._lock:
            started = time.perf_counter()
            cache = getattr(self.player, "cache", None)
            if cache is not None:
                cache.pause()     # its read-ahead would take the time the swap needs (two cores)
            try:
                result = self._reload(changed_paths, started)
            finally:
                if cache is not None:
                    cache.resume()
            self.reloads += 1
        for listener in list(self.listeners):
            listener(result)
        return result

    def _reload(self, changed_paths: set[str] | None, started: float) -> Reload:
        show_only = changed_paths is not None and {os.path.abspath(p) for p in changed_paths} == {
            os.path.abspath(self.show.path)}
        if not show_only or self._project is None:
            self._project = Project()
        with paused_gc():
            show, problems = self._project.load_show(self.show.path)
        loaded = time.perf_counter()
        if show is not None and not has_errors(problems) and show.rig.universes() != list(
                self.player.universes):
            problems = list(problems) + [error(
                "universes-changed", "the rig now has other universes than the playing show: "
                "restart to play it", SourceSpan(show.rig.path, 1, 1))]
        if show is None or has_errors(problems):
            self.errors = sorted_unique(problems)
            self.report(f"{self.show.path}: not reloaded, the last good show plays on:\n"
                        + format_diagnostics(self.errors))
            result = Reload(False, self.errors, load_s=loaded - started)
        else:
            result = self._swap(show, problems)
            result.load_s, result.swap_s = loaded - started, time.perf_counter() - loaded
            self.errors = []
            diff = result.diff
            what = ("everything (the rig or the frame rate changed)" if diff.everything else
                    f"{diff.n_changed} of {diff.n_frames} frames")
            self.report(f"{self.show.path}: reloaded in {1000 * (result.load_s + result.swap_s):.0f} ms;"
                        f" {what} to render again")
            if problems:
                self.report(format_diagnostics(problems))
        return result

    def _swap(self, show: Show, problems: list[Diagnostic]) -> Reload:
        same_rig = show.rig is self.show.rig and show.fps == self.show.fps   # read once (show-only saves)
        digests = show_digests(show, self.digests["rig"] if same_rig else None)
        diff = diff_shows(None, None, self.digests, digests)
        renderer = ShowRenderer(show, None if diff.everything else self._rig_renderer)
        counting = CountingRenderer(renderer)
        index = ShowIndex.of_show(show, renderer.channel_map.universes, 0, renderer.n_frames)
        fetch: Callable[[int, int], np.ndarray] = counting.render
        compiled = None
        if self.base_path is not None:
            base = diff_shows(None, None, self.base_digests, digests)
            if not base.everything:
                compiled = CompiledShow(self.base_path)
                fetch = patched_fetch(compiled, counting.render, base.changed)
        source = FrameSource(index, fetch, renderer, compiled)
        dropped = self.player.replace_source(source, diff.changed, self._ready_blocks(fetch, diff))
        self.show, self.digests, self.renderer, self._rig_renderer = show, digests, counting, renderer
        return Reload(True, list(problems), diff, dropped, show=show)


    def _ready_blocks(self, fetch, diff: ShowDiff) -> dict[int, np.ndarray]:
        """The first frames from the playhead on, when changed, fetched before the swap, so
        that the edited show's frames go out at once rather than after a miss; only
        ``READY_FRAMES`` of them, so that the swap comes soon (the cache's thread fetches
        the rest of the block, from where they end, while they play)."""
        player = self.player
        first = player.transport.position(player.clock())
        stop = min(first + READY_FRAMES, diff.n_frames)
        if first < stop and diff.changed.overlaps(first, stop):
            return {first: np.asarray(fetch(first, stop)).reshape(stop - first, -1)}
        return {}


def watch_show(live: LiveShow, stop: threading.Event, on_change: Callable[[set], None] | None = None) -> None:
    """Reload ``live`` on every save under its folders until ``stop`` is set (run it in a thread)."""
    import watchfiles

    class ShowFilter(watchfiles.DefaultFilter):
        def __call__(self, change, path: str) -> bool:
            parts = path.split(os.sep)
            return (super().__call__(change, path) and not path.endswith((".partial", ".fseq"))
                    and not any(p in IGNORED_DIRS for p in parts))

    for changes in watchfiles.watch(*live.watched_paths(), watch_filter=ShowFilter(), stop_event=stop,
                                    step=WATCH_STEP_MS, debounce=WATCH_DEBOUNCE_MS, rust_timeout=500,
                                    yield_on_timeout=False, raise_interrupt=False):
        if on_change is not None:
            on_change(changes)
        try:
            live.reload({path for _, path in changes})
        except Exception:      # noqa: BLE001 - a failed reload must not stop the show
            log.exception("reloading %s failed", live.show.path)


def _warm_kernels(live: LiveShow) -> None:
    try:
        live.warm_kernels()
    except Exception:      # noqa: BLE001 - only a head start: the first reload loads them anyway
        log.exception("loading the render kernels of %s failed", live.show.path)


def start_watching(live: LiveShow) -> Callable[[], None]:
    """Watch in a thread; returns the function that stops it."""
    stop = threading.Event()
    live.warm()
    thread = threading.Thread(target=watch_show, args=(live, stop), name="lightshow-watch", daemon=True)
    thread.start()
    threading.Thread(target=_warm_kernels, args=(live,), name="lightshow-warm", daemon=True).start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=2)
    return halt
