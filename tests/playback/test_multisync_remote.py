"""A MultiSync remote: the master's start, position and stop, heard over UDP, drive the player."""

import time

import pytest

from lightshow.load.project import load_show
from lightshow.output.multisync_sender import MultiSyncSender
from lightshow.playback import multisync_remote
from lightshow.playback.multisync_remote import MultiSyncRemote
from lightshow.playback.show_player import open_player
from tests.playback.test_player import FakeClock, Recording


def wait_for(condition, timeout_s=2.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "not heard in time"
        time.sleep(0.01)


@pytest.fixture
def pair():
    remote = MultiSyncRemote("show.fseq", "127.0.0.1", 0).start()
    master = MultiSyncSender("show.fseq", 20.0, [("127.0.0.1", remote.sock.getsockname()[1])])
    yield remote, master
    master.close()
    remote.close()


def test_the_master_s_position_is_heard_and_extrapolated_and_its_stop_stops(pair):
    remote, master = pair
    assert remote.show_time_s(time.monotonic()) is None           # nothing heard: no opinion
    master.update(2.0)                                             # open + start at 2 s
    wait_for(lambda: remote.show_time_s(time.monotonic()) is not None)
    assert remote.show_time_s(time.monotonic() + 0.5) == pytest.approx(2.5, abs=0.05)
    master.update(None)                                            # stop
    wait_for(lambda: remote.show_time_s(time.monotonic()) is None)
    other = MultiSyncSender("other.fseq", 20.0, master.targets)    # another sequence: not ours
    other.update(1.0)
    time.sleep(0.2)
    assert remote.show_time_s(time.monotonic()) is None and remote.ignored >= 2
    other.close()


def test_a_silent_master_counts_as_gone(pair, monkeypatch):
    remote, master = pair
    master.update(1.0)
    wait_for(lambda: remote.show_time_s(time.monotonic()) is not None)
    assert remote.show_time_s(time.monotonic() + multisync_remote.SILENT_S + 0.1) is None


class ScriptedMaster:
    """A time source that drives the transport, its answers set by the test."""

    name, drives_transport = "scripted", True

    def __init__(self):
        self.at_s = None

    def show_time_s(self, now_s):
        return self.at_s


def test_a_driving_source_starts_follows_and_stops_the_player(sim_show):
    clock, master = FakeClock(), ScriptedMaster()
    player = open_player(load_show(sim_show), None, [Recording()], clock=clock, sleep=clock.sleep,
                         background=False, time_source=master)
    player.run(n_ticks=2)
    assert player.status()["state"] == "stopped"                  # no master yet
    master.at_s = 2.0
    player.run(n_ticks=1)
    status = player.status()
    assert (status["state"], status["frame"], status["time_source"]) == ("playing", 40, "scripted")
    master.at_s = 2.01                                              # 10 ms ahead of the playhead
    player.run(n_ticks=1)
    assert player.status()["follow_error_frames"] == pytest.approx(0.2, abs=0.05)
    assert player.transport.trim > 1.0                            # slewing to catch up
    master.at_s = None
    player.run(n_ticks=1)
    assert player.status()["state"] == "stopped"                  # the master went away


def test_the_follow_status_says_waiting_locked_lost_and_the_master():
    remote = MultiSyncRemote("show.fseq", "127.0.0.1", 0, fps=40.0, on_loss="hold").start()
    master = MultiSyncSender("show.fseq", 40.0, [("127.0.0.1", remote.sock.getsockname()[1])])
    try:
        assert remote.follow_status(None)["state"] == "waiting" and remote.follow_status(None)["master"] is None
        master.update(1.0)
        wait_for(lambda: remote.show_time_s(time.monotonic()) is not None)
        status = remote.follow_status(0.05)
        assert (status["source"], status["master"], status["state"], status["locked"], status["error_frames"]) == (
            "multisync", "127.0.0.1", "locked", True, 2.0)
        assert remote.on_loss == "hold"                                    # silence holds the frame
        assert remote.show_time_s(time.monotonic() + multisync_remote.SILENT_S + 0.1) is None
        assert remote.follow_status(None)["state"] == "lost"
        master.update(2.0)                                                 # it is back
        wait_for(lambda: remote.follow_status(None)["state"] == "locked")
        master.update(None)                                                # a stop from the master stops
        wait_for(lambda: remote.follow_status(None)["state"] == "waiting")
        assert remote.on_loss == "stop"
    finally:
        master.close()
        remote.close()


def test_a_remote_answers_a_discover_ping_with_its_own():
    import socket

    from lightshow.output.multisync_sender import local_ping
    from lightshow.protocol.multisync import MODE_REMOTE, PingPacket, build_ping, parse_ping

    remote = MultiSyncRemote("show.fseq", "127.0.0.2", 0,
                             identity=local_ping(MODE_REMOTE, "127.0.0.2", "0-1023", "cab-a")).start()
    asker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    asker.bind(("127.0.0.1", 0))
    asker.settimeout(2.0)
    try:
        asker.sendto(build_ping(PingPacket(True, 1, 8, 0, 0x02, "127.0.0.1", "fpp")), remote.sock.getsockname())
        answer = parse_ping(asker.recv(2048))
        assert (answer.discover, answer.mode_name, answer.ip, answer.hostname, answer.ranges) == (
            False, "remote", "127.0.0.2", "cab-a", "0-1023")
        assert remote.devices["127.0.0.1"].hostname == "fpp"
    finally:
        asker.close()
        remote.close()


def test_lightshow_nodes_lists_the_fpp_devices_that_answer(capsys):
    from lightshow import cli
    from lightshow.output.multisync_sender import local_ping
    from lightshow.protocol.multisync import MODE_REMOTE
    from tests.multisync.peers import free_port

    port = free_port("127.0.0.2")
    remote = MultiSyncRemote("show.fseq", "127.0.0.2", port,
                             identity=local_ping(MODE_REMOTE, "127.0.0.2", "0-1023", "cab-a")).start()
    try:
        assert cli.run(["nodes", "--poll", "127.0.0.2", "--bind", "127.0.0.1", "--sync-port", str(port),
                        "--seconds", "0.5"]) == 0
    finally:
        remote.close()
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith("127.0.0.2"))
    assert line.split()[:3] == ["127.0.0.2", "cab-a", "remote"] and line.endswith("0-1023")


