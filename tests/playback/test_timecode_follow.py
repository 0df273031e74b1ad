"""Chasing ArtTimeCode over loopback: our own sender, OLA's ola_timecode through olad, and
``lightshow serve --follow`` as a separate process.  Timing tolerances are generous: they check
that the chase works, not how fast this machine is (bench/timecode.py measures that)."""

import pathlib
import json
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
import pytest

from lightshow.core.timecode_chase import ChasePolicy
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player
from lightshow.playback.timecode_follow import ArtTimecodeFollow
from lightshow.protocol.artnet_timecode import TIMECODE_DF, TIMECODE_EBU, TIMECODE_FILM, TIMECODE_SMPTE
from tests import olad as olad_module
from tests.control.test_http_control import free_port
from tests.timecode_peer import TimecodeScript, send_script
from tests.tick_trace import Trace

TEN = (10, 0, 0, 0)


def chase(sim_show, bind_ip, script, **policy):
    """Play the small show following ArtTimeCode on ``bind_ip`` while ``script`` is sent there;
    returns the player (closed), the trace and the sender's t0."""
    follow = ArtTimecodeFollow(bind_ip, policy=ChasePolicy(offset=TEN, **policy)).start()
    trace = Trace()
    player = open_player(load_show(sim_show), None, [trace], time_source=follow)
    trace.player = player
    player.start()
    try:
        t0 = send_script(script, (bind_ip, 6454))
        time.sleep(0.8)                                  # past the freewheel: what loss does
        status = player.status()
    finally:
        player.close()
    return player, trace, t0, status


def errors_frames(trace, script, t0, after_s):
    """The playhead's error (frames of the source) at every playing tick from ``t0 + after_s`` while
    the source sent."""
    end = t0 + (script.n_frames - 1) / script.fps
    out = []
    for deadline, state, position_s, _ in trace.rows:
        if state == "playing" and t0 + after_s <= deadline <= end:
            true_s = script.source_s((deadline - t0) * script.fps) - 36000.0
            out.append((position_s - true_s) * script.fps)
    return np.abs(np.array(out))


def test_our_sender_is_locked_within_half_a_second_and_chased_within_a_frame(sim_show):
    script = TimecodeScript(TEN, TIMECODE_EBU, 50)                     # two seconds at 25 fps
    player, trace, t0, _ = chase(sim_show, "127.0.0.2", script)
    playing = [deadline for deadline, state, *_ in trace.rows if state == "playing"]
    assert playing and playing[0] - t0 < 0.5                         # locked and started
    errors = errors_frames(trace, script, t0, after_s=0.5)
    assert len(errors) > 20 and np.percentile(errors, 99) < 1.0
    assert player.stats.jumps == 1                                   # the start, nothing after
    assert player.status()["state"] == "stopped"                     # the source went silent: stop


def test_a_ten_frame_dropout_is_freewheeled_without_a_jump(sim_show):
    script = TimecodeScript(TEN, TIMECODE_EBU, 60, dropouts=[(25, 10)])
    player, trace, t0, _ = chase(sim_show, "127.0.0.2", script, freewheel_frames=10)
    assert player.time_source.chase.losses == 1                      # only at the end
    states = [state for deadline, state, *_ in trace.rows if t0 + 0.5 < deadline < t0 + 59 / 25]
    assert set(states) == {"playing"} and player.stats.jumps == 1
    assert np.percentile(errors_frames(trace, script, t0, after_s=0.5), 99) < 1.0


def test_a_jump_in_the_incoming_time_is_followed(sim_show):
    script = TimecodeScript(TEN, TIMECODE_EBU, 50, jumps=[(20, 1.0)])   # at 0.8 s the source skips 1 s
    player, trace, t0, _ = chase(sim_show, "127.0.0.2", script)
    assert player.stats.jumps == 2 and player.time_source.chase.jumps == 1
    late = errors_frames(trace, script, t0, after_s=20 / 25 + 0.3)
    assert len(late) > 10 and np.percentile(late, 99) < 1.0


def test_an_all_zero_time_stops_the_show(sim_show):
    script = TimecodeScript(TEN, TIMECODE_EBU, 30, zero_at_end=True)
    player, trace, t0, status = chase(sim_show, "127.0.0.2", script, freewheel_frames=100)
    stopped = [deadline for deadline, state, *_ in trace.rows if deadline > t0 + 0.6 and state == "stopped"]
    assert stopped and stopped[0] - (t0 + 30 / 25) < 0.2              # at once, not after the freewheel
    assert status["follow"]["lost_because"] == "zero time" and status["follow"]["state"] == "lost"


def test_on_loss_hold_pauses_on_the_frame_it_showed(sim_show):
    script = TimecodeScript(TEN, TIMECODE_EBU, 30)
    player, trace, t0, status = chase(sim_show, "127.0.0.2", script, on_loss="hold", freewheel_frames=5)
    assert status["state"] == "paused" and status["follow"]["lost_because"].startswith("no timecode for")
    assert status["time_s"] == pytest.approx(29 / 25 + 6 / 25, abs=0.15)  # where the freewheel ran out


@pytest.mark.parametrize("kind,tag", [(TIMECODE_FILM, "@24"), (TIMECODE_EBU, "@25"),
                                      (TIMECODE_DF, "@29.97df"), (TIMECODE_SMPTE, "@30")])
