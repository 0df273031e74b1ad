"""Where the player's frames go: Art-Net, sACN, the simulator, a recording.

A sink takes each tick's frame as ``(universes, 512)`` uint8 with the tick's deadline on
the monotonic clock and the show time it carries (None unless the show is playing); :func:`output_sinks` wires the network
sinks of a rig (or of one address) for every command that sends.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from lightshow.errors import LightshowError, UsageError
from lightshow.output.artnet_sender import ArtNetSender, NodeSource
from lightshow.output.multisync_sender import MultiSyncSender
from lightshow.output.pacer import BurstPacing
from lightshow.output.routes import node_routes
from lightshow.output.sacn_sender import SacnSender
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.fseq_format import fseq_step_ms
from lightshow.protocol.fseq_writer import FseqWriter

log = logging.getLogger("lightshow.player")
RECORD_CHUNK_FRAMES = 40   # frames read back from the raw recording at a time


class Sink(Protocol):
    """A sink may also have ``latch_s`` (> 0) and ``latch()``: the player calls ``latch()`` at each
    tick's deadline plus ``latch_s``, after every sink's ``send``."""

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None: ...
    def close(self) -> None: ...


class ArtNetSink:
    """Art-Net; with ``latch_s`` each frame's ArtSync (and timecode) is held for the player to send
    ``latch_s`` after the tick's deadline (:meth:`latch`), the instant the nodes show the frame."""

    def __init__(self, sender: ArtNetSender, latch_s: float = 0.0):
        self.sender = sender
        self.latch_s = latch_s if sender.sync else 0.0     # without ArtSync nothing latches

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self.sender.send_frame(frame, deadline_s, show_s=show_s, hold_sync=self.latch_s > 0)

    def latch(self) -> None:
        self.sender.latch()

    def close(self) -> None:
        self.sender.close()


class SacnSink:
    """The universes (rows of the frame) that go out as sACN; stream termination on close."""

    def __init__(self, sender: SacnSender, rows: list[int]):
        self.sender, self.rows = sender, rows

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self.sender.send_frame(frame[self.rows], deadline_s)

    def close(self) -> None:
        self.sender.close()


class MultiSyncSink:
    """Tells MultiSync remotes where the show is, each tick (see output/multisync_sender.py)."""

    def __init__(self, sender: MultiSyncSender):
        self.sender = sender

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self.sender.update(show_s, deadline_s)

    def close(self) -> None:
        self.sender.close()


class UniverseSubsetSink:
    """A sink built for some of the show's universes (one controller's): it gets their rows."""

    def __init__(self, sink: Sink, rows: list[int]):
        self.sink, self.rows = sink, np.asarray(rows, dtype=np.intp)
        self.latch_s = getattr(sink, "latch_s", 0.0)

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self.sink.send(frame[self.rows], deadline_s, show_s)

    def latch(self) -> None:
        self.sink.latch()

    def close(self) -> None:
        self.sink.close()


def controller_sinks(universes: list[int], own: list[int] | None, nodes, outputs: "Outputs") -> list[Sink]:
    """The network sinks for the show's ``universes``, or only for ``own`` (one controller's)."""
    if own is None:
        return output_sinks(universes, nodes, outputs)
    row_of = {u: i for i, u in enumerate(universes)}
    own = [u for u in universes if u in set(own)]
    rows = [row_of[u] for u in own]
    return [UniverseSubsetSink(sink, rows) for sink in output_sinks(own, nodes, outputs)]


class LtcSink:
    """The show time as LTC on an audio output (:mod:`lightshow.output.ltc_output`): each tick tells
    the show clock which show frame goes out when; silence while the show is not playing."""

    def __init__(self, device: str | None, kind: int, show_fps: float, offset_s: float = 0.0):
        from lightshow.output.ltc_output import LtcOutput, ShowClock

        self.clock, self.frame_s, self.offset_s = ShowClock(), 1.0 / show_fps, offset_s
        self.output = LtcOutput(self._timecode_at, kind, device).start()

    def _timecode_at(self, now_s: float) -> float | None:
        show_s = self.clock.show_at(now_s)
        return None if show_s is None else show_s + self.offset_s

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self.clock.tick(deadline_s, show_s, self.frame_s)

    def close(self) -> None:
        self.output.close()


class LatestFrameSink:
    """Keeps the latest frame, for a window that draws at its own pace."""

    def __init__(self, n_channels: int):
        self._frame = np.zeros(n_channels, dtype=np.uint8)
        self._lock = threading.Lock()
        self.frames = 0

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        with self._lock:
            self._frame = frame.reshape(-1)
            self.frames += 1

    def frame(self) -> np.ndarray:
        with self._lock:
            return self._frame

    def close(self) -> None:
        pass


