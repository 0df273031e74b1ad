"""The plain wall works are previewed on when no rig is given: a facade of RGB pixels as a rig.

A rig (not only pixel places) so that the simulator draws it as it draws any rig: one pixel bar
per row of the wall, top row first, each in a universe of its own, all in the group
``facades``.
"""

from __future__ import annotations

from lightshow.model.profile import ChannelDef, ChannelKind, Mode, ModeChannel, PixelLayout, Profile
from lightshow.model.rig import Group, PatchedFixture, PatchSegment, Rig

FACADE_GROUP = "facades"
PLAIN_WALL = (96, 32, 48.0, 16.0)       # columns, rows, width and height in metres
COLOURS = ("red", "green", "blue")


def plain_wall_rig(columns: int = PLAIN_WALL[0], rows: int = PLAIN_WALL[1], width_m: float = PLAIN_WALL[2],
                   height_m: float = PLAIN_WALL[3]) -> Rig:
    """A wall of ``columns`` x ``rows`` RGB pixels, ``width_m`` x ``height_m``, standing on the quay."""
    if columns * len(COLOURS) > 512:
        raise ValueError(f"a row of {columns} RGB pixels does not fit in one universe")
    row_m = height_m / rows
    profile = Profile(
        id="plain-wall-row", name="Plain wall row", manufacturer="lightshow", size_m=(width_m, row_m, 0.1),
        channels={name: ChannelDef(name, ChannelKind(name)) for name in COLOURS},
        modes={"rgb": Mode("rgb", tuple(ModeChannel(name, 0, head) for head in range(columns)
                                        for name in COLOURS), n_heads=columns)},
        pixels=PixelLayout(columns))
    mode = profile.modes["rgb"]
    fixtures = tuple(
        PatchedFixture(f"wall.{row + 1}", profile, mode, (PatchSegment(row, 1, 0, mode.n_channels),),
                       position_m=(width_m / 2, height_m - (row + 0.5) * row_m, 0.0), array="wall")
        for row in range(rows))
    ids = tuple(f.id for f in fixtures)
    return Rig("plain wall", "", fixtures, {FACADE_GROUP: Group(FACADE_GROUP, ids)}, (), arrays={"wall": ids})
