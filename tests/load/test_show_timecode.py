"""The show's timecode block: defaults for chasing and sending, overridden by the command line."""

import socket

import pytest

from lightshow import cli
from lightshow.diagnostics import format_diagnostics
from lightshow.load.project import Project
from tests.projects import RGB_PIXEL_BAR

HEAD = "title: t\nrig: rig.yaml\nfps: 20\n"
CHAPTERS = "chapters:\n  - id: one\n    cues:\n      - {id: a, target: all, effect: solid, duration: 1}\n"


def make(project, block: str):
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.rig("name: t\npatch:\n  - {id: b, profile: bar8, universe: 1, address: 1}\n")
    return str(project.show(HEAD + block + CHAPTERS))


def test_the_block_is_read_and_its_mistakes_are_positioned(project):
    show, problems = Project().load_show(make(project, "timecode: {offset: '10:00:00:00', fps: 25, "
                                                       "follow: 'artnet:127.0.0.9', on_loss: hold}\n"))
    assert problems == [] and show.timecode.offset == (10, 0, 0, 0) and show.timecode.fps == "25"
    assert show.timecode.follow == "artnet:127.0.0.9" and show.timecode.on_loss == "hold"
    _, problems = Project().load_show(make(project, "timecode: {offset: '10:61:00:00', follow: midi}\n"))
    report = format_diagnostics(problems)
    assert "show.yaml:4:20: error[invalid-value]: timecode '10:61:00:00' is out of range" in report
    assert "show.yaml:4:43: error" in report and "artnet[:BIND_IP] or ltc[:DEVICE]" in report, report


def test_timecode_sent_starts_at_the_show_s_offset(project, monkeypatch):
    from lightshow.protocol.artnet import parse_packet
    from lightshow.protocol.artnet_timecode import ArtTimeCode

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    path = make(project, "timecode: {offset: '10:00:00:00', fps: 25}\n")
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    assert cli.run(["play", path, "--to", "127.0.0.1", "--port", str(listener.getsockname()[1]),
                    "--duration", "0.6", "--size", "160x90", "--timecode", "25"]) == 0
    labels = []
    try:
        while True:
            packet = parse_packet(listener.recv(2048))
            if isinstance(packet, ArtTimeCode):
                labels.append((packet.hours, packet.minutes, packet.seconds, packet.frames))
    except socket.timeout:
        pass
    listener.close()
    assert len(labels) >= 5 and labels[0][:3] == (10, 0, 0) and labels[0][3] <= 2, labels
    assert labels == sorted(labels)


@pytest.mark.parametrize("argv, message", [(["--timecode-offset", "nonsense"], "--timecode-offset: expected a timecode"),
                                           (["--follow", "carrier-pigeon"], "--follow: expected artnet")])
def test_bad_timecode_options_are_usage_errors(project, capsys, argv, message):
    assert cli.run(["play", make(project, ""), *argv]) == 2
    assert message in capsys.readouterr().err
