"""The soundtrack's output edge: a PortAudio stream (through sounddevice) whose DAC clock is the show's.

The whole soundtrack sits in memory; a PortAudio callback copies (and, off rate 1, resamples
by linear interpolation, pitch moving like tape) the samples at the current soundtrack position
into each block.  Every callback also records an *anchor*: the monotonic time at which the first
sample of its block reaches the DAC (PortAudio's ``outputBufferDacTime``, i.e. corrected for the
output latency the audio API reports), the soundtrack position of that sample and the rate.
:meth:`AudioOutput.position_s` answers from the newest anchor whose DAC time has come, so the
position it gives is the one *audible* now; a seek or pause shows up there exactly when the new
material (or the silence) reaches the DAC, not when the call was made.

Clocks: PortAudio 19.6 (Debian 12's libportaudio2) stamps ALSA streams with CLOCK_REALTIME
(``PaUtil_GetTime`` and the ALSA status timestamps are wall-clock there; measured: the callback's
``currentTime`` is within 0.2 ms of ``time.time()``), newer PortAudio builds use CLOCK_MONOTONIC.
The first callback tells which one it is, and every callback then maps its DAC time onto
``time.monotonic()`` with the offset between the two clocks sampled in that callback, so a wall
clock step (NTP) moves nothing.
"""

from __future__ import annotations

import collections
import math
import threading
import time

import numpy as np

from lightshow.errors import LightshowError

ANCHORS_KEPT = 256            # about a second of callbacks at small block sizes
LEVEL_WINDOW_S = 0.1
MAX_RATE = 8.0


class AudioUnavailable(LightshowError):
    """No audio output can be opened; the message is one line saying why."""


def _sounddevice():
    try:
        import sounddevice
    except OSError as error:   # sounddevice raises OSError when libportaudio is missing
        raise AudioUnavailable(
            "no audio output: PortAudio library not found (apt install libportaudio2)") from error
    except ImportError as error:
        raise AudioUnavailable("no audio output: the sounddevice package is not installed") from error
    return sounddevice


def device_info(device, direction: str, failure: str, default: str | None = None) -> dict:
    """PortAudio's description of the ``direction`` ("input" or "output") ``device`` (None: the
    default); AudioUnavailable, in one line beginning with ``failure``, when there is no such device."""
    sd = _sounddevice()
    try:
        return sd.query_devices(device, direction)
    except (ValueError, sd.PortAudioError) as error:
        what = f"device {device!r}" if device is not None else (default or f"the default {direction}")
        raise AudioUnavailable(f"{failure}: {what}: {_one_line(error)}") from error


def started_stream(stream_class, info: dict, chosen: bool, failure: str, **settings):
    """A float32 PortAudio stream (``sounddevice.InputStream`` or ``OutputStream``) on the device
    ``info`` describes (the default one unless ``chosen``), started; AudioUnavailable in one line."""
    sd = _sounddevice()
    try:
        stream = stream_class(dtype="float32", device=info["index"] if chosen else None, **settings)
        stream.start()
    except sd.PortAudioError as error:
        raise AudioUnavailable(f"{failure}: {info['name']}: {_one_line(error)}") from error
    return stream


def started_named_stream(direction: str, device: str | int | None, failure: str, **settings):
    """A started stream on the ``direction`` ("input" or "output") ``device`` as a user names it
    (a name, a string of digits for PortAudio's index, or None for the default), and the device's
    description; AudioUnavailable, in one line beginning with ``failure``, when it cannot start."""
    sd = _sounddevice()
    device = int(device) if isinstance(device, str) and device.isdigit() else device
    info = device_info(device, direction, failure)
    stream_class = sd.InputStream if direction == "input" else sd.OutputStream
    return started_stream(stream_class, info, device is not None, failure, **settings), info


def stopped_stream(stream) -> None:
    """Stop and close a stream from ``started_stream`` (None: nothing to do)."""
    if stream is not None:
        stream.stop()
        stream.close()


def output_device(device: str | None = None) -> dict:
    """PortAudio's description of the output ``device`` (None: the default); AudioUnavailable, in one
    line, when there is no such output.  Cheap: check this before decoding a whole soundtrack."""
    sd = _sounddevice()
    if not any(found["max_output_channels"] > 0 for found in sd.query_devices()):
        raise AudioUnavailable("no audio output device (PortAudio found none; with PulseAudio, "
                               "is the server in PULSE_SERVER running?)")
    return device_info(device, "output", "no audio output", default="the default device")


