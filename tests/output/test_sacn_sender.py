"""The sACN sender against a loopback receiver and Wireshark's E1.31 dissector."""

import socket

import numpy as np

from lightshow.output.sacn_sender import SacnSender
from lightshow.protocol.sacn import parse_sacn_data
from tests.output.test_artnet_sender import Receiver
from tests.capture import capture_to_listener, needs_tshark, read_fields


def test_frames_then_three_terminating_packets_per_universe():
    receiver = Receiver()
    frame = np.zeros((2, 512), dtype=np.uint8)
    with SacnSender([0, 9], [[("127.0.0.1", receiver.port)]] * 2, priority=150) as sender:
        for k in range(3):
            frame[:, 0] = k + 1
            sender.send_frame(frame, now_s=k * 0.025)
    packets = [parse_sacn_data(p) for p in receiver.collect(expect=12)]
    assert [(p.universe, p.sequence, p.terminated) for p in packets] == [
        (1, 0, False), (10, 0, False), (1, 1, False), (10, 1, False), (1, 2, False),
        (10, 2, False), (1, 3, True), (1, 4, True), (1, 5, True), (10, 3, True), (10, 4, True),
        (10, 5, True)]
    assert packets[4].data[0] == 3 and packets[4].priority == 150 and len(packets[4].data) == 512


@needs_tshark
def test_wiresharks_e131_dissector_reads_our_packets(tmp_path):
    path = tmp_path / "sacn.pcapng"
    with capture_to_listener(path) as port:
        frame = np.zeros((1, 512), dtype=np.uint8)
        with SacnSender([41], [[("127.0.0.1", port)]]) as sender:
            for k in range(5):
                frame[0, 1] = k
                sender.send_frame(frame, now_s=k * 0.025)
    rows = read_fields(path, port, "acn", ["acn.dmx.universe", "acn.dmx.seq_number",
                                           "acn.dmx.priority", "acn.dmx.option_s",
                                           "acn.dmx.count", "_ws.malformed"])
    assert len(rows) == 8
    assert {row[0] for row in rows} == {"42"} and {row[2] for row in rows} == {"100"}
    assert [int(row[1]) for row in rows] == list(range(8))
    assert [row[3] in ("1", "True") for row in rows] == [False] * 5 + [True] * 3
    assert {row[4] for row in rows} == {"513"} and not any(row[5] for row in rows)


def test_cli_send_uses_sacn_for_nodes_the_rig_marks_sacn(project, capsys):
    from lightshow import cli
    from tests.projects import RGB_PIXEL_BAR

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.3", 5568))
    receiver.settimeout(2)
    project.fixture("bar200", RGB_PIXEL_BAR.format(n=200))
    project.rig("name: t\nnodes:\n  - {name: s, ip: 127.0.0.3, universes: [4, 5], protocol: sacn}\n"
                "patch:\n  - {id: b, profile: bar200, universe: 4, address: auto}\n")
    project.show("title: t\nrig: rig.yaml\nfps: 40\nchapters:\n  - id: c\n    cues:\n"
                 "      - {target: all, effect: solid, duration: 0.25}\n")
    try:
        assert cli.run(["send", "shows/show.yaml"]) == 0
        assert "sACN on 2 universes" in capsys.readouterr().out
        packets = []
        while True:
            try:
                packets.append(parse_sacn_data(receiver.recv(2048)))
            except socket.timeout:
                break
    finally:
        receiver.close()
    assert {p.universe for p in packets} == {5, 6}        # rig universes 4, 5 -> sACN 5, 6
    assert [p.terminated for p in packets][-6:] == [True] * 6
    assert packets[0].data[:3] == b"\xff\xff\xff"
