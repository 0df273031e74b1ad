"""OLA's olad as an independent Art-Net receiver: a private config, input ports patched over HTTP.

olad refuses to run as root, so as root it runs as the ``olad`` system user (Debian's package
creates it) with a config folder that user owns.  Every plugin but Art-Net is disabled; the
Art-Net plugin listens on 127.0.0.1 with loopback on.  The HTTP and RPC ports are free ones,
so a running olad elsewhere does not interfere.  ``ola_patch`` only talks to the default RPC
port (9010), so input ports are patched through olad's own HTTP API (``/new_universe``) and
values read back with ``/get_dmx``.  OLA's Art-Net port-address is (net<<8)|(subnet<<4)|(OLA
universe % 16), so OLA universe u (< 16) receives Art-Net universe u with net = subnet = 0.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

PLUGINS_OFF = ("dummy", "e131", "espnet", "ftdidmx", "gpio", "karate", "kinet", "milinst",
               "opendmx", "openpixelcontrol", "osc", "pathport", "renard", "sandnet", "shownet",
               "spi", "stageprofi", "uartdmx", "usbdmx", "usbserial")
INPUT_PORTS = 4  # an OLA Art-Net device has four input ports

needs_olad = pytest.mark.skipif(shutil.which("olad") is None,
                                reason="olad (Debian package ola) is installed by .ci/install")


def _free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Olad:
    """A running olad; ``patch`` gives OLA universes Art-Net inputs, ``dmx`` reads them."""

    def __init__(self, start_timeout_s: float = 20.0):
        self.config_dir = tempfile.mkdtemp(prefix="lightshow-olad-")  # not under a 0700 parent
        self.http_port, rpc_port = _free_tcp_port(), _free_tcp_port()
        self._write_config()
        command = ["olad", "-c", self.config_dir, "--no-register-with-dns-sd",
                   "-p", str(self.http_port), "-r", str(rpc_port)]
        if os.geteuid() == 0:
            user = pwd.getpwnam("olad")
            for name in os.listdir(self.config_dir) + [""]:
                os.chown(os.path.join(self.config_dir, name), user.pw_uid, user.pw_gid)
            command = ["runuser", "-u", "olad", "--", *command]
        self.log_path = os.path.join(self.config_dir, "olad.log")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - open while olad runs
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        self.device = self._wait_for_artnet_device(start_timeout_s)
        self.next_port = 0

    def _write_config(self) -> None:
        for plugin in PLUGINS_OFF:
            self._write(f"ola-{plugin}.conf", "enabled = false\n")
        self._write("ola-artnet.conf", "enabled = true\nip = 127.0.0.1\nuse_loopback = true\n"
                                       "net = 0\nsubnet = 0\n")

    def _write(self, name: str, text: str) -> None:
        with open(os.path.join(self.config_dir, name), "w", encoding="ascii") as out:
            out.write(text)

    def _get(self, path: str, data: dict | None = None) -> object:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = f"http://127.0.0.1:{self.http_port}{path}"
        with urllib.request.urlopen(url, body, timeout=5) as response:
            return json.loads(response.read().decode())

    def _wait_for_artnet_device(self, timeout_s: float) -> str:
        """The device alias of the Art-Net device, once olad answers on HTTP."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                ports = self._get("/json/get_ports")
            except (OSError, urllib.error.URLError, ValueError):
                time.sleep(0.1)
                continue
            for port in ports:
                if port["device"].startswith("ArtNet") and not port["is_output"]:
                    return port["id"].split("-")[0]
            time.sleep(0.1)
        self.close()
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            raise AssertionError(f"olad did not offer an Art-Net input port:\n{log.read()[-3000:]}")

    def patch(self, universe: int) -> None:
        """Art-Net universe ``universe`` (0..15) into OLA universe of the same number."""
        assert 0 <= universe < 16 and self.next_port < INPUT_PORTS
        port_id = f"{self.device}-I-{self.next_port}"
        reply = self._get("/new_universe", {"id": universe, "name": f"artnet {universe}",
                                            "add_ports": port_id})
        assert reply["ok"], reply
        self.next_port += 1

    def dmx(self, universe: int) -> list[int]:
        return self._get(f"/get_dmx?u={universe}")["dmx"]

    def wait_for(self, universe: int, expected: list[int], timeout_s: float = 5.0) -> list[int]:
        """The universe's values once they equal ``expected`` (or the last seen, at timeout)."""
        deadline = time.monotonic() + timeout_s
        seen = self.dmx(universe)
        while seen != expected and time.monotonic() < deadline:
            time.sleep(0.02)
            seen = self.dmx(universe)
        return seen

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # runuser passes it on to olad
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        shutil.rmtree(self.config_dir, ignore_errors=True)
