"""The one vocabulary of blend modes."""

from lightshow.load import show_file
from lightshow.model import show
from lightshow.model.blend import BLEND_MODES, LIGHT_ADDING, BlendMode


def test_the_names_a_show_file_writes_are_the_modes_in_order():
    assert BLEND_MODES == ("normal", "add", "multiply", "screen", "max", "mask")
    assert BLEND_MODES == tuple(BlendMode)
    assert show_file.CUE.fields["blend"].type.choices == BLEND_MODES   # what the loader accepts
    assert show.Cue.blend == BlendMode.NORMAL


def test_the_light_adding_modes_are_blend_modes():
    assert LIGHT_ADDING == {"normal", "add", "screen", "max"}
    assert LIGHT_ADDING < set(BLEND_MODES)
