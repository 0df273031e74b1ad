"""Beats, bars and strong onsets detected in a song: samples in, :class:`Marks` out.

Beats come from essentia's ``RhythmExtractor2013`` (the multi-feature beat tracker of Zapata,
Davies and Gomez), which follows tempo changes; essentia has no downbeat tracker, so bars are
derived here from the beats: each beat gets a downbeat score (a kick on it, and the harmony
changing across it) and a Viterbi pass over the beats picks the bar phase, allowing a bar to be
cut short (a 3/4 bar, a dropped beat) at a penalty.  Strong onsets are the accents: spectral-flux
peaks well above their neighbourhood, not every hit.
"""

from __future__ import annotations

import numpy as np

from lightshow.errors import LightshowError
from lightshow.music.marks import Marks

ANALYSIS_RATE = 44_100          # what essentia's rhythm extractor expects
FEATURE_RATE = 11_025           # spectra for bar and onset features
HOP = 110                       # about 10 ms at FEATURE_RATE
N_FFT = 1024
SHORT_BAR_PENALTY = 1.0         # in downbeat-score units (z-scores)
ONSET_MIN_GAP_S = 0.5


def _mono(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32)
    return x.mean(axis=1) if x.ndim == 2 else x


def _essentia():
    """essentia.standard, quietly; an optional extra (AGPL-3.0), so a clear error without it."""
    try:
        import essentia
    except ImportError:
        raise LightshowError("detecting beats needs essentia: pip install 'lightshow[marks]' "
                             "(essentia is AGPL-3.0; Audacity label files import without it)") from None
    essentia.log.infoActive = False        # before essentia.standard, which logs on import
    import essentia.standard as es

    return es


