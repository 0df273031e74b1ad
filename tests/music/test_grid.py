import numpy as np
import pytest

from lightshow.music.grid import GridError, MusicGrid
from lightshow.music.marks import Marks

# 120 bpm for 8 beats, then 60 bpm: beats at 0.5, 1.0, ... 4.0, then 5.0, 6.0
BEATS = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0])
GRID = MusicGrid(Marks(BEATS, BEATS[::4], np.array([0.75, 2.2]), {"chorus": 3.0}), offset_s=10.0)


def test_numbers_count_from_one_and_carry_the_offset():
    assert GRID.time_s("beat", 1) == 10.5
    assert GRID.time_s("beat", 8.5) == 14.5
    assert GRID.time_s("bar", 2) == 12.5
    assert GRID.time_s("onset", 2) == 12.2
    assert GRID.named_s("chorus") == 13.0


@pytest.mark.parametrize("kind, number, words", [("beat", 0, "count from 1"), ("beat", 11, "have 10 beats"),
                                                 ("onset", 1.5, "whole numbers")])
def test_numbers_outside_the_marks_are_refused(kind, number, words):
    with pytest.raises(GridError, match=words):
        GRID.time_s(kind, number)


def test_lengths_in_beats_follow_the_tempo_and_run_on_past_the_end():
    assert GRID.span_s("beat", 10.5, 4) == pytest.approx(2.0)        # 120 bpm
    assert GRID.span_s("beat", 14.0, 2) == pytest.approx(2.0)        # 60 bpm
    assert GRID.span_s("beat", 15.0, 3) == pytest.approx(3.0)        # past the last beat, at its spacing
    assert GRID.position("beat", 10.25) == pytest.approx(0.5)        # before the first, at the first spacing


def test_a_rate_of_one_cycle_a_beat_is_the_tempo():
    assert GRID.rate_hz("beat", 10.5, 2.0, 1) == pytest.approx(2.0)
    assert GRID.rate_hz("beat", 10.5, 2.0, 2) == pytest.approx(1.0)
    assert GRID.rate_hz("bar", 10.5, 2.0, 1) == pytest.approx(0.5)
