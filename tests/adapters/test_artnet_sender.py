"""The Art-Net sender against real receivers on loopback: a UDP socket, stupidArtnet, tshark."""

import socket
import time

import numpy as np

from lightshow.adapters.artnet_sender import ArtNetSender
from lightshow.protocol.artnet import ArtDmx, ArtSync, parse_packet
from tests.capture import capture, needs_tshark, read_fields


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A UDP socket on 127.0.0.1 that keeps every datagram."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
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
    port = free_port()
    path = tmp_path / "artnet.pcapng"
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", port))  # a listener, so no ICMP port-unreachable noise
    try:
        with capture(path, port):
            universes = [0, 17, 32767]
            with ArtNetSender(universes, [[("127.0.0.1", port)]] * 3) as sender:
                for k, frame in enumerate(frames(300, 3)):
                    sender.send_frame(frame, now_s=k * 0.025)
    finally:
        sink.close()
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
