"""The content queue over HTTP: refusals with their status, the moderator's token, the pages.

In-process (FastAPI's test client) for the API; the end-to-end test drives Debian's
chromium (playwright) against a real uvicorn server.
"""

import io
import os
import re
import warnings

import httpx
import numpy as np
import pytest
from PIL import Image

from lightshow.content.validation import decode_artwork
from lightshow.queue.content_store import RateLimit
from lightshow.queue.content_web import create_content_app, load_facade_rig, load_facades
from tests.queue.content_server import PACKAGE_ROOT, TOKEN, ContentServer
from tests.queue.test_content_store import picture, snapshot
from tests.content.hostile import GOOD_FIELDS, hostile_cases

with warnings.catch_warnings():
    warnings.simplefilter("ignore")        # starlette prefers httpx2 for its test client
    from fastapi.testclient import TestClient

CASES = hostile_cases()
BEARER = {"Authorization": f"Bearer {TOKEN}"}
CHROMIUM = "/usr/bin/chromium"
RIVERFRONT_RIG = str(PACKAGE_ROOT / "shows" / "riverfront.rig.yaml")


def riverfront_preview():
    """The simulator's preview of works on the river-front's facades, as ``queue serve --rig`` draws it."""
    from lightshow.content.plain_wall import FACADE_GROUP
    from simulator.artwork_preview import rig_artwork_preview

    rig = load_facade_rig(RIVERFRONT_RIG)
    return rig_artwork_preview(rig, rig.groups[FACADE_GROUP].fixture_ids)


@pytest.fixture
def app(tmp_path):
    return create_content_app(str(tmp_path / "store"), TOKEN,
                              rate=RateLimit(max_uploads=1000, max_pending=1000),
                              facades=lambda: load_facades(RIVERFRONT_RIG), preview=riverfront_preview())


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def post_work(client, data: bytes, file_name="work.png", **fields):
    return client.post("/api/artworks", files={"file": (file_name, data, "image/png")},
                       data={**GOOD_FIELDS, **fields})


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_hostile_upload_is_refused_and_leaves_the_store_unchanged(app, client, case):
    assert post_work(client, picture(1)).status_code == 201     # a store with something in it
    store = app.state.content_store
    before = snapshot(store)
    answer = client.post("/api/artworks", files={"file": (case.file_name, case.data, "image/png")},
                         data=case.fields)
    assert (answer.status_code, answer.json()["error"]) == (case.status, case.code)
    assert answer.json()["reason_zh"] and answer.json()["reason_en"]
    assert snapshot(store) == before


def test_sql_in_the_text_fields_is_stored_as_text_and_harms_nothing(app, client):
    sql = "x'); DROP TABLE artworks;--"
    answer = post_work(client, picture(2), title=sql, name="' OR '1'='1", city="1; DELETE FROM audit")
    assert answer.status_code == 201
    listed = client.get("/api/moderation/artworks", headers=BEARER).json()["artworks"]
    assert [(w["title"], w["name"], w["city"]) for w in listed] == [
        (sql, "' OR '1'='1", "1; DELETE FROM audit")]
    assert len(client.get("/api/moderation/audit", headers=BEARER).json()["entries"]) == 1


def test_text_that_is_not_utf_8_is_refused_not_stored_as_mojibake(app, client):
    store = app.state.content_store
    before = snapshot(store)
    answer = client.post("/api/artworks", files={"file": ("work.png", picture(3), "image/png")},
                         data={**GOOD_FIELDS, "title": "江上明月".encode("gbk")})
    assert (answer.status_code, answer.json()["error"]) == (400, "not-utf-8")
    assert "'title' is not UTF-8" in answer.json()["reason_en"]
    assert snapshot(store) == before


def test_repeated_wrong_moderator_tokens_and_logins_are_throttled(client):
    codes = [client.get("/api/moderation/artworks", headers={"Authorization": f"Bearer guess-{n}"}).status_code
             for n in range(10)]
    assert codes == [403] * 10
    assert client.post("/moderate/login", data={"token": "guess-10"}).status_code == 429
    answer = client.get("/api/moderation/artworks", headers={"Authorization": "Bearer guess-11"})
    assert (answer.status_code, answer.json()["error"]) == (429, "too-many-attempts")
    assert client.get("/api/moderation/artworks", headers=BEARER).status_code == 200   # the real one works


