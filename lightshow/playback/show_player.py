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
        player.artwork = artwork_slots(player, source, content, player_options.get("background", True))
    return player


def artwork_slots(player: Player, source: FrameSource, content, background: bool = True):
    """The artwork slots of ``source`` (a show ``player`` plays, or one of its programme): they
    take works from ``content`` only while their show is the one playing, so a slot of a show
    waiting in a playlist does not use up a work."""
    from lightshow.queue.artwork_slots import ArtworkSlots

    def position():
        return player.transport.position(player.clock()) if player.artwork is slots else None
    slots = ArtworkSlots(source.renderer, content, position)
    if background:
        slots.start()
    return slots
