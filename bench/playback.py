"""Playback on loopback: a compiled show of 512 universes for 60 s, an OSC command every 0.5 s.

A receiver process timestamps every ArtDmx of universe 0 and counts ArtSyncs
(one per frame).  The player plays the compiled file to it while an OSC client
toggles the grand master between 0 and 1 every 0.5 s.  Reported: frame-start
jitter (actual start minus the absolute deadline, p50/p99), drift at the end
(how many frame periods the last frame went out after t0 + n / fps; the
receiver's ArtSync count is printed beside it), and the latency from each OSC command to the
first ArtDmx that reflects it (p50/p99).

Last line: ``playback: jitter p99 <j> ms, drift <d> frames, osc->dmx p99 <l> ms``.
"""

from __future__ import annotations

import os
import sys

# run as a script, this folder comes first on sys.path, where queue.py would hide the
# standard library's queue module: the repository root takes its place
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import argparse
import multiprocessing
import pathlib
import shutil
import socket
import struct
import tempfile
import time

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

REPO = pathlib.Path(__file__).resolve().parents[1]

from lightshow.output.artnet_sender import ArtNetSender  # noqa: E402
from lightshow.files.compiled_file import compile_show  # noqa: E402
from lightshow.control.osc_control import OscControl  # noqa: E402
from lightshow.playback.show_player import open_player  # noqa: E402
from lightshow.playback.sinks import ArtNetSink  # noqa: E402
from lightshow.load.project import load_show  # noqa: E402

FPS = 40


