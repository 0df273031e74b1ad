"""The one law by which the playhead follows a time source."""

import pytest

from lightshow.core.follow import Correction, FollowPolicy, follow_correction


def test_large_errors_jump_and_small_ones_slew_in_proportion_up_to_a_limit():
    policy = FollowPolicy(slew_within_s=0.5, max_trim=0.05, settle_s=1.0, deadband_s=0.002)
    assert follow_correction(0.6, policy) == Correction(jump=True)
    assert follow_correction(-0.51, policy) == Correction(jump=True)
    assert follow_correction(0.02, policy).trim == pytest.approx(1.02)       # ahead: run faster
    assert follow_correction(-0.03, policy).trim == pytest.approx(0.97)      # behind: run slower
    assert follow_correction(0.4, policy) == Correction(jump=False, trim=1.05)   # at most 5 %
    assert follow_correction(0.001, policy) == Correction(jump=False, trim=1.0)  # in the deadband


def test_the_tick_phase_shift_moves_ticks_onto_the_frame_boundaries():
    from lightshow.core.follow import TICK_PHASE_GAIN, TICK_PHASE_TARGET, tick_phase_shift

    assert tick_phase_shift(10.0 + TICK_PHASE_TARGET) == pytest.approx(0.0, abs=1e-12)
    assert tick_phase_shift(10.3) == pytest.approx(-(0.3 - TICK_PHASE_TARGET) * TICK_PHASE_GAIN)   # earlier
    assert tick_phase_shift(10.9) == pytest.approx((1.0 - 0.9 + TICK_PHASE_TARGET) * TICK_PHASE_GAIN)  # later
