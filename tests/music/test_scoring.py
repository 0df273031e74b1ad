import numpy as np
import pytest

from lightshow.music.scoring import count_matches, f_measure


def test_matches_within_70_ms_each_used_once():
    assert count_matches([1.0, 2.0, 3.0], [1.069, 2.071, 2.95, 2.96]) == 2


def test_f_measure_skips_the_first_5_s_like_mir_eval():
    ref = np.arange(0, 20, 0.5)
    assert f_measure(ref, ref[ref >= 5]) == 1.0
    assert f_measure(ref, ref + 0.25) == 0.0
    est = np.concatenate([ref, ref[ref >= 5][:10] + 0.25])      # ten extra beats: precision 30/40
    assert f_measure(ref, est) == pytest.approx(2 * 0.75 / 1.75)
    assert f_measure(ref, []) == 0.0
