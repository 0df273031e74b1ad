"""The browser view's cost: ``serve`` plays the anniversary show, a WebSocket client (and Chromium,
drawing the canvas) watch /api/view/ws at three moments of the show.

Last line: ``view: <f> fps received, <b> kbit/s mean (<p> kbit/s at the busiest moment), canvas <c> fps``.
Art-Net goes to an address nobody listens on (127.0.0.34, a free port)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

# bench/queue.py would shadow the standard library's queue, which websockets needs
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import websockets.sync.client as ws  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.33"
TOKEN = "bench-view-token"
MOMENTS_S = (172.0, 250.0, 516.0)     # one moment in each chapter
WATCH_S = 10.0


def free_port(kind=socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def post(port: int, path: str, body: dict) -> None:
    request = urllib.request.Request(f"http://{HOST}:{port}/api/{path}", json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def watch(port: int, seconds: float) -> tuple[int, int, int]:
    frames = keys = size = 0
    with ws.connect(f"ws://{HOST}:{port}/api/view/ws", compression=None, max_size=None) as stream:
        stream.recv(timeout=10)
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            message = stream.recv(timeout=5)
            frames += 1
            keys += message[0] == 0
            size += len(message)
    return frames, keys, size


def canvas_fps(port: int) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 800})
        page.goto(f"http://{HOST}:{port}/view")
        time.sleep(WATCH_S)
        fps = float(page.locator("#view").get_attribute("data-fps") or 0)
        browser.close()
    return fps


def main() -> int:
    http, osc, artnet = free_port(), free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    serve = subprocess.Popen([sys.executable, "-m", "lightshow.cli", "serve", "shows/anniversary.yaml", "--token", TOKEN,
                              "--bind", HOST, "--http-port", str(http), "--osc-port", str(osc), "--to", "127.0.0.34",
                              "--port", str(artnet), "--no-audio"], cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT})
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://{HOST}:{http}/api/status", timeout=1).read()
                break
            except OSError:
                time.sleep(0.5)
        rates = []
        for at_s in MOMENTS_S:
            post(http, "seek", {"time_s": at_s})
            post(http, "play", {})
            frames, keys, size = watch(http, WATCH_S)
            rates.append((frames / WATCH_S, size * 8 / 1000 / WATCH_S))
            print(f"at {at_s:g} s: {frames / WATCH_S:.1f} fps, {keys} keys, {size * 8 / 1000 / WATCH_S:.0f} kbit/s, "
                  f"{size / max(frames, 1) / 1000:.1f} kB a frame", flush=True)
        post(http, "seek", {"time_s": MOMENTS_S[-1]})
        fps = canvas_fps(http)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    mean_fps = sum(r[0] for r in rates) / len(rates)
    mean_kbit = sum(r[1] for r in rates) / len(rates)
    print(f"view: {mean_fps:.1f} fps received, {mean_kbit:.0f} kbit/s mean ({max(r[1] for r in rates):.0f} kbit/s "
          f"at the busiest moment), canvas {fps:.1f} fps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
