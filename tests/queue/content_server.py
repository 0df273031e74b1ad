"""A real content server for tests: ``python3 -m lightshow queue serve`` in a subprocess on 127.0.0.1."""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import httpx

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "moderator-token-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ContentServer:
    def __init__(self, store_dir, rate: int = 100_000):
        self.store_dir = str(store_dir)
        self.rate = rate
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 30.0) -> "ContentServer":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lightshow", "queue", "serve", "--store", self.store_dir,
             "--port", str(self.port), "--token", TOKEN, "--rate", str(self.rate),
             "--rig", str(PACKAGE_ROOT / "shows" / "riverfront.rig.yaml")],
            cwd=str(PACKAGE_ROOT), env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/submit", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "ContentServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

