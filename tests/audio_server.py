"""A private PulseAudio server with a null sink, and a recorder of what reached that sink.

``PulseServer`` starts ``pulseaudio`` (16.1 in Debian 12) in a temporary folder of its own
(``HOME``, ``XDG_RUNTIME_DIR``), as root too: ``-n`` skips the default.pa, so only the modules
named on the command line load (a null sink ``lightshow`` and the native protocol on a socket
in that folder, anonymous auth), ``--exit-idle-time=-1`` keeps it up between streams.  It then
exports ``PULSE_SERVER`` (and ``PULSE_SINK``/``PULSE_SOURCE``), which the ALSA ``pulse`` plugin
(Debian's libasound2-plugins) honours; ALSA's ``default`` device is that plugin (pulseaudio's
``/etc/alsa/conf.d/99-pulse.conf``), so PortAudio's ALSA host API — the one Debian 12's
libportaudio2 (19.6) has, it has no PulseAudio host API — plays into the null sink.

The same server string works from a shell, e.g. to listen to what a test plays::

    d=$(mktemp -d); mkdir -m700 $d/run; HOME=$d XDG_RUNTIME_DIR=$d/run pulseaudio -n \\
        --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=false \\
        -L "module-null-sink sink_name=lightshow rate=48000" \\
        -L "module-native-protocol-unix socket=$d/pulse.sock auth-anonymous=1" &
    export PULSE_SERVER=unix:$d/pulse.sock     # then: pactl info, parec -d lightshow.monitor ...

``MonitorRecorder`` records the null sink's monitor source through a PortAudio input stream and
stamps every block with the monotonic time of its first sample: PortAudio's
``inputBufferAdcTime`` mapped from its clock (CLOCK_REALTIME in 19.6) onto ``time.monotonic``
with the offset of the two clocks sampled in the callback — the same mapping
:class:`lightshow.output.audio_device.AudioOutput` uses for its DAC times, but measured on the
capture side of the server, so the two only agree when the latencies the server reports on
both sides are right.  (``parec`` was the alternative: it gives bytes with no timestamps, so a
reader can only stamp their arrival, which trails the monitor by its fragment size and
scheduling jitter.)  A cross-check with ``parec --latency-msec=2`` read 96 frames at a time:
clicks *arrive* 1.0-2.0 ms before ``position_s`` calls them audible, while the ADC stamps put
them 0.1-0.3 ms after; a null sink renders (and so feeds its monitor) a little ahead of the
moment it accounts as played, so "heard" on a null sink is only defined to about its block
(~2 ms here), both ways far inside the show's 10 ms.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pytest

SINK = "lightshow"
SAMPLE_RATE = 48000
STEADY_BLOCKS = 40           # recorder callbacks in a row ...
STEADY_DELAY_S = 0.05        # ... each with a capture delay under this, and the sink is in small blocks
UNDERRUN_ENDED = "Requesting rewind due to end of underrun"    # protocol-native.c, pulseaudio 16.1

needs_pulseaudio = pytest.mark.skipif(
    shutil.which("pulseaudio") is None,
    reason="pulseaudio (Debian packages pulseaudio, libportaudio2, libasound2-plugins) is installed by .ci/install")


class PulseServer:
    """A running private PulseAudio with one null sink; the env points PortAudio at it."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, start_timeout_s: float = 10.0):
        if shutil.which("pulseaudio") is None:
            pytest.skip("pulseaudio is not installed (.ci/install installs it)")
        self.sample_rate = sample_rate
        self.folder = tempfile.mkdtemp(prefix="lightshow-pulse-")
        runtime = os.path.join(self.folder, "run")
        os.mkdir(runtime, 0o700)
        self.socket_path = os.path.join(self.folder, "pulse.sock")
        self.server = f"unix:{self.socket_path}"
        self.log_path = os.path.join(self.folder, "pulseaudio.log")
        env = dict(os.environ, HOME=self.folder, XDG_RUNTIME_DIR=runtime)
        env.pop("PULSE_SERVER", None)
        command = ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                   "--use-pid-file=false", "--log-target=stderr", "--log-level=debug", "--realtime=no",
                   "-L", f"module-null-sink sink_name={SINK} rate={sample_rate} channels=2",
                   "-L", f"module-native-protocol-unix socket={self.socket_path} auth-anonymous=1"]
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + start_timeout_s
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pulseaudio did not start: {self.log()[-2000:]}")
            time.sleep(0.05)
        self._saved_env = {name: os.environ.get(name)
                           for name in ("PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")}
        os.environ.update(PULSE_SERVER=self.server, PULSE_SINK=SINK, PULSE_SOURCE=f"{SINK}.monitor")
        _rescan_portaudio()

    def _answers(self) -> bool:
        if not os.path.exists(self.socket_path):
            return False
        probe = subprocess.run(["pactl", "--server", self.server, "info"], capture_output=True)
        return probe.returncode == 0

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", "--server", self.server, *args], capture_output=True,
                              text=True, check=True).stdout

    def log(self) -> str:
        with open(self.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")

    def playback_underruns(self) -> int:
        """Underruns of playback streams so far, as the server logs them (at debug level) when one
        ends: a client that wrote late; what it wrote for the time already played is dropped."""
        return self.log().count(UNDERRUN_ENDED)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        for name, value in getattr(self, "_saved_env", {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "PulseServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _rescan_portaudio() -> None:
    """PortAudio lists devices once, at initialisation (sounddevice's import); if sounddevice was
    imported before this server existed, ALSA's pulse devices failed their probe then, so
    re-initialise it (no stream may be open across this)."""
    module = sys.modules.get("sounddevice")
    if module is not None:
        module._terminate()
        module._initialize()


class MonitorRecorder:
    """Records the null sink's monitor; ``blocks`` holds (monotonic time of first sample, samples)."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, channels: int = 2, blocksize: int = 256):
        import sounddevice

        self.sample_rate = sample_rate
        self.blocks: list[tuple[float, np.ndarray]] = []
        self.overflows = 0
        self.delays_s: list[float] = []    # callback time minus time of the block's first sample
        self._lock = threading.Lock()
        self._stream = sounddevice.InputStream(samplerate=sample_rate, channels=channels,
                                               dtype="float32", blocksize=blocksize, latency="low",
                                               callback=self._callback)

    def _callback(self, data, frames, time_info, status) -> None:
        mono_now, real_now = time.monotonic(), time.time()
        adc = time_info.inputBufferAdcTime
        if abs(time_info.currentTime - real_now) < 1.0:       # PortAudio 19.6 on ALSA: wall clock
            adc_mono = adc - (real_now - mono_now)
        else:                                                  # newer PortAudio: CLOCK_MONOTONIC
            adc_mono = adc
        if status.input_overflow:
            self.overflows += 1
        with self._lock:
            self.blocks.append((adc_mono, data[:, 0].copy()))
            self.delays_s.append(mono_now - adc_mono)

    def start(self, steady_timeout_s: float = 10.0) -> "MonitorRecorder":
        """Starts recording and returns once the capture latency has settled.

        A null sink nobody listened to runs in blocks of up to 2 s (module-null-sink's maximum
        latency) and only takes up a low-latency client's request after its current block:
        until then the monitor's reported delay is hundreds of ms and wanders (measured: about
        3 s after the first stream starts).  Starting the recorder first and waiting here makes
        the sink run in small blocks before anything under test plays, and an output stream
        opened after that starts at once (measured: 40 ms, instead of a 1.9 s stall)."""
        self._stream.start()
        deadline = time.monotonic() + steady_timeout_s
        while True:
            with self._lock:
                recent = self.delays_s[-STEADY_BLOCKS:]
            if len(recent) == STEADY_BLOCKS and max(recent) < STEADY_DELAY_S:
                return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"the monitor's capture delay did not settle: {recent[-3:]}")
            time.sleep(0.02)

    def stop(self) -> None:
        self._stream.stop()
        self._stream.close()

    def __enter__(self) -> "MonitorRecorder":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def onsets(self, threshold: float = 0.25, hold_s: float = 0.02) -> list[float]:
        """Monotonic time of each click: the first sample above ``threshold`` starts one, and the
        click's time is the centroid of |x| over that sample's neighbours (sub-sample, so a click
        smeared over two samples by varispeed still lands where it was); ``hold_s`` of dead time."""
        with self._lock:
            blocks = list(self.blocks)
        if not blocks:
            return []
        starts = np.array([start_s for start_s, _ in blocks])
        lengths = np.array([len(samples) for _, samples in blocks])
        samples = np.abs(np.concatenate([samples for _, samples in blocks]))
        first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        found: list[float] = []
        last = -1e9
        for index in np.flatnonzero(samples >= threshold):
            block = int(np.searchsorted(first, index, side="right") - 1)
            at = starts[block] + (index - first[block]) / self.sample_rate
            if at - last < hold_s:
                continue
            lo, hi = max(index - 1, 0), min(index + 3, len(samples))
            weights = samples[lo:hi]
            offset = float(np.dot(weights, np.arange(lo, hi) - index) / weights.sum())
            found.append(at + offset / self.sample_rate)
            last = at
        return found


def click_track(click_positions_s, duration_s: float, sample_rate: int = SAMPLE_RATE,
                channels: int = 2, amplitude: float = 0.8) -> np.ndarray:
    """A silent soundtrack with a one-sample click at each position (rounded to a sample)."""
    samples = np.zeros((int(round(duration_s * sample_rate)), channels), np.float32)
    for position_s in click_positions_s:
        samples[int(round(position_s * sample_rate))] = amplitude
    return samples


class Sampler:
    """Asks ``position_s`` every millisecond from a thread of its own, like a light frame loop."""

    def __init__(self, output):
        self.output = output
        self.times: list[float] = []
        self.positions: list[float | None] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            now = time.monotonic()
            self.positions.append(self.output.position_s(now))
            self.times.append(now)
            time.sleep(0.001)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def at(self, now_s: float, rate: float) -> float | None:
        index = int(np.searchsorted(self.times, now_s)) - 1
        if index < 0 or self.positions[index] is None:
            return None
        return self.positions[index] + (now_s - self.times[index]) * rate


def errors_ms(recorder, sampler, clicks_s, since_s, until_s, rate=1.0):
    """(soundtrack position heard, error in ms) for each click heard between the two times."""
    found = []
    for heard_s in recorder.onsets():
        if not since_s <= heard_s < until_s:
            continue
        position_s = sampler.at(heard_s, rate)
        assert position_s is not None, f"a click was heard at {heard_s:.3f} while position_s said nothing plays"
        nearest = clicks_s[int(np.argmin(np.abs(clicks_s - position_s)))]
        found.append((nearest, (position_s - nearest) / rate * 1000.0))
    return found
