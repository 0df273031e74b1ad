"""Blend codes of the compiled mixing: one per blend mode of the model, and two of its own."""

import numpy as np

from lightshow.core import mixing
from lightshow.model.blend import BLEND_MODES, BlendMode


def test_every_blend_mode_has_its_own_code_and_the_first_layer_codes_are_apart():
    assert list(mixing.BLEND_CODES) == list(BLEND_MODES)
    codes = [mixing.NORMAL, mixing.ADD, mixing.MULTIPLY, mixing.SCREEN, mixing.MAX, mixing.MASK]
    assert codes == [mixing.BLEND_CODES[mode.value] for mode in BlendMode]
    assert len(set(codes + [mixing.COVER, mixing.SCALE])) == len(BLEND_MODES) + 2


# each mode in numpy's float32 arithmetic: d below, s the cue's colour, a its alpha
NUMPY_MODES = {
    mixing.COVER: lambda d, s, a: s + 0 * d,
    mixing.SCALE: lambda d, s, a: s * a + 0 * d,
    mixing.NORMAL: lambda d, s, a: (s - d) * a + d,
    mixing.ADD: lambda d, s, a: np.minimum(s * a + d, np.float32(1.0)),
    mixing.MULTIPLY: lambda d, s, a: d * ((np.float32(1.0) - a) + a * s),
    mixing.SCREEN: lambda d, s, a: np.float32(1.0) - (np.float32(1.0) - d) * (np.float32(1.0) - s * a),
    mixing.MAX: lambda d, s, a: np.maximum(d, s * a),
}


def test_one_colour_a_frame_onto_a_run_of_pixels_is_each_mode_in_numpy():
    rng = np.random.default_rng(5)
    below = rng.random((6, 40, 3), dtype=np.float32)
    colour = rng.random((4, 1, 3), dtype=np.float32)      # one colour a frame
    alpha = rng.random((4, 1), dtype=np.float32)          # one alpha a frame
    for mode, formula in NUMPY_MODES.items():
        for first, pixels in ((5, np.arange(5, 37)), (-1, np.arange(5, 37)[::-1].copy())):
            mixed = below.copy()
            mixing.mix_layer(mixed, 1, 4, first, pixels, colour, alpha, mode)
            expected = below.copy()
            expected[1:5, pixels] = formula(below[1:5, pixels], colour, alpha[..., None])
            assert np.array_equal(mixed.view(np.uint32), expected.view(np.uint32)), (mode, first)
