"""Helpers shared by the compiled kernels."""

from __future__ import annotations

import numpy as np

from lightshow.core.compiled import sin_turns
from tests.core import each


def _sin_turns_of(x):
    return each(sin_turns, x)


def test_sin_turns_is_sin_of_whole_turns_to_within_1e_11():
    rng = np.random.default_rng(7)
    x = np.concatenate([np.linspace(-2.0, 2.0, 400_001), rng.uniform(-1e4, 1e4, 200_000),
                        np.arange(-8, 9) / 4.0])            # quarter turns: the fold points
    got = _sin_turns_of(x)
    assert np.abs(got - np.sin(2.0 * np.pi * x)).max() < 1e-11
    quarters = got[-17:]                                     # x = -2, -1.75, ..., 2
    assert (quarters[::2] == 0.0).all()                      # whole and half turns: exactly 0
    assert np.allclose(quarters[1::2], [1, -1, 1, -1, 1, -1, 1, -1], rtol=0, atol=1e-11)
    assert np.abs(got).max() <= 1.0 + 1e-15


def test_sin_turns_is_odd_and_periodic():
    x = np.linspace(0.0, 1.0, 10_001)
    assert np.array_equal(_sin_turns_of(-x), -_sin_turns_of(x))
    assert np.abs(_sin_turns_of(x + 3.0) - _sin_turns_of(x)).max() < 1e-12