def test_absurd_ids_on_moderation_routes_are_404s(client):
    for path in ("/api/moderation/artworks/99999999999999999999999/image",
                 "/api/moderation/artworks/-5/preview.png", "/api/moderation/artworks/0/image"):
        answer = client.get(path, headers=BEARER)
        assert answer.status_code == 404 and answer.json()["error"] == "not-found", path
    answer = client.post("/api/moderation/artworks/99999999999999999999999/approve",
                         headers={**BEARER, "X-Lightshow-Moderator": "1"})
    assert answer.status_code == 404
    answer = client.get("/api/moderation/artworks/abc/image", headers=BEARER)
    assert answer.status_code == 422 and "abc" not in answer.text          # says where, not what


def test_a_duplicate_and_a_flood_are_refused(tmp_path):
    app = create_content_app(str(tmp_path / "s"), TOKEN, rate=RateLimit(max_uploads=2))
    with TestClient(app) as client:
        assert post_work(client, picture(1)).status_code == 201
        assert post_work(client, picture(1)).json()["error"] == "duplicate"
        assert post_work(client, picture(2)).status_code == 201
        flood = post_work(client, picture(3))
        assert (flood.status_code, flood.json()["error"]) == (429, "rate-limited")


def test_a_server_that_draws_no_previews_says_so(tmp_path):
    with TestClient(create_content_app(str(tmp_path / "s"), TOKEN)) as client:
        assert post_work(client, picture(1)).status_code == 201
        answer = client.get("/api/moderation/artworks/1/preview.png", headers=BEARER)
        assert (answer.status_code, answer.json()["error"]) == (404, "no-preview")


def test_a_body_that_is_not_a_form_or_has_two_files_is_refused(client):
    assert client.post("/api/artworks", json={"title": "x"}).status_code == 415
    two = client.post("/api/artworks", files=[("file", ("a.png", picture(1), "image/png")),
                                              ("file", ("b.png", picture(2), "image/png"))],
                      data=GOOD_FIELDS)
    assert two.status_code == 400


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/moderation/artworks"), ("GET", "/api/moderation/audit"),
    ("GET", "/api/moderation/queue"), ("GET", "/api/moderation/artworks/1/image"),
    ("GET", "/api/moderation/artworks/1/preview.png"), ("POST", "/api/moderation/artworks/1/approve"),
    ("POST", "/api/moderation/artworks/1/reject"), ("POST", "/api/moderation/artworks/1/remove")])
def test_the_moderator_api_needs_the_token(app, client, method, path):
    post_work(client, picture(1))
    before = snapshot(app.state.content_store)
    assert client.request(method, path).status_code == 401
    wrong = client.request(method, path, headers={"Authorization": "Bearer not-the-token"})
    assert (wrong.status_code, wrong.json()["error"]) == (403, "wrong-token")
    client.cookies.set("lightshow_moderator", "forged")
    assert client.request(method, path).status_code == 403
    assert snapshot(app.state.content_store) == before


def test_the_moderator_signs_in_and_changes_need_the_page_s_header(app, client):
    post_work(client, picture(1))
    assert "token" in client.get("/moderate").text                   # the sign-in form
    assert client.post("/moderate/login", data={"token": "wrong-token"}).status_code == 403
    signed = client.post("/moderate/login", data={"token": TOKEN}, follow_redirects=False)
    assert signed.status_code == 303 and "httponly" in signed.headers["set-cookie"].lower()
    assert "moderate.js" in client.get("/moderate").text
    assert client.get("/api/moderation/artworks").status_code == 200
    assert client.post("/api/moderation/artworks/1/approve").status_code == 403   # no header: CSRF
    approved = client.post("/api/moderation/artworks/1/approve", headers={"X-Lightshow-Moderator": "1"})
    assert approved.json()["artwork"]["state"] == "approved"


