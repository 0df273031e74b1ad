"""OSC control end to end: liblo's oscsend and python-osc drive a playing show; Art-Net shows it."""

import shutil
import socket
import subprocess
import time

import pytest
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.udp_client import SimpleUDPClient

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.control.osc_control import OscControl
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import ArtNetSink
from lightshow.load.project import load_show
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx


class Receiver:
    """Keeps the latest ArtDmx data per universe."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.latest = {}

    def wait_for(self, condition, timeout_s=3.0):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                data, _ = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            packet = parse_packet(data)
            if isinstance(packet, ArtDmx):
                self.latest[packet.port_address] = packet.data
                if 0 in self.latest and condition(self.latest[0]):
                    return time.monotonic()
        raise AssertionError(f"Art-Net never showed it; last universe 0: {self.latest.get(0, b'')[:8]!r}")


@pytest.fixture
def running(sim_show):
    show = load_show(sim_show)
    receiver = Receiver()
    universes = [0, 1]
    sink = ArtNetSink(ArtNetSender(universes, [[("127.0.0.1", receiver.port)]] * 2, sync=False))
    player = open_player(show, None, [sink])
    player.set_loop(True)
    player.play()
    player.start()
    osc = OscControl(player, "127.0.0.1", 0).start()
    yield player, osc, receiver
    osc.close()
    player.close()
    receiver.sock.close()


def message(address, *args) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


@pytest.mark.skipif(not shutil.which("oscsend"), reason="liblo-tools is not installed (.ci/install installs it)")
def test_oscsend_pulls_the_master_and_blacks_out(running):
    player, osc, receiver = running
    port = str(osc.address[1])
    receiver.wait_for(lambda d: d[0] == 255)                        # the red roof
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/master", "f", "0.5"], check=True)
    receiver.wait_for(lambda d: d[0] == 128)
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/blackout", "i", "1"], check=True)
    receiver.wait_for(lambda d: not any(d[:40]))
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/blackout", "i", "0"], check=True)
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/master", "f", "1"], check=True)
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/goto/chapter", "s", "second"], check=True)
    receiver.wait_for(lambda d: d[0] == 0 and d[2] == 255)          # chapter two: blue
    subprocess.run(["oscsend", "127.0.0.1", port, "/lightshow/group/pixels/intensity", "f", "0"], check=True)
    receiver.wait_for(lambda d: not any(d[:40]))
    assert osc.handled == 6 and osc.ignored == 0


def test_python_osc_client_and_feedback_to_subscribers(running):
    player, osc, receiver = running
    client = SimpleUDPClient("127.0.0.1", osc.address[1])
    client.send_message("/lightshow/pause", [])
    client.send_message("/lightshow/goto/cue", "blue-all")
    receiver.wait_for(lambda d: d[2] == 255)
    assert player.status()["state"] == "paused" and player.status()["frame"] == 40
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(2)
    listener.sendto(message("/lightshow/subscribe"), osc.address)
    seen = {}
    while "state" not in seen or "chapter" not in seen:
        data, _ = listener.recvfrom(1024)
        reply = OscMessage(data)
        seen[reply.address.rsplit("/", 1)[1]] = reply.params[0]
    assert seen["state"] == "paused" and seen["chapter"] == "second"
    client.send_message("/lightshow/resume", [])
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:                               # feedback on the change
        reply = OscMessage(listener.recvfrom(1024)[0])
        if reply.address == "/lightshow/out/state" and reply.params[0] == "playing":
            break
    else:
        raise AssertionError("no feedback after resume")
    listener.close()


def test_a_future_bundle_waits_without_freezing_the_server(running):
    player, osc, receiver = running
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    bundle = OscBundleBuilder(time.time() + 0.6)
    bundle.add_content(OscMessage(message("/lightshow/master", 0.0)))
    sender.sendto(bundle.build().dgram, osc.address)
    sender.sendto(message("/lightshow/blackout", 1), osc.address)        # runs at once
    sent = time.monotonic()
    receiver.wait_for(lambda d: not any(d[:40]), timeout_s=0.5)
    assert player.status()["master"] == 1.0                              # not yet
    sender.sendto(message("/lightshow/blackout", 0), osc.address)
    receiver.wait_for(lambda d: d[0] == 255, timeout_s=0.5)
    done = receiver.wait_for(lambda d: d[0] == 0, timeout_s=2)           # the bundle's master 0
    assert 0.45 <= done - sent <= 1.2
    sender.close()


def test_junk_unknown_addresses_and_bad_arguments_are_ignored(running):
    player, osc, receiver = running
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for packet in (b"\x00\x01junk", message("/lightshow/frobnicate"), message("/lightshow/master", "loud"),
                   message("/lightshow/master", 7.0), message("/lightshow/goto/cue", "no-such-cue"),
                   message("/elsewhere/play")):
        sender.sendto(packet, osc.address)
    sender.sendto(message("/lightshow/master", 0.25), osc.address)
    receiver.wait_for(lambda d: d[0] == 64)
    assert osc.ignored == 6 and osc.handled == 1
    sender.close()


def test_clients_outside_the_allowlist_are_ignored(sim_show):
    show = load_show(sim_show)
    player = open_player(show, None, [])
    osc = OscControl(player, "127.0.0.1", 0, allow=["10.0.0.0/8"]).start()
    try:
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sender.sendto(message("/lightshow/play"), osc.address)
        deadline = time.monotonic() + 2
        while osc.ignored == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert osc.ignored == 1 and player.status()["state"] == "stopped"
        sender.close()
    finally:
        osc.close()
        player.close()


BUNDLE_HEAD = b"#bundle\x00" + b"\x00" * 7 + b"\x01"


def test_hostile_packets_leave_control_working(running):
    player, osc, receiver = running
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for packet in (b"/\xff\xfe\x00,\x00\x00\x00",                                  # not UTF-8
                   BUNDLE_HEAD + (-8).to_bytes(4, "big", signed=True) + b"\x00" * 8,  # negative size
                   message("/lightshow/subscribe", 70000),                         # no such port
                   message("/lightshow/subscribe", -1)):
        sender.sendto(packet, osc.address)
    sender.sendto(message("/lightshow/master", 0.5), osc.address)
    receiver.wait_for(lambda d: d[0] == 128, timeout_s=2)           # still obeys
    assert osc.ignored == 4 and osc.handled == 1 and not osc.subscribers and osc.faults == 0
    sender.close()


def test_a_flood_from_one_sender_is_cut_to_its_rate_and_others_still_get_through(running):
    player, osc, receiver = running
    flood = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    packet = message("/lightshow/master", 1.0)
    began = time.monotonic()
    for n in range(3000):
        flood.sendto(packet, osc.address)
        if n % 250 == 249:
            time.sleep(0.01)                                        # let the server read: no kernel drops
    seen, deadline = -1, time.monotonic() + 3
    while osc.handled + osc.ignored != seen and time.monotonic() < deadline:   # until the socket is drained
        seen = osc.handled + osc.ignored
        time.sleep(0.2)
    elapsed_s = time.monotonic() - began
    from lightshow.control import osc_control

    budget = osc_control.BURST_PER_PEER + osc_control.RATE_PER_PEER * elapsed_s
    assert osc.handled <= budget                         # the burst, then the rate: the rest dropped
    assert osc.ignored >= 1000
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.2", 0))                                    # another peer: its own budget
    other.sendto(message("/lightshow/blackout", 1), osc.address)
    receiver.wait_for(lambda d: not any(d[:40]), timeout_s=2)
    flood.close()
    other.close()


def test_bundles_waiting_for_their_time_are_bounded(running):
    from lightshow.control import osc_control

    player, osc, receiver = running
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    bundle = OscBundleBuilder(time.time() + 20)
    bundle.add_content(OscMessage(message("/lightshow/master", 0.0)))
    data = bundle.build().dgram
    for n in range(osc_control.MAX_SCHEDULED + 50):
        sender.sendto(data, osc.address)
        if n % 40 == 39:
            time.sleep(0.25)                                         # stay within the sender's rate
    deadline = time.monotonic() + 3
    while osc.ignored < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(osc.scheduled) == osc_control.MAX_SCHEDULED and osc.ignored == 50
    sender.close()


def test_stale_subscriptions_lapse_and_give_way_to_a_new_console(running, monkeypatch):
    from lightshow.control import osc_control

    player, osc, receiver = running
    now = [1000.0]
    monkeypatch.setattr(osc, "clock", lambda: now[0])
    for port in range(20000, 20000 + osc_control.MAX_SUBSCRIBERS):      # stale consoles fill every place
        osc.dispatch("/lightshow/subscribe", [port], ("127.0.0.1", 5))
    assert len(osc.subscribers) == osc_control.MAX_SUBSCRIBERS
    now[0] += 1
    osc.dispatch("/lightshow/subscribe", [], ("127.0.0.9", 9001))        # a real console still gets in
    assert ("127.0.0.9", 9001) in osc.subscribers and ("127.0.0.1", 20000) not in osc.subscribers
    now[0] += osc_control.SUBSCRIPTION_S + 0.5                          # nobody renewed: all lapse
    osc.dispatch("/lightshow/subscribe", [], ("127.0.0.9", 9001))
    assert list(osc.subscribers) == [("127.0.0.9", 9001)]
