"""The network sinks a command opens: Art-Net and sACN from the rig's nodes, paced as the rig says."""

from lightshow.load.project import load_show
from lightshow.output.pacer import BurstPacing
from lightshow.playback.sinks import Outputs, output_sinks

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


def test_the_player_s_sinks_pace_the_nodes_the_rig_paces(project):
    project.rig(RIG)
    project.show("title: t\nrig: rig.yaml\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, duration: 1}\n")
    show = load_show("shows/show.yaml")
    artnet, sacn = output_sinks(show.rig.universes(), show.rig.nodes, Outputs(to=None))
    try:
        assert artnet.sender.pacing == {"127.0.0.8": BurstPacing(2, 0.005)}
        assert sacn.rows == [1]
    finally:
        artnet.close()
        sacn.close()