def test_moderation_over_the_api(client):
    ids = [post_work(client, picture(i), title=f"t{i}").json()["id"] for i in range(3)]
    preview = client.get(f"/api/moderation/artworks/{ids[0]}/preview.png", headers=BEARER)
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")
    assert client.post(f"/api/moderation/artworks/{ids[0]}/approve", headers=BEARER).status_code == 200
    refused = client.post(f"/api/moderation/artworks/{ids[1]}/reject", headers=BEARER, json={})
    assert refused.status_code == 422
    assert client.post(f"/api/moderation/artworks/{ids[1]}/reject", headers=BEARER,
                       json={"reason": "blurry"}).json()["artwork"]["reason"] == "blurry"
    assert client.get(f"/api/moderation/artworks/{ids[1]}/image", headers=BEARER).status_code == 410
    queue = client.get("/api/moderation/queue", headers=BEARER).json()["upcoming"]
    assert [w["id"] for w in queue] == [ids[0]]
    actions = [e["action"] for e in client.get("/api/moderation/audit", headers=BEARER).json()["entries"]]
    assert actions[:2] == ["rejected", "approved"]


def test_pages_are_chinese_first_carry_no_data_and_allow_only_own_scripts(client):
    page = client.get("/submit")
    assert page.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
    assert page.text.index("把你的作品") < page.text.index("Light up")
    assert "<script>" not in page.text and 'src="submit.js"' in page.text
    layout = client.get("/api/facade-layout").json()
    assert layout["size_m"][0] > 100 and len(layout["xy_u16"]) > 1000


# -- end to end in a real browser against a real server ---------------------------------------

@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def test_submit_on_the_page_then_approve_on_the_moderator_page(tmp_path, browser):
    title = '红色长江 & "Red river" \'1\''
    with ContentServer(tmp_path / "store") as server:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{server.url}/submit")
        # a hostile file first: the reason is shown on the page
        page.set_input_files("#file", {"name": "evil.png", "mimeType": "image/png",
                                       "buffer": b"<html><script>alert(1)</script></html>"})
        page.fill("#title", "x")
        page.check("#consent")
        page.click("#send")
        page.wait_for_selector("#result.error")
        assert "HTML" in page.text_content("#result") and "PNG" in page.text_content("#result")
        # then the real work, previewed on the facades before sending
        page.set_input_files("#file", {"name": "red.png", "mimeType": "image/png",
                                       "buffer": picture(250)})       # (250, 0, 77)
        page.wait_for_function("""() => { const c = document.getElementById('preview');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 30) return true;
            return false; }""")
        page.fill("#title", title)
        page.fill("#name", "王 <b>")                         # refused: markup in the name
        page.fill("#city", "武汉")
        page.check("#consent")
        page.click("#send")
        page.wait_for_function("() => document.getElementById('result').textContent.includes('<')")
        assert "name" in page.text_content("#result")
        page.fill("#name", "王小明")
        page.click("#send")
        page.wait_for_selector("#result.ok")
        assert re.search(r"编号 \d+", page.text_content("#result"))

        mod = browser.new_page()
        mod.on("pageerror", lambda exc: errors.append(str(exc)))
        mod.goto(f"{server.url}/moderate")
        mod.fill("#token", TOKEN)
        mod.click("#login")
        card = mod.wait_for_selector(".card")
        assert card.query_selector(".title").text_content() == title          # shown as text
        mod.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0", timeout=60000)
        assert mod.evaluate("() => document.querySelector('img.preview').naturalWidth") == 960
        card.query_selector("button.approve").click()
        mod.wait_for_function("() => document.getElementById('audit').textContent.includes('approved')")
        assert title in mod.text_content("#queue")
        assert errors == []

        queue = httpx.get(f"{server.url}/api/moderation/queue", headers=BEARER).json()["upcoming"]
        assert [(w["title"], w["name"], w["city"], w["state"]) for w in queue] == [
            (title, "王小明", "武汉", "approved")]
        served = httpx.get(f"{server.url}/api/moderation/artworks/{queue[0]['id']}/preview.png", headers=BEARER)
        drawn = riverfront_preview()(decode_artwork(picture(250)))         # the simulator's, in this process
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(served.content))),
                              np.asarray(Image.open(io.BytesIO(drawn))))
