"""Real lightshow processes on loopback for the MultiSync tests and bench: a master, remotes that
each output one controller's universes, and a UDP receiver per remote stamping arrivals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from lightshow.errors import FormatError
from lightshow.output.udp_listener import SO_TIMESTAMPNS, ArrivalClock
from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_timecode import ArtTimeCode

REPO = Path(__file__).resolve().parents[2]
OP_DMX = (0x5000).to_bytes(2, "little")
OP_SYNC = (0x5200).to_bytes(2, "little")


class StampingReceiver:
    """Keeps, per arriving datagram, its arrival time on the monotonic clock as the kernel stamped
    it (SO_TIMESTAMPNS: on loopback, while the sender's sendto runs; the reading thread, which
    shares an interpreter lock with the other receivers, may get to it milliseconds later): ArtDmx
    universes seen, and the first arrival of each ArtTimeCode label (the show frame it marks) with
    the arrivals of the first and last ArtDmx the sender sent before it (its frame's packets)."""

    def __init__(self, ip: str, port: int = 0, keep_dmx: bool = False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind((ip, port))
        self.sock.settimeout(0.1)
        self.ip, self.port = ip, self.sock.getsockname()[1]
        self.universes: set[int] = set()
        self.labels: dict[tuple, float] = {}          # (h, m, s, f) -> first arrival
        self.frames: dict[tuple, tuple[float, float]] = {}   # label -> (first, last) ArtDmx before it
        self.last_label_s: float | None = None
        self.dmx = 0
        self.keep_dmx = keep_dmx
        self.dmx_log: list[tuple[float, int, bytes]] = []
        self._burst: list[float] | None = None        # [first, last] ArtDmx since the last ArtSync
        self._frame: list[float] | None = None        # the frame's ArtDmx that the last ArtSync closed
        self._clock = ArrivalClock()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._halt.is_set():
            try:
                data, ancillary, _, _ = self.sock.recvmsg(2048, 64)
            except (socket.timeout, OSError):
                continue
            now = self._clock.monotonic_of(ancillary)
            opcode = data[8:10] if data[:8] == b"Art-Net\0" else None
            if opcode == OP_DMX and not self.keep_dmx and len(data) >= 18:    # the hot path, unparsed
                self.dmx += 1
                self.universes.add(data[14] | data[15] << 8)
                self._burst = [now, now] if self._burst is None else [self._burst[0], now]
                continue
            if opcode == OP_SYNC:                   # the end of a frame's ArtDmx
                self._frame, self._burst = self._burst, None
                continue
            try:
                packet = parse_packet(data)
            except FormatError:
                continue
            if isinstance(packet, ArtDmx):
                self.dmx += 1
                self.universes.add(packet.port_address)
                self._burst = [now, now] if self._burst is None else [self._burst[0], now]
                self.dmx_log.append((now, packet.port_address, bytes(packet.data)))
            elif isinstance(packet, ArtTimeCode):
                label = (packet.hours, packet.minutes, packet.seconds, packet.frames)
                if label not in self.labels:
                    self.labels[label] = now
                    if self._frame is not None:
                        self.frames[label] = (self._frame[0], self._frame[1])
                self._frame = None
                self.last_label_s = now

    def reset(self) -> None:
        """Forget the labels seen: a new phase (a master started again plays the same labels)."""
        self.labels, self.frames = {}, {}

    def labels_since(self, since_s: float) -> dict[tuple, float]:
        return {label: t for label, t in list(self.labels.items()) if t >= since_s}

    def close(self) -> None:
        self._halt.set()
        self._thread.join(timeout=2)
        self.sock.close()


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((ip, 0))
        return probe.getsockname()[1]


class Peer:
    """``lightshow play`` in a process of its own; ``ready`` once it says it plays."""

    def __init__(self, args: list[str], cwd: str | None = None):
        env = {**os.environ, "DISPLAY": "", "WAYLAND_DISPLAY": "",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        self.started_s = time.monotonic()
        self.ready_s: float | None = None
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "lightshow", "play", *args, "--no-window",
                                         "--size", "160x90"], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)
            if self.ready_s is None and line.startswith("playing to Art-Net"):
                self.ready_s = time.monotonic()

    def wait_ready(self, timeout_s: float = 30.0) -> float:
        deadline = time.monotonic() + timeout_s
        while self.ready_s is None:
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, "not ready in time:\n" + "".join(self.lines)
            time.sleep(0.02)
        return self.ready_s

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def remote_args(show: str, index: int, sync_port: int, receiver: StampingReceiver, controller: str,
                extra: list[str] = ()) -> list[str]:
    ip = f"127.0.0.{index + 2}"
    return [show, "--to", receiver.ip, "--port", str(receiver.port), "--sync-remote", ip, "--sync-port",
            str(sync_port), "--controller", controller, "--timecode", "30", "--no-audio", *extra]


def master_args(show: str, remote_ips: list[str], sync_port: int, receiver: StampingReceiver,
                extra: list[str] = ()) -> list[str]:
    return [show, "--to", receiver.ip, "--port", str(receiver.port), "--sync-master",
            *[f"{ip}:{sync_port}" for ip in remote_ips], "--timecode", "30", "--no-audio", *extra]


def skews_s(receivers: list[StampingReceiver], since_s: float = 0.0) -> list[float]:
    """For each timecode label every receiver saw (after ``since_s``): latest minus earliest arrival."""
    seen = [r.labels_since(since_s) for r in receivers]
    common = set(seen[0]).intersection(*seen[1:])
    return [max(s[label] for s in seen) - min(s[label] for s in seen) for label in sorted(common)]
