"""A real ``lightshow serve --schedule``: the idle look between runs and a run's playlist in order on
the wire (Art-Net captured), a node that stops answering in the play log, the alerts (a local
webhook and /api/alerts) and the report; a restart inside a playlist's second show rejoins it at the
frame the schedule says; a citizen work in a scheduled show on the wire, in the log and the report,
and the operator page's next run and alerts.  Starts are given to the second ("HH:MM:SS"), a few
seconds from now, so nothing waits for a whole minute.

Addresses: serve binds 127.0.0.61 (HTTP, OSC, ArtPoll), 127.0.0.62 and 127.0.0.63 (the rigs' nodes)
or 127.0.0.64 / 127.0.0.65: no other test uses them, so discovery's port 6454 is ours."""

import datetime as dt
import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from tests.artnet_node import ArtNetNode
from tests.control.test_http_control import free_port
from tests.control.test_osc_control import Receiver
from tests.projects import RGB_PIXEL_BAR
from tests.stamped import StampingReceiver
from tests.test_cli_play import TOKEN

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIND = "127.0.0.61"
RIG = """\
name: one roof
nodes:
  - {{name: b04, ip: {node}, universes: [0, 0]}}
patch:
  - {{id: roof, profile: bar8, universe: 0, address: 1, position_m: [10, 30, 0]}}
"""
SOLID = """\
title: {title}
rig: rig.yaml
fps: {fps}
chapters:
  - id: only
    cues:
      - {{id: c, target: roof, effect: solid, params: {{color: [{rgb}]}}, duration: {seconds}}}
"""
WASH, LEAD, MAIN = (40, 30, 20), (255, 0, 0), (0, 255, 0)


def _shows(project, node: str, fps: int = 20, **shows) -> None:
    """The rig (its node at ``node``) and solid shows: name=(rgb, seconds)."""
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.rig(RIG.format(node=node))
    for name, (rgb, seconds) in shows.items():
        project.show(SOLID.format(title=name, fps=fps, rgb=", ".join(map(str, rgb)), seconds=seconds), f"{name}.yaml")


def _to_the_second(moment: dt.datetime) -> dt.datetime:
    """``moment`` rounded up to a whole second (a start "HH:MM:SS" says no more)."""
    return moment.replace(microsecond=0) + dt.timedelta(seconds=1 if moment.microsecond else 0)


