"""Compose the anniversary soundtrack: three movements of 180 s, one per chapter of the show.

    python3 shows/music/compose_anniversary.py            # writes shows/music/anniversary.opus

Deterministic: the same lightshow.music.synth and seeds give the same samples (the Opus encoder
then makes the same file).  The movements follow the chapters of shows/anniversary.yaml:

1. 山泉湖河城 同心庆华诞  96 bpm 4/4, 72 bars: mountains, springs, lake, river, city; celebratory but gentle
2. 产城河共融 绘生态画卷  120 bpm 4/4, 90 bars: industry, city and river as an ink-scroll painting; flowing
3. 建设强省会 逐梦新征程  128 bpm 4/4, 96 bars: building a strong capital, a new journey; driving to a finale
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from dataclasses import replace

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

from lightshow.music.marks import Marks  # noqa: E402
from lightshow.music.synth import SAMPLE_RATE, Score, Section, beat_grid, render_score  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
MOVEMENT_S = 180.0


def movements() -> list[tuple[str, Score]]:
    gentle = Section(bars=16, tempo_bpm=96, chords=("I", "vi", "IV", "V"))
    one = Score((
        replace(gentle, bars=8, kick="none", snare=False, hats=False, bass=False, melody=False, level=0.5,
                pad_pulse=True, chords=("I", "IV/add9")),                 # dawn over the mountains
        replace(gentle, kick="downbeats", snare=False, hats=False, level=0.7),   # springs
        replace(gentle, kick="downbeats", chords=("I", "iii", "IV", "V"), level=0.85),   # the lake
        replace(gentle, fill=True),                                         # river and city, celebrating
        replace(gentle, bars=8, chords=("IV", "V", "iii", "vi"), fill=True),
        replace(gentle, bars=8, kick="downbeats", hats=False, chords=("IV", "V/sus", "I", "I"), level=0.7),
    ), key_midi=62, seed=101)
    flowing = Section(bars=16, tempo_bpm=120, chords=("vi", "IV", "I", "V"), kick="downbeats")
    two = Score((
        replace(flowing, bars=10, snare=False, hats=False, melody=False, level=0.6, pad_pulse=True),  # ink
        replace(flowing, snare=False, level=0.75),                          # the brush moves
        replace(flowing, chords=("vi", "iii", "IV", "I")),                  # the river
        replace(flowing, kick="beats", chords=("IV", "V", "iii", "vi"), fill=True),   # industry, city
        replace(flowing, kick="beats"),
        replace(flowing, chords=("IV", "I", "ii", "Isus"), level=0.75),     # the scroll rolls up
    ), key_midi=64, seed=202)
    driving = Section(bars=16, tempo_bpm=128, kick="beats", chords=("I", "V", "vi", "IV"))
    three = Score((
        replace(driving, bars=8, snare=False, melody=False, level=0.7),     # foundations
        replace(driving, level=0.85),                                       # building
        replace(driving, chords=("vi", "IV", "I", "V"), fill=True),
        replace(driving, chords=("IV", "V", "iii", "vi")),                  # the new journey
        replace(driving, fill=True),
        replace(driving, chords=("IV", "V", "I", "vi"), fill=True),         # finale
        replace(driving, bars=8, chords=("IV", "V/sus", "V", "I"), fill=True),
    ), key_midi=65, seed=303)
    result = [("山泉湖河城 同心庆华诞", one), ("产城河共融 绘生态画卷", two), ("建设强省会 逐梦新征程", three)]
    for title, score in result:
        length_s = beat_grid(score).beats[-1]
        assert abs(length_s - MOVEMENT_S) < 1e-6, (title, length_s)
    return result


def ground_truth() -> Marks:
    """The soundtrack's own beat grid: every beat and downbeat of the three movements."""
    beats, bars = [], []
    for i, (_, score) in enumerate(movements()):
        grid = beat_grid(score)
        beats.append(grid.beats[:-1] + i * MOVEMENT_S)
        bars.append(grid.beats[grid.bar_starts] + i * MOVEMENT_S)
    return Marks(beats=np.concatenate(beats), bars=np.concatenate(bars), source="anniversary (score)",
                 duration_s=3 * MOVEMENT_S)


def render() -> np.ndarray:
    parts = []
    for _, score in movements():
        samples, _ = render_score(score)
        parts.append(samples[:int(MOVEMENT_S * SAMPLE_RATE)])
    return np.concatenate(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(HERE / "anniversary.opus"))
    args = parser.parse_args()
    import soundfile

    samples = render()
    # Opus through libsndfile: compression level 0.92 is about 53 kbit/s for stereo at 48 kHz
    soundfile.write(args.output, samples, SAMPLE_RATE, format="OGG", subtype="OPUS", compression_level=0.92)
    print(f"{args.output}: {len(samples) / SAMPLE_RATE:.1f} s, {pathlib.Path(args.output).stat().st_size} bytes")


if __name__ == "__main__":
    main()
