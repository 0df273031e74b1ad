"""The soundtrack clock on a real audio server: 60 s of clicks with seeks and pauses.

A private PulseAudio with a null sink (``tests/audio_server.py``) receives a soundtrack of
one-sample clicks every 0.1 s from :class:`lightshow.output.audio_device.AudioOutput`; the null
sink's monitor is recorded with every block stamped on the monotonic clock.  A thread asks
``position_s(time.monotonic())`` every millisecond, as the light player would once per frame.
Every 0.7-2.5 s (seeded, so each run does the same) the transport seeks (playing) or pauses for
0.2-1 s and resumes somewhere else.  For each click heard, the error is the soundtrack position
``position_s`` gave then (extrapolated <= 1 ms from the last sample) minus the click's position.

Reported: clicks played and heard, clicks heard while ``position_s`` said silence, error
p50/p99/max and the output latency PortAudio reports.
Last line: ``audio clock: error p99 <x> ms, latency <y> ms``.
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import random
import time

import numpy as np

from tests.audio_server import SAMPLE_RATE, MonitorRecorder, PulseServer, Sampler, click_track

CLICK_EVERY_S = 0.1
SOUNDTRACK_S = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--blocksize", type=int, default=256)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from lightshow.output.audio_device import AudioOutput

    chooser = random.Random(args.seed)
    clicks = np.round(np.arange(CLICK_EVERY_S / 2, SOUNDTRACK_S, CLICK_EVERY_S), 4)
    seeks = pauses = 0
    with PulseServer() as server, MonitorRecorder(blocksize=args.blocksize) as recorder:
        output = AudioOutput(click_track(clicks, SOUNDTRACK_S + 0.5), SAMPLE_RATE,
                             blocksize=args.blocksize)
        with output, Sampler(output) as sampler:
            start = time.monotonic()
            output.play(0.0)
            while time.monotonic() - start < args.seconds:
                time.sleep(chooser.uniform(0.7, 2.5))
                where = round(chooser.uniform(0.0, SOUNDTRACK_S - 10.0), 3)
                if chooser.random() < 0.6:
                    output.seek(where)
                    seeks += 1
                else:
                    output.pause()
                    time.sleep(chooser.uniform(0.2, 1.0))
                    output.play(where)
                    pauses += 1
            end = time.monotonic()
            latency_ms = output.latency_s * 1000.0
            underflows = output.underflows
        heard = [at for at in recorder.onsets() if start <= at < end]
        errors, silent = [], 0
        for at in heard:
            position_s = sampler.at(at, 1.0)
            if position_s is None:
                silent += 1
                continue
            nearest = clicks[int(np.argmin(np.abs(clicks - position_s)))]
            errors.append((position_s - nearest) * 1000.0)
        server_log_lines = len(server.log().splitlines())
    error = np.abs(errors)
    print(f"{args.seconds:.0f} s, blocksize {args.blocksize}: {seeks} seeks, {pauses} pauses, "
          f"{len(heard)} clicks heard, {silent} heard while position_s said silence, "
          f"{underflows} output underflows, {recorder.overflows} recorder overflows, "
          f"{server_log_lines} server log lines")
    print(f"error p50 {np.percentile(error, 50):.3f} ms, p99 {np.percentile(error, 99):.3f} ms, "
          f"max {error.max():.3f} ms (signed mean {np.mean(errors):+.3f} ms)")
    print(f"audio clock: error p99 {np.percentile(error, 99):.2f} ms, latency {latency_ms:.1f} ms")


if __name__ == "__main__":
    main()
