"""tshark as an independent receiver: capture UDP on lo, then read fields through a dissector."""

import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None,
                                  reason="tshark is installed by .ci/install")


@contextmanager
def capture(path, port: int):
    tshark = subprocess.Popen(["tshark", "-i", "lo", "-f", f"udp port {port}", "-w", str(path)],
                              stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        line = ""
        while "Capture started" not in line and time.monotonic() - started < 20:
            line = tshark.stderr.readline()
        assert "Capture started" in line, "tshark did not start capturing"
        time.sleep(0.5)
        yield
        time.sleep(1.0)
    finally:
        tshark.send_signal(signal.SIGINT)
        tshark.communicate(timeout=30)


@contextmanager
def capture_to_listener(path):
    """Capture UDP to a fresh 127.0.0.1 port that a socket listens on (so no ICMP
    port-unreachable noise); yields the port."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    try:
        with capture(path, sink.getsockname()[1]):
            yield sink.getsockname()[1]
    finally:
        sink.close()


def read_fields(path, port: int, protocol: str, fields: list[str]) -> list[list[str]]:
    """``protocol`` is decoded on ``port``: Art-Net by port, ACN (E1.31) by its heuristic."""
    decode = (["--enable-heuristic", "acn", "-o", "acn.dmx_enable:TRUE"] if protocol == "acn"
              else ["-d", f"udp.port=={port},{protocol}"])
    command = ["tshark", "-r", str(path), *decode, "-T", "fields", "-E", "separator=,"]
    for field in fields:
        command += ["-e", field]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [line.split(",") for line in out.splitlines()]