def test_each_rate_is_told_apart_by_the_source(kind, tag):
    with ArtTimecodeFollow("127.0.0.4", policy=ChasePolicy(offset=TEN)).start() as follow:
        script = TimecodeScript(TEN, kind, 12)
        t0 = send_script(script, ("127.0.0.4", 6454))
        time.sleep(0.05)
        status = follow.follow_status(None)
        assert status["locked"] and status["incoming"].endswith(tag) and status["fps"] == pytest.approx(
            script.fps, abs=1e-3)
        now = time.monotonic()
        assert follow.show_time_s(now) == pytest.approx(now - t0, abs=0.01 + 2 / script.fps)


def test_the_http_status_carries_the_chase(sim_show):
    """What an operator sees: the source, its lock, the incoming time, the error in its frames."""
    script = TimecodeScript(TEN, TIMECODE_EBU, 40)
    follow = ArtTimecodeFollow("127.0.0.5", policy=ChasePolicy(offset=TEN)).start()
    player = open_player(load_show(sim_show), None, [], time_source=follow).start()
    seen = []
    sender = threading.Thread(target=send_script, args=(script, ("127.0.0.5", 6454)))
    sender.start()
    try:
        time.sleep(1.0)
        seen.append(player.status())
    finally:
        sender.join()
        player.close()
    follow_status = seen[0]["follow"]
    assert seen[0]["time_source"] == "artnet-timecode" and seen[0]["state"] == "playing"
    assert follow_status["source"].startswith("artnet 127.0.0.5:6454 from 127.0.0.")
    assert follow_status["locked"] and follow_status["incoming"].startswith("10:00:00:")
    assert abs(follow_status["error_frames"]) < 1.0


def _olad_on_the_default_rpc_port():
    """ola_timecode talks to olad's default RPC port (9010) only."""
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 9010)) == 0:
            pytest.skip("something already listens on OLA's RPC port 9010")
    ports = iter([olad_module._free_tcp_port(), 9010])
    original = olad_module._free_tcp_port
    olad_module._free_tcp_port = lambda: next(ports)
    try:
        return olad_module.Olad()
    finally:
        olad_module._free_tcp_port = original


@olad_module.needs_olad
def test_ola_timecode_through_olad_is_chased():
    """OLA's own ArtTimeCode: ola_timecode hands each label to olad, whose Art-Net plugin (on
    127.0.0.1, see tests/olad.py) sends it; we listen on 127.0.0.1 beside it."""
    olad = _olad_on_the_default_rpc_port()
    try:
        with ArtTimecodeFollow("127.0.0.1", policy=ChasePolicy(offset=TEN)).start() as follow:
            t0 = time.monotonic()
            for n in range(30):
                while time.monotonic() < t0 + n / 25:
                    time.sleep(0.001)
                subprocess.run(["ola_timecode", "-f", "EBU", f"10:00:{n // 25:02d}:{n % 25:02d}"], check=True,
                               capture_output=True, timeout=5)
            now = time.monotonic()
            status = follow.follow_status(None)
            assert status["locked"] and status["incoming"] == "10:00:01:04 @25", status
            assert status["source"].endswith("from 127.0.0.1")
            # each label leaves about as ola_timecode runs (a few ms): within two frames of its clock
            assert follow.show_time_s(now) == pytest.approx(now - t0, abs=2 / 25)
            subprocess.run(["ola_timecode", "-f", "EBU", "00:00:00:00"], check=True, capture_output=True)
            time.sleep(0.1)
            assert follow.show_time_s(time.monotonic()) is None
            assert follow.follow_status(None)["lost_because"] == "zero time"
    finally:
        olad.close()


def test_serve_follows_artnet_timecode_from_another_process(sim_show):
    """``lightshow serve --follow artnet:127.0.0.3``, fed by our sender in a process of its own."""
    http_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", sim_show, "--to", "127.0.0.1", "--port", str(free_port()),
         "--bind", "127.0.0.1", "--http-port", str(http_port), "--osc-port", str(free_port()), "--token", "tok-secret-1",
         "--stop-fade", "0", "--follow", "artnet:127.0.0.3", "--follow-offset", "10:00:00:00"],
        stderr=subprocess.PIPE, text=True)

    def status():
        return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/status", timeout=5).read())
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                before = status()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        assert before["state"] == "stopped" and before["follow"]["state"] == "waiting"
        sender = subprocess.Popen([sys.executable, str(pathlib.Path(__file__).resolve().parents[1] / "timecode_peer.py"), "--to", "127.0.0.3",
                                   "--kind", "25", "--start", "10:00:00:00", "--seconds", "2.5"],
                                  stdout=subprocess.PIPE, text=True)
        t0 = float(sender.stdout.readline().split()[1])
        time.sleep(1.2)
        during, asked_s = status(), time.monotonic()
        assert sender.wait(timeout=10) == 0
        assert during["state"] == "playing" and during["follow"]["locked"]
        assert during["follow"]["incoming"].startswith("10:00:01:") and during["follow"]["incoming"].endswith("@25")
        assert abs(during["follow"]["error_frames"]) < 1.0
        assert during["time_s"] == pytest.approx(asked_s - t0, abs=0.4)   # the status comes from the output process at its cadence
        time.sleep(1.0)
        assert status()["state"] == "stopped"                          # the sender stopped: lost
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_follow_usage_errors_come_before_anything_else(sim_show):
    from lightshow import cli

    assert cli.run(["play", sim_show, "--follow", "mtc"]) == 2
    assert cli.run(["play", sim_show, "--follow", "artnet", "--follow-offset", "10:00"]) == 2
    assert cli.run(["play", sim_show, "--follow", "dmx"]) == 2


def test_nothing_binds_beyond_the_address_asked_for():
    with ArtTimecodeFollow("127.0.0.6").start() as follow:
        assert follow.address == ("127.0.0.6", 6454)