class PortAudioClock:
    """Maps PortAudio stream times (a callback's DAC or ADC time) onto ``time.monotonic()``.

    The first call tells which clock PortAudio stamps with (CLOCK_REALTIME in 19.6 on ALSA,
    CLOCK_MONOTONIC in newer builds, else some other clock whose offset is tracked); every call
    then maps with the offset of the two clocks sampled in that callback, so a wall clock step
    moves nothing.  Used by every audio stream here, input or output."""

    def __init__(self):
        self.kind: str | None = None      # "realtime" | "monotonic" | "offset"
        self._offset_s = 0.0              # for "offset": PortAudio time minus monotonic, smoothed

    def to_monotonic(self, stream_s: float, pa_now_s: float, mono_now_s: float, real_now_s: float) -> float:
        """``stream_s`` (a time on PortAudio's clock, read in a callback whose ``currentTime`` was
        ``pa_now_s``, at ``mono_now_s``/``real_now_s`` on the two system clocks) as monotonic time."""
        if self.kind is None:
            if abs(pa_now_s - real_now_s) < 1.0:
                self.kind = "realtime"
            elif abs(pa_now_s - mono_now_s) < 1.0:
                self.kind = "monotonic"
            else:
                self.kind, self._offset_s = "offset", pa_now_s - mono_now_s
        if self.kind == "realtime":
            return stream_s - (real_now_s - mono_now_s)
        if self.kind == "monotonic":
            return stream_s
        self._offset_s += 0.05 * ((pa_now_s - mono_now_s) - self._offset_s)
        return stream_s - self._offset_s


