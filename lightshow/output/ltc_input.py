"""LTC heard on an audio input: each decoded frame with the monotonic time its first sample was captured.

A PortAudio input stream (through sounddevice) on ``device`` (default: the system's default input)
feeds a :class:`lightshow.output.libltc.LtcDecoder` from its callback.  Every block is stamped with
the monotonic time of its first sample: PortAudio's ``inputBufferAdcTime`` mapped onto
``time.monotonic`` (:class:`lightshow.output.audio_device.PortAudioClock`, as the soundtrack's output
does for its DAC times).  A decoded frame's first sample lies in some block of the last second; its
capture time is that block's stamp plus its place in the block, and that is the frame's time (an LTC
frame starts when its frame does).  ``on_frame(frame, started_s, arrived_s)`` is called from the
audio thread with the frame, that time and the monotonic time it was decoded (a frame later, at
least: a frame is only read once its sync word, at its end, has been heard).
"""

from __future__ import annotations

import bisect
import collections
import threading
import time

import numpy as np

from lightshow.output.audio_device import PortAudioClock, started_named_stream, stopped_stream
from lightshow.output.libltc import LtcDecoder, LtcFrame

BLOCKS_KEPT = 512            # block stamps kept: seconds of audio at the usual block sizes
DELAYS_KEPT = 200            # capture delays kept for the worst recent one: about a second


class LtcInput:
    """Decodes LTC from an audio input; ``on_frame(frame, started_s, arrived_s)`` for each frame."""

    def __init__(self, on_frame, device: str | int | None = None, sample_rate: int = 48000,
                 blocksize: int = 256, latency_s: float | str = "low"):
        self.on_frame, self.device, self.sample_rate = on_frame, device, int(sample_rate)
        self._blocksize, self._latency = int(blocksize), latency_s
        self._decoder = LtcDecoder(self.sample_rate)
        self._clock = PortAudioClock()
        self._starts: collections.deque = collections.deque(maxlen=BLOCKS_KEPT)   # first sample index
        self._stamps: collections.deque = collections.deque(maxlen=BLOCKS_KEPT)   # its monotonic time
        self._stream = None
        self.device_name: str | None = None
        self.blocks = self.frames = self.overflows = 0
        self.delay_s = float("nan")      # capture to callback, newest block
        self._delays: collections.deque = collections.deque(maxlen=DELAYS_KEPT)
        self._lock = threading.Lock()

    def start(self) -> "LtcInput":
        self._stream, info = started_named_stream(
            "input", self.device, "no audio input for LTC", samplerate=self.sample_rate, channels=1,
            blocksize=self._blocksize, latency=self._latency, callback=self._callback)
        self.device_name = info["name"]
        return self

    def close(self) -> None:
        stream, self._stream = self._stream, None
        stopped_stream(stream)
        self._decoder.close()

    def __enter__(self) -> "LtcInput":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def worst_delay_s(self) -> float:
        """The longest capture-to-callback delay of the recent blocks (0 before any)."""
        delays = tuple(self._delays)
        return max(max(delays), 0.0) if delays else 0.0

    def captured_s(self, sample_idx: int) -> float | None:
        """The monotonic time sample ``sample_idx`` (counted from the stream's first) was captured;
        None when it is older than the blocks kept."""
        at = bisect.bisect_right(self._starts, sample_idx) - 1
        if at < 0:
            return None
        return self._stamps[at] + (sample_idx - self._starts[at]) / self.sample_rate

    def _callback(self, data, frames, time_info, status) -> None:
        mono_now, real_now = time.monotonic(), time.time()
        adc_mono = self._clock.to_monotonic(time_info.inputBufferAdcTime, time_info.currentTime,
                                            mono_now, real_now)
        if status.input_overflow:
            self.overflows += 1
        self._starts.append(self._decoder.samples_written)
        self._stamps.append(adc_mono)
        self.blocks += 1
        self.delay_s = mono_now - adc_mono
        self._delays.append(self.delay_s)
        decoded: list[LtcFrame] = self._decoder.write(np.asarray(data[:, 0]))
        for frame in decoded:
            started_s = self.captured_s(frame.sample_idx)
            if started_s is None or frame.reverse:
                continue                          # far too late to place, or played backwards
            self.frames += 1
            self.on_frame(frame, started_s, mono_now)
