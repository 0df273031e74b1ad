"""What the play log keeps besides runs: nodes going offline and coming back, citizen works shown.

A thread looks at the rig's node status (ArtPollReply presence, from discovery) once a
second and records each change; a node that goes offline also raises an alert.  A status
listener on the player records each citizen work as it starts to show, with who made it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Callable

log = logging.getLogger("lightshow.watch")
LOOK_EVERY_S = 1.0


class PlayWatch:
    def __init__(self, nodes: Callable[[], list[dict]] | None, play_log, alerts=None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 every_s: float = LOOK_EVERY_S, grace_s: float = 0.0):
        """``grace_s``: the first look at the nodes waits this long (discovery's first polls)."""
        self.grace_s = grace_s
        self.nodes, self.play_log, self.alerts, self.now, self.every_s = nodes, play_log, alerts, now, every_s
        self.online: dict[str, bool] = {}
        self._showing: tuple | None = None
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lightshow-watch", daemon=True)

    def start(self, player=None) -> "PlayWatch":
        if player is not None:
            player.subscribe(self.on_status)
        if self.nodes is not None:
            self._thread.start()
        return self

    def _record(self, kind: str, **detail) -> None:
        try:
            self.play_log.record(self.now(), kind, **detail)
        except Exception:      # noqa: BLE001 - the log must never stop the show
            log.exception("the play log could not record %s", kind)

    def look_at_nodes(self) -> None:
        """Record each node whose presence changed; the first look records the nodes that are off."""
        for node in self.nodes():
            online = node.get("online")
            if online is None or self.online.get(node["ip"]) == online:
                continue
            first = node["ip"] not in self.online
            self.online[node["ip"]] = online
            if first and online:
                continue
            self._record("node-online" if online else "node-offline", node=node["ip"], name=node.get("name"),
                         universes=node.get("universes"))
            if not online and self.alerts is not None:
                self.alerts.raise_alert("node-offline", f"node {node['ip']} ({node.get('name')}) stopped "
                                        "answering ArtPoll", node=node["ip"])

    def on_status(self, status: dict) -> None:
        work = status.get("artwork")
        showing = (work.get("slot"), work.get("id")) if work else None
        if showing == self._showing:
            return
        self._showing = showing
        if work:
            self._record("work-shown", work_id=work.get("id"), title=work.get("title"), name=work.get("name"),
                         city=work.get("city"), slot=work.get("slot"), show=status.get("show"))

    def _run(self) -> None:
        if self._halt.wait(self.grace_s):
            return
        while not self._halt.wait(self.every_s):
            try:
                self.look_at_nodes()
            except Exception:      # noqa: BLE001 - watching must never stop the show
                log.exception("looking at the nodes failed")

    def close(self) -> None:
        self._halt.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
