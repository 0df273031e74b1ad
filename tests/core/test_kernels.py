"""Helpers shared by the compiled kernels."""

from __future__ import annotations

import numpy as np
from numba import njit

from lightshow.core.kernels import bearing_rad, exp_neg, sin_turns


@njit(cache=False)
def _each(function, x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = function(x[i])
    return out


def _sin_turns_of(x):
    return _each(sin_turns, x)


def _exp_neg_of(y):
    return _each(exp_neg, y)


@njit(cache=False)
def _bearing_of(dy, dx):
    out = np.empty_like(dy)
    for i in range(dy.shape[0]):
        out[i] = bearing_rad(dy[i], dx[i])
    return out


def test_exp_neg_is_exp_of_minus_y_to_a_relative_1e_10():
    y = np.concatenate([np.linspace(0.0, 120.0, 600_001), [0.0, 1e-300, 49.0]])
    got = _exp_neg_of(y)
    assert np.abs(got / np.exp(-y) - 1.0).max() < 1e-10
    assert got[-3] == 1.0
    beyond = _exp_neg_of(np.array([121.0, 1e4, np.inf]))
    assert (beyond == exp_neg.py_func(120.0)).all() and beyond[0] < 1e-52


def test_bearing_rad_is_atan2_to_1e_12():
    rng = np.random.default_rng(3)
    dy, dx = rng.normal(0.0, 10.0, (2, 500_000))
    axes = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [2.0, 2.0], [-3.0, 3.0],
                     [3.0, -3.0], [-1.0, -1.0], [1e-300, 1.0], [1.0, 1e-300]])
    dy, dx = np.concatenate([dy, axes[:, 0]]), np.concatenate([dx, axes[:, 1]])
    assert np.abs(_bearing_of(dy, dx) - np.arctan2(dy, dx)).max() < 1e-12
    assert _bearing_of(np.zeros(1), np.zeros(1))[0] == 0.0


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
