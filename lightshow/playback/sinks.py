"""Where the player's frames go: Art-Net, sACN, the simulator, a recording."""

from __future__ import annotations

import os
import threading

import numpy as np

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.files.fseq_writing import write_atomically
from lightshow.output.sacn_sender import SacnSender
from lightshow.errors import LightshowError
from lightshow.protocol.fseq import FseqWriter, fseq_step_ms

RECORD_CHUNK_FRAMES = 40   # frames read back from the raw recording at a time


class ArtNetSink:
    def __init__(self, sender: ArtNetSender):
        self.sender = sender

    def send(self, frame: np.ndarray, deadline_s: float) -> None:
        self.sender.send_frame(frame, deadline_s)

    def close(self) -> None:
        self.sender.close()


class SacnSink:
    """The universes (rows of the frame) that go out as sACN; stream termination on close."""

    def __init__(self, sender: SacnSender, rows: list[int]):
        self.sender, self.rows = sender, rows

    def send(self, frame: np.ndarray, deadline_s: float) -> None:
        self.sender.send_frame(frame[self.rows], deadline_s)

    def close(self) -> None:
        self.sender.close()


class LatestFrameSink:
    """Keeps the latest frame, for a window that draws at its own pace."""

    def __init__(self, n_channels: int):
        self._frame = np.zeros(n_channels, dtype=np.uint8)
        self._lock = threading.Lock()
        self.frames = 0

    def send(self, frame: np.ndarray, deadline_s: float) -> None:
        with self._lock:
            self._frame = frame.reshape(-1)
            self.frames += 1

    def frame(self) -> np.ndarray:
        with self._lock:
            return self._frame

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

    def send(self, frame: np.ndarray, deadline_s: float) -> None:
        self._raw.write(np.ascontiguousarray(frame).tobytes())
        self.frames += 1

    def close(self) -> None:
        if self._raw.closed:
            return
        self._raw.close()
        try:
            raw = np.memmap(self.raw_path, dtype=np.uint8, mode="r",
                            shape=(self.frames, self.n_channels)) if self.frames else None
            writer = FseqWriter(self.n_channels, fseq_step_ms(self.fps), compression="zstd")
            write_atomically(self.path, writer, 0, self.frames, RECORD_CHUNK_FRAMES,
                             lambda start, stop: np.asarray(raw[start:stop]))
        finally:
            os.unlink(self.raw_path)
