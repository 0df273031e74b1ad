"""Discovery against a small Art-Net node on 127.0.0.2 that answers ArtPoll."""

import threading

from lightshow import cli
from lightshow.output.discovery import Discovery
from tests.artnet_node import wait_for


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


def test_cli_nodes_marks_a_node_offline_once_it_stops_answering(node, capsys):
    silence = threading.Timer(0.5, lambda: setattr(node, "answering", False))
    silence.start()
    try:
        assert cli.run(["nodes", "--poll", "127.0.0.2", "--bind", "127.0.0.1",
                        "--seconds", "1.6", "--interval", "0.2"]) == 0
    finally:
        silence.cancel()
    out = capsys.readouterr().out
    assert "127.0.0.2        facade-b04         OFFLINE  16, 17, 18, 19" in out
