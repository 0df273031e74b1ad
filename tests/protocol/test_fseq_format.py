"""Tests for the FSEQ v2 format helpers (lightshow.protocol.fseq_format)."""

from __future__ import annotations

import pytest

from lightshow.errors import FormatError
from lightshow.protocol.fseq_format import fseq_step_drift, fseq_step_ms, plan_blocks


def test_plan_blocks():
    assert plan_blocks(0, 5) == ()
    assert plan_blocks(3, 100) == (3,)
    assert plan_blocks(25, 100) == (10, 15)
    assert plan_blocks(25, 4) == (4, 4, 4, 4, 4, 4, 1)
    assert plan_blocks(31, 7) == (7, 7, 7, 7, 3)
    assert sum(plan_blocks(1234, 37)) == 1234


@pytest.mark.parametrize(("fps", "ms"), [(40, 25), (20, 50), (30, 33), (60, 17), (1000, 1), (4, 250)])
def test_fseq_step_ms(fps, ms):
    assert fseq_step_ms(fps) == ms


@pytest.mark.parametrize("fps", [0, -5, 3, 2001, float("nan")])
def test_fseq_step_ms_rejects(fps):
    with pytest.raises(FormatError):
        fseq_step_ms(fps)


def test_fseq_step_drift_over_nine_minutes_at_30_fps():
    drift = fseq_step_drift(30, 30 * 540)
    assert drift.step_ms == 33
    assert drift.played_fps == pytest.approx(30.303, abs=1e-3)
    assert drift.drift_s == pytest.approx(-5.4)  # 16200 frames of 33 ms: 534.6 s, not 540 s


def test_fseq_step_drift_is_late_when_the_step_rounds_up():
    drift = fseq_step_drift(44, 44 * 60)  # 22.7 ms rounds to 23 ms
    assert drift.step_ms == 23 and drift.drift_s == pytest.approx(2640 * 0.023 - 60)
    assert drift.drift_s > 0


@pytest.mark.parametrize("fps", [40, 25, 20, 10, 4])
def test_fseq_step_drift_is_none_when_the_step_is_whole_milliseconds(fps):
    assert fseq_step_drift(fps, 100_000) is None
