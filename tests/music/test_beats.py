"""Beat, bar and onset detection scored against the synthesised tracks' own grids (F at +-70 ms)."""

import numpy as np
import pytest

from lightshow.music.beats import detect_marks
from lightshow.music.scoring import f_measure
from lightshow.music.synth import SAMPLE_RATE, Score, Section, render_score, scoring_tracks

pytest.importorskip("essentia")
TRACKS = {t.name: t for t in scoring_tracks()}


@pytest.fixture(scope="module")
def detected():
    result = {}
    for name, track in TRACKS.items():
        samples, truth = render_score(track.score)
        result[name] = (truth, detect_marks(samples, SAMPLE_RATE))
    return result


@pytest.mark.parametrize("name", sorted(TRACKS))
def test_beats_score_at_least_0_95_against_the_ground_truth(detected, name):
    truth, marks = detected[name]
    assert f_measure(truth.beats, marks.beats) >= 0.95


@pytest.mark.parametrize("name", sorted(set(TRACKS) - {"waltz"}))
def test_bars_in_4_4_score_at_least_0_95(detected, name):
    truth, marks = detected[name]
    assert f_measure(truth.bars, marks.bars) >= 0.95


def test_bars_follow_a_3_4_section_mostly(detected):
    truth, marks = detected["waltz"]
    assert f_measure(truth.bars, marks.bars) >= 0.85


def test_bars_are_beats_and_onsets_are_a_few_accents(detected):
    for truth, marks in detected.values():
        assert set(np.round(marks.bars, 6)) <= set(np.round(marks.beats, 6))
        assert 0 < len(marks.onsets) < len(marks.beats)
        assert np.all(np.diff(marks.onsets) >= 0.5)
        assert marks.duration_s == pytest.approx(truth.duration_s)


def test_mono_input_and_a_3_4_meter():
    samples, truth = render_score(Score((Section(bars=10, tempo_bpm=140, beats_per_bar=3, kick="downbeats",
                                                 chords=("I", "IV", "V", "vi")),), seed=5))
    marks = detect_marks(samples[:, 0], SAMPLE_RATE, beats_per_bar=3)
    assert f_measure(truth.beats, marks.beats, skip_s=2.0) >= 0.95
    assert f_measure(truth.bars, marks.bars, skip_s=2.0) >= 0.9


def test_silence_has_no_marks_and_a_bad_meter_is_refused():
    marks = detect_marks(np.zeros((SAMPLE_RATE, 2), np.float32), SAMPLE_RATE)
    assert len(marks.beats) == 0 and len(marks.bars) == 0 and len(marks.onsets) == 0
    with pytest.raises(ValueError):
        detect_marks(np.zeros(SAMPLE_RATE), SAMPLE_RATE, beats_per_bar=1)
