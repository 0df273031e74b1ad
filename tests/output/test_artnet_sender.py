"""The Art-Net sender against real receivers on loopback: a UDP socket, stupidArtnet, tshark."""

import math
import re
import socket
import struct
import sys
import time
from fractions import Fraction

import numpy as np
import pytest

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.output.discovery import Discovery
from lightshow.output.pacer import BurstPacing
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_sync import ArtSync
from lightshow.protocol.artnet_timecode import TIMECODE_EBU, ArtTimeCode
from tests.artnet_node import wait_for
from tests.capture import capture_to_listener, needs_tshark, read_fields


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A UDP socket on 127.0.0.x that keeps every datagram."""

    def __init__(self, ip: str = "127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.packets: list[bytes] = []

    def collect(self, expect: int, timeout_s: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout_s
        while len(self.packets) < expect and time.monotonic() < deadline:
            try:
                self.packets.append(self.sock.recv(2048))
            except socket.timeout:
                pass
        return self.packets

    def drain(self, expect: int, timeout_s: float = 5.0) -> list:
        return [parse_packet(p) for p in self.collect(expect, timeout_s)]


def frames(n_frames: int, n_universes: int) -> np.ndarray:
    data = np.zeros((n_frames, n_universes, 512), dtype=np.uint8)
    for k in range(n_frames):
        data[k, :, :3] = (k % 256, (255 - k) % 256, 7)  # every universe changes every frame
    return data


def test_each_frame_sends_every_changed_universe_then_one_artsync():
    receiver = Receiver()
    universes = [0, 1, 300]
    with ArtNetSender(universes, [[("127.0.0.1", receiver.port)]] * 3) as sender:
        for k, frame in enumerate(frames(5, 3)):
            sender.send_frame(frame, now_s=k * 0.025)
    packets = receiver.drain(expect=20)
    kinds = ["sync" if isinstance(p, ArtSync) else p.port_address for p in packets]
    assert kinds == [0, 1, 300, "sync"] * 5
    dmx = [p for p in packets if isinstance(p, ArtDmx)]
    assert [p.sequence for p in dmx if p.port_address == 300] == [1, 2, 3, 4, 5]
    assert dmx[-1].data[:3] == bytes([4, 251, 7]) and len(dmx[-1].data) == 512


def test_a_held_artsync_and_timecode_go_out_at_the_latch_after_the_frame_s_universes():
    receiver = Receiver()
    data = frames(2, 2)
    with ArtNetSender([0, 1], [[("127.0.0.1", receiver.port)]] * 2, timecode=TIMECODE_EBU) as sender:
        for k in range(2):
            sender.send_frame(data[k], now_s=k * 0.025, show_s=61.5 + k * 0.04, hold_sync=True)
            held = [parse_packet(p) for p in receiver.collect(expect=4 * k + 3, timeout_s=0.3)]
            assert [getattr(p, "port_address", None) for p in held[4 * k:]] == [0, 1]   # no sync yet
            sender.latch()
            sender.latch()                     # once latched, a frame has nothing more to send
    packets = receiver.drain(expect=9, timeout_s=0.5)
    kinds = [type(p).__name__ if not isinstance(p, ArtDmx) else p.port_address for p in packets]
    assert kinds == [0, 1, "ArtSync", "ArtTimeCode"] * 2
    assert [(p.seconds, p.frames) for p in packets if isinstance(p, ArtTimeCode)] == [(1, 12), (1, 13)]


def test_a_paced_node_gets_its_held_artsync_after_the_frame_s_universes():
    small = Receiver()
    with ArtNetSender([0, 1, 2], [[("127.0.0.1", small.port)]] * 3,
                      default_pacing=BurstPacing(2, 0.01)) as sender:
        sender.send_frame(frames(1, 3)[0], now_s=0.0, hold_sync=True)
        sender.latch()
    packets = small.drain(expect=4, timeout_s=1.0)
    assert [p.port_address if isinstance(p, ArtDmx) else "sync" for p in packets] == [0, 1, 2, "sync"]


def test_unchanged_frames_send_only_keepalives():
    receiver = Receiver()
    with ArtNetSender([5], [[("127.0.0.1", receiver.port)]], sync=False) as sender:
        still = np.zeros((1, 512), dtype=np.uint8)
        sent = [sender.send_frame(still, now_s=k * 0.025) for k in range(81)]
    assert [k for k, n in enumerate(sent) if n] == [0, 40, 80]
    assert len(receiver.drain(expect=3)) == 3


def test_a_failing_destination_does_not_stop_the_others(caplog):
    receiver = Receiver()
    bad = ("127.0.0.1", 0)  # sendto refuses port 0 at once (EINVAL)
    with ArtNetSender([1, 2], [[bad], [("127.0.0.1", receiver.port)]], sync=False,
                      error_interval_s=10.0) as sender:
        for k, frame in enumerate(frames(30, 2)):
            sender.send_frame(frame, now_s=k * 0.025)
    assert len(receiver.drain(expect=30)) == 30
    health = sender.stats.health[bad]
    assert health.errors == 30 and sender.stats.errors == 30
    warnings = [r for r in caplog.records if "Art-Net to 127.0.0.1:0 failed" in r.getMessage()]
    assert len(warnings) == 1  # logged once, then rate-limited


def test_stupidartnet_receiver_decodes_what_we_send():
    from stupidArtnet import StupidArtnetServer

    port = free_port()
    server = StupidArtnetServer(port=port)
    try:
        listener = server.register_listener(universe=3, sub=1, net=0, is_simplified=False)
        time.sleep(0.2)  # its socket is opened by a thread
        frame = np.zeros((1, 512), dtype=np.uint8)
        frame[0, :5] = [10, 20, 30, 40, 50]
        frame[0, 511] = 99
        with ArtNetSender([0x13], [[("127.0.0.1", port)]]) as sender:
            sender.send_frame(frame, now_s=0.0)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not any(server.get_buffer(listener)):
            time.sleep(0.05)
        buffer = server.get_buffer(listener)
        assert list(buffer[:5]) == [10, 20, 30, 40, 50] and buffer[511] == 99
    finally:
        server.close()


@needs_tshark
def test_wiresharks_dissector_reads_every_field(tmp_path):
    path = tmp_path / "artnet.pcapng"
    with capture_to_listener(path) as port:
        universes = [0, 17, 32767]
        with ArtNetSender(universes, [[("127.0.0.1", port)]] * 3) as sender:
            for k, frame in enumerate(frames(300, 3)):
                sender.send_frame(frame, now_s=k * 0.025)
    rows = read_fields(path, port, "artnet", ["artnet.header.opcode", "artnet.output.universe",
                                              "artnet.output.sequence", "artnet.output.length",
                                              "_ws.malformed"])
    assert len(rows) == 300 * 4
    assert not any(row[4] for row in rows), "Wireshark found malformed packets"
    opcodes = [int(row[0], 0) for row in rows]
    assert opcodes == [0x5000, 0x5000, 0x5000, 0x5200] * 300
    dmx = [row for row in rows if int(row[0], 0) == 0x5000]
    assert {int(row[3]) for row in dmx} == {512}
    by_universe: dict[int, list[int]] = {}
    for row in dmx:
        by_universe.setdefault(int(row[1]), []).append(int(row[2]))
    assert sorted(by_universe) == [0, 17, 32767]
    expected = [(k % 255) + 1 for k in range(300)]  # 1..255, then 1 again
    assert all(seqs == expected for seqs in by_universe.values())


def test_cli_send_streams_a_compiled_file(project, tmp_path, capsys):
    from lightshow import cli
    from tests.projects import RGB_PIXEL_BAR

    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar200, universe: 4, address: auto}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: chase, duration: 0.5, params: {rate_hz: 2}}\n")
    assert cli.run(["compile", "shows/show.yaml", "-o", "show.fseq", "-q"]) == 0
    receiver = Receiver()
    assert cli.run(["send", "show.fseq", "--to", "127.0.0.1", "--port", str(receiver.port)]) == 0
    assert "sent 20 frames of 2 universes" in capsys.readouterr().out
    packets = receiver.drain(expect=60)
    dmx = [p for p in packets if isinstance(p, ArtDmx)]
    assert {p.port_address for p in dmx} == {4, 5}
    assert sum(isinstance(p, ArtSync) for p in packets) == 20



def test_cli_send_paces_and_sends_timecode(project, tmp_path, capsys):
    from lightshow import cli
    from tests.projects import RGB_PIXEL_BAR

    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar200, universe: 4, address: auto}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 25\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: chase, duration: 0.4, params: {rate_hz: 2}}\n")
    receiver = Receiver()
    args = ["send", "shows/show.yaml", "--to", "127.0.0.1", "--port", str(receiver.port)]
    assert cli.run(args + ["--pace", "1/x"]) == 2
    assert "--pace expects PACKETS/GAP_MS" in capsys.readouterr().err
    assert cli.run(args + ["--pace", "1/2", "--timecode", "25"]) == 0
    out = capsys.readouterr().out
    n_dmx = int(out.split("universes: ")[1].split(" ")[0])
    assert f"sent 10 frames of 2 universes: {n_dmx} ArtDmx packets ({n_dmx} paced)" in out
    packets = receiver.drain(expect=n_dmx + 20)
    kinds = "".join({ArtDmx: "d", ArtSync: "s", ArtTimeCode: "t"}[type(p)] for p in packets)
    assert re.fullmatch("(d+st){10}", kinds), kinds  # each frame: universes, ArtSync, timecode
    assert [p.frames for p in packets if isinstance(p, ArtTimeCode)] == list(range(10))


def test_universes_follow_the_live_nodes_that_announce_them(node):
    rig = Receiver()
    universes = [16, 17, 18, 40]  # 16: the rig's too; 17, 18: announced only; 40: nobody's
    routes = [[("127.0.0.1", rig.port)], [], [], []]
    data = frames(400, 4)
    k = 0
    node.answering = False

    def send_some(n: int) -> float:
        nonlocal k
        began = time.monotonic()
        for _ in range(n):
            sender.send_frame(data[k], now_s=k * 0.025)
            k += 1
        time.sleep(0.2)  # let the node's thread read what came
        return began

    with Discovery(["127.0.0.2"], "127.0.0.1", poll_interval_s=0.2) as discovery, \
            ArtNetSender(universes, routes, sync=False, nodes=discovery) as sender:
        assert node.universes_since(send_some(3)) == set()  # not found yet
        node.answering = True
        wait_for(lambda: any(n.online for n in discovery.nodes()), 3)
        assert node.universes_since(send_some(3)) == {17, 18}  # 16 stays with the rig's node
        node.answering = False
        wait_for(lambda: not discovery.nodes()[0].online, 3)
        assert node.universes_since(send_some(3)) == set()
        node.answering = True
        wait_for(lambda: discovery.nodes()[0].online, 3)
        assert node.universes_since(send_some(3)) == {17, 18}
    assert {p.port_address for p in rig.drain(expect=12)} == {16}
    assert len(rig.packets) == 12


def test_cli_send_reaches_a_node_that_announces_a_universe_the_rig_leaves_open(node, project,
                                                                               capsys):
    from lightshow import cli

    project.rig("name: t\npatch:\n"
                "  - {id: a, profile: par, universe: 16, address: 1}\n"
                "  - {id: b, profile: par, universe: 21, address: 1}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: rainbow, duration: 1}\n")
    assert cli.run(["send", "shows/show.yaml"]) == 2  # no node serves them, none asked for
    assert "give --to IP, --poll ADDRESS" in capsys.readouterr().err
    assert cli.run(["send", "shows/show.yaml", "--poll", "127.0.0.2", "--bind", "127.0.0.1"]) == 0
    assert "sent 40 frames of 2 universes" in capsys.readouterr().out
    wait_for(lambda: node.universes_since(0), 2)
    assert node.universes_since(0) == {16}  # 21: nobody announces it, so it goes nowhere


SO_TIMESTAMPNS = 35  # Linux: the kernel stamps each datagram as it arrives


class StampingReceiver(Receiver):
    """Keeps the kernel's arrival time of each datagram, whatever the reader's delays."""

    def __init__(self, ip: str = "127.0.0.1"):
        super().__init__(ip)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.arrivals_s: list[float] = []

    def collect(self, expect: int, timeout_s: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout_s
        while len(self.packets) < expect and time.monotonic() < deadline:
            try:
                data, ancillary, _, _ = self.sock.recvmsg(2048, 64)
            except TimeoutError:
                continue
            seconds, nanoseconds = struct.unpack("qq", ancillary[0][2][:16])
            self.packets.append(data)
            self.arrivals_s.append(seconds + nanoseconds * 1e-9)
        return self.packets


@pytest.mark.skipif(sys.platform != "linux", reason="kernel receive timestamps are Linux's")
def test_a_paced_node_gets_bursts_while_the_others_keep_their_timing():
    small, big = StampingReceiver("127.0.0.2"), StampingReceiver()
    pacing = BurstPacing(max_packets=2, gap_s=0.02)
    universes = list(range(6))  # the small node's universes come first in every frame
    routes = [[("127.0.0.2", small.port)]] * 3 + [[("127.0.0.1", big.port)]] * 3
    period_s, n_frames = 0.1, 6  # slack for the pacer thread on a busy machine
    took_s = []
    with ArtNetSender(universes, routes, pacing={"127.0.0.2": pacing}) as sender:
        t0 = time.monotonic()
        for k, frame in enumerate(frames(n_frames, 6)):
            time.sleep(max(0.0, t0 + k * period_s - time.monotonic()))
            began = time.monotonic()
            assert sender.send_frame(frame) == 6
            took_s.append(time.monotonic() - began)
    assert np.median(took_s) < pacing.gap_s / 2  # the frame never waits for the small node
    assert len(big.drain(expect=4 * n_frames)) == 4 * n_frames  # 3 universes + ArtSync each
    small_packets = small.drain(expect=4 * n_frames)
    assert len(small_packets) == 4 * n_frames and sender.pacer.replaced == 0
    kinds = ["sync" if isinstance(p, ArtSync) else p.port_address for p in small_packets]
    assert kinds == [0, 1, 2, "sync"] * n_frames  # the frame's ArtSync after its universes
    arrivals = np.array(small.arrivals_s)
    assert np.all(arrivals[2:] - arrivals[:-2] >= pacing.gap_s - 0.0005)  # <= 2 per gap
    big_done = np.array(big.arrivals_s).reshape(n_frames, 4).max(axis=1)
    small_second_burst = arrivals.reshape(n_frames, 4)[:, 2]
    assert np.all(big_done < small_second_burst)  # the big node's frame is out before the gap
    assert max(n for _, _, n in sender.pacer.bursts) == 2


def test_a_node_too_slow_for_the_frame_rate_gets_the_newest_data():
    small = Receiver()
    data = frames(10, 4)
    with ArtNetSender(list(range(4)), [[("127.0.0.1", small.port)]] * 4, sync=False,
                      default_pacing=BurstPacing(1, 0.05)) as sender:
        for k in range(10):
            sender.send_frame(data[k], now_s=k * 0.025)  # far faster than 1 packet / 50 ms
        assert sender.pacer.replaced > 0
    packets = small.drain(expect=40, timeout_s=0.5)
    assert len(packets) == 40 - sender.pacer.replaced  # a replaced packet never goes out
    last = {p.port_address: p.data[:3] for p in packets}  # later packets overwrite earlier
    assert last == {u: bytes(data[9, u, :3]) for u in range(4)}  # the newest, flushed on close


@needs_tshark
def test_timecode_goes_out_as_arttimecode_through_wiresharks_dissector(tmp_path):
    path = tmp_path / "timecode.pcapng"
    with capture_to_listener(path) as port:
        still = np.zeros((1, 512), dtype=np.uint8)
        with ArtNetSender([0], [[("127.0.0.1", port)]], timecode=TIMECODE_EBU) as sender:
            for k in range(100):  # a 40 fps show from 61.5 s: timecode at EBU 25 fps
                sender.send_frame(still, now_s=k * 0.025, show_s=(2460 + k) / 40)
    # Wireshark 4.0 names the ArtTimeCode packet and checks its header but shows the body as
    # excess bytes: filler, stream id, frames, seconds, minutes, hours, type (Art-Net 4 layout)
    rows = read_fields(path, port, "artnet", ["artnet.header.opcode", "artnet.header.protver",
                                              "artnet.time_code", "artnet.excess_bytes",
                                              "_ws.malformed"])
    assert not any(row[4] for row in rows), "Wireshark found malformed packets"
    timecodes = [row for row in rows if int(row[0], 0) == 0x9700]
    assert all(row[1] == "14" for row in timecodes)
    stamps = [tuple(bytes.fromhex(row[3])) for row in timecodes]
    ebu_frames = sorted({math.floor(Fraction(2460 + k, 40) * 25) for k in range(100)})
    expected = [(0, 0, n % 25, n // 25 % 60, n // 1500 % 60, n // 90000, 1) for n in ebu_frames]
    assert stamps == expected  # one per change of value, in order, type 1 (EBU)
    assert len(stamps) == 63 and stamps[0] == (0, 0, 12, 1, 1, 0, 1)  # 00:01:01:12
    assert sum(int(row[0], 0) == 0x5200 for row in rows) == 3  # keepalives at 0, 1, 2 s
