"""The river-front in the browser: the stream's bytes, and the canvas against the simulator's picture."""

import io
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib

import numpy as np
import pytest
from fastapi.testclient import TestClient

from lightshow.control.http_control import create_app
from lightshow.control.view_stream import ViewStream
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player
from lightshow.playback.sinks import FrameTap
from tests.control.test_http_control import TOKEN, free_port
from tests.served import served

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
BUILD = pathlib.Path(__file__).resolve().parents[2] / "build"     # screenshots for people to look at
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--force-color-profile=srgb"]


@pytest.fixture
def viewed(sim_show):
    """A player paused one second into the small show (so every frame is the same), with a view."""
    from simulator.web_view import WebView

    show = load_show(sim_show)
    tap = FrameTap(20.0)
    player = open_player(show, None, [tap])
    player.start()
    player.seek_s(1.0)
    player.pause()
    web = WebView(show.rig)
    view = ViewStream(web.layout(), web.background_png(), web.frame_bytes, tap.subscribe)
    latest = []
    unsubscribe = tap.subscribe(lambda frame: latest.append(frame))
    yield player, web, view, latest
    unsubscribe()
    player.close()


def _decode(messages: list[bytes]) -> bytes:
    frame = None
    for message in messages:
        data = np.frombuffer(zlib.decompress(message[1:]), dtype=np.uint8)
        frame = data.copy() if message[0] == 0 else np.bitwise_xor(frame, data)
    return frame.tobytes()


def test_the_view_streams_keys_then_deltas_of_the_frames_colours(viewed):
    player, web, view, latest = viewed
    client = TestClient(create_app(player, TOKEN, view=view))
    layout = client.get("/api/view/layout").json()           # read-only: no token, as /api/status
    assert layout["width"] == 1280 and len(layout["cells"]["x"]) == len(web.scene.cells)
    assert layout["frame_bytes"] == len(web.frame_bytes(np.zeros(web.n_channels, np.uint8)))
    assert client.get("/api/view/background.png").content[:4] == b"\x89PNG"
    page = client.get("/view")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    with client.websocket_connect("/api/view/ws") as stream:
        messages = [stream.receive_bytes() for _ in range(4)]
    assert messages[0][0] == 0 and {m[0] for m in messages[1:]} == {1}     # a key, then deltas
    assert _decode(messages) == web.frame_bytes(latest[-1])
    assert max(len(m) for m in messages[1:]) < 200              # nothing changed: deltas are tiny


def test_no_view_no_stream(player):
    client = TestClient(create_app(player, TOKEN))
    assert client.get("/api/view/layout").status_code == 404


def _pixels_of(picture) -> np.ndarray:
    from simulator.headless import to_image

    return np.asarray(to_image(picture), dtype=np.int16)


def canvas_picture(page, name: str) -> np.ndarray:
    """The view page's canvas once it has drawn a few frames (kept in build/NAME.png)."""
    from PIL import Image
    from playwright.sync_api import expect

    canvas = page.locator("#view")
    expect(canvas).to_have_attribute("data-stream", "live", timeout=10000)
    expect(canvas).to_have_attribute("data-frames", re.compile(r"^([5-9]|\d\d+)$"), timeout=20000)
    shot = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB"), dtype=np.int16)
    BUILD.mkdir(exist_ok=True)
    Image.fromarray(shot.astype(np.uint8)).save(BUILD / f"{name}.png")
    return shot


