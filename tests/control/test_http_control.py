"""The HTTP API (tokens, commands, errors, the status WebSocket) and the operator page in Chromium."""

import re
import shutil
import socket

import pytest
from fastapi.testclient import TestClient

from lightshow.control.http_control import create_app
from lightshow.errors import LightshowError

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(player):
    nodes = [{"ip": "10.20.1.10", "name": "b01-node", "online": False, "universes": "0-7"}]
    return TestClient(create_app(player, TOKEN, nodes=lambda: nodes))


def test_commands_need_the_token(client, player):
    assert client.post("/api/play").status_code == 401
    assert client.post("/api/play", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/play", headers={"Authorization": TOKEN}).status_code == 401
    assert player.status()["state"] == "stopped"
    response = client.post("/api/play", headers=AUTH)
    assert response.status_code == 200 and response.json()["state"] == "playing"


def test_reading_needs_no_token(client):
    assert client.get("/api/status").json()["state"] == "stopped"
    show = client.get("/api/show").json()
    assert [c["id"] for c in show["chapters"]] == ["first", "second"] and "pixels" in show["groups"]
    assert client.get("/api/nodes").json()[0]["name"] == "b01-node"
    assert "/api/master" in client.get("/openapi.json").json()["paths"]


def test_every_command_mirrors_osc(client, player):
    post = lambda path, body=None: client.post(path, headers=AUTH, json=body or {})   # noqa: E731
    assert post("/api/goto/chapter/second").json()["chapter"] == "second"
    assert post("/api/goto/cue/red-roof").json()["frame"] == 0
    assert post("/api/seek", {"time_s": 2.5}).json()["frame"] == 50
    assert post("/api/master", {"level": 0.3}).json()["master"] == 0.3
    assert post("/api/blackout", {"on": True}).json()["blackout"] == 1.0
    assert post("/api/groups/pixels/intensity", {"level": 0.5}).json()["groups"] == {"pixels": 0.5}
    assert post("/api/rate", {"rate": 2}).json()["rate"] == 2.0
    assert post("/api/loop", {"on": True}).json()["loop"] is True
    assert post("/api/freeze", {"on": True}).json()["frozen"] is True
    assert post("/api/play").json()["state"] == "playing"
    assert post("/api/pause").json()["state"] == "paused"
    assert post("/api/resume").json()["state"] == "playing"
    assert post("/api/stop").json()["state"] == "stopped"


def test_bad_requests_say_why(client):
    post = lambda path, body=None: client.post(path, headers=AUTH, json=body or {})   # noqa: E731
    response = post("/api/goto/cue/nowhere")
    assert response.status_code == 404 and response.json()["detail"] == "no cue 'nowhere'"
    assert post("/api/groups/nope/intensity", {"level": 1}).status_code == 404
    assert post("/api/master", {"level": 2}).status_code == 422
    assert post("/api/seek", {"time_s": 99}).status_code == 409


def test_the_status_stream_sends_every_change(client):
    with client.websocket_connect("/api/status/ws") as stream:
        assert stream.receive_json()["state"] == "stopped"
        client.post("/api/goto/chapter/2", headers=AUTH)
        for _ in range(20):
            if stream.receive_json()["chapter"] == "second":
                break
        else:
            raise AssertionError("the change never came")


def test_no_token_no_app(player):
    with pytest.raises(LightshowError, match="needs a token"):
        create_app(player, "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_the_operator_page_in_chromium(player):
    from playwright.sync_api import expect, sync_playwright

    from tests.served import served

    nodes = [{"ip": "10.20.2.10", "name": "b02-node", "online": True, "universes": "8-68"}]
    with served(create_app(player, TOKEN, nodes=lambda: nodes)) as port:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            response = page.goto(f"http://127.0.0.1:{port}/")
            assert response.headers["x-frame-options"] == "DENY"               # no clickjacking
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.fill("#token", TOKEN)                                          # typed, never in the URL
            page.dispatch_event("#token", "change")
            page.wait_for_selector("li.chapter")
            assert page.text_content("#title") == "测试 two buildings"
            # the page runs under its content security policy, which forbids eval: no wait_for_function
            expect(page.locator("body")).to_have_attribute("data-stream", "live")   # the WebSocket is up
            page.click("#play")
            expect(page.locator("#status")).to_have_text(re.compile("^playing"))
            page.click("#pause")
            page.click("li.chapter[data-id='second']")
            page.wait_for_selector("li.chapter.current[data-id='second']")
            assert page.is_visible("li.cue.current[data-id='blue-all']")
            page.fill("#master", "40")
            page.dispatch_event("#master", "change")
            expect(page.locator("#master-value")).to_have_text("40%", timeout=5000)
            page.click("#blackout")
            page.wait_for_selector("#blackout.on")
            assert player.status()["chapter"] == "second" and player.status()["master"] == 0.4
            assert page.text_content("#nodes") == "10.20.2.10b02-node在线 online8-68"
            page.fill("#token", "wrong")
            page.click("#resume")
            expect(page.locator("#error")).to_have_text(re.compile("^401"))
            assert player.status()["state"] == "paused"
            page.screenshot(path="operator.png")
            browser.close()


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed (.ci/install installs it)")
def test_the_operator_page_says_what_the_clock_follows(sim_show):
    """A remote waiting for its MultiSync master: the page says so, with the master's state."""
    from playwright.sync_api import expect, sync_playwright

    from lightshow.load.project import load_show
    from lightshow.playback.multisync_remote import MultiSyncRemote
    from lightshow.playback.show_player import open_player
    from tests.served import served

    remote = MultiSyncRemote("show.fseq", "127.0.0.71", free_port(), fps=20).start()
    player = open_player(load_show(sim_show), None, [], time_source=remote)
    try:
        with served(create_app(player, TOKEN)) as port, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.locator("#clock-source")).to_have_text("⟲ 同步 MultiSync — waiting", timeout=5000)
            browser.close()
    finally:
        player.close()
