"""The playhead as a function of time: play, pause, seek, rate, loop, end."""

import pytest

from lightshow.core.transport import ENDED, PAUSED, PLAYING, STOPPED, Transport


def test_play_pause_resume_and_seek():
    t = Transport(fps=40, n_frames=400)
    assert (t.state, t.position(5.0)) == (STOPPED, 0)
    t.play(10.0)
    assert t.position(10.5) == 20
    t.pause(11.0)
    assert (t.state, t.position(99.0)) == (PAUSED, 40)
    t.resume(20.0)
    assert t.position(20.25) == 50
    t.seek(200, 21.0)
    assert t.position(21.0) == 200 and t.position(22.0) == 240


def test_rate_and_the_end():
    t = Transport(fps=10, n_frames=100)
    t.play(0.0)
    t.set_rate(2.0, 1.0)                 # at frame 10
    assert t.position(2.0) == 30
    assert t.position(10.0) == 99 and t.state == ENDED
    t.play(11.0)                          # from the start again
    assert t.position(11.0) == 0 and t.state == PLAYING
    with pytest.raises(ValueError):
        t.set_rate(0.0, 12.0)


def test_loop_wraps_and_stop_returns_to_the_start():
    t = Transport(fps=10, n_frames=50, loop=True)
    t.play(0.0)
    assert t.position(6.0) == 10
    t.stop(6.5)
    assert (t.state, t.position(7.0)) == (STOPPED, 0)
    t.seek(30, 8.0)
    assert (t.state, t.position(9.0)) == (PAUSED, 30)


def test_play_at_seeks_between_frames_and_plays_in_one_step():
    from lightshow.core.transport import Transport

    transport = Transport(fps=20.0, n_frames=100)
    transport.play_at(40.5, now_s=10.0)                   # stopped before: playing now
    assert transport.state == "playing" and transport.position(10.0) == 40
    assert transport.position(10.03) == 41                # half a frame left of frame 40, then 41
    transport.play_at(500.0, now_s=11.0)                  # clamped to the last frame
    assert transport.position(11.0) == 99
