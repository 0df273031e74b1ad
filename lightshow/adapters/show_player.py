"""A player for a show file: frames (compiled file or rendered ahead), index, levels, outputs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from lightshow.adapters.artnet_sender import ArtNetSender
from lightshow.adapters.compiled_file import CompiledShow
from lightshow.adapters.player import Player, ShowIndex, Sink
from lightshow.adapters.sacn_sender import SacnSender
from lightshow.adapters.sinks import ArtNetSink, SacnSink
from lightshow.core.live_levels import LevelMap
from lightshow.core.render import ShowRenderer
from lightshow.core.show_index import build_index
from lightshow.model.show import Show
from lightshow.protocol.artnet import ARTNET_PORT
from lightshow.protocol.sacn import SACN_PORT


@dataclass
class Outputs:
    """Where Art-Net goes: every universe to one address, or to the rig's nodes."""

    to: str | None = "127.0.0.1"
    port: int = ARTNET_PORT
    sync: bool = True


def compiled_is_current(show: Show, path: str) -> bool:
    """A compiled file newer than the show, its rig and every profile it uses."""
    if not os.path.exists(path):
        return False
    sources = [show.path, show.rig.path] + sorted({f.profile.path for f in show.rig.fixtures if f.profile.path})
    newest = max((os.path.getmtime(p) for p in sources if p and os.path.exists(p)), default=0.0)
    return os.path.getmtime(path) >= newest


def output_sinks(show: Show, universes: list[int], outputs: Outputs) -> list[Sink]:
    if outputs.to:
        sender = ArtNetSender(universes, [[(outputs.to, outputs.port)]] * len(universes), sync=outputs.sync)
        return [ArtNetSink(sender)]
    artnet, sacn = [], []
    for universe in universes:
        serving = [n for n in show.rig.nodes if n.serves(universe)]
        artnet.append([(n.ip, ARTNET_PORT) for n in serving if n.protocol == "artnet"])
        sacn.append([(n.ip, SACN_PORT) for n in serving if n.protocol == "sacn"])
    sinks: list[Sink] = [ArtNetSink(ArtNetSender(universes, artnet, sync=outputs.sync))]
    rows = [i for i, routes in enumerate(sacn) if routes]
    if rows:
        sinks.append(SacnSink(SacnSender([universes[i] for i in rows], [sacn[i] for i in rows]), rows))
    return sinks


def open_player(show: Show, compiled_path: str | None, sinks: list[Sink], content=None,
                **player_options) -> Player:
    """A player of ``show``: frames from ``compiled_path`` when given, else rendered ahead in memory.

    With ``content`` (a ContentStore), the show's artwork slots play approved citizen works."""
    renderer = ShowRenderer(show)
    universes = renderer.channel_map.universes
    if compiled_path:
        compiled = CompiledShow.of_show(compiled_path, show)
        fetch, first, index = compiled.show_frames, compiled.first_frame, compiled.index
        n_frames = first + compiled.n_frames
    else:
        fetch, n_frames, first = renderer.render, renderer.n_frames, 0
        index = json.loads(build_index(show, universes, 0, renderer.n_frames))
    player = Player(fetch, n_frames, universes, ShowIndex.from_index(index), LevelMap.build(show.rig), sinks,
                    first_frame=first, **player_options)
    if content is not None:
        from lightshow.adapters.artwork_slots import ArtworkSlots

        player.artwork = ArtworkSlots(renderer, content, lambda: player.transport.position(player.clock()))
        if player_options.get("background", True):
            player.artwork.start()
    return player
