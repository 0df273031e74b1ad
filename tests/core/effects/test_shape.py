"""Shared effect helpers."""

import numpy as np
import pytest

from lightshow.core.effects.shape import sample_palette


def test_sample_palette_blends_linearly():
    palette = ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (1.0, 1.0, 1.0))
    got = sample_palette(palette, np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.5]), cyclic=False)
    assert got.dtype == np.float32
    assert got == pytest.approx(np.array([[0, 0, 0], [0.5, 0, 0], [1, 0, 0], [1, 0.5, 0.5], [1, 1, 1],
                                          [1, 1, 1]]))
    assert sample_palette(((0.2, 0.3, 0.4),), np.zeros((2, 3)), cyclic=False).shape == (2, 3, 3)


def test_cyclic_palette_wraps_around():
    palette = ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    got = sample_palette(palette, np.array([0.0, 0.25, 0.5, 1.0, -0.25]))
    assert got == pytest.approx(np.array([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1], [1, 0, 0],
                                          [0.5, 0, 0.5]]))
