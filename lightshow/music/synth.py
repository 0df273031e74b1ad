"""A small synthesiser: music rendered from a score whose beat grid is known exactly.

Pure numpy, deterministic (seeded), no I/O.  A :class:`Score` is a list of :class:`Section` s,
each with a tempo (constant, or ramping beat by beat from ``tempo_bpm`` to ``end_tempo_bpm``), a
meter (``beats_per_bar``), a number of bars, a chord progression and the instruments that play.
:func:`render_score` returns stereo samples (n, 2) float32 at 48 kHz and the ground-truth
:class:`~lightshow.music.marks.Marks` (every beat and every downbeat).

Instruments: kick (downbeats and beats), snare/clap on the backbeats, hats on eighths, a bass
line on the chord roots, chord pads, and a pentatonic melody that moves mostly by step.
:func:`scoring_tracks` makes the short tracks with tempo changes that beat detection is scored on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lightshow.music.marks import Marks

SAMPLE_RATE = 48_000
PENTATONIC = (0, 2, 4, 7, 9)          # major pentatonic degrees, semitones above the key's root
CHORDS = {"I": (0, 4, 7), "ii": (2, 5, 9), "iii": (4, 7, 11), "IV": (5, 9, 12), "V": (7, 11, 14),
          "vi": (9, 12, 16), "Isus": (0, 5, 7), "V/sus": (7, 12, 14), "IV/add9": (5, 9, 14)}


@dataclass(frozen=True)
class Section:
    bars: int
    tempo_bpm: float
    end_tempo_bpm: float | None = None      # ramp to this tempo over the section (None: constant)
    beats_per_bar: int = 4
    chords: tuple[str, ...] = ("I", "vi", "IV", "V")   # one chord a bar, cycled
    kick: str = "beats"          # "beats" (every beat), "downbeats" (1 and 3 / 1 in 3/4), "none"
    snare: bool = True           # on the backbeats (2 and 4; 2 and 3 in 3/4)
    hats: bool = True            # eighths
    bass: bool = True
    pad: bool = True
    melody: bool = True
    level: float = 1.0           # overall level of the section (0.3 = quiet)
    fill: bool = False           # a snare fill on the last bar
    pad_pulse: bool = False      # the pad breathes on every beat (soft onsets) instead of holding the bar


@dataclass(frozen=True)
class Score:
    sections: tuple[Section, ...]
    key_midi: int = 62           # D
    seed: int = 1
    lead_in_s: float = 0.0       # silence before the first beat
    tail_s: float = 0.0          # ring-out after the last bar (the last beat grid point is the end)


@dataclass(frozen=True)
class _Grid:
    beats: np.ndarray            # every beat time, and one more at the end of the last bar
    bar_starts: list[int]        # beat index of each downbeat
    section_of_beat: np.ndarray
    position_in_bar: np.ndarray
    bar_of_beat: np.ndarray


def beat_grid(score: Score) -> _Grid:
    """The beat times of a score: constant sections exact, ramps interpolated beat by beat."""
    times, bar_starts, sections, positions, bars = [], [], [], [], []
    t = score.lead_in_s
    bar = 0
    for index, section in enumerate(score.sections):
        n = section.bars * section.beats_per_bar
        end = section.tempo_bpm if section.end_tempo_bpm is None else section.end_tempo_bpm
        for i in range(n):
            if i % section.beats_per_bar == 0:
                bar_starts.append(len(times))
                if i:
                    bar += 1
            times.append(t)
            sections.append(index)
            positions.append(i % section.beats_per_bar)
            bars.append(bar)
            tempo = section.tempo_bpm + (end - section.tempo_bpm) * (i + 0.5) / n
            t += 60.0 / tempo
        bar += 1
    times.append(t)
    return _Grid(np.array(times), bar_starts, np.array(sections), np.array(positions), np.array(bars))


# --- voices -----------------------------------------------------------------------------------

def _midi_hz(note: float) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12)


def _env(n: int, attack_s: float, decay_s: float, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    attack = np.clip(t / max(attack_s, 1e-4), 0, 1)
    return attack * np.exp(-t / decay_s)


def _lowpass(x: np.ndarray, cutoff_hz: float, sr: int) -> np.ndarray:
    """A zero-phase low-pass done in the frequency domain, padded so nothing wraps around."""
    n = len(x) + sr
    spectrum = np.fft.rfft(x, n)
    f = np.fft.rfftfreq(n, 1 / sr)
    return np.fft.irfft(spectrum / (1 + (f / cutoff_hz) ** 4), n)[:len(x)]


def _kick(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.45 * sr)
    t = np.arange(n) / sr
    freq = 45 + 85 * np.exp(-t / 0.035)
    phase = 2 * np.pi * np.cumsum(freq) / sr
    body = np.sin(phase) * np.exp(-t / 0.16)
    click = rng.standard_normal(n) * np.exp(-t / 0.003) * 0.3
    return body + click


def _snare(sr: int, rng: np.random.Generator, clap: bool = False) -> np.ndarray:
    n = int(0.3 * sr)
    t = np.arange(n) / sr
    noise = np.diff(rng.standard_normal(n + 1))          # brighter noise
    if clap:    # three quick bursts then a tail
        env = sum(np.exp(-np.clip(t - d, 0, None) / 0.008) * (t >= d) for d in (0.0, 0.011, 0.022))
        env = env * 0.5 + np.exp(-t / 0.09) * (t >= 0.022)
        return noise * env * 0.5
    tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.05)
    return 0.45 * noise * np.exp(-t / 0.07) + 0.5 * tone


def _hat(sr: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.08 * sr)
    t = np.arange(n) / sr
    noise = np.diff(np.diff(rng.standard_normal(n + 2)))
    return noise * np.exp(-t / 0.018) * 0.25


def _tone(freq_hz: float, duration_s: float, sr: int, shape: str, attack_s: float, release_s: float,
          vibrato: float = 0.0) -> np.ndarray:
    n = int((duration_s + release_s) * sr)
    t = np.arange(n) / sr
    inst = freq_hz * (1 + vibrato * np.sin(2 * np.pi * 5.2 * t) * np.clip((t - 0.15) / 0.3, 0, 1))
    phase = 2 * np.pi * np.cumsum(inst) / sr
    if shape == "saw":
        wave = sum(np.sin(k * phase) / k for k in range(1, 9))
    elif shape == "triangle":
        wave = sum((-1) ** ((k - 1) // 2) * np.sin(k * phase) / k ** 2 for k in (1, 3, 5, 7))
    else:   # a flute-ish sine with a touch of second harmonic
        wave = np.sin(phase) + 0.18 * np.sin(2 * phase) + 0.06 * np.sin(3 * phase)
    gate = np.clip(t / attack_s, 0, 1) * np.where(t < duration_s, 1.0,
                                                 np.exp(-(t - duration_s) / max(release_s / 4, 1e-3)))
    return wave * gate


class _Mix:
    def __init__(self, n: int, sr: int):
        self.out = np.zeros((n, 2))
        self.sr = sr

    def add(self, at_s: float, clip: np.ndarray, gain: float, pan: float = 0.0) -> None:
        start = int(round(at_s * self.sr))
        if start >= len(self.out) or start < 0:
            return
        clip = clip[: len(self.out) - start]
        left, right = np.cos((pan + 1) * np.pi / 4), np.sin((pan + 1) * np.pi / 4)
        self.out[start:start + len(clip), 0] += clip * gain * left * np.sqrt(2)
        self.out[start:start + len(clip), 1] += clip * gain * right * np.sqrt(2)


def _echo(x: np.ndarray, delay_s: float, feedback: float, sr: int, taps: int = 4) -> np.ndarray:
    """A ping-pong echo with a few taps (no recursion, so plain numpy)."""
    out = x.copy()
    d = int(delay_s * sr)
    for k in range(1, taps + 1):
        if k * d >= len(x):
            break
        side = (k % 2, 1 - k % 2)
        for ch in (0, 1):
            out[k * d:, ch] += x[:-k * d, side[ch]] * feedback ** k
    return out


# --- rendering --------------------------------------------------------------------------------

def render_score(score: Score, sample_rate: int = SAMPLE_RATE) -> tuple[np.ndarray, Marks]:
    """Samples (n, 2) float32 in [-1, 1] and the ground-truth beats and bars of ``score``."""
    rng = np.random.default_rng(score.seed)
    grid = beat_grid(score)
    sr = sample_rate
    duration_s = float(grid.beats[-1] + score.tail_s)
    mix = _Mix(int(np.ceil(duration_s * sr)), sr)
    pads = _Mix(len(mix.out), sr)
    kick, snare, clap, hat = _kick(sr, rng), _snare(sr, rng), _snare(sr, rng, clap=True), _hat(sr, rng)
    root = score.key_midi
    melody_degree = 7              # index into a two-octave pentatonic ladder
    ladder = [root + 12 * (d // 5) + PENTATONIC[d % 5] for d in range(15)]

    for b in range(len(grid.beats) - 1):
        section = score.sections[grid.section_of_beat[b]]
        pos = int(grid.position_in_bar[b])
        bar = int(grid.bar_of_beat[b])
        bar_in_section = bar - int(grid.bar_of_beat[grid.section_of_beat == grid.section_of_beat[b]][0])
        t0, t1 = grid.beats[b], grid.beats[b + 1]
        beat_s = t1 - t0
        level = section.level
        chord = CHORDS[section.chords[bar_in_section % len(section.chords)]]
        meter = section.beats_per_bar
        last_bar = bar_in_section == section.bars - 1

        # drums
        if section.kick == "beats" or (section.kick == "downbeats" and (pos == 0 or (meter == 4 and pos == 2))):
            mix.add(t0, kick, level * (1.0 if pos == 0 else 0.8))
        backbeat = pos in ((1, 3) if meter == 4 else (1, 2)) if meter in (3, 4) else pos % 2 == 1
        if section.snare and backbeat:
            mix.add(t0, snare if pos == 1 or meter == 3 else clap, level * 0.55, pan=0.1)
        if section.fill and last_bar and pos == meter - 1:
            for k in range(1, 4):
                mix.add(t0 + beat_s * k / 4, snare, level * 0.3 * k / 3, pan=-0.1)
        if section.hats:
            mix.add(t0, hat, level * 0.35, pan=0.35)
            mix.add(t0 + beat_s / 2, hat, level * 0.55, pan=0.35)

        # bass: the chord root on every beat, the fifth on the last beat of the bar
        if section.bass:
            note = root - 24 + chord[0] + (7 if pos == meter - 1 else 0)
            tone = _tone(_midi_hz(note), beat_s * 0.8, sr, "triangle", 0.005, 0.05)
            mix.add(t0, tone * _env(len(tone), 0.005, beat_s * 0.9, sr), level * (0.55 if pos == 0 else 0.42))

        # pad: the whole bar's chord, one voice per chord tone, slightly detuned
        if section.pad and (pos == 0 or section.pad_pulse):
            hold_s = beat_s if section.pad_pulse else float(grid.beats[min(b + meter, len(grid.beats) - 1)] - t0)
            attack_s, gain = (0.06, 0.07 * (1.2 if pos == 0 else 1.0)) if section.pad_pulse else (0.25, 0.06)
            for i, degree in enumerate(chord):
                for detune in (-0.06, 0.06):
                    tone = _tone(_midi_hz(root - 12 + degree + detune), hold_s * 0.97, sr, "saw", attack_s, 0.6)
                    if section.pad_pulse:
                        tone = tone * _env(len(tone), 0.001, beat_s * 0.8, sr)
                    pads.add(t0, tone, level * gain, pan=(i - 1) * 0.5 + detune * 3)

        # melody: pentatonic, mostly stepwise, rests now and then, long notes on downbeats
        if section.melody:
            steps = (1,) if pos == 0 else ((1,) if rng.random() < 0.6 else (0.5, 0.5))
            at = t0
            for step in steps:
                if rng.random() < 0.15 and pos != 0:
                    at += beat_s * step
                    continue
                move = rng.choice((-2, -1, -1, 0, 1, 1, 2))
                if pos == 0:    # land on a chord tone at the bar line
                    targets = [i for i, n in enumerate(ladder) if (n - root - chord[0]) % 12 in (0, 4, 7, 3)]
                    melody_degree = min(targets, key=lambda i: abs(i - melody_degree))
                else:
                    melody_degree = int(np.clip(melody_degree + move, 3, 13))
                length = beat_s * step * (1.6 if pos == 0 else 0.9)
                tone = _tone(_midi_hz(ladder[melody_degree]), length, sr, "flute", 0.02, 0.15, vibrato=0.004)
                mix.add(at, tone, level * 0.16, pan=-0.2)
                at += beat_s * step

    # the pads get a soft low-pass; everything gets a little echo (an eighth at 96 bpm-ish)
    for ch in (0, 1):
        pads.out[:, ch] = _lowpass(pads.out[:, ch], 2200.0, sr)
    out = _echo(mix.out + pads.out, 0.3125, 0.25, sr)
    peak = np.max(np.abs(out))
    out = np.tanh(out / peak * 1.1) * 0.89 if peak > 0 else out
    fade = int(0.02 * sr)
    out[-fade:] *= np.linspace(1, 0, fade)[:, None]
    beats = grid.beats[:-1]
    bars = beats[grid.bar_starts]
    return out.astype(np.float32), Marks(beats=beats, bars=bars, source="synth", duration_s=len(out) / sr)


# --- tracks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Track:
    name: str
    score: Score
    notes: str = ""


def scoring_tracks() -> list[Track]:
    """Short tracks (about 40-60 s) with tempo changes, for scoring beat detection."""
    four = Section(bars=8, tempo_bpm=110)
    return [
        Track("step", Score((replace(four, tempo_bpm=100), replace(four, tempo_bpm=132, fill=True),
                             replace(four, tempo_bpm=100)), seed=11),
              "100 bpm, a step to 132, back to 100"),
        Track("accelerando", Score((replace(four, bars=4, tempo_bpm=90),
                                    replace(four, bars=16, tempo_bpm=90, end_tempo_bpm=140),
                                    replace(four, bars=4, tempo_bpm=140)), seed=12),
              "90 bpm rising gradually to 140"),
        Track("ritardando", Score((replace(four, bars=6, tempo_bpm=128),
                                   replace(four, bars=12, tempo_bpm=128, end_tempo_bpm=84, kick="downbeats"),
                                   replace(four, bars=4, tempo_bpm=84)), seed=13),
              "128 bpm slowing gradually to 84"),
        Track("waltz", Score((replace(four, tempo_bpm=120),
                              replace(four, bars=12, tempo_bpm=150, beats_per_bar=3, kick="downbeats",
                                      chords=("I", "IV", "V", "I")),
                              replace(four, tempo_bpm=120)), key_midi=60, seed=14),
              "4/4 at 120, a 3/4 section at 150, 4/4 again"),
        Track("quiet", Score((replace(four, tempo_bpm=104),
                              replace(four, bars=6, tempo_bpm=104, kick="none", snare=False, hats=False,
                                      bass=False, melody=False, level=0.45, pad_pulse=True),
                              replace(four, tempo_bpm=104, fill=True)), key_midi=57, seed=15),
              "104 bpm with six bars of quiet pads breathing on the beat (weak onsets)"),
    ]
