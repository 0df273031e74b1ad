"""A player for a show file: frames (compiled file or rendered ahead), index, levels, outputs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.files.compiled_file import CompiledShow
from lightshow.output.pacer import BurstPacing
from lightshow.playback.player import Player, ShowIndex, Sink
from lightshow.output.sacn_sender import SacnSender
from lightshow.playback.sinks import ArtNetSink, SacnSink
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


@dataclass
class NodeRoutes:
    """Per universe, where Art-Net and sACN go; and how each Art-Net node is paced."""

    artnet: list[list[tuple[str, int]] | None]   # None: the universe goes out as sACN only
    sacn: list[list[tuple[str, int]]]
    pacing: dict[str, BurstPacing]

    @property
    def sacn_rows(self) -> list[int]:
        return [i for i, routes in enumerate(self.sacn) if routes]


def node_routes(universes: list[int], nodes, to: str | None = None, port: int = ARTNET_PORT) -> NodeRoutes:
    """Routes from the rig's nodes (Art-Net or sACN, per node), or every universe to ``to``."""
    if to:
        return NodeRoutes([[(to, port)] for _ in universes], [[] for _ in universes], {})
    artnet, sacn = [], []
    for universe in universes:
        serving = [n for n in nodes if n.serves(universe)]
        to_artnet = [(n.ip, ARTNET_PORT) for n in serving if n.protocol == "artnet"]
        sacn.append([(n.ip, SACN_PORT) for n in serving if n.protocol == "sacn"])
        artnet.append(None if sacn[-1] and not to_artnet else to_artnet)
    pacing = {n.ip: BurstPacing(n.burst_packets, n.burst_gap_ms / 1000.0)
              for n in nodes if n.burst_packets is not None}
    return NodeRoutes(artnet, sacn, pacing)


def output_sinks(show: Show, universes: list[int], outputs: Outputs) -> list[Sink]:
    routes = node_routes(universes, show.rig.nodes, outputs.to, outputs.port)
    sinks: list[Sink] = [ArtNetSink(ArtNetSender(universes, routes.artnet, sync=outputs.sync,
                                                 pacing=routes.pacing))]
    rows = routes.sacn_rows
    if rows:
        sinks.append(SacnSink(SacnSender([universes[i] for i in rows], [routes.sacn[i] for i in rows]), rows))
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
        renderer.warm_up()  # kernels compiled before the clock starts, not during the show
        fetch, n_frames, first = renderer.render, renderer.n_frames, 0
        index = json.loads(build_index(show, universes, 0, renderer.n_frames))
    player = Player(fetch, n_frames, universes, ShowIndex.from_index(index), LevelMap.build(show.rig), sinks,
                    first_frame=first, **player_options)
    if content is not None:
        from lightshow.queue.artwork_slots import ArtworkSlots

        player.artwork = ArtworkSlots(renderer, content, lambda: player.transport.position(player.clock()))
        if player_options.get("background", True):
            player.artwork.start()
    return player
