"""A client that dribbles its request is cut off; one that asks properly is served, and kept alive."""

import socket
import threading
import time

import pytest
import uvicorn

from lightshow.guard.slow_clients import HeaderDeadlineProtocol
from tests.control.test_http_control import free_port


class QuickDeadline(HeaderDeadlineProtocol):
    header_deadline_s = 0.5


async def hello(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def server():
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(hello, host="127.0.0.1", port=port, log_level="warning",
                                           http=QuickDeadline, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(timeout=5)


def test_a_slow_loris_is_closed_at_the_deadline(server):
    sock = socket.create_connection(("127.0.0.1", server))
    sock.settimeout(3)
    began = time.monotonic()
    closed_after = None
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa":
        try:
            sock.send(bytes([byte]))
            time.sleep(0.05)
        except OSError:
            closed_after = time.monotonic() - began
            break
        sock.setblocking(False)
        try:
            if sock.recv(1) == b"":
                closed_after = time.monotonic() - began
                break
        except BlockingIOError:
            pass
        finally:
            sock.setblocking(True)
            sock.settimeout(3)
    sock.close()
    assert closed_after is not None and 0.4 <= closed_after < 1.5


def test_a_prompt_client_is_served_and_its_keep_alive_survives_the_deadline(server):
    sock = socket.create_connection(("127.0.0.1", server))
    sock.settimeout(3)
    for _ in range(2):
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while not answer.endswith(b"ok"):
            answer += sock.recv(1024)
        assert answer.startswith(b"HTTP/1.1 200")
        time.sleep(0.3)                                   # idle between requests, within the deadline
    sock.close()
