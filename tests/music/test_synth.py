"""The synthesiser: a known beat grid, deterministic samples, tempo ramps and meters as scored."""

import numpy as np
import pytest

from lightshow.music.synth import SAMPLE_RATE, Score, Section, beat_grid, render_score, scoring_tracks


def test_constant_tempo_beats_and_bars_fall_on_the_grid():
    samples, marks = render_score(Score((Section(bars=2, tempo_bpm=120),), lead_in_s=0.5, tail_s=0.25))
    assert samples.dtype == np.float32 and samples.shape[1] == 2
    assert np.allclose(marks.beats, 0.5 + 0.5 * np.arange(8))
    assert np.allclose(marks.bars, [0.5, 2.5])
    assert len(samples) == pytest.approx((0.5 + 4.0 + 0.25) * SAMPLE_RATE, abs=1)
    assert marks.duration_s == pytest.approx(len(samples) / SAMPLE_RATE)
    assert 0.5 < np.max(np.abs(samples)) <= 1.0


def test_rendering_is_deterministic_and_the_seed_matters():
    score = Score((Section(bars=1, tempo_bpm=100),), seed=3)
    a, _ = render_score(score)
    b, _ = render_score(score)
    c, _ = render_score(Score(score.sections, seed=4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_a_ramp_changes_tempo_beat_by_beat_and_a_3_4_section_has_three_beats_a_bar():
    grid = beat_grid(Score((Section(bars=4, tempo_bpm=90, end_tempo_bpm=150),
                            Section(bars=2, tempo_bpm=150, beats_per_bar=3))))
    intervals = np.diff(grid.beats)
    assert np.all(np.diff(intervals[:16]) < 0)                      # accelerating
    assert 60 / intervals[0] == pytest.approx(90 + 60 * 0.5 / 16)
    assert np.allclose(intervals[16:], 0.4)
    assert grid.bar_starts == [0, 4, 8, 12, 16, 19]


def test_silence_before_the_first_beat_and_sound_on_it():
    samples, marks = render_score(Score((Section(bars=1, tempo_bpm=120),), lead_in_s=1.0))
    lead = samples[: int(0.99 * SAMPLE_RATE)]
    assert np.max(np.abs(lead)) < 1e-3
    assert np.max(np.abs(samples[SAMPLE_RATE:SAMPLE_RATE + 2400])) > 0.1


def test_the_scoring_tracks_change_tempo_and_meter():
    tracks = {t.name: t for t in scoring_tracks()}
    assert set(tracks) == {"step", "accelerando", "ritardando", "waltz", "quiet"}
    meters = {s.beats_per_bar for s in tracks["waltz"].score.sections}
    assert meters == {3, 4}
    for track in tracks.values():
        tempi = {s.tempo_bpm for s in track.score.sections} | {s.end_tempo_bpm for s in track.score.sections}
        assert len(tempi - {None}) >= 2 or track.name == "quiet"
