"""The show's time as LTC on an audio output, heard as the lights for that time go out.

:class:`ShowClock` turns the player's ticks (each tick's deadline, the monotonic time its frame goes
out, and the show time of the show frame it carries, None unless playing) into a continuous show
time at any instant: a tick carrying show frame ``k`` says the playhead is within ``[k, k + 1)``
frames at its deadline, so the estimate (run on at rate 1 between ticks) is kept inside that window,
moved to its nearest edge when outside (a seek is one such move).

:class:`LtcOutput` is a PortAudio output stream whose callback writes LTC frames back to back, one
persistent libltc encoder (:class:`lightshow.output.libltc.LtcEncoder`).  Each block knows the
monotonic time its first sample reaches the DAC (``outputBufferDacTime`` mapped as the soundtrack's
output maps it, so corrected for the output latency the audio API reports); at the first sample of
each LTC frame the callback asks the show clock for the show time at that sample's DAC time:

- in sequence (the next label is within a frame of it): the frame's length is chosen so that the
  next frame starts when the show reaches the next label (within 5 % of the nominal length; the
  frame is resampled to it), so the LTC stays locked to the lights through a DAC clock's drift or a
  slewing playhead, and stays one continuous signal;
- otherwise (a start, a seek): silence until the next frame boundary of the show, then that label;
- no show time (stopped, paused, before the show's start): silence.

What the callback writes is heard one output latency later; the clock is asked about that later
instant, so a pause or a seek reaches the LTC a latency after the lights (as the soundtrack's does).
Labels are the show time as the ArtTimeCode output labels it (show start 00:00:00:00).
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

from lightshow.output.audio_device import PortAudioClock, started_named_stream, stopped_stream
from lightshow.output.libltc import LtcEncoder
from lightshow.protocol.artnet_timecode import timecode_fps
from lightshow.protocol.timecode import timecode_at

MAX_STRETCH = 0.05           # a frame's length may differ from the nominal by this fraction


class ShowClock:
    """The show time at any instant, from the player's ticks (any thread)."""

    def __init__(self):
        self._estimate: tuple[float, float] | None = None     # (show s, monotonic s); None: not playing
        self._lock = threading.Lock()

    def tick(self, deadline_s: float, show_s: float | None, frame_s: float) -> None:
        """The tick at ``deadline_s`` carried the show frame starting at ``show_s`` (``frame_s`` long)."""
        with self._lock:
            if show_s is None:
                self._estimate = None
                return
            if self._estimate is None:
                self._estimate = (show_s, deadline_s)
                return
            est_s, at_s = self._estimate
            here_s = est_s + (deadline_s - at_s)
            self._estimate = (min(max(here_s, show_s), show_s + frame_s), deadline_s)

    def show_at(self, now_s: float) -> float | None:
        estimate = self._estimate
        if estimate is None:
            return None
        return estimate[0] + (now_s - estimate[1])


class LtcOutput:
    """LTC of ``show_at(monotonic s)`` (timecode type ``kind``) on the audio output ``device``."""

    def __init__(self, show_at, kind: int, device: str | int | None = None, sample_rate: int = 48000,
                 volume_dbfs: float = -18.0, blocksize: int = 256, latency_s: float | str = "low"):
        self.show_at, self.kind, self.device = show_at, kind, device
        self.sample_rate = int(sample_rate)
        self.fps = timecode_fps(kind)
        self._nominal = self.sample_rate / self.fps
        self._encoder = LtcEncoder(kind, self.sample_rate, volume_dbfs)
        self._blocksize, self._latency = int(blocksize), latency_s
        self._clock = PortAudioClock()
        self._pending = np.zeros(0, np.float32)     # the rest of the frame (or the silence) under way
        self._next_count: int | None = None         # the label after it, in frames; None: not running
        self._stream = None
        self.device_name: str | None = None
        self.latency_s = float("nan")
        self.frames_written = self.resyncs = self.underflows = 0

    def start(self) -> "LtcOutput":
        self._stream, info = started_named_stream(
            "output", self.device, "no audio output for LTC", samplerate=self.sample_rate, channels=1,
            blocksize=self._blocksize, latency=self._latency, callback=self._callback)
        self.device_name = info["name"]
        return self

    def close(self) -> None:
        stream, self._stream = self._stream, None
        stopped_stream(stream)
        self._encoder.close()

    def _callback(self, out, frames, time_info, status) -> None:
        mono_now, real_now = time.monotonic(), time.time()
        dac_s = self._clock.to_monotonic(time_info.outputBufferDacTime, time_info.currentTime, mono_now, real_now)
        self.latency_s = dac_s - mono_now
        if status.output_underflow:
            self.underflows += 1
        block = out[:, 0]
        done = 0
        while done < frames:
            if self._pending.size == 0 and not self._plan(dac_s + done / self.sample_rate):
                block[done:] = 0.0
                break
            n = min(self._pending.size, frames - done)
            block[done:done + n] = self._pending[:n]
            self._pending = self._pending[n:]
            done += n

    def _plan(self, at_s: float) -> bool:
        """What follows at DAC time ``at_s``: the next frame, or silence up to the show's next frame
        boundary; False when the show has no time there (silence)."""
        show_s = self.show_at(at_s)
        if show_s is None or show_s < 0:
            self._next_count = None
            return False
        count = self._next_count
        if count is not None and abs(show_s * self.fps - count) <= 1.0:
            ends_in_s = (count + 1) / self.fps - show_s     # the next label is due then
            length = min(max(ends_in_s * self.sample_rate, self._nominal * (1 - MAX_STRETCH)),
                         self._nominal * (1 + MAX_STRETCH))
            samples = self._encoder.frame(timecode_at(count / self.fps, self.kind))
            n = max(int(round(length)), 1)
            self._pending = np.interp(np.linspace(0.0, samples.size, n, endpoint=False),
                                      np.arange(samples.size), samples).astype(np.float32)
            self._next_count = count + 1
            self.frames_written += 1
            return True
        count = math.ceil(show_s * self.fps - 1e-6)         # a start or a seek: wait for a boundary
        self._pending = np.zeros(max(int(round((count / self.fps - show_s) * self.sample_rate)), 1), np.float32)
        self._next_count = count
        self.resyncs += 1
        return True
