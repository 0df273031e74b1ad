"""Art-Net output throughput on loopback: our sender, a bare sendto loop, stupidArtnet.

A receiver process drains the socket.  For each sender the benchmark finds the
most universes for which 44 consecutive frames each go out within the 44 fps
frame period (22.7 ms) with every universe changing every frame.  A single
44-frame trial is at the mercy of the scheduler (one preemption fails it), so
each size gets ``--trials`` trials (5) and passes on the median trial: the
median over trials of the trial's slowest frame must be within the period, that
is, a majority of trials (3 of 5) send every frame in time.  A minority of
trials hit by the scheduler then fails no size, and a minority of lucky ones
passes none.  The verdict is decided lazily with the same outcome: trials stop
once a majority passed or failed, and a trial stops at its first late frame.
The three searches run in lockstep, one size of each in turn, so a noisy spell
of the machine falls on all three alike.

That figure is a worst case and still moves with the load; the one to compare
before/after on a noisy machine is CPU time.  At a fixed size
(``--cpu-universes``, 300; the anniversary show has 327) the three senders run
``--trials`` interleaved trials of ``--cpu-frames`` frames each, and the
benchmark reports the sending thread's CPU time (``time.thread_time``, user +
system) per universe-frame, min/median/max over trials.  Preemption does not
count towards it.  Ours includes packing the frame from numpy and one ArtSync
a frame; raw sendto sends prebuilt packets and is the floor.

Last, our sender runs on its drift-free clock for a few seconds and reports
frame-start jitter.

Last line: ``output: <u> universes at 44 fps, <r> of raw sendto, <k>x stupidArtnet,
cpu <a> us/universe-frame (raw sendto <b>), jitter p99 <j> ms``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place, after any
# PYTHONPATH entries, so that PYTHONPATH=/other/tree benchmarks that tree's lightshow
_pythonpath = "" if sys.flags.ignore_environment else os.environ.get("PYTHONPATH", "")
if not getattr(sys.flags, "safe_path", False):
    del sys.path[0]
sys.path.insert(len(_pythonpath.split(os.pathsep)) if _pythonpath else 0,
                os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import argparse
import gc
import math
import multiprocessing
import socket
import time

import numpy as np

from lightshow.output.artnet_sender import ArtNetSender
from lightshow.protocol.artnet_dmx import build_artdmx

FPS = 44.0
PERIOD_S = 1.0 / FPS
FRAMES = 44  # frames of one search trial


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


# Each sender: run(n, data, limit) sends the frames of ``data`` to n universes and
# returns (seconds per frame, CPU seconds of the sending thread over the loop); it stops
# after the first frame slower than ``limit``.  Setting up and closing are not timed.

def ours(port: int):
    def run(n: int, data: np.ndarray, limit: float = math.inf) -> tuple[list[float], float]:
        with ArtNetSender(list(range(n)), [[("127.0.0.1", port)]] * n) as sender:
            times = []
            cpu = time.thread_time()
            for k, frame in enumerate(data):
                start = time.perf_counter()
                sender.send_frame(frame, now_s=k * PERIOD_S)
                times.append(time.perf_counter() - start)
                if times[-1] > limit:
                    break
            cpu = time.thread_time() - cpu
        return times, cpu
    return run


def raw(port: int):
    def run(n: int, data: np.ndarray, limit: float = math.inf) -> tuple[list[float], float]:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
        address = ("127.0.0.1", port)
        prebuilt = [[build_artdmx(u, frame[u], sequence=1) for u in range(n)] for frame in data[:2]]
        times = []
        cpu = time.thread_time()
        for k in range(len(data)):
            packets = prebuilt[k % 2]
            start = time.perf_counter()
            for packet in packets:
                sock.sendto(packet, address)
            times.append(time.perf_counter() - start)
            if times[-1] > limit:
                break
        cpu = time.thread_time() - cpu
        sock.close()
        return times, cpu
    return run


def stupid(port: int):
    from stupidArtnet import StupidArtnet

    def run(n: int, data: np.ndarray, limit: float = math.inf) -> tuple[list[float], float]:
        nodes = [StupidArtnet("127.0.0.1", u, 512, 44, port=port) for u in range(n)]
        times = []
        cpu = time.thread_time()
        for frame in data:
            start = time.perf_counter()
            for u, node in enumerate(nodes):
                node.set(frame[u])
                node.show()
            times.append(time.perf_counter() - start)
            if times[-1] > limit:
                break
        cpu = time.thread_time() - cpu
        for node in nodes:
            node.close()
        return times, cpu
    return run


SENDERS = (("lightshow", ours), ("raw sendto", raw), ("stupidArtnet", stupid))


def in_time(run, n: int, trials: int) -> tuple[int, int]:
    """(trials passed, trials failed) of n universes, run until a majority decides.

    A trial passes when all its frames go out within the period; the size passes
    when the median trial does (passed > trials // 2).
    """
    data = frames_for(n, FRAMES)
    majority = trials // 2 + 1
    passed = failed = 0
    while passed < majority and failed <= trials - majority:
        gc.collect()
        times, _ = run(n, data, PERIOD_S)
        if len(times) == len(data) and max(times) <= PERIOD_S:
            passed += 1
        else:
            failed += 1
    return passed, failed


def bisection(low: int = 50, high: int = 20000):
    """Sizes to try, as a generator: send it each verdict; it returns the most that passed."""
    if not (yield low):
        return 0
    while high - low > max(10, low // 50):
        middle = (low + high) // 2
        if (yield middle):
            low = middle
        else:
            high = middle
    return low


def sustained(runs: dict, trials: int) -> dict[str, tuple[int, dict[int, tuple[int, int]]]]:
    """Most universes in time for each sender (and its verdicts: size -> passed, failed).

    The searches take turns, one size each, so none gets the machine's quiet minutes alone.
    """
    searches = {name: bisection() for name in runs}
    trying = {name: next(search) for name, search in searches.items()}
    verdicts: dict[str, dict[int, tuple[int, int]]] = {name: {} for name in runs}
    results = {}
    while trying:
        for name in list(trying):
            n = trying[name]
            passed, failed = verdicts[name][n] = in_time(runs[name], n, trials)
            try:
                trying[name] = searches[name].send(passed > failed)
            except StopIteration as done:
                results[name] = done.value, verdicts[name]
                del trying[name]
    return {name: results[name] for name in runs}


def cpu_per_universe_frame(runs: dict, n: int, frames: int, trials: int
                           ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per sender, per trial: (CPU us, wall us) per universe-frame; trials interleaved."""
    data = frames_for(n, frames)
    cpu = {name: [] for name in runs}
    wall = {name: [] for name in runs}
    for _ in range(trials):
        for name, run in runs.items():
            gc.collect()
            times, seconds = run(n, data)
            cpu[name].append(seconds / (n * len(times)) * 1e6)
            wall[name].append(sum(times) / (n * len(times)) * 1e6)
    return {name: (np.array(cpu[name]), np.array(wall[name])) for name in runs}


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


def spread(values: np.ndarray) -> str:
    return f"{values.min():.2f}/{np.median(values):.2f}/{values.max():.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=5,
                        help="trials per size searched and of the CPU figure (default 5)")
    parser.add_argument("--cpu-universes", type=int, default=300)
    parser.add_argument("--cpu-frames", type=int, default=132)
    parser.add_argument("--jitter-universes", type=int, default=512)
    parser.add_argument("--jitter-seconds", type=float, default=10.0)
    args = parser.parse_args()
    if args.trials < 1:
        parser.error("--trials must be at least 1")
    sender_file = sys.modules[ArtNetSender.__module__].__file__
    package = os.path.dirname(sys.modules["lightshow"].__file__)
    if not sender_file.startswith(package + os.sep):  # e.g. an editable install filling in
        sys.exit(f"{ArtNetSender.__name__} comes from {sender_file} but lightshow from {package}: "
                 f"import it from where that tree keeps it")
    print(f"{ArtNetSender.__name__} from {sender_file}")
    ports = multiprocessing.Queue()
    receiver = multiprocessing.Process(target=drain, args=(ports,), daemon=True)
    receiver.start()
    port = ports.get(timeout=10)
    try:
        runs = {name: make(port) for name, make in SENDERS}
        results = sustained(runs, args.trials)
        cpu = cpu_per_universe_frame(runs, args.cpu_universes, args.cpu_frames, args.trials)
        late = jitter(port, args.jitter_universes, args.jitter_seconds) * 1000
    finally:
        receiver.terminate()
    for name, (universes, verdicts) in results.items():
        failing = min((n for n, (p, f) in verdicts.items() if p <= f), default=None)
        passed, failed = verdicts.get(universes, (0, 0))
        beyond = "" if failing is None else f"; {failing}: {verdicts[failing][0]} of {sum(verdicts[failing])}"
        print(f"{name}: {universes} universes at 44 fps "
              f"({universes * FPS:,.0f} packets/s, every frame within {PERIOD_S * 1000:.1f} ms "
              f"in {passed} of {passed + failed} trials{beyond})")
    for name, (cpu_us, wall_us) in cpu.items():
        print(f"{name}: cpu {spread(cpu_us)} us/universe-frame (min/median/max of {args.trials} trials, "
              f"{args.cpu_frames} frames of {args.cpu_universes} universes), wall {spread(wall_us)} us")
    print(f"lightshow frame-start lateness at {args.jitter_universes} universes, "
          f"{args.jitter_seconds:g} s: p50 {np.percentile(late, 50):.3f} ms, "
          f"p99 {np.percentile(late, 99):.3f} ms, max {late.max():.3f} ms")
    universes = {name: result[0] for name, result in results.items()}
    ratio = universes["lightshow"] / max(universes["raw sendto"], 1)
    versus = universes["lightshow"] / max(universes["stupidArtnet"], 1)
    print(f"output: {universes['lightshow']} universes at 44 fps, {ratio:.2f} of raw sendto, "
          f"{versus:.1f}x stupidArtnet, cpu {np.median(cpu['lightshow'][0]):.2f} us/universe-frame "
          f"(raw sendto {np.median(cpu['raw sendto'][0]):.2f}), "
          f"jitter p99 {np.percentile(late, 99):.2f} ms")


if __name__ == "__main__":
    main()
