"""The show follows the music: audio-light offset on a real audio server, and beat marks scored.

1. Audio-light offset (``tests/soundtrack_sync.py``): a 40 fps show plays a soundtrack of clicks
   every 0.1 s through the player with the soundtrack as its clock, into a private PulseAudio's
   null sink whose monitor is recorded on the monotonic clock; for ``--seconds`` (default 60) the
   operator seeks and pauses every 0.8-2.5 s (seeded).  For every click heard, the offset is the
   light's show time at that instant minus the click's show time.  Clicks within the output
   latency (plus 30 ms and a frame) of a move are left out (the device still sounds what was in
   its buffer).  The frames on the wire carry whole frames of that playhead (25 ms at 40 fps).
2. Marks (``lightshow.music.beats.detect_marks``) on the generated tracks with tempo changes,
   against their ground truth: F-measure at +-70 ms (MIREX); the figure is the worst track's.

Last line: ``sync: audio-light offset p99 <a> ms, marks F <f>``.
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import pathlib
import tempfile
import time

import numpy as np

from lightshow.music.beats import detect_marks
from lightshow.music.scoring import f_measure
from lightshow.music.synth import SAMPLE_RATE, render_score, scoring_tracks
from tests.soundtrack_sync import run_sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        base = run_sync(pathlib.Path(folder), args.seconds / 2, args.seed, as_clock=False)
    print(f"baseline, lights on the monotonic clock, music started with them (no latency correction), "
          f"{args.seconds / 2:g} s: {base.figures()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        run = run_sync(pathlib.Path(folder), args.seconds, args.seed)
    print(f"the music as the clock, {args.seconds:g} s: {run.figures()}", flush=True)
    offset_p99 = float(np.percentile(np.abs(run.offsets_ms), 99))

    beat_fs, bar_fs = [], []
    for track in scoring_tracks():
        samples, truth = render_score(track.score)
        start = time.perf_counter()
        marks = detect_marks(samples, SAMPLE_RATE)
        elapsed = time.perf_counter() - start
        beat_f, bar_f = f_measure(truth.beats, marks.beats), f_measure(truth.bars, marks.bars)
        beat_fs.append(beat_f)
        bar_fs.append(bar_f)
        print(f"marks {track.name:10s} {len(samples) / SAMPLE_RATE:5.1f} s: beat F {beat_f:.3f}, bar F {bar_f:.3f}, "
              f"{elapsed:.1f} s  ({track.notes})", flush=True)
    print(f"marks: worst beat F {min(beat_fs):.3f} (mean {np.mean(beat_fs):.3f}), worst bar F {min(bar_fs):.3f}")
    print(f"sync: audio-light offset p99 {offset_p99:.1f} ms, marks F {min(beat_fs):.3f}")


if __name__ == "__main__":
    main()
