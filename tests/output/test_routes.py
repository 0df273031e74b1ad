"""Routes and pacing from the rig's nodes: one derivation for every command that sends."""

from lightshow.model.rig import Node
from lightshow.output.pacer import BurstPacing
from lightshow.output.routes import node_routes


def test_routes_follow_the_rig_s_nodes_and_their_protocols():
    nodes = [Node("a", "10.0.0.1", 0, 0, burst_packets=4, burst_gap_ms=2.5),
             Node("s", "10.0.0.2", 1, 1, protocol="sacn")]
    routes = node_routes([0, 1, 2], nodes)
    assert routes.artnet == [[("10.0.0.1", 6454)], None, []]       # sACN only; nobody serves 2
    assert routes.sacn == [[], [("10.0.0.2", 5568)], []] and routes.sacn_rows == [1]
    assert routes.pacing == {"10.0.0.1": BurstPacing(4, 0.0025)}
    to = node_routes([0, 1], nodes, to="127.0.0.1", port=7000)
    assert to.artnet == [[("127.0.0.1", 7000)]] * 2 and to.sacn_rows == [] and to.pacing == {}
