"""Discovery against a small Art-Net node on 127.0.0.2 that answers ArtPoll."""

import socket
import threading
import time

import pytest

from lightshow import cli
from lightshow.adapters.discovery import Discovery
from lightshow.protocol.artnet import ArtPoll, build_artpollreply, parse_packet


class Node:
    """Answers every ArtPoll with an ArtPollReply to the poller's port 6454."""

    def __init__(self, ip: str, universes, port: int = 6454):
        self.ip, self.universes, self.port = ip, universes, port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, port))
        self.sock.settimeout(0.05)
        self.answering = True
        self.polls = 0
        self._halt = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        reply = build_artpollreply(self.ip, "facade-b04", "River Exchange Centre node",
                                   self.universes)
        while not self._halt.is_set():
            try:
                data, (host, _) = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            if isinstance(parse_packet(data), ArtPoll):
                self.polls += 1
                if self.answering:
                    self.sock.sendto(reply, (host, self.port))

    def close(self):
        self._halt.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def node():
    node = Node("127.0.0.2", [16, 17, 18, 19])
    yield node
    node.close()


def wait_for(condition, timeout_s: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_a_node_that_answers_appears_and_goes_offline_when_it_stops(node):
    with Discovery(["127.0.0.2"], "127.0.0.1", poll_interval_s=0.2) as discovery:
        wait_for(lambda: discovery.nodes() and discovery.nodes()[0].online, 3)
        (found,) = discovery.nodes()
        assert (found.ip, found.short_name, found.all_universes) == (
            "127.0.0.2", "facade-b04", (16, 17, 18, 19))
        assert discovery.unserved([16, 17, 20]) == [20]
        node.answering = False
        took = wait_for(lambda: not discovery.nodes()[0].online, 3)
        assert 0.4 <= took <= 1.5  # three missed polls of 0.2 s
        assert discovery.unserved([16]) == [16]
        node.answering = True
        wait_for(lambda: discovery.nodes()[0].online, 3)
    assert node.polls >= 5


def test_cli_nodes_lists_nodes_and_unserved_rig_universes(node, project, capsys):
    project.rig("name: t\npatch:\n"
                "  - {id: a, profile: par, universe: 16, address: 1}\n"
                "  - {id: b, profile: par, universe: 21, address: 1}\n")
    assert cli.run(["nodes", "--rig", "shows/rig.yaml", "--poll", "127.0.0.2",
                    "--bind", "127.0.0.1", "--seconds", "0.6", "--interval", "0.2"]) == 0
    out = capsys.readouterr().out
    assert "127.0.0.2        facade-b04         online   16, 17, 18, 19" in out
    assert "1 of 2 rig universes have no live node: 21" in out
