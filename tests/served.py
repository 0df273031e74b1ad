"""An ASGI app served by uvicorn on a thread of the test, on a loopback address and a free port."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import uvicorn

from tests.control.test_http_control import free_port


@contextmanager
def served(app, host: str = "127.0.0.1", **config):
    """Yields the port ``app`` answers on at ``host`` until the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=5)
