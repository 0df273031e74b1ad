"""Beat and bar detection scored against known grids, and its runtime.

    PYTHONPATH=. python3 bench/marks.py [--quick] [--others]

Tracks: the synthesised scoring tracks (tempo steps and ramps, a 3/4 section, a quiet passage)
and, unless --quick, the 540 s anniversary soundtrack (shows/music/anniversary.opus, decoded)
against its score's own beat grid.  F-measure at +-70 ms, beats before 5 s dropped
(lightshow.music.scoring, mir_eval's convention; cross-checked with mir_eval when installed).
--others also measures the runners-up on beats (librosa beat_track, librosa PLP, aubio tempo,
essentia's degara tracker), with bars derived by lightshow's own bar chooser.
Last line: ``marks: beat F <f>, bar F <g>`` (means over all tracks, the chosen library).
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
HERE = pathlib.Path(__file__).resolve().parent
sys.path[:] = [str(REPO)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]  # bench/queue.py

from lightshow.load.audio_file import read_audio  # noqa: E402
from lightshow.music import beats as beat_module  # noqa: E402
from lightshow.music.scoring import f_measure  # noqa: E402
from lightshow.music.synth import SAMPLE_RATE, render_score, scoring_tracks  # noqa: E402


def anniversary():
    spec = importlib.util.spec_from_file_location("compose", REPO / "shows/music/compose_anniversary.py")
    compose = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compose)
    samples, rate = read_audio(str(REPO / "shows/music/anniversary.opus"))
    return samples, rate, compose.ground_truth()


def _bars(samples, rate, beats):
    mono = beat_module._mono(samples)
    mag = beat_module._spectrogram(beat_module._resample(mono, rate, beat_module.FEATURE_RATE))
    return beats[beat_module.choose_bars(beat_module.downbeat_scores(mag, beats), 4)] if len(beats) else beats


def librosa_beats(samples, rate):
    import librosa

    y = librosa.resample(samples.mean(axis=1), orig_sr=rate, target_sr=22050)
    return librosa.beat.beat_track(y=y, sr=22050, units="time")[1]


def librosa_plp(samples, rate):
    import librosa

    y = librosa.resample(samples.mean(axis=1), orig_sr=rate, target_sr=22050)
    pulse = librosa.beat.plp(onset_envelope=librosa.onset.onset_strength(y=y, sr=22050), sr=22050)
    return librosa.frames_to_time(np.flatnonzero(librosa.util.localmax(pulse)), sr=22050)


def aubio_beats(samples, rate):
    import aubio

    hop = 512
    tracker = aubio.tempo("default", 1024, hop, rate)
    mono = np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32)
    found = []
    for start in range(0, len(mono) - hop, hop):
        if tracker(mono[start:start + hop])[0]:
            found.append(tracker.get_last_s())
    return np.array(found)


def essentia_degara(samples, rate):
    import essentia

    essentia.log.infoActive = False
    import essentia.standard as es

    mono = beat_module._resample(beat_module._mono(samples), rate, 44100)
    return np.asarray(es.RhythmExtractor2013(method="degara")(mono)[1], dtype=float)


OTHERS = {"librosa beat_track": librosa_beats, "librosa plp": librosa_plp, "aubio tempo": aubio_beats,
          "essentia degara": essentia_degara}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the short scoring tracks")
    parser.add_argument("--others", action="store_true", help="also measure the runners-up")
    args = parser.parse_args()
    tracks = []
    for track in scoring_tracks():
        samples, truth = render_score(track.score)
        tracks.append((track.name, samples, SAMPLE_RATE, truth))
    if not args.quick:
        tracks.append(("anniversary", *anniversary()))
    try:
        import mir_eval
    except ImportError:
        mir_eval = None
    beat_fs, bar_fs = [], []
    print(f"{'detector':22s} {'track':12s} {'audio s':>7s} {'beat F':>7s} {'bar F':>6s} {'run s':>6s}")
    for name, samples, rate, truth in tracks:
        start = time.perf_counter()
        marks = beat_module.detect_marks(samples, rate)
        elapsed = time.perf_counter() - start
        beat_f, bar_f = f_measure(truth.beats, marks.beats), f_measure(truth.bars, marks.bars)
        if mir_eval is not None:
            trim = mir_eval.beat.trim_beats
            assert abs(mir_eval.beat.f_measure(trim(truth.beats), trim(marks.beats)) - beat_f) < 1e-9
        beat_fs.append(beat_f)
        bar_fs.append(bar_f)
        print(f"{'essentia+lightshow':22s} {name:12s} {len(samples) / rate:7.1f} {beat_f:7.3f} {bar_f:6.3f} "
              f"{elapsed:6.2f}  ({len(marks.onsets)} onsets)", flush=True)
    if args.others:
        for label, detect in OTHERS.items():
            try:
                detect(tracks[0][1][:SAMPLE_RATE * 3], SAMPLE_RATE)
            except ImportError as exc:
                print(f"{label:22s} not installed ({exc})")
                continue
            for name, samples, rate, truth in tracks:
                start = time.perf_counter()
                beats = detect(samples, rate)
                elapsed = time.perf_counter() - start
                bars = _bars(samples, rate, beats)
                print(f"{label:22s} {name:12s} {len(samples) / rate:7.1f} {f_measure(truth.beats, beats):7.3f} "
                      f"{f_measure(truth.bars, bars):6.3f} {elapsed:6.2f}", flush=True)
    print(f"marks: beat F {np.mean(beat_fs):.3f}, bar F {np.mean(bar_fs):.3f}")


if __name__ == "__main__":
    main()