class AudioOutput:
    """Plays an in-memory soundtrack and tells which soundtrack position is audible when."""

    def __init__(self, samples: np.ndarray, sample_rate: int, gain_db: float = 0.0,
                 device: str | None = None, blocksize: int = 256, latency_s: float | str = "low"):
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, None]
        if samples.ndim != 2 or samples.shape[1] < 1:
            raise ValueError(f"samples must be shaped (n, channels), got {samples.shape}")
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        # one spare zero frame at the end lets the interpolation read index+1 without a branch
        self._samples = np.concatenate([samples, np.zeros((1, samples.shape[1]), np.float32)])
        self._frames = samples.shape[0]
        self.sample_rate = int(sample_rate)
        self.channels = samples.shape[1]
        self.duration_s = self._frames / self.sample_rate
        self.gain_db = float(gain_db)
        self._gain = float(10.0 ** (gain_db / 20.0))
        self.device = device
        self._blocksize = int(blocksize)
        self._requested_latency = latency_s
        self._lock = threading.Lock()
        # transport state, read and advanced by the callback (position in soundtrack frames)
        self._playing = False
        self._pos_frames = 0.0
        self._rate = 1.0
        # (dac_monotonic_s, position_s, rate, playing), appended by the callback
        self._anchors: collections.deque = collections.deque(maxlen=ANCHORS_KEPT)
        self._clock = PortAudioClock()
        self._api_latency_s = None
        self._levels: collections.deque = collections.deque()   # (sum of squares, samples)
        self._level_samples = 0
        self._stream = None
        self.callbacks = 0
        self.underflows = 0

    # -- stream ---------------------------------------------------------------------------------
    def start(self) -> "AudioOutput":
        sd = _sounddevice()
        info = output_device(self.device)
        self._stream = started_stream(sd.OutputStream, info, bool(self.device), "no audio output",
                                      samplerate=self.sample_rate, channels=self.channels,
                                      blocksize=self._blocksize, latency=self._requested_latency,
                                      callback=self._callback)
        return self

    def close(self) -> None:
        stream, self._stream = self._stream, None
        stopped_stream(stream)
        with self._lock:
            self._playing = False
            self._anchors.clear()

    def __enter__(self) -> "AudioOutput":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transport (any thread) -----------------------------------------------------------------
    def play(self, position_s: float, rate: float = 1.0) -> None:
        rate = _checked_rate(rate)
        with self._lock:
            self._pos_frames = float(position_s) * self.sample_rate
            self._rate = rate
            self._playing = True

    def pause(self) -> None:
        with self._lock:
            self._playing = False

    def seek(self, position_s: float) -> None:
        with self._lock:
            self._pos_frames = float(position_s) * self.sample_rate

    def set_rate(self, rate: float) -> None:
        rate = _checked_rate(rate)
        with self._lock:
            self._rate = rate

    # -- clock (any thread, quick) --------------------------------------------------------------
    def position_s(self, now_s: float) -> float | None:
        """The soundtrack position audible at monotonic time ``now_s``; None when nothing is.

        None while paused (from the moment the pause reaches the DAC), before the first
        callback after start, after close, and past the end of the soundtrack.  After a seek,
        the old position carries on until the first block from the new position reaches the
        DAC (one output latency later): that is what is heard until then, so lights following
        this jump together with the sound."""
        if self._stream is None:
            return None
        anchors = tuple(self._anchors)     # one atomic copy; the callback keeps appending
        # newest first; the newest anchors are usually in the future (the latency ahead)
        for dac_s, position_s, rate, playing in reversed(anchors):
            if dac_s <= now_s:
                if not playing:
                    return None
                position_s += (now_s - dac_s) * rate
                return position_s if position_s < self.duration_s else None
        return None

    @property
    def latency_s(self) -> float:
        """Output latency the API reports: DAC time minus callback time of the newest block."""
        if self._api_latency_s is not None:
            return self._api_latency_s
        return float(self._stream.latency) if self._stream is not None else float("nan")

    def level_dbfs(self) -> float:
        """RMS level of what was output over the last ~100 ms, in dBFS; -inf when silent."""
        levels = list(self._levels)
        squares = sum(level[0] for level in levels)
        count = sum(level[1] for level in levels)
        if count == 0 or squares <= 0.0:
            return float("-inf")
        return 10.0 * math.log10(squares / count)

    # -- the PortAudio callback -----------------------------------------------------------------
    def _callback(self, out, frames, time_info, status) -> None:
        mono_now = time.monotonic()
        real_now = time.time()
        pa_now = time_info.currentTime
        dac = time_info.outputBufferDacTime
        if status.output_underflow:
            self.underflows += 1
        dac_mono = self._clock.to_monotonic(dac, pa_now, mono_now, real_now)
        if dac > 0.0:
            self._api_latency_s = dac - pa_now
        with self._lock:
            playing, pos, rate = self._playing, self._pos_frames, self._rate
            if playing:
                self._pos_frames = pos + rate * frames
        if playing:
            self._render(out, frames, pos, rate)
        else:
            out.fill(0.0)
        self._anchors.append((dac_mono, pos / self.sample_rate, rate, playing))
        self.callbacks += 1
        self._keep_level(out, frames)

    def _render(self, out, frames: int, pos: float, rate: float) -> None:
        if rate == 1.0 and pos == int(pos):
            start = int(pos)
            lo, hi = max(start, 0), min(start + frames, self._frames)
            out.fill(0.0)
            if hi > lo:
                out[lo - start:hi - start] = self._samples[lo:hi]
        else:
            where = pos + rate * np.arange(frames, dtype=np.float64)
            base = np.floor(where)
            inside = (base >= 0) & (base < self._frames)
            index = np.where(inside, base, 0).astype(np.int64)
            frac = (where - base).astype(np.float32)[:, None]
            block = self._samples[index] * (1.0 - frac) + self._samples[index + 1] * frac
            block[~inside] = 0.0
            out[:] = block
        if self._gain != 1.0:
            out *= self._gain

    def _keep_level(self, out, frames: int) -> None:
        self._levels.append((float(np.dot(out.ravel(), out.ravel())), out.size))
        self._level_samples += frames
        while self._level_samples > LEVEL_WINDOW_S * self.sample_rate and len(self._levels) > 1:
            self._level_samples -= self._levels.popleft()[1] // self.channels


def _checked_rate(rate: float) -> float:
    rate = float(rate)
    if not 0.0 < rate <= MAX_RATE:
        raise ValueError(f"rate must be in (0, {MAX_RATE:g}], got {rate:g}")
    return rate


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