def assert_draws_like_the_simulator(shot: np.ndarray, web, frame: np.ndarray) -> None:
    """The canvas against the simulator's picture of ``frame``: at lit cells, in the sky, on the
    quay and in the river within 12 levels, and within 1 level on average."""
    from PIL import Image

    expected = _pixels_of(web.painter.paint(frame))
    Image.fromarray(expected.astype(np.uint8)).save(BUILD / "view-simulator.png")
    assert shot.shape == expected.shape == (720, 1280, 3)
    scene = web.scene
    cells = np.frombuffer(web.frame_bytes(frame)[:3 * len(scene.cells)], np.uint8).reshape(-1, 3)
    lit = np.flatnonzero(cells.max(axis=1) > 100)
    assert len(lit) >= 5
    samples = [(int(scene.cell_y[i]), int(scene.cell_x[i])) for i in lit[:: max(len(lit) // 12, 1)]]
    samples += [(40, 40), (300, 640), (scene.quay_y - 3, 5), (scene.quay_y + 30, 640), (700, 200)]
    for y, x in samples:
        difference = np.abs(shot[y, x] - expected[y, x]).max()
        assert difference <= 12, f"at ({x}, {y}) the canvas has {shot[y, x]}, the simulator {expected[y, x]}"
    assert np.abs(shot - expected).mean() < 1.0      # measured 0.11: beam edges differ most


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_the_canvas_draws_what_the_simulator_draws(viewed):
    from playwright.sync_api import expect, sync_playwright

    player, web, view, latest = viewed
    with served(create_app(player, TOKEN, view=view), "127.0.0.31") as port, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        page.goto(f"http://127.0.0.31:{port}/view")
        shot = canvas_picture(page, "view-canvas")
        expect(page.locator("#title")).to_have_text("测试 two buildings")   # the title, as text
        expect(page.locator("#operator")).to_be_visible()
        browser.close()
    assert_draws_like_the_simulator(shot, web, latest[-1])


def udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_live_artnet_in_the_browser_draws_what_the_simulator_draws(sim_show):
    """``simulate --live --web``: ``lightshow send`` streams the show's second 0.5..1.5 (one still
    picture) over and over to the virtual node on loopback; the page draws it as the simulator does."""
    from playwright.sync_api import expect, sync_playwright

    from lightshow.core.render import ShowRenderer
    from simulator.web_view import WebView

    show = load_show(sim_show)
    frames = ShowRenderer(show).render(10, 30)
    assert (frames == frames[0]).all()                       # what is sent is one picture
    host, artnet, http = "127.0.0.36", udp_port("127.0.0.36"), free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    simulate = subprocess.Popen([sys.executable, "-m", "lightshow", "simulate", sim_show, "--live", "--bind", host,
                                 "--port", str(artnet), "--web", f"{host}:{http}"],
                                env=environment, stderr=subprocess.PIPE, text=True)
    send = subprocess.Popen([sys.executable, "-m", "lightshow", "send", sim_show, "--to", host, "--port", str(artnet),
                             "--range", "0.5..1.5", "--loop"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://{host}:{http}/api/view/layout", timeout=1).read()
                break
            except OSError:
                assert simulate.poll() is None, simulate.stderr.read()
                assert time.monotonic() < deadline, "simulate --live --web did not answer"
                time.sleep(0.2)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            page.goto(f"http://{host}:{http}/")                      # leads to /view
            shot = canvas_picture(page, "view-live-canvas")
            expect(page.locator("#title")).to_have_text("测试 two buildings (live Art-Net)")
            expect(page.locator("#operator")).to_be_hidden()          # no operator page here
            browser.close()
        assert post_refused(host, http)
    finally:
        send.terminate()
        send.wait(timeout=10)
        simulate.send_signal(signal.SIGINT)
        try:
            code = simulate.wait(timeout=10)
        finally:
            if simulate.poll() is None:
                simulate.kill()
    assert code == 0
    assert f"the view is at http://{host}:{http}/view" in simulate.stderr.read()
    assert_draws_like_the_simulator(shot, WebView(show.rig), frames[0])


def post_refused(host: str, port: int) -> bool:
    """A view alone takes no commands: a POST is 401 however it is dressed."""
    request = urllib.request.Request(f"http://{host}:{port}/api/play", b"{}", method="POST",
                                     headers={"Authorization": "Bearer anything-at-all"})
    try:
        urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as exc:
        return exc.code == 401
    return False


TRANSPORT_CHARACTERS = "▶⏸⏯⏭⏹"


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_the_operator_page_at_phone_and_desktop_sizes(viewed):
    """As an operator sees it: drawn icons (no font needed), nodes nobody polls say so, nothing wider
    than a phone, the live view in its panel; screenshots in build/ for people to look at."""
    from playwright.sync_api import expect, sync_playwright

    player, web, view, latest = viewed
    nodes = [{"ip": "10.20.1.10", "name": "b01-node", "online": None, "universes": "0-7"},
             {"ip": "10.20.2.10", "name": "b02-node", "online": True, "universes": "8-68"},
             {"ip": "10.20.3.10", "name": "b03-node", "online": False, "universes": "69-120"}]
    BUILD.mkdir(exist_ok=True)
    with served(create_app(player, TOKEN, nodes=lambda: nodes, view=view), "127.0.0.32") as port:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, size in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1366, "height": 768})):
                page = browser.new_page(viewport=size)
                page.goto(f"http://127.0.0.32:{port}/")
                page.wait_for_selector("li.chapter")
                expect(page.locator("#nodes tr")).to_have_count(3)
                states = page.locator("#nodes tr td:nth-child(3)").all_text_contents()
                assert states == ["未探测 not polled", "在线 online", "离线 offline"]
                expect(page.locator("#view")).to_have_attribute("data-frames", re.compile(r"^[1-9]"), timeout=20000)
                for action in ("play", "pause", "resume", "go", "stop"):
                    button = page.locator(f"#{action}")
                    assert not set(button.text_content()) & set(TRANSPORT_CHARACTERS)   # no glyph a font may lack
                    icon = button.locator("svg.icon").bounding_box()
                    assert icon and icon["width"] >= 10 and icon["height"] >= 10, (action, icon)
                    assert button.locator("svg.icon path, svg.icon rect").count() >= 1
                width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                assert width[0] <= width[1], f"the {name} page is {width[0]} px wide in a {width[1]} px window"
                panel = page.locator("#view").bounding_box()
                assert panel["width"] <= size["width"] and panel["height"] > 0
                page.screenshot(path=str(BUILD / f"operator-{name}.png"), full_page=True)
                page.close()
            browser.close()


def test_simulate_web_needs_live_and_a_port(sim_show, capsys):
    from lightshow import cli
    from lightshow.commands.simulate import web_address

    assert cli.run(["simulate", sim_show, "--web", "8081"]) == 2
    assert "--web serves live Art-Net (give --live)" in capsys.readouterr().err
    for wrong in ("", "web", "0", "70000", "::1:8081", "127.0.0.1:"):
        assert cli.run(["simulate", sim_show, "--live", "--web", wrong]) == 2
        assert f"--web expects [HOST:]PORT such as 8081 or 0.0.0.0:8081, found '{wrong}'" in capsys.readouterr().err
    assert [web_address(text) for text in ("8081", "0.0.0.0:8082", "[::1]:8083")] == [
        ("127.0.0.1", 8081), ("0.0.0.0", 8082), ("::1", 8083)]


def test_polled_frames_ask_only_while_someone_watches():
    from lightshow.control.view_stream import PolledFrames

    asked, got = [], []
    polled = PolledFrames(lambda: asked.append(1) or np.full(4, len(asked), np.uint8), max_fps=50.0)
    time.sleep(0.1)
    assert asked == []                                   # nobody watches: nobody asks
    unsubscribe = polled.subscribe(got.append)
    time.sleep(0.5)
    unsubscribe()
    time.sleep(0.1)
    stopped_at = len(asked)
    time.sleep(0.2)
    assert len(asked) == stopped_at and 15 <= stopped_at <= 30      # 50 a second for half a second
    assert [int(frame[0]) for frame in got] == list(range(1, len(got) + 1))
    polled.close()
