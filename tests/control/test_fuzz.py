"""Junk at the control plane: whatever OSC datagrams and HTTP requests arrive, nothing is a 5xx or
a dead thread, and control still works afterwards."""

import socket
import struct
import time

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pythonosc.osc_message_builder import OscMessageBuilder

from lightshow.control.http_control import create_app
from lightshow.control.osc_control import OscControl
from lightshow.load.project import load_show
from lightshow.playback.show_player import open_player

TOKEN = "fuzz-token-1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ADDRESSES = ["/lightshow/play", "/lightshow/master", "/lightshow/seek", "/lightshow/goto/cue",
             "/lightshow/goto/chapter", "/lightshow/rate", "/lightshow/blackout", "/lightshow/subscribe",
             "/lightshow/unsubscribe", "/lightshow/group/pixels/intensity", "/lightshow/freeze", "/x"]
# An OSC string cannot hold NUL (it ends the string); raw junk with NULs comes from st.binary below.
OSC_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=20)
ARGS = st.one_of(st.integers(-2**31, 2**31 - 1), st.floats(width=32, allow_nan=True), OSC_TEXT,
                 st.binary(min_size=1, max_size=16), st.booleans())


def osc_message(address: str, args: list) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


OSC_JUNK = st.one_of(
    st.binary(max_size=128),                                                   # anything at all
    st.builds(osc_message, st.sampled_from(ADDRESSES), st.lists(ARGS, max_size=4)),   # well-formed, odd values
    st.builds(lambda size, tail: b"#bundle\x00" + b"\x00" * 7 + b"\x01" + struct.pack(">i", size) + tail,
              st.integers(-2**31, 2**31 - 1), st.binary(max_size=32)),       # bundles with any element size
)


@pytest.fixture(scope="module")
def playing(tmp_path_factory):
    from tests.projects import SIM_RIG, SIM_SHOW, RGB_PIXEL_BAR, RGBW_PIXEL_BAR, ProjectDir
    from tests.core.test_render import MOVER

    root = tmp_path_factory.mktemp("fuzz")
    project = ProjectDir(root)
    project.fixture("bar8", RGB_PIXEL_BAR.format(n=8))
    project.fixture("rgbw4", RGBW_PIXEL_BAR.format(n=4))
    project.fixture("mover", MOVER)
    project.rig(SIM_RIG)
    player = open_player(load_show(str(project.show(SIM_SHOW))), None, [])
    player.start()
    yield player
    player.close()


@pytest.fixture(scope="module")
def osc(playing):
    control = OscControl(playing, "127.0.0.1", 0).start()
    yield control
    control.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(datagrams=st.lists(OSC_JUNK, min_size=1, max_size=8))
def test_osc_junk_never_stops_the_server(playing, osc, datagrams):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.bind(("127.0.0.5", 0))
        for datagram in datagrams:
            sender.sendto(datagram, osc.address)
    assert osc._thread.is_alive()


def test_after_the_osc_junk_control_still_works(playing, osc):
    time.sleep(0.3)                                    # the junk drained
    assert osc._thread.is_alive() and osc.faults == 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.bind(("127.0.0.6", 0))
        sender.sendto(osc_message("/lightshow/master", [0.25]), osc.address)
    deadline = time.monotonic() + 2
    while playing.status()["master"] != 0.25:
        assert time.monotonic() < deadline, "the master command was not applied"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def http(playing):
    with TestClient(create_app(playing, TOKEN)) as client:
        yield client


PATHS = st.one_of(st.sampled_from(["/api/play", "/api/master", "/api/seek", "/api/rate", "/api/blackout",
                                   "/api/goto/cue/", "/api/goto/chapter/", "/api/groups/pixels/intensity",
                                   "/api/status", "/api/show", "/", "/operator.js", "/docs"]),
                  st.text(alphabet="/abcdefghijklmnopqrstuvwxyz0123456789%.-_~", max_size=40).map(lambda p: "/" + p))
BODIES = st.one_of(st.binary(max_size=64), st.text(max_size=64).map(str.encode),
                   st.dictionaries(st.sampled_from(["level", "fade_s", "on", "time_s", "rate"]),
                                   st.one_of(st.floats(), st.integers(), st.text(max_size=5), st.none(),
                                             st.booleans()), max_size=3)
                   .map(lambda d: repr(d).replace("'", '"').replace("None", "null").replace("True", "true")
                        .replace("False", "false").replace("inf", "Infinity").encode()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]), path=PATHS, body=BODIES,
       tail=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=12), token=st.booleans())
def test_http_junk_is_never_a_server_error(http, method, path, body, tail, token):
    headers = {"Content-Type": "application/json", **(AUTH if token else {})}
    answer = http.request(method, path + tail if path.endswith("/") else path, content=body, headers=headers)
    assert answer.status_code < 500 or answer.status_code == 503, (method, path, body, answer.text[:200])


def test_after_the_http_junk_control_still_works(http, playing):
    answer = http.post("/api/master", json={"level": 0.75}, headers=AUTH)
    assert answer.status_code == 200 and playing.status()["master"] == 0.75
