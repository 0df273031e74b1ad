"""A show's frames by number: read from its compiled file, or rendered from the show.

Both give the same bytes and the same :class:`~lightshow.core.show_index.ShowIndex`, so
everything that plays or draws a show (``send``, ``play``, ``serve``, ``simulate``,
``preview``) takes a :class:`FrameSource` and indexes it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable

import numpy as np

from lightshow.core.show_index import ShowIndex
from lightshow.errors import UsageError
from lightshow.files.build_folder import build_path
from lightshow.files.compiled_file import CompiledShow
from lightshow.model.show import Show
from lightshow.playback.frame_cache import FrameCache

if TYPE_CHECKING:
    from lightshow.core.render import ShowRenderer

STILL_BLOCK = 8   # frames fetched at a time for pictures (a still needs one, a video runs on)


class FrameSource:
    """Frames [index.first_frame, index.stop_frame) of a show, by their number in the show."""

    def __init__(self, index: ShowIndex, fetch: Callable[[int, int], np.ndarray],
                 renderer: "ShowRenderer | None" = None, compiled: CompiledShow | None = None,
                 show: Show | None = None):
        self.index, self.fetch = index, fetch
        self._renderer = renderer
        self._show = show                # a compiled file's show: its renderer is made when asked for
        self.compiled = compiled
        self._stills: FrameCache | None = None

    @property
    def renderer(self) -> "ShowRenderer | None":
        """The show's renderer when there is a show (its pixels, its artwork slots); playing a
        compiled file needs none, so it is built on first use (a remote starts without it)."""
        if self._renderer is None and self._show is not None:
            from lightshow.core.render import ShowRenderer

            self._renderer = ShowRenderer(self._show)
        return self._renderer

    @renderer.setter
    def renderer(self, renderer: "ShowRenderer | None") -> None:
        self._renderer = renderer

    @classmethod
    def of_show(cls, show: Show, compiled_path: str | None = None) -> "FrameSource":
        """``show``'s frames: from ``compiled_path`` when given (refused if compiled for other
        universes), else rendered on demand."""
        if compiled_path:
            compiled = CompiledShow.of_show(compiled_path, show)
            return cls(compiled.index, compiled.show_frames, None, compiled, show=show)
        from lightshow.core.render import ShowRenderer

        renderer = ShowRenderer(show)
        index = ShowIndex.of_show(show, renderer.channel_map.universes, 0, renderer.n_frames)
        return cls(index, renderer.render, renderer)

    @classmethod
    def of_file(cls, path: str) -> "FrameSource":
        """The frames of a compiled file, without its show."""
        compiled = CompiledShow(path)
        return cls(compiled.index, compiled.show_frames, compiled=compiled)

    @property
    def universes(self) -> list[int]:
        return list(self.index.universes)

    @property
    def fps(self) -> float:
        return self.index.fps

    @property
    def first_frame(self) -> int:
        return self.index.first_frame

    @property
    def n_frames(self) -> int:
        """One past the last frame at hand (the show's length unless compiled with --range)."""
        return self.index.stop_frame

    def frames(self, start: int, stop: int) -> np.ndarray:
        """Frames [start, stop) as (frames, channels) uint8."""
        return np.asarray(self.fetch(start, stop)).reshape(stop - start, -1)

    def frame(self, k: int) -> np.ndarray:
        """Frame ``k`` (clamped to the frames at hand), flat; a few frames on are kept."""
        if self._stills is None:
            self._stills = FrameCache(self.fetch, self.n_frames, self.first_frame, background=False,
                                      block=STILL_BLOCK)
        return self._stills.get(min(max(k, self.first_frame), self.n_frames - 1))

    def warm_up(self) -> None:
        """Compile the render kernels now, before a clock starts, not during the show."""
        if self.compiled is None and self.renderer is not None:
            self.renderer.warm_up()

    def close(self) -> None:
        if self.compiled is not None:
            self.compiled.close()


def compiled_is_current(show: Show, path: str) -> bool:
    """A compiled file newer than the show, its rig and every profile it uses."""
    if not os.path.exists(path):
        return False
    sources = [show.path, show.rig.path] + sorted({f.profile.path for f in show.rig.fixtures if f.profile.path})
    newest = max((os.path.getmtime(p) for p in sources if p and os.path.exists(p)), default=0.0)
    return os.path.getmtime(path) >= newest


def compiled_to_play(show: Show, show_path: str, compiled_path: str | None) -> str | None:
    """The compiled file to play: ``compiled_path`` when given, else ``build/<show>.fseq`` when it
    is current, else None (render ahead in memory)."""
    if compiled_path is None:
        default = build_path(show_path, ".fseq")
        return default if compiled_is_current(show, default) else None
    if not os.path.exists(compiled_path):
        raise UsageError(f"no compiled show '{compiled_path}' (make it with: lightshow compile {show_path})")
    return compiled_path
