"""Routes and pacing from the rig's nodes: one derivation for `lightshow send` and the player."""

from lightshow.output.pacer import BurstPacing
from lightshow.playback.show_player import Outputs, node_routes, output_sinks
from lightshow.load.project import load_show
from lightshow.model.rig import Node

RIG = """\
name: t
nodes:
  - {name: a, ip: 127.0.0.8, universes: [0, 0], burst_packets: 2, burst_gap_ms: 5}
  - {name: s, ip: 127.0.0.9, universes: [1, 1], protocol: sacn}
patch:
  - {id: x, profile: par, universe: 0, address: 1}
  - {id: y, profile: par, universe: 1, address: 1}
  - {id: z, profile: par, universe: 2, address: 1}
"""


def test_routes_follow_the_rig_s_nodes_and_their_protocols():
    nodes = [Node("a", "10.0.0.1", 0, 0, burst_packets=4, burst_gap_ms=2.5),
             Node("s", "10.0.0.2", 1, 1, protocol="sacn")]
    routes = node_routes([0, 1, 2], nodes)
    assert routes.artnet == [[("10.0.0.1", 6454)], None, []]       # sACN only; nobody serves 2
    assert routes.sacn == [[], [("10.0.0.2", 5568)], []] and routes.sacn_rows == [1]
    assert routes.pacing == {"10.0.0.1": BurstPacing(4, 0.0025)}
    to = node_routes([0, 1], nodes, to="127.0.0.1", port=7000)
    assert to.artnet == [[("127.0.0.1", 7000)]] * 2 and to.sacn_rows == [] and to.pacing == {}


def test_the_player_s_sinks_pace_the_nodes_the_rig_paces(project):
    project.rig(RIG)
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, duration: 1}\n")
    show = load_show("shows/show.yaml")
    artnet, sacn = output_sinks(show, show.rig.universes(), Outputs(to=None))
    try:
        assert artnet.sender.pacing == {"127.0.0.8": BurstPacing(2, 0.005)}
        assert sacn.rows == [1]
    finally:
        artnet.close()
        sacn.close()