def test_a_master_asked_to_listen_answers_discover_pings_to_the_asker_only():
    import socket

    from lightshow.output.multisync_sender import PingAnswerer, local_ping
    from lightshow.protocol.multisync import MODE_MASTER, PingPacket, build_ping, parse_ping

    answerer = PingAnswerer(local_ping(MODE_MASTER, "127.0.0.61", "0-1023", "master-a"), "127.0.0.61", 0).start()
    assert answerer.sock.getsockname()[0] == "127.0.0.61"          # bound where asked, nowhere else
    asker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    asker.bind(("127.0.0.62", 0))
    asker.settimeout(10.0)
    try:
        asker.sendto(build_ping(PingPacket(False, 1, 8, 0, 0x08, "127.0.0.62", "fpp")), answerer.sock.getsockname())
        asker.sendto(build_ping(PingPacket(True, 1, 8, 0, 0x02, "127.0.0.62", "fpp")), answerer.sock.getsockname())
        data, sender = asker.recvfrom(2048)                            # the discover's answer, only it
        ping = parse_ping(data)
        assert sender == answerer.sock.getsockname()
        assert (ping.discover, ping.mode, ping.ip, ping.hostname, ping.ranges) == (
            False, MODE_MASTER, "127.0.0.61", "master-a", "0-1023")
        wait_for(lambda: answerer.answered == 1, 10.0)
        assert "127.0.0.62" in answerer.heard
        asker.settimeout(0.2)
        with pytest.raises(socket.timeout):
            asker.recvfrom(2048)
    finally:
        asker.close()
        answerer.close()


def test_sync_listen_needs_sync_master(capsys):
    from lightshow.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["play", "shows/anniversary.yaml", "--sync-listen", "127.0.0.61", "--no-window"])
    assert exit_.value.code == 2
    assert "--sync-listen answers discover pings as a MultiSync master: give --sync-master too" in capsys.readouterr().err


def test_the_master_s_seconds_are_as_of_sending_and_heard_as_the_kernel_stamped_them():
    """A sync sent 30 ms after its tick carries the show time 30 ms on; the remote takes it as of the
    datagram's arrival even when its thread gets to it later."""
    clock = FakeClock()
    remote = MultiSyncRemote("show.fseq", "127.0.0.63", 0).start()
    master = MultiSyncSender("show.fseq", 40.0, [("127.0.0.63", remote.sock.getsockname()[1])], clock=clock)
    try:
        clock.now = 10.03
        before = time.monotonic()
        master.update(2.0, tick_s=10.0)                                # open + start
        wait_for(lambda: remote.show_time_s(time.monotonic()) is not None)
        heard = remote._position
        assert heard[0] == pytest.approx(2.03, abs=1e-6)
        assert before <= heard[1] <= time.monotonic()
    finally:
        master.close()
        remote.close()