def write_project(folder: pathlib.Path, n_universes: int, duration_s: float) -> pathlib.Path:
    shutil.copytree(REPO / "fixtures", folder / "fixtures")
    (folder / "shows").mkdir()
    n_tubes = -(-(n_universes - 1) * 170 // 16)         # 170 RGB pixels to a universe, 16 to a tube
    rig = ["name: playback bench", "patch:",
           "  - {id: first, profile: pixel-tube-16, universe: 0, address: 1, position_m: [0, 0, 0]}"]
    rows, rest = divmod(n_tubes, 500)                   # arrays of up to 500 columns
    arrays = [(f"w{n}", 500) for n in range(rows)] + ([("wlast", rest)] if rest else [])
    for n, (name, columns) in enumerate(arrays):
        rig.append(f"  - {{id: {name}, profile: pixel-tube-16, universe: 1, address: auto, "
                   f"position_m: [{columns / 2:g}, {n:g}, 0], array: {{columns: {columns}, pitch_m: [1, 0]}}}}")
    rig += ["groups:", "  rest: [" + ", ".join(name for name, _ in arrays) + "]"]
    (folder / "shows" / "rig.yaml").write_text("\n".join(rig) + "\n")
    (folder / "shows" / "show.yaml").write_text(
        f"title: playback bench\nrig: rig.yaml\nfps: {FPS}\nchapters:\n  - id: only\n    cues:\n"
        f"      - {{target: first, effect: solid, params: {{color: white}}, duration: {duration_s:g}}}\n"
        f"      - {{target: rest, start: 0, effect: chase, duration: {duration_s:g}, "
        f"params: {{color: gold, count: 8, width: 0.2, rate_hz: 0.5}}}}\n")
    return folder / "shows" / "show.yaml"


SO_TIMESTAMPNS = 35      # Linux: the kernel stamps each datagram as it arrives (CLOCK_REALTIME)


def receive(port_queue, results, seconds: float) -> None:
    """Arrival times (the kernel's, so the reader's own lag does not count) of what matters."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:                                   # a frame is ~250 KB at once: more than the default buffer
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, 64 * 1024 * 1024)
    except (OSError, AttributeError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024 * 1024)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.5)
    port_queue.put(sock.getsockname()[1])
    first_values, syncs, end = [], [], time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data, ancillary, _, _ = sock.recvmsg(2048, 64)
        except socket.timeout:
            continue
        seconds_part, nanoseconds = struct.unpack("qq", ancillary[0][2][:16])
        arrived = seconds_part + nanoseconds * 1e-9
        if data[8:10] == b"\x00\x50" and data[14:16] == b"\x00\x00":       # ArtDmx, universe 0
            first_values.append((arrived, data[18]))
        elif data[8:10] == b"\x00\x52":                                   # ArtSync
            syncs.append(arrived)
    results.put((first_values, syncs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--universes", type=int, default=512)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--command-every", type=float, default=0.5)
    args = parser.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="lightshow-playback-"))
    try:
        show = load_show(str(write_project(folder, args.universes, args.seconds + 5)))
        started = time.perf_counter()
        compiled = compile_show(show, str(folder / "show.fseq"))
        print(f"compiled {compiled.n_frames} frames of {compiled.n_channels // 512} universes "
              f"in {time.perf_counter() - started:.1f} s")
        ports, results = multiprocessing.Queue(), multiprocessing.Queue()
        receiver = multiprocessing.Process(target=receive, args=(ports, results, args.seconds + 3))
        receiver.start()
        port = ports.get(timeout=10)
        universes = show.rig.universes()
        sink = ArtNetSink(ArtNetSender(universes, [[("127.0.0.1", port)]] * len(universes)))
        player = open_player(show, str(folder / "show.fseq"), [sink], keep_tick_times=True)
        osc = OscControl(player, "127.0.0.1", 0).start()
        client = SimpleUDPClient("127.0.0.1", osc.address[1])
        player.play()
        player.start()
        time.sleep(1.0)                                           # settle: cache filled, sender warm
        commands, level, t_end = [], 1.0, time.monotonic() + args.seconds - 1.0
        next_at = time.monotonic()
        phase = np.random.default_rng(1)          # commands at a random point of the frame period,
        while time.monotonic() < t_end:           # not locked to the frame clock
            time.sleep(max(0.0, next_at + phase.uniform(0, 1 / FPS) - time.monotonic()))
            level = 0.0 if level else 1.0
            commands.append((time.time(), 0 if level == 0 else 255))   # the receiver's clock
            client.send_message("/lightshow/master", level)
            next_at += args.command_every
        time.sleep(0.5)
        osc.close()
        player.close()
        values, syncs = results.get(timeout=30)
        receiver.join()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    starts_ms = np.array(player.stats.tick_starts_s[FPS:]) * 1000     # after the first second
    arrivals = np.array([t for t, _ in values])
    firsts = np.array([v for _, v in values])
    latencies = []
    for sent_at, value in commands:
        after = np.flatnonzero((arrivals > sent_at) & (firsts == value))
        if len(after):
            latencies.append((arrivals[after[0]] - sent_at) * 1000)
    missing = len(commands) - len(latencies)
    expected = round((syncs[-1] - syncs[0]) * FPS) + 1
    # drift: how far the last frame went out from where the wall clock puts it, in frames
    drift = round(player.stats.tick_starts_s[-1] * FPS)
    latencies = np.array(latencies)
    print(f"frames: {player.stats.ticks} sent, {player.stats.late_ticks} late and skipped, "
          f"{player.stats.held} held; {len(syncs)} ArtSyncs received over {syncs[-1] - syncs[0]:.2f} s "
          f"(the wall clock says {expected}; fewer means the receiver dropped packets)")
    print(f"frame-start jitter: p50 {np.percentile(starts_ms, 50):.3f} ms, p99 {np.percentile(starts_ms, 99):.3f} ms, "
          f"max {starts_ms.max():.3f} ms")
    print(f"osc->dmx over {len(commands)} commands ({missing} never seen): p50 {np.percentile(latencies, 50):.2f} ms, "
          f"p99 {np.percentile(latencies, 99):.2f} ms (frame period {1000 / FPS:.1f} ms)")
    print(f"playback: jitter p99 {np.percentile(starts_ms, 99):.2f} ms, drift {drift} frames, "
          f"osc->dmx p99 {np.percentile(latencies, 99):.1f} ms")


if __name__ == "__main__":
    main()
