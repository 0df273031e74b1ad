"""Live Art-Net for the simulator: a virtual node that draws what arrives."""

import time

import numpy as np

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.output.discovery import Discovery
from simulator.appearance import AppearanceMap
from lightshow.core.render import ShowRenderer
from lightshow.load.project import load_show
from simulator.headless import surface_pixels
from simulator.painter import Painter
from simulator.live_artnet import LiveArtnet

SIM_IP = "127.0.0.3"


def wait_for(condition, timeout_s: float = 3.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


def test_live_artnet_from_our_sender_draws_like_the_show(sim_show):
    show = load_show(sim_show)
    renderer = ShowRenderer(show)
    universes = renderer.channel_map.universes
    frame = renderer.render(5, 6)[0]
    with LiveArtnet(universes, SIM_IP) as live, \
            ArtNetSender(universes, [[(SIM_IP, 6454)]] * len(universes)) as sender:
        live.start()
        sender.send_frame(frame.reshape(len(universes), 512))
        wait_for(lambda: live.stats.packets == len(universes))
        received = live.frame()
    assert np.array_equal(received, frame)
    assert live.stats.universes_seen == set(universes)
    painter = Painter(AppearanceMap(show.rig, renderer.pixels), (320, 180))
    assert np.array_equal(surface_pixels(painter.paint(received)), surface_pixels(painter.paint(frame)))


def test_universes_outside_the_rig_and_junk_are_ignored():
    with LiveArtnet([0, 1], SIM_IP) as live:
        live.handle(b"not art-net at all", ("127.0.0.1", 6454))
        from lightshow.protocol.artnet_dmx import build_artdmx
        live.handle(build_artdmx(7, bytes([255] * 512), 1), ("127.0.0.1", 6454))
        live.handle(build_artdmx(1, bytes([9] * 4), 1), ("127.0.0.1", 6454))
        frame = live.frame()
    assert live.stats.ignored == 2 and live.stats.packets == 1
    assert frame[512:516].tolist() == [9, 9, 9, 9] and frame.sum() == 36


def test_the_virtual_node_answers_artpoll_with_the_rig_universes(sim_show):
    universes = [0, 1, 2, 3, 4, 16, 17]           # 4 ports per reply; 16 starts a new sub-net
    with LiveArtnet(universes, SIM_IP, name="sim") as live:
        live.start()
        with Discovery([SIM_IP], "127.0.0.1", poll_interval_s=0.2) as discovery:
            wait_for(lambda: discovery.nodes() and discovery.nodes()[0].all_universes == tuple(universes))
            (node,) = discovery.nodes()
    assert (node.ip, node.short_name, node.online) == (SIM_IP, "sim", True)
    assert sorted(node.universes) == [1, 2, 3]           # bind indices: [0..3], [4], [16, 17]
    assert live.stats.polls_answered >= 1
