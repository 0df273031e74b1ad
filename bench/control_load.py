"""Control-plane load against a playing show: does the output keep its frame timing?

A real ``lightshow serve`` process plays a compiled show of 513 universes at 40 fps to a
port on loopback, where Wireshark's ``dumpcap`` captures, with a kernel filter, every
ArtSync (one per frame) and every ArtDmx of universe 0, stamped by the kernel (a Python
receiver drops packets at 20,000 a second, and dropped ArtSyncs would look like gaps).
While it plays, in turn, for ``--phase-s`` seconds each:

1. 50,000 OSC packets a second from one allowed sender (``/lightshow/loop 1``: accepted,
   applied, changing nothing the prober watches);
2. 1,000 concurrent ``GET /api/status`` requests, over and over;
3. 100 WebSocket clients on the status stream;
4. a 50 MB body, with the token and without it, a few times;
5. 10 slow-loris connections dribbling their headers a byte at a time.

All the while a prober, from addresses of its own, toggles the grand master between 1 and
0.5 every 0.25 s, by HTTP and by OSC in turn, and universe 0 shows when each command took
effect.  (Not down to 0: a dark frame that does not change is not sent again, so there
would be no ArtSync to time.)  Reported: frame gaps longer than two periods (and the longest gap)
in each phase
and overall, and the command-to-output latency (p50/p99) overall.

``serve`` latches each frame: its ArtSync goes 3 ms after the frame is due (nodes that sync show
the frame then), from an output clock at real-time priority where the system permits it; the gaps
are between ArtSyncs, so they measure that moment.  ``--serve-args '--sync-latch 0 --no-realtime'``
measures the output as it was before (ArtSync right after the universes, normal priority).

Last line: ``control-load: <g> frame gaps > 2 periods, max gap <m> ms, control p99 <c> ms``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import asyncio
import http.client
import importlib.util
import json
import multiprocessing
import pathlib
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time

import numpy as np
from pythonosc.osc_message_builder import OscMessageBuilder

REPO = pathlib.Path(__file__).resolve().parents[1]
FPS = 40
TOKEN = "bench-control-token"
PROBE_EVERY_S = 0.25


def _playback_bench():
    """bench/playback.py's project writer (one copy of it)."""
    spec = importlib.util.spec_from_file_location("bench_playback", REPO / "bench" / "playback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def osc(address: str, *args) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(port: int, path: str, body: dict, source: str = "127.0.0.1") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=(source, 0))
    try:
        connection.request("POST", path, json.dumps(body), {"Authorization": f"Bearer {TOKEN}",
                                                            "Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


# -- the loads ----------------------------------------------------------------------------------
def osc_flood(osc_port: int, seconds: float, rate: int = 50_000) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.2", 0))
    packet, sent, start = osc("/lightshow/loop", 1), 0, time.monotonic()    # harmless: looping already
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * rate)
        while sent < due:
            sock.sendto(packet, ("127.0.0.1", osc_port))
            sent += 1
        time.sleep(0.001)
    sock.close()
    return sent


async def _status_requests(http_port: int, seconds: float, concurrent: int = 1000) -> int:
    done, end = 0, time.monotonic() + seconds

    async def request() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", http_port)
        writer.write(b"GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await writer.drain()
        await reader.read()
        writer.close()

    async def one() -> None:
        nonlocal done
        while (left := end - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(request(), timeout=left)      # a connection the server keeps
                done += 1                                            # waiting ends with the phase
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.05)
    await asyncio.gather(*(one() for _ in range(concurrent)))
    return done


async def _websockets(http_port: int, seconds: float, clients: int = 100) -> int:
    import websockets

    received = 0

    async def one() -> None:
        nonlocal received
        try:
            async with websockets.connect(f"ws://127.0.0.1:{http_port}/api/status/ws") as ws:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    try:
                        await asyncio.wait_for(ws.recv(), timeout=1.0)
                        received += 1
                    except asyncio.TimeoutError:
                        pass
        except (OSError, websockets.exceptions.WebSocketException):
            pass
    await asyncio.gather(*(one() for _ in range(clients)))
    return received


def big_bodies(http_port: int, seconds: float, size: int = 50 * 1024 * 1024) -> list[str]:
    outcomes, end, chunk = [], time.monotonic() + seconds, b"[" * (1024 * 1024)
    while time.monotonic() < end:
        for token in (TOKEN, None):
            sock = socket.create_connection(("127.0.0.1", http_port))
            head = (f"POST /api/master HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {size}\r\n" + (f"Authorization: Bearer {token}\r\n" if token else "")
                    + "\r\n").encode()
            sent = 0
            try:
                sock.sendall(head)
                sock.settimeout(0.05)
                while sent < size:
                    try:
                        if sock.recv(1, socket.MSG_PEEK):
                            break                       # answered before the body was sent
                    except socket.timeout:
                        pass
                    sock.sendall(chunk)
                    sent += len(chunk)
                sock.settimeout(5)
                status = sock.recv(64).split(b" ")[1].decode()
            except OSError as exc:
                status = f"closed ({exc.__class__.__name__})"
            finally:
                sock.close()
            outcomes.append(f"{status} after {sent / 1e6:.0f} MB")
        time.sleep(0.5)
    return outcomes


def slow_loris(http_port: int, seconds: float, connections: int = 10) -> int:
    socks = [socket.create_connection(("127.0.0.1", http_port)) for _ in range(connections)]
    request = b"GET /api/status HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    at, end = 0, time.monotonic() + seconds
    closed = 0
    while time.monotonic() < end:
        for sock in list(socks):
            try:
                sock.send(request[at:at + 1])
            except OSError:
                socks.remove(sock)
                closed += 1
        at += 1
        time.sleep(0.2)
    for sock in socks:
        sock.close()
    return closed


# -- the probe ----------------------------------------------------------------------------------
def probe(http_port: int, osc_port: int, stop: threading.Event, commands: list) -> None:
    """Toggle the master every PROBE_EVERY_S, by HTTP and OSC in turn, from addresses of its own.
    HTTP goes over one kept-alive connection, as the operator page's browser sends it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.3", 0))
    page = None
    level, n = 1.0, 0
    while not stop.wait(PROBE_EVERY_S):
        level = 0.5 if level == 1.0 else 1.0
        sent_at = time.time()
        if n % 2:
            sock.sendto(osc("/lightshow/master", level), ("127.0.0.1", osc_port))
        else:
            try:
                page = page or http.client.HTTPConnection("127.0.0.1", http_port, timeout=5,
                                                          source_address=("127.0.0.4", 0))
                page.request("POST", "/api/master", json.dumps({"level": level}),
                             {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
                page.getresponse().read()
            except (OSError, http.client.HTTPException):
                page = None                     # closed by the server: a new one next time
        commands.append((sent_at, round(255 * level), "osc" if n % 2 else "http"))
        n += 1
    sock.close()


def capture(port: int, path: pathlib.Path) -> subprocess.Popen:
    """dumpcap on loopback: ArtSync (opcode 0x5200) and ArtDmx of universe 0 to ``port``."""
    art_net = (f"udp dst port {port} and (udp[16:2] = 0x0052 or "
               f"(udp[16:2] = 0x0050 and udp[22:2] = 0x0000))")
    return subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", art_net, "-B", "64", "-P",
                             "-w", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_capture(path: pathlib.Path) -> tuple[list[tuple[float, int]], list[float]]:
    """(arrival, first DMX value) of universe 0 and the ArtSync arrivals, from a classic pcap file."""
    data = path.read_bytes()
    little = data[:4] == b"\xd4\xc3\xb2\xa1"
    endian = "<" if little else ">"
    link = struct.unpack_from(endian + "I", data, 20)[0]
    ip_at = {1: 14, 0: 4, 113: 16, 276: 20}.get(link, 14)   # Ethernet, BSD loopback, cooked v1/v2
    values, syncs, at = [], [], 24
    while at + 16 <= len(data):
        seconds, micros, length, _ = struct.unpack_from(endian + "IIII", data, at)
        packet = data[at + 16:at + 16 + length]
        at += 16 + length
        arrived = seconds + micros * 1e-6
        udp = packet[ip_at + (packet[ip_at] & 0x0F) * 4:] if len(packet) > ip_at else b""
        payload = udp[8:]
        if payload[8:10] == b"\x00\x52":
            syncs.append(arrived)
        elif payload[8:10] == b"\x00\x50" and len(payload) > 18:
            values.append((arrived, payload[18]))
    return values, syncs


def in_own_process(load) -> str:
    """Run ``load`` in a forked process (not sharing the prober's interpreter); its summary line."""
    context = multiprocessing.get_context("fork")
    summary = context.Queue()
    worker = context.Process(target=lambda: summary.put(load()))
    worker.start()
    line = summary.get()
    worker.join()
    return line


def gaps_ms(syncs: np.ndarray, start: float, stop: float) -> np.ndarray:
    inside = syncs[(syncs >= start) & (syncs < stop)]
    return np.diff(inside) * 1000 if len(inside) > 1 else np.zeros(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--universes", type=int, default=513)
    parser.add_argument("--phase-s", type=float, default=5.0)
    parser.add_argument("--serve-args", default="", metavar="ARGS",
                        help="more arguments for serve, e.g. '--sync-latch 0 --no-realtime' for the "
                             "output as it was before serve latched its frames at real-time priority")
    args = parser.parse_args()
    playback = _playback_bench()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="lightshow-control-load-"))
    phases = ["quiet", "osc flood", "1000 status requests", "100 websockets", "50 MB bodies", "slow loris",
              "quiet after"]
    total_s = args.phase_s * len(phases) + 10
    if not shutil.which("dumpcap"):
        raise SystemExit("needs Wireshark's dumpcap (Debian: tshark) to capture on loopback")
    try:
        show_path = playback.write_project(folder, args.universes, total_s + 30)
        compiled = folder / "show.fseq"
        subprocess.run([sys.executable, "-m", "lightshow", "compile", str(show_path), "-o", str(compiled),
                        "-q"], check=True, cwd=folder)
        artnet_port, http_port, osc_port = free_port(), free_port(), free_port()
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)     # a port that is open, read by nobody
        sink.bind(("127.0.0.1", artnet_port))
        capturing = capture(artnet_port, folder / "capture.pcap")
        time.sleep(1.0)
        server = subprocess.Popen(
            [sys.executable, "-m", "lightshow", "serve", str(show_path), "--compiled", str(compiled),
             "--to", "127.0.0.1", "--port", str(artnet_port), "--bind", "127.0.0.1",
             "--http-port", str(http_port), "--osc-port", str(osc_port), "--token", TOKEN,
             "--allow", "127.0.0.0/8", "--stop-fade", "0", *args.serve_args.split()], cwd=folder)
        deadline = time.monotonic() + 120
        while True:
            try:
                if post(http_port, "/api/loop", {"on": True}) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        post(http_port, "/api/play", {})
        time.sleep(2.0)                                            # settle
        stop, commands = threading.Event(), []
        prober = threading.Thread(target=probe, args=(http_port, osc_port, stop, commands), daemon=True)
        prober.start()
        spans, notes = [], []
        loads = {
            "osc flood": lambda: f"{osc_flood(osc_port, args.phase_s):,} OSC packets sent",
            "1000 status requests":
                lambda: f"{asyncio.run(_status_requests(http_port, args.phase_s)):,} status responses",
            "100 websockets":
                lambda: f"{asyncio.run(_websockets(http_port, args.phase_s)):,} status messages received",
            "50 MB bodies": lambda: "50 MB bodies: " + ", ".join(big_bodies(http_port, args.phase_s)),
            "slow loris": lambda: f"slow loris: {slow_loris(http_port, args.phase_s)} of 10 connections "
                                  "closed by the server",
        }
        for name in phases:
            began = time.time()
            if name in loads:                  # in a process of its own: the prober keeps its pace
                notes.append(in_own_process(loads[name]))
            else:
                time.sleep(args.phase_s)
            spans.append((name, began, time.time()))
        stop.set()
        prober.join()
        time.sleep(0.5)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        capturing.send_signal(signal.SIGINT)
        capturing.wait(timeout=30)
        sink.close()
        values, syncs = read_capture(folder / "capture.pcap")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    syncs = np.array(syncs)
    period_ms = 1000 / FPS
    all_gaps = []
    for note in notes:
        print(note)
    for name, began, ended in spans:
        gaps = gaps_ms(syncs, began, ended)
        all_gaps.append(gaps)
        print(f"{name:>22}: {len(gaps) + 1} frames, {int((gaps > 2 * period_ms).sum())} gaps > 2 periods, "
              f"max gap {gaps.max(initial=0):.1f} ms")
    arrivals = np.array([t for t, _ in values])
    firsts = np.array([v for _, v in values])
    latencies = {"http": [], "osc": []}
    by_phase: dict[str, dict[str, list[float]]] = {name: {"http": [], "osc": []} for name, _, _ in spans}
    for sent_at, value, way in commands:
        after = np.flatnonzero((arrivals > sent_at) & (firsts == value))
        if len(after):
            latency_ms = (arrivals[after[0]] - sent_at) * 1000
            latencies[way].append(latency_ms)
            phase = next((name for name, began, ended in spans if began <= sent_at < ended), None)
            if phase:
                by_phase[phase][way].append(latency_ms)
    for name, ways in by_phase.items():
        print(f"{name:>22}: commands applied " + "; ".join(
            f"{way} p50 {np.percentile(found, 50):.1f} ms, max {max(found):.1f} ms ({len(found)})"
            for way, found in ways.items() if found))
    both = np.array(latencies["http"] + latencies["osc"])
    for way, found in latencies.items():
        found = np.array(found)
        print(f"{way} commands applied: {len(found)}, p50 {np.percentile(found, 50):.1f} ms, "
              f"p99 {np.percentile(found, 99):.1f} ms")
    gaps = np.concatenate(all_gaps)
    print(f"control-load: {int((gaps > 2 * period_ms).sum())} frame gaps > 2 periods, max gap "
          f"{gaps.max(initial=0):.1f} ms, control p99 {np.percentile(both, 99):.1f} ms")


if __name__ == "__main__":
    main()
