"""The node table: replies in, offline after three missed polls, unserved universes."""

from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_poll_reply import build_artpollreply
from lightshow.protocol.node_table import NodeTable


def test_default_timing_marks_a_silent_node_offline_within_ten_seconds():
    table = NodeTable()  # ArtPoll every 3 s, three missed polls
    reply = parse_packet(build_artpollreply("10.20.4.10", "b04", "b04 node", [77, 78]))
    table.on_reply(reply, now_s=100.0)
    assert table.tick(108.9) == []
    assert [n.ip for n in table.tick(109.1)] == ["10.20.4.10"]
    assert table.unserved([77, 79]) == [77, 79]


def test_a_node_with_two_bind_indexes_serves_all_their_universes():
    table = NodeTable()
    table.on_reply(parse_packet(build_artpollreply("10.0.0.5", "n", "n", [1, 2], bind_index=1)), 0.0)
    node, appeared = table.on_reply(
        parse_packet(build_artpollreply("10.0.0.5", "n", "n", [3], bind_index=2)), 0.5)
    assert not appeared and node.all_universes == (1, 2, 3)


def test_the_version_grows_when_nodes_come_go_or_change_what_they_announce():
    table = NodeTable(poll_interval_s=1.0)
    reply = parse_packet(build_artpollreply("10.0.0.5", "n", "n", [1, 2]))
    table.on_reply(reply, 0.0)
    first = table.version
    table.on_reply(reply, 0.5)
    table.tick(1.0)
    assert table.version == first  # the same answer again: nothing to re-route
    table.on_reply(parse_packet(build_artpollreply("10.0.0.5", "n", "n", [1, 3])), 1.0)
    assert table.version == first + 1
    table.tick(4.5)
    assert table.version == first + 2 and not table.nodes["10.0.0.5"].online
    table.on_reply(reply, 5.0)
    assert table.version == first + 3