class FrameTap:
    """Hands a copy of the frame to its listeners at most ``max_fps`` times a second, and only
    while ``wanted()`` says someone looks (the browser view): on the output thread, so a listener
    must only keep the frame and wake its own thread."""

    def __init__(self, max_fps: float = 20.0, wanted=None):
        self.period_s = 1.0 / max_fps
        self.wanted = wanted
        self._listeners: list = []
        self._next_s = float("-inf")

    def subscribe(self, listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        # a quarter of a period early still counts: at 40 fps every other tick, at 44 fps on average 20
        if not self._listeners or deadline_s + self.period_s / 4 < self._next_s:
            return
        if self.wanted is not None and not self.wanted():
            return
        self._next_s = max(self._next_s + self.period_s, deadline_s)
        copy = np.array(frame, dtype=np.uint8).reshape(-1)
        for listener in list(self._listeners):
            listener(copy)

    def close(self) -> None:
        pass


class RecorderSink:
    """Records what goes out (after live overrides) into an FSEQ file, written on close."""

    def __init__(self, path: str, n_channels: int, fps: float):
        self.path, self.n_channels, self.fps = path, n_channels, fps
        self.raw_path = path + ".raw"
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._raw = open(self.raw_path, "wb")
        except OSError as exc:
            raise LightshowError(f"cannot record to '{path}': {exc.strerror or exc}") from exc
        self.frames = 0

    def send(self, frame: np.ndarray, deadline_s: float, show_s: float | None) -> None:
        self._raw.write(np.ascontiguousarray(frame).tobytes())
        self.frames += 1

    def close(self) -> None:
        if self._raw.closed:
            return
        self._raw.close()
        from lightshow.files.fseq_writing import write_atomically     # (it brings the renderer)

        try:
            raw = np.memmap(self.raw_path, dtype=np.uint8, mode="r",
                            shape=(self.frames, self.n_channels)) if self.frames else None
            writer = FseqWriter(self.n_channels, fseq_step_ms(self.fps), compression="zstd")
            write_atomically(self.path, writer, 0, self.frames, RECORD_CHUNK_FRAMES,
                             lambda start, stop: np.asarray(raw[start:stop]))
        finally:
            os.unlink(self.raw_path)


@dataclass
class Outputs:
    """How a command sends: every universe to ``to`` (or, without it, to the rig's nodes), with
    or without ArtSync (right after a frame's universes, or ``latch_s`` after its deadline); what no node serves goes to the live nodes of ``discovery`` or, legacy,
    to ``broadcast``; ``pacing`` for the nodes the rig does not pace; ArtTimeCode of the show
    time at ``timecode``'s rate."""

    to: str | None = "127.0.0.1"
    port: int = ARTNET_PORT
    sync: bool = True
    broadcast: str | None = None
    pacing: BurstPacing | None = None
    timecode: int | None = None      # an Art-Net timecode type (protocol.timecode.TIMECODE_KINDS)
    timecode_offset_s: float = 0.0   # the timecode at the show's start, in seconds (10:00:00:00 = 36000)
    latch_s: float = 0.0             # > 0: each frame's ArtSync (and timecode) this long after its deadline


def output_sinks(universes: list[int], nodes, outputs: Outputs, discovery: NodeSource | None = None,
                 strict: bool = False) -> list[Sink]:
    """An Art-Net sink for ``universes`` (and an sACN one for those the rig sends as sACN).

    Universes no node serves are a usage error when ``strict`` (``send``), else a warning."""
    routes = node_routes(universes, nodes, outputs.to, outputs.port)
    unrouted = routes.unrouted(universes)
    if unrouted and not outputs.broadcast and discovery is None:
        message = (f"no node serves universes {unrouted[:8]}; give --to IP, --poll ADDRESS "
                   f"(to the nodes that announce them) or --broadcast")
        if strict:
            raise UsageError(message)
        log.warning("%s", message)
    sinks: list[Sink] = [ArtNetSink(ArtNetSender(
        universes, routes.artnet, sync=outputs.sync, broadcast=outputs.broadcast, nodes=discovery,
        pacing=routes.pacing, default_pacing=outputs.pacing, timecode=outputs.timecode,
        timecode_offset_s=outputs.timecode_offset_s), latch_s=outputs.latch_s)]
    rows = routes.sacn_rows
    if rows:
        sinks.append(SacnSink(SacnSender([universes[i] for i in rows], [routes.sacn[i] for i in rows]), rows))
    return sinks