def _resample(x: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    if from_rate == to_rate:
        return np.ascontiguousarray(x, dtype=np.float32)
    es = _essentia()
    return np.asarray(es.Resample(inputSampleRate=from_rate, outputSampleRate=to_rate)(
        np.ascontiguousarray(x, dtype=np.float32)), dtype=np.float32)


def track_beats(mono_44k: np.ndarray) -> np.ndarray:
    """Beat times (s) from essentia's multi-feature beat tracker."""
    es = _essentia()

    if len(mono_44k) < ANALYSIS_RATE * 2:
        return np.zeros(0)
    _, beats, _, _, _ = es.RhythmExtractor2013(method="multifeature")(np.ascontiguousarray(mono_44k))
    return np.asarray(beats, dtype=float)


def _spectrogram(x: np.ndarray) -> np.ndarray:
    """Magnitudes (frames, bins) at FEATURE_RATE, frame i centred at i * HOP, computed in blocks."""
    pad = np.concatenate([np.zeros(N_FFT // 2, np.float32), x, np.zeros(N_FFT // 2, np.float32)])
    n_frames = max(1, 1 + (len(pad) - N_FFT) // HOP)
    window = np.hanning(N_FFT).astype(np.float32)
    out = np.empty((n_frames, N_FFT // 2 + 1), np.float32)
    block = 4096
    for start in range(0, n_frames, block):
        idx = np.arange(start, min(start + block, n_frames))[:, None] * HOP + np.arange(N_FFT)
        out[start:start + len(idx)] = np.abs(np.fft.rfft(pad[idx] * window, axis=1))
    return out


def _flux(log_mag: np.ndarray) -> np.ndarray:
    d = np.diff(log_mag, axis=0, prepend=log_mag[:1])
    return np.maximum(d, 0).sum(axis=1)


def _zscore(v: np.ndarray) -> np.ndarray:
    s = v.std()
    return (v - v.mean()) / s if s > 0 else v * 0


def _chroma(mag: np.ndarray) -> np.ndarray:
    freqs = np.fft.rfftfreq(N_FFT, 1 / FEATURE_RATE)
    keep = (freqs > 60) & (freqs < 2000)
    pitch_class = np.round(12 * np.log2(freqs[keep] / 440.0)).astype(int) % 12
    chroma = np.zeros((len(mag), 12), np.float32)
    for pc in range(12):
        chroma[:, pc] = mag[:, keep][:, pitch_class == pc].sum(axis=1)
    return chroma


def downbeat_scores(mag: np.ndarray, beats: np.ndarray) -> np.ndarray:
    """For each beat, how much it looks like a downbeat: low-frequency onset + harmonic change."""
    frames = np.clip(np.round(beats * FEATURE_RATE / HOP).astype(int), 0, len(mag) - 1)
    freqs = np.fft.rfftfreq(N_FFT, 1 / FEATURE_RATE)
    low = _flux(np.log1p(10 * mag[:, freqs < 150]))
    reach = int(0.05 * FEATURE_RATE / HOP)
    kick = np.array([low[max(0, f - reach):f + reach + 1].max() for f in frames])
    chroma = _chroma(mag)
    edges = np.concatenate([frames, [len(mag)]])
    per_beat = np.array([chroma[edges[i]:max(edges[i] + 1, edges[i + 1])].mean(axis=0)
                         for i in range(len(frames))])
    change = np.zeros(len(frames))
    for i in range(1, len(frames)):
        before = per_beat[max(0, i - 2):i].mean(axis=0)
        after = per_beat[i:i + 2].mean(axis=0)
        denom = np.linalg.norm(before) * np.linalg.norm(after)
        change[i] = 1 - (before @ after) / denom if denom > 0 else 0
    return _zscore(kick) + _zscore(change)


def choose_bars(scores: np.ndarray, beats_per_bar: int) -> np.ndarray:
    """Indices of the beats that start bars: Viterbi over (position in bar) with short bars allowed."""
    n, m = len(scores), beats_per_bar
    if n == 0:
        return np.zeros(0, int)
    gain = np.where(np.arange(m)[None, :] == 0, scores[:, None], 0.0)      # (n, m)
    best = np.full((n, m), -np.inf)
    back = np.zeros((n, m), int)
    best[0] = gain[0]
    for b in range(1, n):
        prev = best[b - 1]
        # position k>0 comes from k-1; position 0 comes from the bar's last beat, or (cut short) any other
        best[b, 1:] = prev[:-1] + gain[b, 1:]
        back[b, 1:] = np.arange(m - 1)
        cut = prev[1:m - 1] - SHORT_BAR_PENALTY if m > 2 else np.zeros(0)
        options = np.concatenate([[prev[m - 1]], cut])
        origin = np.concatenate([[m - 1], np.arange(1, m - 1)])
        k = int(np.argmax(options))
        best[b, 0] = options[k] + gain[b, 0]
        back[b, 0] = origin[k]
    path = np.zeros(n, int)
    path[-1] = int(np.argmax(best[-1]))
    for b in range(n - 1, 0, -1):
        path[b - 1] = back[b, path[b]]
    return np.flatnonzero(path == 0)


def snap_beats(mag: np.ndarray, beats: np.ndarray) -> np.ndarray:
    """Beats moved onto a clearly stronger low/mid onset nearby (the tracker lags a step change of tempo).

    The window is +-40 % of the local beat period; a beat moves only when the onset there is at
    least twice as strong as at the beat, so beats in quiet passages stay where the tracker put them.
    Beats that end up closer than half a period are merged.
    """
    if len(beats) < 3:
        return beats
    freqs = np.fft.rfftfreq(N_FFT, 1 / FEATURE_RATE)
    env = _flux(np.log1p(10 * mag[:, freqs < 500]))
    frame_s = HOP / FEATURE_RATE
    near = int(round(0.03 / frame_s))
    period = np.gradient(beats)
    typical = np.median(env[np.clip(np.round(beats / frame_s).astype(int), 0, len(env) - 1)])
    moved = beats.copy()
    for i, t in enumerate(beats):
        f = int(round(t / frame_s))
        reach = int(0.4 * period[i] / frame_s)
        lo, hi = max(0, f - reach), min(len(env), f + reach + 1)
        if hi - lo < 3:
            continue
        here = env[max(0, f - near):f + near + 1].max(initial=0.0)
        best = lo + int(np.argmax(env[lo:hi]))
        if env[best] >= 2.0 * here and env[best] >= 0.5 * typical:
            moved[i] = best * frame_s
    moved = np.sort(moved)
    keep = [0]
    for i in range(1, len(moved)):
        if moved[i] - moved[keep[-1]] >= 0.5 * period[i]:
            keep.append(i)
    return moved[keep]


def strong_onsets(mag: np.ndarray) -> np.ndarray:
    """Accents: full-band flux peaks at least twice their 8 s neighbourhood's typical peak."""
    flux = _flux(np.log1p(10 * mag))
    reach = int(0.1 * FEATURE_RATE / HOP)
    padded = np.pad(flux, reach, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)
    peaks = np.flatnonzero((flux == windows.max(axis=1)) & (flux > 0))
    if len(peaks) == 0:
        return np.zeros(0)
    times = peaks * HOP / FEATURE_RATE
    heights = flux[peaks]
    keep = []
    for i, t in enumerate(times):
        near = heights[np.abs(times - t) <= 4.0]
        if heights[i] >= 2.2 * np.median(near) and heights[i] >= 0.3 * heights.max():
            if not keep or t - times[keep[-1]] >= ONSET_MIN_GAP_S:
                keep.append(i)
            elif heights[i] > heights[keep[-1]]:
                keep[-1] = i
    return times[keep]


def detect_marks(samples: np.ndarray, sample_rate: int, beats_per_bar: int = 4) -> Marks:
    """Beats, bars (downbeats) and strong onsets of a song's samples (n,) or (n, channels)."""
    if beats_per_bar < 2:
        raise ValueError(f"beats_per_bar must be at least 2, found {beats_per_bar}")
    mono = _mono(samples)
    duration_s = len(mono) / sample_rate
    beats = track_beats(_resample(mono, sample_rate, ANALYSIS_RATE))
    mag = _spectrogram(_resample(mono, sample_rate, FEATURE_RATE))
    beats = snap_beats(mag, beats)
    bars = beats[choose_bars(downbeat_scores(mag, beats), beats_per_bar)] if len(beats) else beats
    return Marks(beats=beats, bars=bars, onsets=strong_onsets(mag), duration_s=duration_s)