def _serve(*arguments: str) -> subprocess.Popen:
    """A real server in a session of its own (so a crash can take its output and OSC processes with it)."""
    return subprocess.Popen([sys.executable, "-m", "lightshow", "serve", *arguments, "--bind", BIND,
                             "--osc-port", str(free_port()), "--token", TOKEN, "--stop-fade", "0"],
                            env={**os.environ, "PYTHONPATH": REPO}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class Webhook(ThreadingHTTPServer):
    def __init__(self):
        self.posts, self.fail_first = [], 1
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if hook.fail_first > 0:                    # the first attempt fails: the retry delivers
                    hook.fail_first -= 1
                    self.send_response(500)
                else:
                    hook.posts.append(body)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def _roof(receiver):
    data = receiver.latest.get(0, b"")
    return tuple(data[:3]) if len(data) >= 3 else None


def _get(port: int, path: str):
    return json.loads(urllib.request.urlopen(f"http://{BIND}:{port}{path}", timeout=5).read())


def _when_up(port: int, server: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 30
    while True:
        try:
            return _get(port, "/api/status")
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
            time.sleep(0.1)


def test_a_scheduled_night_on_the_wire_with_a_dead_node_in_the_log_the_alerts_and_the_report(project):
    _shows(project, "127.0.0.62", wash=(WASH, 2), lead=(LEAD, 1), main=(MAIN, 2))
    start = _to_the_second(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5))   # up, idle, then the run
    (project.root / "shows" / "night.schedule.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: UTC}\nidle: wash.yaml\nentries:\n"
        f"  - {{id: night, days: [daily], start: \"{start:%H:%M:%S}\", playlist: [lead.yaml, main.yaml]}}\n")
    receiver, webhook, node = Receiver(), Webhook(), ArtNetNode("127.0.0.62", [0])
    http_port = free_port()
    server = _serve("shows/main.yaml", "--schedule", "shows/night.schedule.yaml", "--to", "127.0.0.1", "--port",
                    str(receiver.port), "--http-port", str(http_port), "--discover", "--poll-interval", "0.3",
                    "--alert-webhook", f"http://127.0.0.1:{webhook.server_port}/hook", "--log", "build/log.sqlite")
    seen = []                                              # (wall, roof colour) as it changes
    try:
        receiver.wait_for(lambda d: tuple(d[:3]) == WASH, timeout_s=30)          # idle look before the run
        _when_up(http_port, server)
        assert dt.datetime.now(dt.timezone.utc) < start
        schedule = _get(http_port, "/api/schedule")
        assert schedule["next_run"] == start.isoformat() and schedule["next_playlist"] == ["lead.yaml", "main.yaml"]
        assert schedule["idle"] is True
        while dt.datetime.now(dt.timezone.utc) < start + dt.timedelta(seconds=4):
            try:
                receiver.wait_for(lambda d: False, timeout_s=0.05)
            except AssertionError:
                pass
            colour = _roof(receiver)
            if not seen or seen[-1][1] != colour:
                seen.append((dt.datetime.now(dt.timezone.utc), colour))
            if colour == LEAD and node.answering:
                node.answering = False                     # the node dies during the run
        colours = [c for _, c in seen]
        assert colours == [WASH, LEAD, MAIN, WASH], colours   # idle, lead-in, main show, idle again
        lead_at = next(w for w, c in seen if c == LEAD)
        main_at = next(w for w, c in seen if c == MAIN)
        print(f"run start on the wire {(lead_at - start).total_seconds() * 1000:.1f} ms after schedule; "
              f"main show {(main_at - start).total_seconds():.3f} s in (expected 1.0)")
        assert abs((lead_at - start).total_seconds()) < 0.5
        assert abs((main_at - start).total_seconds() - 1.0) < 0.5
        deadline = time.monotonic() + 10
        while not webhook.posts and time.monotonic() < deadline:
            time.sleep(0.1)
        assert webhook.posts and webhook.posts[0]["kind"] == "node-offline" and webhook.posts[0]["node"] == "127.0.0.62"
        assert _get(http_port, "/api/alerts")[0]["kind"] == "node-offline"
        node.answering = True                              # back
        deadline = time.monotonic() + 10
        while not _get(http_port, "/api/nodes")[0]["online"] and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.2)                                    # the watch's next look
    finally:
        _stop(server)
        node.close()
        receiver.sock.close()
        webhook.shutdown()
    kinds = [k for (k,) in sqlite3.connect("build/log.sqlite").execute("SELECT kind FROM events ORDER BY id")]
    assert "run-start" in kinds and "node-offline" in kinds and "alert" in kinds
    assert kinds.index("node-offline") < kinds.index("node-online")
    report = subprocess.run(
        [sys.executable, "-m", "lightshow", "report", "--log", "build/log.sqlite", "--schedule",
         "shows/night.schedule.yaml", "--from", f"{start:%Y-%m-%d}", "-o", "r.html", "--csv", "r.csv"],
        capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    page = (project.root / "r.html").read_text()
    assert "127.0.0.62" in page and "node 127.0.0.62 offline" in page      # the table and the timeline
    node_rows = (project.root / "r.nodes.csv").read_text().splitlines()
    assert node_rows[0] == "node,name,offline_from,offline_to,dark_while_lit_min"
    dark_min = float(node_rows[1].split(",")[4])
    assert 0 < dark_min <= 3 / 60                        # dark inside the 3 s run only
    runs = (project.root / "r.csv").read_text()
    assert f"{start.isoformat()},night,played" in runs
    print(f"node dark while lit: {dark_min * 60:.1f} s; report: {report.stderr.strip()}")


def test_a_server_killed_inside_the_second_show_of_a_playlist_rejoins_it_at_the_frame_the_schedule_says(project):
    """SIGKILL to the whole service (as systemd kills its control group) while the main show plays
    after its lead-in; the new process's first frame on the wire is the main show's frame the
    schedule says for the instant it arrives (ArtTimeCode of the show time, 25 fps), within one."""
    _shows(project, "127.0.0.63", fps=25, lead=(LEAD, 2), main=(MAIN, 120))
    start = _to_the_second(dt.datetime.now(dt.timezone.utc))
    (project.root / "shows" / "s.schedule.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: UTC}\nentries:\n"
        f"  - {{id: now, days: [daily], start: \"{start:%H:%M:%S}\", playlist: [lead.yaml, main.yaml]}}\n")
    receiver = StampingReceiver()
    arguments = ["shows/main.yaml", "--schedule", "shows/s.schedule.yaml", "--to", "127.0.0.1", "--port",
                 str(receiver.port), "--http-port", str(free_port()), "--timecode", "25", "--log", "build/log.sqlite"]
    main_from = start.timestamp() + 2.0                                   # the main show's instant
    server = _serve(*arguments)
    try:
        at, _ = receiver.wait_for(lambda p: hasattr(p, "data") and tuple(p.data[:3]) == MAIN, timeout_s=30)
        assert at >= main_from - 0.1                                       # the playlist's second show
        time.sleep(0.5)
        os.killpg(server.pid, signal.SIGKILL)                              # a crash: no goodbye
        server.wait(timeout=10)
        time.sleep(0.2)                                                    # what was on its way
        since, began = len(receiver.packets), time.time()
        server = _serve(*arguments)
        arrival, code = receiver.wait_for(lambda p: hasattr(p, "frames"), since, timeout_s=30)
        lit = [p for _, p in receiver.parsed(since) if hasattr(p, "data") and any(p.data[:3])]
        assert lit and tuple(lit[0].data[:3]) == MAIN                      # nothing of the lead-in again
        frame = ((code.hours * 60 + code.minutes) * 60 + code.seconds) * 25 + code.frames
        expected = math.floor((arrival - main_from) * 25)                  # the frame whose period it arrived in
        print(f"rejoin: first frame {(arrival - began) * 1000:.0f} ms after the restart, main show frame "
              f"{frame} where the schedule says {expected}")
        assert abs(frame - expected) <= 1
    finally:
        _stop(server)
        receiver.close()
    kinds = [(k, d) for k, d in sqlite3.connect("build/log.sqlite").execute("SELECT kind, detail FROM events ORDER BY id")]
    rejoin = [json.loads(d) for k, d in kinds if k == "run-rejoin"]
    assert rejoin and rejoin[-1]["item"] == 1 and rejoin[-1]["show"] == "main.yaml"


SLOTS = """\
title: slots
rig: rig.yaml
fps: 20
chapters:
  - id: only
    cues:
      - {id: own, target: roof, effect: solid, params: {color: [0, 0, 255]}, duration: 12}
      - {id: slot, start: 3, layer: 1, target: roof, effect: artwork, duration: 8,
         params: {fit: stretch, transition_s: 0.2}}
"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_a_citizen_work_in_a_scheduled_show_on_the_wire_in_the_log_and_report_and_the_operator_page(project):
    """An approved work plays in the artwork slot of the second show of a scheduled run; the play log
    and the report say whose it was.  The operator page (in a browser set to New York) shows the
    next run in the site's time (Asia/Shanghai) with its shows, and the alert of a dead node."""
    from playwright.sync_api import sync_playwright

    from lightshow.queue.content_store import ContentStore
    from tests.queue.test_artwork_slots import png

    _shows(project, "127.0.0.64", lead=(LEAD, 1))              # nothing answers at 127.0.0.64: a dead node
    project.show(SLOTS, "slots.yaml")
    with ContentStore(str(project.root / "store")) as store:
        work = store.submit(png((255, 0, 255)), "红日 Red sun", "王小明", "济南", True, "198.51.100.7")
        store.approve(work.id, "moderator")
    zone = ZoneInfo("Asia/Shanghai")
    start = _to_the_second(dt.datetime.now(zone))
    later = (start + dt.timedelta(hours=2)).replace(second=0)
    (project.root / "shows" / "s.schedule.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: Asia/Shanghai}\nentries:\n"
        f"  - {{id: now, days: [daily], start: \"{start:%H:%M:%S}\", playlist: [lead.yaml, slots.yaml]}}\n"
        f"  - {{id: later, days: [daily], start: \"{later:%H:%M}\", playlist: [slots.yaml, lead.yaml]}}\n")
    receiver, http_port = StampingReceiver(), free_port()
    server = _serve("shows/lead.yaml", "--schedule", "shows/s.schedule.yaml", "--to", "127.0.0.1", "--port",
                    str(receiver.port), "--http-port", str(http_port), "--content", str(project.root / "store"),
                    "--moderator-token", "moderator-secret", "--discover", "--poll-interval", "0.3",
                    "--log", "build/log.sqlite")
    try:
        _when_up(http_port, server)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page(timezone_id="America/New_York")
            page.goto(f"http://{BIND}:{http_port}/")
            page.wait_for_function("() => document.getElementById('artwork').textContent.includes('红日')",
                                   timeout=20000)                  # who made what plays, while it plays
            assert "王小明" in page.text_content("#artwork")
            page.wait_for_function("() => document.getElementById('schedule-text').textContent.includes('next')")
            text = page.text_content("#schedule-text")
            assert f"{later:%Y-%m-%d %H:%M} slots.yaml → lead.yaml (later)" in text, text   # the site's time
            page.wait_for_function("() => document.getElementById('alerts').textContent.includes('127.0.0.64')",
                                   timeout=10000)
            alert = page.text_content("#alerts li")
            assert "node-offline: node 127.0.0.64 (b04) stopped answering ArtPoll" in alert, alert
            browser.close()
        # the work's magenta (no show of this test uses it: the lead-in is red), all over the roof
        at, _ = receiver.wait_for(lambda p: hasattr(p, "data") and tuple(p.data[:3]) == (255, 0, 255)
                                  and tuple(p.data[21:24]) == (255, 0, 255), timeout_s=10)
        assert at - start.timestamp() >= 1 + 3                  # in the slot of the second show
    finally:
        _stop(server)
        receiver.close()
    shown = [json.loads(d) for k, d in sqlite3.connect("build/log.sqlite").execute(
        "SELECT kind, detail FROM events ORDER BY id") if k == "work-shown"]
    assert [(w["title"], w["name"], w["city"], w["show"]) for w in shown] == [("红日 Red sun", "王小明", "济南", "slots.yaml")]
    report = subprocess.run(
        [sys.executable, "-m", "lightshow", "report", "--log", "build/log.sqlite", "--schedule",
         "shows/s.schedule.yaml", "--from", f"{start:%Y-%m-%d}", "-o", "r.html", "--csv", "r.csv"],
        capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert "王小明" in (project.root / "r.html").read_text()
    rows = (project.root / "r.works.csv").read_text().splitlines()
    assert rows[0] == "shown_at,title,by,city,slot" and rows[1].endswith(",红日 Red sun,王小明,济南,slot"), rows
