"""The plain wall works are previewed on without a rig: a rig of RGB pixel rows."""

import numpy as np

from lightshow.content.plain_wall import FACADE_GROUP, plain_wall_rig
from lightshow.core.patch import build_channel_map
from lightshow.core.pixelmap import PixelMap, grid_target


def test_the_wall_is_a_grid_of_pixels_row_by_row_from_the_top_left():
    rig = plain_wall_rig(12, 4, 6.0, 2.0)
    target = PixelMap(rig).target(rig.groups[FACADE_GROUP].fixture_ids)
    grid = grid_target(12, 4, 6.0, 2.0)
    assert target.n_pixels == 48 and target.size_m == grid.size_m
    assert np.allclose(target.pos_m, grid.pos_m) and np.allclose(target.xy, grid.xy)


def test_each_row_is_a_universe_of_rgb_bytes():
    rig = plain_wall_rig()
    channel_map = build_channel_map(rig, PixelMap(rig))
    assert rig.universes() == list(range(32)) and channel_map.n_channels == 32 * 512
    assert [f.mode.n_channels for f in rig.fixtures] == [96 * 3] * 32
