"""`lightshow play` headless and `lightshow serve` as an operator meets them: a real process."""

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from PIL import Image

from lightshow import cli
from tests.control.test_http_control import free_port
from tests.processes import children
from tests.control.test_osc_control import Receiver


def test_play_without_a_display_writes_a_preview_then_plays(sim_show, capsys, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    receiver = Receiver()
    assert cli.run(["play", sim_show, "--to", "127.0.0.1", "--port", str(receiver.port),
                    "--duration", "0.6", "--size", "320x180"]) == 0
    err = capsys.readouterr().err
    assert "no display: wrote a preview of every chapter to build/show-sheet.png" in err
    assert os.path.getsize("build/show-sheet.png") > 1000
    receiver.wait_for(lambda d: d[0] == 255, timeout_s=1)            # what it sent is still queued
    receiver.sock.close()


def test_play_records_what_goes_out(sim_show, capsys, monkeypatch):
    from lightshow.protocol.fseq_reader import FseqReader

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    receiver = Receiver()
    assert cli.run(["play", sim_show, "--to", "127.0.0.1", "--port", str(receiver.port), "--duration", "0.6",
                    "--size", "320x180", "--record", "build/rec.fseq"]) == 0
    sent = int(capsys.readouterr().err.split("sent ")[1].split(" frames")[0])
    with open("build/rec.fseq", "rb") as handle:
        reader = FseqReader(handle.read())
    assert reader.frame_count == sent > 10 and reader.channel_count == 2 * 512
    recorded = reader.read_frames(0, reader.frame_count)
    assert recorded[2, 0] == 255                 # the red roof, as it went out
    assert recorded[-1, 0] < recorded[2, 0]      # the stop's blackout fade is recorded too
    receiver.sock.close()


TOKEN = "tok-secret-1"


def post(port, path, body=None, token=TOKEN):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body or {}).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.skipif(not shutil.which("oscsend"), reason="liblo-tools is not installed (.ci/install installs it)")
def test_serve_takes_http_and_osc_and_stops_with_a_blackout_fade(sim_show):
    receiver = Receiver()
    http_port, osc_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", sim_show, "--to", "127.0.0.1", "--port", str(receiver.port),
         "--bind", "127.0.0.1", "--http-port", str(http_port), "--osc-port", str(osc_port), "--token", TOKEN,
         "--stop-fade", "0.3"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/status").read())
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        assert status["state"] == "stopped"
        post(http_port, "/api/loop", {"on": True})
        assert post(http_port, "/api/play")["state"] == "playing"
        receiver.wait_for(lambda d: d[0] == 255)
        subprocess.run(["oscsend", "127.0.0.1", str(osc_port), "/lightshow/master", "f", "0.5"], check=True)
        receiver.wait_for(lambda d: d[0] == 128)
        with pytest.raises(urllib.error.HTTPError) as refused:
            post(http_port, "/api/stop", token="nope")
        assert refused.value.code == 401
        post(http_port, "/api/pause")
        post(http_port, "/api/goto/chapter/first")              # hold the red roof while it fades
        receiver.wait_for(lambda d: d[0] == 128)
        server.send_signal(signal.SIGINT)
        receiver.wait_for(lambda d: 0 < d[0] < 128, timeout_s=2)      # fading out...
        receiver.wait_for(lambda d: d[0] == 0, timeout_s=2)           # ...to black
        assert server.wait(timeout=10) == 0
    finally:
        if server.poll() is None:
            server.kill()
        receiver.sock.close()


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_a_citizen_work_goes_from_the_page_to_the_facade(sim_show, project, tmp_path):
    """Submit on the page, approve on the moderator page, see the work's colour in the Art-Net output."""
    from playwright.sync_api import sync_playwright

    from tests.queue.test_artwork_slots import SLOT_SHOW, png

    show = str(project.show(SLOT_SHOW, "slots.yaml"))
    receiver = Receiver()
    http_port, osc_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", show, "--to", "127.0.0.1", "--port", str(receiver.port),
         "--bind", "127.0.0.1", "--http-port", str(http_port), "--osc-port", str(osc_port), "--token", TOKEN,
         "--content", str(tmp_path / "store"), "--moderator-token", "moderator-secret", "--stop-fade", "0"],
        stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        post(http_port, "/api/goto/cue/slot")                   # paused in the slot: the show's own green
        receiver.wait_for(lambda d: d[:3] == bytes([0, 255, 0]))
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.goto(base + "/submit")
            page.set_input_files("#file", {"name": "sun.png", "mimeType": "image/png",
                                           "buffer": png((255, 0, 0))})
            page.fill("#title", "红日 Red sun")
            page.fill("#name", "王小明")
            page.check("#consent")
            page.click("#send")
            page.wait_for_selector("#result.ok")
            moderator = browser.new_page()
            moderator.goto(base + "/moderate")
            moderator.fill("#token", "moderator-secret")
            moderator.click("#login")
            card = moderator.wait_for_selector(".card")
            card.query_selector("button.approve").click()
            moderator.wait_for_function("() => document.getElementById('audit').textContent.includes('approved')")
            receiver.wait_for(lambda d: d[0] > 0, timeout_s=10)                   # the work fades in...
            post(http_port, "/api/seek", {"time_s": 2.0})                       # ...and in mid-slot
            receiver.wait_for(lambda d: d[:3] == bytes([255, 0, 0]), timeout_s=5)  # it is all there is
            status = json.loads(urllib.request.urlopen(base + "/api/status").read())
            assert status["artwork"]["title"] == "红日 Red sun" and status["artwork"]["name"] == "王小明"
            request = urllib.request.Request(base + "/api/moderation/artworks/1/preview.png",
                                             headers={"Authorization": "Bearer moderator-secret"})
            picture = Image.open(io.BytesIO(urllib.request.urlopen(request).read())).convert("RGB")
            pixels = np.asarray(picture).astype(int)                            # the simulator's view
            assert picture.size == (960, 540)
            assert ((pixels[..., 0] > 200) & (pixels[..., 1] < 80)).any()       # the red work on the roof
            operator = browser.new_page()                                       # who made what plays
            operator.goto(base + "/")
            operator.wait_for_function("() => document.getElementById('artwork').textContent.includes('红日')")
            assert "王小明" in operator.text_content("#artwork")
            browser.close()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) == 0
    finally:
        if server.poll() is None:
            server.kill()
        receiver.sock.close()


