"""Easing curves and a cue's envelope, at exact points."""

import numpy as np
import pytest

from lightshow.core.easing import EASINGS, ease, envelope

X = np.array([0.0, 0.25, 0.5, 0.75, 1.0])


@pytest.mark.parametrize("name, expected", [
    ("linear", [0.0, 0.25, 0.5, 0.75, 1.0]),
    ("sine", [0.0, 0.5 - 0.5 * np.sqrt(0.5), 0.5, 0.5 + 0.5 * np.sqrt(0.5), 1.0]),
    ("quad", [0.0, 0.125, 0.5, 0.875, 1.0]),
    ("cubic", [0.0, 0.0625, 0.5, 0.9375, 1.0]),
    ("step", [0.0, 0.0, 1.0, 1.0, 1.0]),
])
def test_each_easing_at_quarters(name, expected):
    assert ease(name, X) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("name", sorted(EASINGS))
def test_easings_start_at_0_end_at_1_and_clip_outside(name):
    assert ease(name, np.array([-1.0, 0.0, 1.0, 2.0])).tolist() == [0.0, 0.0, 1.0, 1.0]


def test_step_switches_halfway_even_when_float_time_falls_just_short():
    # a frame at 0.5 s of a cue starting at 0.3 s is 0.19999999999999998 s into it
    t_s = np.array([0.5 - 0.3])
    assert envelope(t_s, 1.0, 0.4, 0.0, "step").tolist() == [1.0]
    assert envelope(np.array([0.49 - 0.3]), 1.0, 0.4, 0.0, "step").tolist() == [0.0]


def test_envelope_fades_in_holds_and_fades_out():
    t_s = np.array([0.0, 0.1, 0.2, 0.5, 0.8, 0.9])
    assert envelope(t_s, 1.0, 0.2, 0.2).tolist() == pytest.approx([0.0, 0.5, 1.0, 1.0, 1.0, 0.5])


def test_stepped_fade_out_stays_full_for_its_first_half():
    t_s = np.array([0.6, 0.7, 0.79, 0.81, 0.9])
    assert envelope(t_s, 1.0, 0.0, 0.4, easing_out="step").tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]
