"""A real ``lightshow serve --schedule``: the idle look between runs and a run's playlist in order on
the wire (Art-Net captured), a node that stops answering in the play log, the alerts (a local
webhook and /api/alerts) and the report."""

import datetime as dt
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.artnet_node import ArtNetNode
from tests.control.test_http_control import free_port
from tests.control.test_osc_control import Receiver
from tests.projects import RGB_PIXEL_BAR
from tests.test_cli_play import TOKEN, _status_when_up

RIG = """\
name: one roof
nodes:
  - {name: b04, ip: 127.0.0.2, universes: [0, 0]}
patch:
  - {id: roof, profile: bar8, universe: 0, address: 1, position_m: [10, 30, 0]}
"""
SOLID = """\
title: {title}
rig: rig.yaml
fps: 20
chapters:
  - id: only
    cues:
      - {{id: c, target: roof, effect: solid, params: {{color: [{rgb}]}}, duration: {seconds}}}
"""
WASH, LEAD, MAIN = (40, 30, 20), (255, 0, 0), (0, 255, 0)


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


def test_a_scheduled_night_on_the_wire_with_a_dead_node_in_the_log_the_alerts_and_the_report(project):
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.rig(RIG)
    for name, rgb, seconds in (("wash", WASH, 2), ("lead", LEAD, 2), ("main", MAIN, 3)):
        project.show(SOLID.format(title=name, rgb=", ".join(map(str, rgb)), seconds=seconds), f"{name}.yaml")
    now = dt.datetime.now(dt.timezone.utc)
    start = (now + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (start - now).total_seconds() < 8:                  # time to come up and show the idle look first
        start += dt.timedelta(minutes=1)
    (project.root / "shows" / "night.schedule.yaml").write_text(
        "site: {latitude: 36.65, longitude: 117.12, timezone: UTC}\nidle: wash.yaml\nentries:\n"
        f"  - {{id: night, days: [daily], start: \"{start:%H:%M}\", playlist: [lead.yaml, main.yaml]}}\n")
    receiver, webhook, node = Receiver(), Webhook(), ArtNetNode("127.0.0.2", [0])
    http_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lightshow", "serve", "shows/main.yaml", "--schedule", "shows/night.schedule.yaml",
         "--to", "127.0.0.1", "--port", str(receiver.port), "--bind", "127.0.0.1", "--http-port", str(http_port),
         "--osc-port", str(free_port()), "--token", TOKEN, "--stop-fade", "0", "--discover",
         "--poll-interval", "0.3", "--alert-webhook", f"http://127.0.0.1:{webhook.server_port}/hook",
         "--log", "build/log.sqlite"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{http_port}"
    seen = []                                              # (monotonic, wall, roof colour) as it changes
    try:
        receiver.wait_for(lambda d: tuple(d[:3]) == WASH, timeout_s=40)          # idle look before the run
        _status_when_up(http_port, server)
        assert dt.datetime.now(dt.timezone.utc) < start
        schedule = json.loads(urllib.request.urlopen(base + "/api/schedule").read())
        assert schedule["next_run"] == start.isoformat() and schedule["next_playlist"] == ["lead.yaml", "main.yaml"]
        assert schedule["idle"] is True
        while dt.datetime.now(dt.timezone.utc) < start + dt.timedelta(seconds=7):
            try:
                receiver.wait_for(lambda d: False, timeout_s=0.05)
            except AssertionError:
                pass
            colour = _roof(receiver)
            if not seen or seen[-1][2] != colour:
                seen.append((time.monotonic(), dt.datetime.now(dt.timezone.utc), colour))
            if colour == LEAD and node.answering:
                node.answering = False                     # the node dies during the run
        colours = [c for _, _, c in seen]
        assert colours == [WASH, LEAD, MAIN, WASH], colours   # idle, lead-in, main show, idle again
        lead_at = next(w for _, w, c in seen if c == LEAD)
        main_at = next(w for _, w, c in seen if c == MAIN)
        print(f"run start on the wire {(lead_at - start).total_seconds() * 1000:.1f} ms after schedule; "
              f"main show {(main_at - start).total_seconds():.3f} s in (expected 2.0)")
        assert abs((lead_at - start).total_seconds()) < 0.5
        assert abs((main_at - start).total_seconds() - 2.0) < 0.5
        deadline = time.monotonic() + 10
        while not webhook.posts and time.monotonic() < deadline:
            time.sleep(0.1)
        assert webhook.posts and webhook.posts[0]["kind"] == "node-offline" and webhook.posts[0]["node"] == "127.0.0.2"
        alerts = json.loads(urllib.request.urlopen(base + "/api/alerts").read())
        assert alerts[0]["kind"] == "node-offline"
        node.answering = True                              # back
        nodes = lambda: json.loads(urllib.request.urlopen(base + "/api/nodes").read())   # noqa: E731
        deadline = time.monotonic() + 10
        while not nodes()[0]["online"] and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)                                    # the watch's next look
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
        node.close()
        receiver.sock.close()
        webhook.shutdown()
    import sqlite3

    kinds = [k for (k,) in sqlite3.connect("build/log.sqlite").execute("SELECT kind FROM events ORDER BY id")]
    assert "run-start" in kinds and "node-offline" in kinds and "alert" in kinds
    assert kinds.index("node-offline") < kinds.index("node-online")
    report = subprocess.run(
        [sys.executable, "-m", "lightshow", "report", "--log", "build/log.sqlite", "--schedule",
         "shows/night.schedule.yaml", "--from", f"{start:%Y-%m-%d}", "-o", "r.html", "--csv", "r.csv"],
        capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    page = (project.root / "r.html").read_text()
    assert "127.0.0.2" in page and "node 127.0.0.2 offline" in page      # the table and the timeline
    node_rows = (project.root / "r.nodes.csv").read_text().splitlines()
    assert node_rows[0] == "node,name,offline_from,offline_to,dark_while_lit_min"
    dark_min = float(node_rows[1].split(",")[4])
    assert 0 < dark_min <= 5 / 60                        # dark inside the 5 s run only
    runs = (project.root / "r.csv").read_text()
    assert f"{start.isoformat()},night,played" in runs
    print(f"node dark while lit: {dark_min * 60:.1f} s; report: {report.stderr.strip()}")