LONG_SHOW = """\
title: long
rig: rig.yaml
fps: 20
chapters:
  - id: only
    cues:
      - {id: glow, target: all, effect: rainbow, duration: 180}
"""


def _serve(show_path: str, schedule_path: str, http_port: int, artnet_port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", show_path, "--schedule", schedule_path, "--to", "127.0.0.1",
         "--port", str(artnet_port), "--bind", "127.0.0.1", "--http-port", str(http_port),
         "--osc-port", str(free_port()), "--token", TOKEN, "--stop-fade", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _status_when_up(http_port: int, server: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 30
    while True:
        try:
            return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/status").read())
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
            time.sleep(0.1)


def test_serve_follows_its_schedule_and_a_killed_server_rejoins_the_run(project, sim_show):
    import datetime as dt

    project.show(LONG_SHOW, "long.yaml")
    started = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)   # a run this minute
    (project.root / "shows" / "s.schedule.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: UTC}\nentries:\n"
        f"  - {{id: now, days: [daily], start: \"{started:%H:%M}\", playlist: [long.yaml]}}\n")
    receiver = Receiver()
    http_port = free_port()
    for attempt in ("first start", "after kill -9"):
        server = _serve("shows/long.yaml", "shows/s.schedule.yaml", http_port, receiver.port)
        try:
            _status_when_up(http_port, server)
            time.sleep(0.5)                                          # a status report or two
            status = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/status").read())
            expected = (dt.datetime.now(dt.timezone.utc) - started).total_seconds() * 20
            assert status["state"] == "playing", attempt
            assert abs(status["frame"] - expected) <= 10, (attempt, status["frame"], expected)   # ±0.5 s
            schedule = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/schedule").read())
            assert schedule["running_since"] == started.isoformat() and schedule["held"] is False
            if attempt == "first start":
                server.kill()                                        # a crash: no goodbye
                server.wait(timeout=10)
                time.sleep(2.5)                                      # its output process fades and ends
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                server.wait(timeout=10)
    receiver.sock.close()


def test_serve_tells_systemd_it_is_ready_and_alive_and_a_stalled_clock_stops_the_pings(sim_show, tmp_path):
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(0.2)
    receiver, http_port = Receiver(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", sim_show, "--to", "127.0.0.1", "--port", str(receiver.port),
         "--bind", "127.0.0.1", "--http-port", str(http_port), "--osc-port", str(free_port()), "--token", TOKEN,
         "--stop-fade", "0"], env={**os.environ, "NOTIFY_SOCKET": str(tmp_path / "notify")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def messages(seconds: float) -> list[str]:
        heard, end = [], time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                heard.append(notify.recv(256).decode())
            except socket.timeout:
                pass
        return heard

    def health() -> int:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{http_port}/api/health").status
        except urllib.error.HTTPError as answer:
            return answer.code
    try:
        _status_when_up(http_port, server)
        assert "READY=1" in messages(1.0)
        assert messages(3.0).count("WATCHDOG=1") >= 2 and health() == 200   # the clock loop is sending
        stalled = children(server.pid)
        for pid in stalled:
            os.kill(pid, signal.SIGSTOP)                                # a hung output process
        messages(1.2)                                                   # what was on its way
        assert "WATCHDOG=1" not in messages(2.5) and health() == 503    # systemd would restart it
        for pid in stalled:
            os.kill(pid, signal.SIGCONT)
        assert "WATCHDOG=1" in messages(3.0) and health() == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
        notify.close()
        receiver.sock.close()


def test_play_sends_timecode_while_it_plays(sim_show, capsys, monkeypatch):
    from lightshow.protocol.artnet import parse_packet
    from lightshow.protocol.artnet_timecode import ArtTimeCode

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    assert cli.run(["play", sim_show, "--to", "127.0.0.1", "--port", str(listener.getsockname()[1]),
                    "--duration", "0.6", "--size", "320x180", "--timecode", "25"]) == 0
    codes = []
    try:
        while True:
            packet = parse_packet(listener.recv(2048))
            if isinstance(packet, ArtTimeCode):
                codes.append(packet.seconds * 25 + packet.frames)
    except socket.timeout:
        pass
    listener.close()
    assert len(codes) >= 5 and codes == sorted(codes) and codes[0] <= 2     # from the start, onwards


def test_play_as_a_multisync_master_opens_starts_syncs_at_fpp_s_cadence_and_stops(sim_show, monkeypatch):
    from lightshow.protocol.multisync import OPEN, START, STOP, SYNC, TYPE_PING, packet_type, parse_ping, parse_sync

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    remote = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)      # where a remote would listen
    remote.bind(("127.0.0.1", 0))
    remote.settimeout(0.5)
    receiver = Receiver()
    assert cli.run(["play", sim_show, "--to", "127.0.0.1", "--port", str(receiver.port), "--duration", "0.8",
                    "--size", "320x180", "--sync-master", f"127.0.0.1:{remote.getsockname()[1]}"]) == 0
    packets, pings = [], []
    try:
        while True:
            data = remote.recv(2048)
            if packet_type(data) == TYPE_PING:
                pings.append(parse_ping(data))
            else:
                packets.append(parse_sync(data))
    except socket.timeout:
        pass
    remote.close()
    receiver.sock.close()
    # the master says who it is (FPP's ping: mode master, its channels) where it sends sync, nowhere else
    assert [(p.mode_name, p.ip, p.ranges, p.model) for p in pings] == [("master", "127.0.0.1", "0-39,512-515,522-531",
                                                                        "lightshow")]
    actions = [p.action for p in packets]
    assert actions[:2] == [OPEN, START] and actions[-1] == STOP and set(actions[2:-1]) == {SYNC}
    assert {p.file_name for p in packets} == {"show.fseq"}
    syncs = [p.frame for p in packets if p.action == SYNC]
    assert syncs and all(f % 4 == 0 if f <= 32 else f % 10 == 0 for f in syncs)
    assert all(p.seconds == pytest.approx(p.frame / 20, abs=0.051) for p in packets[1:-1])   # 20 fps


def test_a_remote_process_follows_a_master_process_to_the_frame(sim_show, tmp_path):
    """Two real processes: the master plays; the remote, holding the same show, starts when told
    and its output changes chapter when the master's does."""
    sync_port, to_master, to_remote = free_port(), Receiver(), Receiver()
    env = {**os.environ, "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    common = ["--no-window", "--size", "320x180"]
    remote = subprocess.Popen([sys.executable, "-m", "lightshow", "play", sim_show, "--to", "127.0.0.1",
                               "--port", str(to_remote.port), "--sync-remote", "127.0.0.1",
                               "--sync-port", str(sync_port), "--duration", "15", *common],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(4.0)                                        # it is up and listening, dark
        master = subprocess.Popen([sys.executable, "-m", "lightshow", "play", sim_show, "--to", "127.0.0.1",
                                   "--port", str(to_master.port), "--sync-master",
                                   f"127.0.0.1:{sync_port}", "--duration", "3.5", *common],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        master_red = to_master.wait_for(lambda d: d[0] == 255, timeout_s=20)
        remote_red = to_remote.wait_for(lambda d: d[0] == 255, timeout_s=5)
        master_blue = to_master.wait_for(lambda d: d[0] == 0 and d[2] == 255, timeout_s=5)   # chapter two
        remote_blue = to_remote.wait_for(lambda d: d[0] == 0 and d[2] == 255, timeout_s=5)
        assert remote_red - master_red < 0.3                   # started when told
        assert abs(remote_blue - master_blue) < 0.1            # in step: within two frames at 20 fps
        master.wait(timeout=20)
    finally:
        for process in (remote,):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=20)
        to_master.sock.close()
        to_remote.sock.close()
