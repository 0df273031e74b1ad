"""Which Art-Net nodes are alive and what they serve, from their ArtPollReplies.

Pure bookkeeping: replies come in with the time they arrived; a node not heard
from for three poll intervals is offline until it replies again.  A node with
several bind indexes (more than four ports) is one node with all their universes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lightshow.protocol.artnet_poll_reply import ArtPollReply

POLL_INTERVAL_S = 3.0
MISSED_POLLS = 3


@dataclass
class NodeEntry:
    ip: str
    short_name: str
    long_name: str
    universes: dict[int, tuple[int, ...]] = field(default_factory=dict)  # bind index -> outputs
    first_seen_s: float = 0.0
    last_seen_s: float = 0.0
    online: bool = True

    @property
    def all_universes(self) -> tuple[int, ...]:
        return tuple(sorted({u for us in self.universes.values() for u in us}))


class NodeTable:
    def __init__(self, poll_interval_s: float = POLL_INTERVAL_S, missed_polls: int = MISSED_POLLS):
        self.offline_after_s = poll_interval_s * missed_polls
        self.nodes: dict[str, NodeEntry] = {}
        self.version = 0  # grows whenever a node comes, goes or changes its universes

    def on_reply(self, reply: ArtPollReply, now_s: float) -> tuple[NodeEntry, bool]:
        """Record a reply; returns the node and whether it came (back) online."""
        node = self.nodes.get(reply.ip)
        appeared = node is None or not node.online
        if node is None:
            node = self.nodes[reply.ip] = NodeEntry(reply.ip, reply.short_name, reply.long_name,
                                                    first_seen_s=now_s)
        node.short_name, node.long_name = reply.short_name, reply.long_name
        announced = tuple(reply.port_addresses)
        if appeared or node.universes.get(reply.bind_index) != announced:
            self.version += 1
        node.universes[reply.bind_index] = announced
        node.last_seen_s, node.online = now_s, True
        return node, appeared

    def tick(self, now_s: float) -> list[NodeEntry]:
        """Mark nodes offline that missed their polls; returns those that just went."""
        gone = []
        for node in self.nodes.values():
            if node.online and now_s - node.last_seen_s > self.offline_after_s:
                node.online = False
                gone.append(node)
        self.version += bool(gone)
        return gone

    def served(self) -> set[int]:
        return {u for node in self.nodes.values() if node.online for u in node.all_universes}

    def unserved(self, universes) -> list[int]:
        """Universes of a rig that no live node announces ("有灯不亮")."""
        live = self.served()
        return [u for u in universes if u not in live]
