"""Where each universe goes: the rig's nodes (Art-Net or sACN per node), or one address."""

from __future__ import annotations

from dataclasses import dataclass

from lightshow.output.pacer import BurstPacing
from lightshow.protocol.artnet_header import ARTNET_PORT
from lightshow.protocol.sacn import SACN_PORT


@dataclass
class NodeRoutes:
    """Per universe, where Art-Net and sACN go; and how each Art-Net node is paced."""

    artnet: list[list[tuple[str, int]] | None]   # None: the universe goes out as sACN only
    sacn: list[list[tuple[str, int]]]
    pacing: dict[str, BurstPacing]

    @property
    def sacn_rows(self) -> list[int]:
        return [i for i, routes in enumerate(self.sacn) if routes]

    def unrouted(self, universes: list[int]) -> list[int]:
        """The universes that nothing serves: no Art-Net node and no sACN node."""
        return [u for u, artnet in zip(universes, self.artnet) if artnet == []]


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
