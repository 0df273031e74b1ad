"""The browser view's cost: ``serve`` plays the anniversary show, a WebSocket client (and Chromium,
drawing the canvas) watch /api/view/ws at three moments of the show; then the same from live
Art-Net: ``lightshow send`` streams each moment to ``simulate --live --web`` (a virtual node on
127.0.0.35), whose view the client watches.

Last line: ``view: <f> fps received, <b> kbit/s mean (<p> kbit/s at the busiest moment), canvas <c> fps;
live Art-Net <lf> fps received, <lb> kbit/s mean`` (serve's figures are the live view's baseline).
Art-Net from serve goes to an address nobody listens on (127.0.0.34, a free port)."""

from __future__ import annotations

import json
import os
import signal
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


LIVE_HOST = "127.0.0.35"
BUSY_DELTA_BYTES = 1000    # a delta this large: the sender's frames have arrived


def free_port(kind=socket.SOCK_STREAM, host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def post(port: int, path: str, body: dict) -> None:
    request = urllib.request.Request(f"http://{HOST}:{port}/api/{path}", json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def watch(port: int, seconds: float, host: str = HOST, wait_for_busy_s: float = 0.0) -> tuple[int, int, int]:
    """Frames, keys and bytes received in ``seconds`` (after the first delta of BUSY_DELTA_BYTES,
    if ``wait_for_busy_s``)."""
    frames = keys = size = 0
    with ws.connect(f"ws://{host}:{port}/api/view/ws", compression=None, max_size=None) as stream:
        stream.recv(timeout=10)
        deadline = time.monotonic() + wait_for_busy_s
        while wait_for_busy_s and len(stream.recv(timeout=10)) < BUSY_DELTA_BYTES:
            if time.monotonic() > deadline:
                raise RuntimeError("no busy frame arrived from the sender")
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


def wait_http(url: str, process: subprocess.Popen, timeout_s: float = 300.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.5)


def live_rates() -> list[tuple[float, float]]:
    """fps and kbit/s of simulate --live --web's view while lightshow send streams each moment."""
    http, artnet = free_port(host=LIVE_HOST), free_port(socket.SOCK_DGRAM, LIVE_HOST)
    environment = {**os.environ, "PYTHONPATH": ROOT}
    simulate = subprocess.Popen([sys.executable, "-m", "lightshow.cli", "simulate", "shows/anniversary.yaml", "--live",
                                 "--bind", LIVE_HOST, "--port", str(artnet), "--web", f"{LIVE_HOST}:{http}"],
                                cwd=ROOT, env=environment)
    rates = []
    try:
        wait_http(f"http://{LIVE_HOST}:{http}/api/view/layout", simulate)
        for at_s in MOMENTS_S:
            send = subprocess.Popen([sys.executable, "-m", "lightshow.cli", "send", "shows/anniversary.yaml", "--to",
                                     LIVE_HOST, "--port", str(artnet), "--range", f"{at_s:g}..{at_s + 120:g}"],
                                    cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
            try:
                frames, keys, size = watch(http, WATCH_S, LIVE_HOST, wait_for_busy_s=300.0)
            finally:
                send.terminate()
                send.wait(timeout=30)
            rates.append((frames / WATCH_S, size * 8 / 1000 / WATCH_S))
            print(f"live Art-Net at {at_s:g} s: {frames / WATCH_S:.1f} fps, {keys} keys, "
                  f"{size * 8 / 1000 / WATCH_S:.0f} kbit/s, {size / max(frames, 1) / 1000:.1f} kB a frame", flush=True)
    finally:
        simulate.send_signal(signal.SIGINT)
        simulate.wait(timeout=30)
    return rates


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
    live = live_rates()
    mean_fps = sum(r[0] for r in rates) / len(rates)
    mean_kbit = sum(r[1] for r in rates) / len(rates)
    print(f"view: {mean_fps:.1f} fps received, {mean_kbit:.0f} kbit/s mean ({max(r[1] for r in rates):.0f} kbit/s "
          f"at the busiest moment), canvas {fps:.1f} fps; live Art-Net {sum(r[0] for r in live) / len(live):.1f} "
          f"fps received, {sum(r[1] for r in live) / len(live):.0f} kbit/s mean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
