"""The timecode chase: lock, extrapolation, jitter, discontinuities, freewheel, loss, offset, wrap."""

import pytest

from lightshow.core.timecode_chase import FREEWHEEL, LOCKED, LOST, WAITING, ChasePolicy, TimecodeChase
from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE, timecode_fps
from lightshow.protocol.timecode import frame_count, timecode_at

TEN = (10, 0, 0, 0)


def feed(chase, kind, first_s, n_frames, t0=0.0, late_s=lambda n: 0.0):
    """Labels of a source at ``first_s`` (source seconds) on, one per frame from monotonic ``t0``."""
    fps = timecode_fps(kind)
    for n in range(n_frames):
        chase.hear(timecode_at(first_s + n / fps + 1e-9, kind), kind, t0 + n / fps + late_s(n))
    return t0 + (n_frames - 1) / fps


def test_two_labels_in_sequence_lock_one_stray_label_does_not():
    chase = TimecodeChase(ChasePolicy(offset=TEN))
    chase.hear((10, 0, 0, 0), TIMECODE_EBU, 0.0)
    assert chase.state == WAITING and chase.show_time_s(0.01) is None
    chase.hear((11, 0, 0, 0), TIMECODE_EBU, 0.04)                 # not where the first said: a new run
    assert chase.state == WAITING
    chase.hear((11, 0, 0, 1), TIMECODE_EBU, 0.08)
    assert chase.state == LOCKED and chase.locked_at_s == 0.08
    assert chase.show_time_s(0.10) == pytest.approx(3600.0 + 1 / 25 + 0.02)


@pytest.mark.parametrize("kind", [TIMECODE_FILM, TIMECODE_EBU, TIMECODE_DF, TIMECODE_SMPTE])
def test_each_rate_is_told_apart_and_extrapolated_between_labels(kind):
    chase = TimecodeChase(ChasePolicy(offset=TEN))
    start_s = frame_count(*TEN, kind) / timecode_fps(kind)
    last = feed(chase, kind, start_s + 1800 / timecode_fps(kind), 30)
    status = chase.status()
    assert status["fps"] == pytest.approx(timecode_fps(kind), abs=1e-3) and status["locked"]
    assert status["incoming"].endswith({TIMECODE_FILM: "@24", TIMECODE_EBU: "@25", TIMECODE_DF: "@29.97df",
                                        TIMECODE_SMPTE: "@30"}[kind])
    assert chase.show_time_s(last + 0.5 / timecode_fps(kind)) == pytest.approx(
        (1800 + 29.5) / timecode_fps(kind), abs=1e-6)


def test_late_labels_do_not_pull_the_estimate_back_and_the_earliest_phase_wins():
    chase = TimecodeChase(ChasePolicy())
    late = [0.03, 0.0, 0.02, 0.035, 0.01] * 10               # up to most of a 40 ms frame late
    last = feed(chase, TIMECODE_EBU, 100.0, 50, late_s=lambda n: late[n])
    assert chase.show_time_s(last) == pytest.approx(100.0 + 49 / 25, abs=0.002)
    assert chase.jumps == 0


def test_a_dropout_within_the_freewheel_is_run_through_without_a_jump():
    chase = TimecodeChase(ChasePolicy(freewheel_frames=10))
    feed(chase, TIMECODE_EBU, 100.0, 10)
    during = chase.show_time_s(9 / 25 + 10 / 25)             # ten frames missing
    assert chase.state == FREEWHEEL and during == pytest.approx(100.0 + 19 / 25)
    feed(chase, TIMECODE_EBU, 100.0 + 20 / 25, 5, t0=20 / 25)
    assert chase.state == LOCKED and chase.jumps == 0 and chase.losses == 0


def test_a_dropout_beyond_the_freewheel_loses_the_source_and_it_locks_again():
    chase = TimecodeChase(ChasePolicy(freewheel_frames=10))
    feed(chase, TIMECODE_EBU, 100.0, 10)
    assert chase.show_time_s(9 / 25 + 12.6 / 25) is None
    assert chase.state == LOST and chase.status()["lost_because"] == "no timecode for 13 frames"
    feed(chase, TIMECODE_EBU, 101.0, 2, t0=1.0)
    assert chase.state == LOCKED and chase.show_time_s(1.04) == pytest.approx(101.04)


def test_a_jump_in_the_source_s_time_is_followed_once_confirmed():
    chase = TimecodeChase(ChasePolicy())
    feed(chase, TIMECODE_EBU, 100.0, 10)
    chase.hear(timecode_at(130.0, TIMECODE_EBU), TIMECODE_EBU, 0.40)    # one label: maybe a glitch
    assert chase.show_time_s(0.40) == pytest.approx(100.40) and chase.jumps == 0
    chase.hear(timecode_at(130.04, TIMECODE_EBU), TIMECODE_EBU, 0.44)
    assert chase.show_time_s(0.44) == pytest.approx(130.04) and chase.jumps == 1


def test_an_all_zero_time_is_a_stop_unless_it_comes_in_sequence_at_midnight():
    chase = TimecodeChase(ChasePolicy())
    feed(chase, TIMECODE_EBU, 100.0, 5)
    chase.hear((0, 0, 0, 0), TIMECODE_EBU, 0.2)
    assert chase.show_time_s(0.2) is None and chase.state == LOST
    assert chase.status()["lost_because"] == "zero time" and chase.losses == 1


def test_before_the_offset_the_show_has_not_started_and_midnight_is_no_boundary():
    chase = TimecodeChase(ChasePolicy(offset=(23, 59, 59, 0)))
    feed(chase, TIMECODE_EBU, 86399.0 - 1.0, 3)
    assert chase.state == LOCKED and chase.show_time_s(0.08) is None       # a second early
    chase = TimecodeChase(ChasePolicy(offset=(23, 59, 59, 0)))
    feed(chase, TIMECODE_EBU, 86399.88, 5)                 # 23:59:59:22 .. :24, 00:00:00:00, 00:00:00:01
    assert chase.show_time_s(0.16) == pytest.approx(1.04, abs=1e-6) and chase.losses == 0


def test_drop_frame_offsets_subtract_in_real_frames():
    chase = TimecodeChase(ChasePolicy(offset=TEN))
    ten_s = frame_count(*TEN, TIMECODE_DF) * 1001 / 30000
    feed(chase, TIMECODE_DF, ten_s + 17982 * 1001 / 30000, 2)    # ten minutes of real frames in: 10:10:00;00
    assert chase.label == (10, 10, 0, 1)
    assert chase.show_time_s(1001 / 30000) == pytest.approx(17983 * 1001 / 30000, abs=1e-6)


def test_a_policy_says_what_it_expects():
    with pytest.raises(ValueError, match="on_loss must be one of stop, hold, found 'pause'"):
        ChasePolicy(on_loss="pause")
