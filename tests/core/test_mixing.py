"""Blend codes of the compiled mixing: one per blend mode of the model, and two of its own."""

from lightshow.core import mixing
from lightshow.model.blend import BLEND_MODES, BlendMode


def test_every_blend_mode_has_its_own_code_and_the_first_layer_codes_are_apart():
    assert list(mixing.BLEND_CODES) == list(BLEND_MODES)
    codes = [mixing.NORMAL, mixing.ADD, mixing.MULTIPLY, mixing.SCREEN, mixing.MAX, mixing.MASK]
    assert codes == [mixing.BLEND_CODES[mode.value] for mode in BlendMode]
    assert len(set(codes + [mixing.COVER, mixing.SCALE])) == len(BLEND_MODES) + 2
