"""A player of a loaded show: its frames, its levels, its artwork slots."""

from __future__ import annotations

from lightshow.core.live_levels import LevelMap
from lightshow.model.show import Show
from lightshow.playback.frames import FrameSource
from lightshow.playback.player import Player
from lightshow.playback.sinks import Sink


def open_player(show: Show, compiled_path: str | None, sinks: list[Sink], content=None,
                **player_options) -> Player:
    """A player of ``show``: frames from ``compiled_path`` when given, else rendered ahead in memory.

    With ``content`` (a ContentStore), the show's artwork slots play approved citizen works."""
    source = FrameSource.of_show(show, compiled_path)
    source.warm_up()  # kernels compiled before the clock starts, not during the show
    player = Player(source, LevelMap.build(show.rig), sinks, **player_options)
    if content is not None:
        from lightshow.queue.artwork_slots import ArtworkSlots

        player.artwork = ArtworkSlots(source.renderer, content, lambda: player.transport.position(player.clock()))
        if player_options.get("background", True):
            player.artwork.start()
    return player
