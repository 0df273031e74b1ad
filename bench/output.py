"""Art-Net output throughput on loopback: our sender, a bare sendto loop, stupidArtnet.

A receiver process drains the socket.  For each sender the benchmark finds the
most universes for which 44 consecutive frames each go out within the 44 fps
frame period (22.7 ms) with every universe changing every frame, then runs our
sender on its drift-free clock for a few seconds and reports frame-start jitter.

Last line: ``output: <u> universes at 44 fps, <r> of raw sendto, <k>x stupidArtnet,
jitter p99 <j> ms``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import multiprocessing
import socket
import time

import numpy as np

from lightshow.adapters.artnet_sender import ArtNetSender
from lightshow.protocol.artnet import build_artdmx

FPS = 44.0
PERIOD_S = 1.0 / FPS


def drain(port_queue) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    port_queue.put(sock.getsockname()[1])
    while True:
        sock.recv(2048)


def frames_for(n_universes: int, n_frames: int) -> np.ndarray:
    rng = np.random.default_rng(n_universes)
    return rng.integers(0, 256, (n_frames, n_universes, 512), dtype=np.uint8)


def ours(port: int):
    def run(n: int, data: np.ndarray) -> list[float]:
        with ArtNetSender(list(range(n)), [[("127.0.0.1", port)]] * n) as sender:
            times = []
            for k, frame in enumerate(data):
                start = time.perf_counter()
                sender.send_frame(frame, now_s=k * PERIOD_S)
                times.append(time.perf_counter() - start)
        return times
    return run


def raw(port: int):
    def run(n: int, data: np.ndarray) -> list[float]:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
        address = ("127.0.0.1", port)
        prebuilt = [[build_artdmx(u, frame[u], sequence=1) for u in range(n)] for frame in data[:2]]
        times = []
        for k in range(len(data)):
            packets = prebuilt[k % 2]
            start = time.perf_counter()
            for packet in packets:
                sock.sendto(packet, address)
            times.append(time.perf_counter() - start)
        sock.close()
        return times
    return run


def stupid(port: int):
    from stupidArtnet import StupidArtnet

    def run(n: int, data: np.ndarray) -> list[float]:
        nodes = [StupidArtnet("127.0.0.1", u, 512, 44, port=port) for u in range(n)]
        times = []
        for frame in data:
            start = time.perf_counter()
            for u, node in enumerate(nodes):
                node.set(frame[u])
                node.show()
            times.append(time.perf_counter() - start)
        for node in nodes:
            node.close()
        return times
    return run


def sustained(run, low: int = 50, high: int = 20000, frames: int = 44) -> int:
    """Most universes whose every frame goes out within the period (bisection)."""
    def ok(n: int) -> bool:
        return max(run(n, frames_for(n, frames))) <= PERIOD_S
    if not ok(low):
        return 0
    while high - low > max(10, low // 50):
        middle = (low + high) // 2
        if ok(middle):
            low = middle
        else:
            high = middle
    return low


def jitter(port: int, n_universes: int, seconds: float) -> np.ndarray:
    """Frame-start lateness (s) of our sender on absolute deadlines."""
    data = frames_for(n_universes, 2)
    lateness = []
    with ArtNetSender(list(range(n_universes)), [[("127.0.0.1", port)]] * n_universes) as sender:
        t0 = time.monotonic()
        for k in range(int(seconds * FPS)):
            deadline = t0 + k * PERIOD_S
            wait = deadline - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            lateness.append(time.monotonic() - deadline)
            sender.send_frame(data[k % 2], now_s=deadline)
    return np.array(lateness)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jitter-universes", type=int, default=512)
    parser.add_argument("--jitter-seconds", type=float, default=10.0)
    args = parser.parse_args()
    ports = multiprocessing.Queue()
    receiver = multiprocessing.Process(target=drain, args=(ports,), daemon=True)
    receiver.start()
    port = ports.get(timeout=10)
    try:
        results = {name: sustained(make(port)) for name, make in
                   (("lightshow", ours), ("raw sendto", raw), ("stupidArtnet", stupid))}
        late = jitter(port, args.jitter_universes, args.jitter_seconds) * 1000
    finally:
        receiver.terminate()
    for name, universes in results.items():
        print(f"{name}: {universes} universes at 44 fps "
              f"({universes * FPS:,.0f} packets/s, every frame within {PERIOD_S * 1000:.1f} ms)")
    print(f"lightshow frame-start lateness at {args.jitter_universes} universes, "
          f"{args.jitter_seconds:g} s: p50 {np.percentile(late, 50):.3f} ms, "
          f"p99 {np.percentile(late, 99):.3f} ms, max {late.max():.3f} ms")
    ratio = results["lightshow"] / max(results["raw sendto"], 1)
    versus = results["lightshow"] / max(results["stupidArtnet"], 1)
    print(f"output: {results['lightshow']} universes at 44 fps, {ratio:.2f} of raw sendto, "
          f"{versus:.1f}x stupidArtnet, jitter p99 {np.percentile(late, 99):.2f} ms")


if __name__ == "__main__":
    main()
