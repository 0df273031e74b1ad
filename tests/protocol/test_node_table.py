"""The node table: replies in, offline after three missed polls, unserved universes."""

from lightshow.protocol.artnet import build_artpollreply, parse_packet
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
