"""Stream a show's frames out on a drift-free clock (frame k at t0 + k / fps)."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from lightshow.files.compiled_file import CompiledShow
from lightshow.core.render import ShowRenderer
from lightshow.model.rig import DMX_SLOTS

AHEAD_FRAMES = 40
AHEAD_BLOCKS = 4


class FrameSource(Protocol):
    universes: list[int]
    fps: float
    n_frames: int

    def frames(self, start: int, stop: int) -> np.ndarray: ...


@dataclass
class FileSource:
    """Frames of a compiled show file."""

    compiled: CompiledShow

    @property
    def universes(self) -> list[int]:
        return list(self.compiled.index["universes"])

    @property
    def fps(self) -> float:
        return float(self.compiled.index["fps"])

    @property
    def n_frames(self) -> int:
        return self.compiled.n_frames

    def frames(self, start: int, stop: int) -> np.ndarray:
        return self.compiled.frames(start, stop)


@dataclass
class RenderSource:
    """Frames rendered on demand from a loaded show."""

    renderer: ShowRenderer

    @property
    def universes(self) -> list[int]:
        return list(self.renderer.channel_map.universes)

    @property
    def fps(self) -> float:
        return self.renderer.fps

    @property
    def n_frames(self) -> int:
        return self.renderer.n_frames

    def frames(self, start: int, stop: int) -> np.ndarray:
        return self.renderer.render(start, stop)


def _blocks(source: FrameSource, start: int, stop: int, out: queue.Queue, halt: threading.Event):
    """Producer: frames in blocks, ahead of the clock (rendering may be bursty)."""
    try:
        for block_start in range(start, stop, AHEAD_FRAMES):
            block = source.frames(block_start, min(stop, block_start + AHEAD_FRAMES))
            while not halt.is_set():
                try:
                    out.put((block_start, block), timeout=0.1)
                    break
                except queue.Full:
                    continue
            if halt.is_set():
                return
        out.put(None)
    except BaseException as exc:  # handed to the consumer, which raises it
        out.put(exc)


def stream(source: FrameSource, send: Callable[[np.ndarray, float, int], object],
           start: int = 0, stop: int | None = None, loop: bool = False,
           clock: Callable[[], float] = time.monotonic,
           sleep: Callable[[float], None] = time.sleep) -> int:
    """Send frames [start, stop) on absolute deadlines; returns frames sent.

    ``send(frame, deadline, frame_idx)`` gets each frame as (n_universes, 512) uint8.

    A producer thread fetches blocks ahead; the first block is ready before the
    clock starts.  A frame whose deadline passed by a whole period is dropped,
    so the output never drifts behind.
    """
    stop = source.n_frames if stop is None else min(stop, source.n_frames)
    period = 1.0 / source.fps
    n_universes = len(source.universes)
    sent = 0
    while True:
        blocks: queue.Queue = queue.Queue(maxsize=AHEAD_BLOCKS)
        halt = threading.Event()
        producer = threading.Thread(target=_blocks, args=(source, start, stop, blocks, halt),
                                    name="lightshow-frames", daemon=True)
        producer.start()
        try:
            item = blocks.get()
            t0 = clock()
            while item is not None:
                if isinstance(item, BaseException):
                    raise item
                block_start, block = item
                for offset in range(len(block)):
                    k = block_start + offset
                    deadline = t0 + (k - start) * period
                    wait = deadline - clock()
                    if wait > 0:
                        sleep(wait)
                    elif -wait > period:
                        continue  # late by a whole frame: drop it, keep time
                    send(np.asarray(block[offset]).reshape(n_universes, DMX_SLOTS), deadline, k)
                    sent += 1
                item = blocks.get()
        finally:
            halt.set()
            producer.join(timeout=5)
        if not loop:
            return sent
