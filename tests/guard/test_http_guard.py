"""The HTTP edge of the operator app: tokens before bodies, bounded bodies, throttled guessing,
security headers, and every bad request a 4xx with a reason."""

import json

import pytest
from fastapi.testclient import TestClient

from lightshow.control.http_control import create_app
from lightshow.errors import LightshowError
from lightshow.guard.http_guard import MAX_CONTROL_BODY_BYTES, operator_command
from lightshow.guard.peer_limit import PeerLimit
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(sim_show):
    player = open_player(load_show(sim_show), None, [])
    with TestClient(create_app(player, TOKEN)) as client:
        yield client
    player.close()


def test_only_operator_commands_need_the_operator_token():
    assert operator_command("POST", "/api/master") and operator_command("POST", "/api/goto/cue/x")
    assert not operator_command("GET", "/api/status")
    assert not operator_command("POST", "/api/artworks")                  # the queue has its own rules
    assert not operator_command("POST", "/api/moderation/artworks/1/approve")


def test_a_huge_body_without_the_token_is_refused_before_it_is_read(client):
    calls = []

    def body():                                  # streamed: counts how much the server asked for
        for _ in range(20):
            calls.append(1)
            yield b"[" * (1024 * 1024)
    response = client.post("/api/master", content=body(), headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and "valid token" in response.json()["detail"]
    assert len(calls) <= 2                       # refused on its headers, not after 20 MB


def test_bodies_of_commands_are_small(client):
    big = json.dumps({"level": 0.5, "pad": "x" * (MAX_CONTROL_BODY_BYTES + 10)})
    response = client.post("/api/master", content=big, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413 and "at most 4096 bytes" in response.json()["detail"]

    def chunked():                               # no length declared: cut off as it streams
        yield b'{"level": 0.5, "pad": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'
    response = client.post("/api/master", content=chunked(), headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("raw", ['{"level": NaN}', '{"level": Infinity}', '{"level": 1e999}',
                                 '{"level": -Infinity, "fade_s": 1}', '{"level": 0.5, "fade_s": NaN}'])
def test_non_finite_numbers_are_a_422_that_does_not_echo_them(client, raw):
    response = client.post("/api/master", content=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and all(set(problem) == {"field", "problem"} for problem in detail)
    assert "input" not in response.text and "NaN" not in response.text and "inf" not in response.text.lower()


def test_wrong_tokens_are_throttled_per_address(client):
    codes = [client.post("/api/play", headers={"Authorization": f"Bearer guess-{n}"}).status_code
             for n in range(14)]
    assert codes[:10] == [401] * 10 and codes[-1] == 429
    assert client.post("/api/play", headers={"Authorization": "Bearer wrong"}).headers["retry-after"] == "60"
    assert client.post("/api/play", headers=AUTH).status_code == 200        # the right token still works


def test_every_response_carries_security_headers(client):
    for response in (client.get("/"), client.get("/api/status"), client.post("/api/play")):
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = client.get("/").text
    assert "<script src=\"/operator.js\"></script>" in page and "<script>" not in page   # CSP: no inline
    assert "URLSearchParams" not in client.get("/operator.js").text                       # no token in URLs


def test_the_operator_token_must_be_of_reasonable_strength(sim_show):
    player = open_player(load_show(sim_show), None, [])
    with pytest.raises(LightshowError, match="at least 8 characters"):
        create_app(player, "t")
    player.close()


def test_a_peer_limit_refills_at_its_rate_and_forgets_quiet_peers():
    limit = PeerLimit(rate_per_s=2.0, burst=3.0, max_peers=2)
    assert [limit.allow("a", 0.0) for _ in range(4)] == [True, True, True, False]
    assert limit.allow("a", 0.5) and not limit.allow("a", 0.5)              # one token back per 0.5 s
    limit.allow("b", 1.0)
    limit.allow("c", 1.0)                                                     # "a" is forgotten
    assert [limit.allow("a", 1.0) for _ in range(4)] == [True, True, True, False]
