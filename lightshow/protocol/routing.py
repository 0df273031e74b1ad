"""Where each universe goes: the rig's nodes first, then live nodes that announced it.

The rule, per universe:

1. the nodes the rig assigns to it (its ``nodes`` section, or ``--to``): always, whether
   they answer ArtPoll or not -- a rig node that is down is retried, never dropped;
2. otherwise every *online* node whose ArtPollReply announces it (Art-Net 4's way), so
   routes follow the node table as nodes come and go;
3. otherwise the legacy broadcast address, when one is given, else nowhere.

A rig route of ``None`` means the rig sends that universe another way (sACN): no Art-Net.

Pure: the node table is passed in, the result is one list of (ip, port) per universe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.node_table import NodeEntry

Address = tuple[str, int]


def announced_routes(nodes: Iterable[NodeEntry], port: int = ARTNET_PORT) -> dict[int, list[Address]]:
    """Universe -> the online nodes that announce it, in IP order."""
    routes: dict[int, list[Address]] = {}
    for node in sorted((n for n in nodes if n.online), key=lambda n: n.ip):
        for universe in node.all_universes:
            routes.setdefault(universe, []).append((node.ip, port))
    return routes


def route_universes(universes: Sequence[int], rig_routes: Sequence[Sequence[Address] | None],
                    nodes: Iterable[NodeEntry] = (), broadcast: str | None = None,
                    port: int = ARTNET_PORT) -> list[list[Address]]:
    """Destinations per universe (``rig_routes[i]`` belongs to ``universes[i]``)."""
    if len(rig_routes) != len(universes):
        raise ValueError("one rig route list per universe")
    announced = announced_routes(nodes, port)
    fallback = [(broadcast, port)] if broadcast is not None else []
    return [[] if assigned is None else list(assigned) or list(announced.get(universe, fallback))
            for universe, assigned in zip(universes, rig_routes)]
